"""The portfolio map as a workbook: one sheet per matrix (gaps, overlaps and crowded cells
shaded, the meaning in a legend), and the programmes with their means, stages and regions."""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...i18n import Lang
from ...portfolio import Matrix, PortfolioMap
from ..views import PortfolioView
from ..views.portfolio import T, axis_title, cell_codes, column_text, objective_text, regions_text
from . import common as x


def _render(m: PortfolioMap, *, lang: Lang) -> bytes:
    wb = x.workbook()
    pairs: list[tuple[str, Any]] = [
        (
            T("map_title", lang),
            T(
                "mapped",
                lang,
                programmes=len(m.programmes),
                proposals=len(m.proposals),
                objectives=len(m.by_stage.rows),
            ),
        ),
        (x.W("legend", lang), T("rule_gap", lang)),
        ("", T("rule_overlap", lang, n=m.overlap_at)),
        ("", T("rule_crowded", lang, n=m.crowded_at)),
        ("", T("legend_codes", lang)),
        (T("rubric", lang), m.rubric.ref),
        ("", T("generated_by", lang, version=__version__)),
    ]
    ws = wb.create_sheet(x.sheet_title(x.W("summary", lang)))
    x.key_values(ws, pairs)
    for row, color in ((2, x.FILL_GAP), (3, x.FILL_OVERLAP), (4, x.FILL_CROWDED)):
        ws.cell(row=row, column=2).fill = _pattern(color)
    for matrix in m.matrices:
        _matrix(wb.create_sheet(x.sheet_title(axis_title(matrix, lang))), m, matrix, lang)
    if m.programmes:
        ws = wb.create_sheet(x.sheet_title(T("programmes", lang)))
        names = [T("code", lang), T("name", lang), T("means", lang), T("stages", lang), T("regions", lang)]
        x.header(ws, names, widths=[10, 50, 30, 30, 30])
        for row, p in enumerate(m.programmes, start=2):
            values = [
                p.label,
                p.title,
                ", ".join(m.rubric.label("means", v, lang) for v in sorted(p.means)),
                ", ".join(m.by_stage.label(s, lang) for s in m.by_stage.columns if s in p.career_stages),
                regions_text(m, p.regions, lang),
            ]
            for col, v in enumerate(values, start=1):
                x.put(ws, row, col, v)
        x.autofilter(ws, len(names), len(m.programmes) + 1)
    return x.to_bytes(wb)


def _pattern(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=color, end_color=color)


def _matrix(ws: Any, m: PortfolioMap, matrix: Matrix, lang: Lang) -> None:
    names = [T("objective", lang), *[column_text(matrix, c, lang) for c in matrix.columns]]
    x.header(ws, names, widths=[45] + [16] * len(matrix.columns))
    ws.freeze_panes = "B2"
    for row, obj in enumerate(matrix.rows, start=2):
        x.put(ws, row, 1, objective_text(m, obj, lang))
        for col, column in enumerate(matrix.columns, start=2):
            cell = matrix.cells[(obj, column)]
            shown = x.put(ws, row, col, "—" if cell.empty else cell_codes(cell, lang))
            if cell.empty:
                shown.fill = _pattern(x.FILL_GAP)
            elif cell.overlaps:
                shown.fill = _pattern(x.FILL_OVERLAP)
            elif len(cell.proposals) >= matrix.crowded_at:
                shown.fill = _pattern(x.FILL_CROWDED)


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.map, lang=lang)
