"""Excel (.xlsx) workbooks for rank, consolidate and portfolio; ``render(obj, *, lang) -> bytes``.

openpyxl is an optional extra (``sti-review[office]``), imported inside the renderers."""
