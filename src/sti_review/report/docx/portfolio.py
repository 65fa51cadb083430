"""The portfolio map as a Word document: the gaps first, then both matrices as tables whose
cells are shaded (gap, overlap, crowded) with the meaning written in a legend, not in emoji."""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...i18n import Lang
from ...i18n import t as _t
from ...portfolio import Matrix, PortfolioMap
from ..views import PortfolioView
from ..views.portfolio import (
    T,
    axis_title,
    cell_codes,
    column_short,
    column_text,
    fillers,
    gap_lines,
    objective_text,
    overlap_groups,
    overlap_text,
    place_text,
    places_text,
    regions_text,
)
from . import common as c

GAP, OVERLAP, CROWDED = "F8CBAD", "FFE699", "BDD7EE"
LIST_LIMIT = 200


def _matrix(doc: Any, m: PortfolioMap, matrix: Matrix, lang: Lang) -> None:
    c.heading(doc, axis_title(matrix, lang), 1)
    head = [T("objective", lang), *[column_short(matrix, col, lang) for col in matrix.columns]]
    rows, shades = [], []
    for obj in matrix.rows:
        cells, fills = [objective_text(m, obj, lang)], [None]
        for col in matrix.columns:
            cell = matrix.cells[(obj, col)]
            text = "—" if cell.empty else cell_codes(cell, lang)
            if len(cell.proposals) >= matrix.crowded_at:
                text += f"\n({len(cell.proposals)})"
            cells.append(text)
            fills.append(
                GAP
                if cell.empty
                else OVERLAP
                if cell.overlaps
                else CROWDED
                if len(cell.proposals) >= matrix.crowded_at
                else None
            )
        rows.append(cells)
        shades.append(fills)
    first = 55 if len(matrix.columns) <= 6 else 40  # nine regions: the codes need the room
    rest = (170 - first) / max(1, len(matrix.columns))
    tbl = c.table(doc, head, rows, widths_mm=[first] + [rest] * len(matrix.columns))
    c.keep_row_together(tbl)
    if len(matrix.columns) > 6:  # programme codes (SATREPS) fit a 14 mm column whole at 7 pt
        from docx.shared import Pt

        for row in tbl.rows[1:]:
            for cell in row.cells[1:]:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(7)
    for row, fills in zip(tbl.rows[1:], shades, strict=True):
        for cell, fill in zip(row.cells, fills, strict=True):
            if fill:
                c.shade(cell, fill)
    if matrix.axis == "region":
        codes = ", ".join(f"{matrix.code(col)} {column_text(matrix, col, lang)}" for col in matrix.columns)
        c.para(doc, f"{T('regions_legend', lang)}: {codes}")
    c.heading(doc, f"{T('gaps', lang)}{_t('paren_note', lang, text=axis_title(matrix, lang))}", 2)
    gaps = gap_lines(m, matrix, lang)
    for obj, what in gaps or [(T("none", lang), "")]:
        c.para(doc, f"{obj}: {what}" if what else obj, style="List Bullet")
    if m.programmes:
        c.heading(doc, f"{T('overlaps', lang)}{_t('paren_note', lang, text=axis_title(matrix, lang))}", 2)
        groups = overlap_groups(matrix)
        for text in [overlap_text(m, matrix, g, lang) for g in groups] or [T("none", lang)]:
            c.para(doc, text, style="List Bullet")
    if m.proposals:
        c.heading(doc, f"{T('crowded', lang)}{_t('paren_note', lang, text=axis_title(matrix, lang))}", 2)
        crowded = sorted(matrix.crowded, key=lambda cell: -len(cell.proposals))
        if not crowded:
            c.para(doc, T("none", lang), style="List Bullet")
        for cell in crowded[:LIST_LIMIT]:
            ids = ", ".join(p.id for p in cell.proposals[:10]) + (" …" if len(cell.proposals) > 10 else "")
            c.para(
                doc,
                f"{place_text(m, matrix, cell.objective, cell.column, lang)}: {len(cell.proposals)} ({ids})",
                style="List Bullet",
            )
        if m.programmes:
            c.heading(doc, f"{T('fillers', lang)}{_t('paren_note', lang, text=axis_title(matrix, lang))}", 2)
            found = fillers(matrix)
            if not found:
                c.para(doc, T("none", lang), style="List Bullet")
            for pid, cells in list(found.items())[:LIST_LIMIT]:
                where = places_text(m, matrix, cells, lang)
                c.para(doc, f"{pid}: {where}", style="List Bullet")


def _render(m: PortfolioMap, *, lang: Lang) -> bytes:
    title = T("map_title", lang)
    doc = c.new_document(lang=lang, title=title, footer_ref=m.rubric.ref)
    c.heading(doc, title, 0)
    counts = T(
        "mapped",
        lang,
        programmes=len(m.programmes),
        proposals=len(m.proposals),
        objectives=len(m.by_stage.rows),
    )
    c.para(doc, counts)
    legend = [(GAP, T("rule_gap", lang))]
    if m.programmes:
        legend.append((OVERLAP, T("rule_overlap", lang, n=m.overlap_at)))
    if m.proposals:
        legend.append((CROWDED, T("rule_crowded", lang, n=m.crowded_at)))
    tbl = c.table(doc, ["", T("legend_codes", lang)], [["", text] for _, text in legend], widths_mm=[12, 158])
    for row, (fill, _) in zip(tbl.rows[1:], legend, strict=True):
        c.shade(row.cells[0], fill)
    if m.programmes:
        c.heading(doc, T("programmes", lang), 1)
        rows = []
        for p in m.programmes:
            regions = regions_text(m, p.regions, lang)
            rows.append(
                [
                    p.label,
                    p.title,
                    "\n".join(m.rubric.label("means", x, lang) for x in sorted(p.means)),
                    "\n".join(m.by_stage.label(s, lang) for s in m.by_stage.columns if s in p.career_stages),
                    regions,
                ]
            )
        head = [T("code", lang), T("name", lang), T("means", lang), T("stages", lang), T("regions", lang)]
        c.table(doc, head, rows, widths_mm=[18, 62, 30, 30, 30])
    for matrix in m.matrices:
        _matrix(doc, m, matrix, lang)
    if m.unplaced:
        c.heading(doc, T("notes", lang), 1)
        for reason, ids in m.unplaced.items():
            shown = ", ".join(ids[:20]) + (" …" if len(ids) > 20 else "")
            c.para(doc, f"{T('unplaced_' + reason, lang)}: {shown}", style="List Bullet")
    c.closing(doc, T("generated_by", lang, version=__version__))
    return c.to_bytes(doc)


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.map, lang=lang)
