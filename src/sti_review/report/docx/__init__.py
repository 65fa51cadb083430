"""Word (.docx) reports: one module per report kind, each with ``render(obj, *, lang) -> bytes``.

python-docx is an optional extra (``sti-review[office]``), imported inside the renderers."""
