"""Workbook helpers: header rows that stay frozen and filter, number formats, fills, and text
that stays text (a value beginning with = + - @ is never taken for a formula)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...i18n import catalog
from ...office import require

# The workbooks' own words; everything else comes from the report modules' catalogues.
W = catalog("xlsx")

YEN = '"¥"#,##0'
PERCENT = "0.00"
SCORE = "0.0#"
FILL_HEAD = "D9E2F3"
FILL_FUNDED = "E2EFDA"
FILL_ZONE = "FFF2CC"
FILL_TIE = "FCE4D6"
FILL_GAP = "F8CBAD"
FILL_OVERLAP = "FFE699"
FILL_CROWDED = "BDD7EE"
FILL_BAD = "F8CBAD"


def workbook() -> Any:
    openpyxl = require("openpyxl")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


def print_setup(ws: Any) -> None:
    """Printed on A4 landscape, as wide as one page, header row repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def sheet_title(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def clean(text: str) -> str:
    """Control and bidi characters as visible escapes (as on the terminal); a cell holds at
    most 32,767 characters."""
    from ...sanitize import printable

    text = printable(text)
    return text if len(text) <= 32_767 else text[:32_766] + "…"


def put(ws: Any, row: int, col: int, value: Any, *, fmt: str | None = None, bold: bool = False) -> Any:
    """Write one cell; text stays text, numbers stay numbers (Fractions become floats)."""
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, str):
        value = clean(value)
        cell.value = value
        if value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"
            cell.quotePrefix = True
        if "\n" in value or len(value) > 30:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def fill(ws: Any, row: int, cols: int, color: str) -> None:
    from openpyxl.styles import PatternFill

    pattern = PatternFill("solid", start_color=color, end_color=color)
    for col in range(1, cols + 1):
        ws.cell(row=row, column=col).fill = pattern


def line_below(ws: Any, row: int, cols: int, color: str = "C00000") -> None:
    """A thick line under a row: the funding line."""
    from openpyxl.styles import Border, Side

    for col in range(1, cols + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = Border(bottom=Side(style="thick", color=color), top=cell.border.top)


def header(ws: Any, names: Sequence[str], *, row: int = 1, widths: Sequence[float] | None = None) -> None:
    """A bold, shaded header row; the rows under it scroll beneath it (frozen) and filter."""
    from openpyxl.utils import get_column_letter

    for col, name in enumerate(names, start=1):
        put(ws, row, col, name, bold=True)
    fill(ws, row, len(names), FILL_HEAD)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"
    print_setup(ws)
    for col, w in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(col)].width = w


def autofilter(ws: Any, cols: int, last_row: int, *, row: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A{row}:{get_column_letter(cols)}{max(last_row, row)}"


def key_values(ws: Any, pairs: Sequence[tuple[str, Any]], *, widths: tuple[float, float] = (28, 90)) -> None:
    """A sheet of labels and values (the summary)."""
    from openpyxl.styles import Alignment

    print_setup(ws)
    ws.column_dimensions["A"].width = widths[0]
    ws.column_dimensions["B"].width = widths[1]
    for i, (k, v) in enumerate(pairs, start=1):
        put(ws, i, 1, k, bold=True)
        cell = put(ws, i, 2, v)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def answer_value(answer: Any, lang: str) -> Any:
    """A reviewer's raw answer as a cell value: the score as a number, a verdict or N/A in words."""
    from ...i18n import t

    if answer is None:
        return ""
    if getattr(answer, "verdict", None):
        return t(f"verdict_{answer.verdict}", lang)  # type: ignore[arg-type]
    if getattr(answer, "na", False):
        return t("na", lang)  # type: ignore[arg-type]
    score = getattr(answer, "score", None)
    return float(score) if score is not None else ""


def to_bytes(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
