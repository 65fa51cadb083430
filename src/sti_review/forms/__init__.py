"""Forms for applicants: a Word form made from the rubric (template), read back into a
proposal file (importer), and commented YAML skeletons (init)."""
