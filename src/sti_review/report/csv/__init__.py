"""The csv format: one module per report kind, this format's shared helpers once."""

from ...i18n import Lang, t


def heading(column: str, lang: Lang) -> str:
    """The header of a CSV column in ``lang``: the stable English column name under ``en``
    (scripts read those), the catalogue's words under ``ja``. JSON keys stay English always."""
    if column.startswith("section_"):
        return t("csv.col.section", lang, section=column.removeprefix("section_"))
    if column.startswith("tie_break_"):
        return t("csv.col.tie_break", lang, n=column.removeprefix("tie_break_"))
    return t("csv.col." + column, lang)


def headings(columns: list[str], lang: Lang) -> list[str]:
    return [heading(c, lang) for c in columns]
