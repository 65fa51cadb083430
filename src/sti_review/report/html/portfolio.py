"""The portfolio map (X3) as one self-contained HTML page: each matrix as a heat table (the darker,
the more programmes), gaps hatched, overlaps framed; then the lists of the Markdown report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import Lang, catalog
from ...portfolio import Cell, Matrix, PortfolioMap
from ..html import svg
from ..html.common import render_page
from ..views.portfolio import (
    T,
    axis_title,
    cell_counts,
    column_short,
    column_text,
    fillers,
    gap_lines,
    objective_text,
    overlap_groups,
    overlap_text,
    place_text,
    places_text,
    proposals_text,
    regions_text,
)

if TYPE_CHECKING:
    from ..views import PortfolioView


LIST_LIMIT = 200


_w = catalog("html.portfolio")  # the one HTML word lookup: i18n.catalog


def render_text(m: PortfolioMap, lang: Lang) -> str:
    heading = T("map_title", lang)
    rules = [T("rule_gap", lang)]
    if m.programmes:
        rules.append(T("rule_overlap", lang, n=m.overlap_at) + " (⚠)")
    if m.proposals:
        rules.append(T("rule_crowded", lang, n=m.crowded_at) + " (▲)")
    legend = [_w("legend_heat_programmes" if m.programmes else "legend_heat_proposals", lang)]
    legend.append(_w("legend_gap", lang))
    if m.programmes:
        legend.append(_w("legend_overlap", lang))
    if m.proposals:
        legend.append(_w("legend_crowded", lang))
    return render_page(
        "portfolio.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        mapped=T(
            "mapped",
            lang,
            programmes=len(m.programmes),
            proposals=len(m.proposals),
            objectives=len(m.by_stage.rows),
        ),
        rules=rules,
        legend=legend,
        programmes=_programmes(m, lang),
        matrices=[_matrix(m, matrix, lang) for matrix in m.matrices],
        notes=[
            {
                "reason": T("unplaced_" + reason, lang),
                "ids": ", ".join(ids[:20]) + (" …" if len(ids) > 20 else ""),
            }
            for reason, ids in m.unplaced.items()
        ],
        words={
            k: T(k, lang)
            for k in ["programmes", "code", "name", "means", "stages", "regions", "notes", "none"]
        },
    )


def _programmes(m: PortfolioMap, lang: Lang) -> list[dict[str, str]]:
    out = []
    for p in m.programmes:
        regions = regions_text(m, p.regions, lang)
        out.append(
            {
                "code": p.label,
                "name": p.title,
                "means": ", ".join(m.rubric.label("means", x, lang) for x in sorted(p.means)),
                "stages": ", ".join(
                    m.by_stage.label(s, lang) for s in m.by_stage.columns if s in p.career_stages
                ),
                "regions": regions,
            }
        )
    return out


def _tooltip(m: PortfolioMap, cell: Cell, matrix: Matrix, lang: Lang) -> str:
    parts = [place_text(m, matrix, cell.objective, cell.column, lang)]
    if cell.programmes:
        parts.append(_w("programmes_in", lang, codes=" ".join(p.label for p in cell.programmes)))
    if cell.proposals:
        ids = ", ".join(p.id for p in cell.proposals[:10]) + (" …" if len(cell.proposals) > 10 else "")
        parts.append(_w("proposals_in", lang, n=len(cell.proposals), ids=ids))
    if cell.empty:
        parts.append(_w("gap_label", lang))
    return " — ".join(parts)


def _heat(m: PortfolioMap, matrix: Matrix, lang: Lang) -> svg.Svg:
    with_programmes = bool(m.programmes)
    cells = []
    for obj in matrix.rows:
        row = []
        for col in matrix.columns:
            cell = matrix.cells[(obj, col)]
            level = len(cell.programmes) if with_programmes else _proposal_level(len(cell.proposals))
            row.append(
                svg.HeatCell(
                    level=level,
                    text=cell_counts(cell, with_programmes, False, lang) if with_programmes else "",
                    sub=proposals_text(cell, lang) if m.proposals else "",
                    gap=cell.empty,
                    overlap=bool(cell.overlaps),
                    crowded=len(cell.proposals) >= matrix.crowded_at,
                    tooltip=_tooltip(m, cell, matrix, lang),
                )
            )
        cells.append(row)
    heat = svg.Heat(
        rows=[objective_text(m, o, lang) for o in matrix.rows],
        row_tooltips=[objective_text(m, o, lang) for o in matrix.rows],
        columns=[column_short(matrix, c, lang) for c in matrix.columns],
        column_tooltips=[column_text(matrix, c, lang) for c in matrix.columns],
        cells=cells,
    )
    return svg.heat_table(heat, title=axis_title(matrix, lang), gap_label=_w("gap_label", lang))


def _proposal_level(n: int) -> int:
    """Proposals alone: 1, 2, 3–4, 5 or more."""
    return 0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if n <= 4 else 4


def _matrix(m: PortfolioMap, matrix: Matrix, lang: Lang) -> dict[str, Any]:
    view: dict[str, Any] = {
        "axis": matrix.axis,
        "title": axis_title(matrix, lang),
        "heat": _heat(m, matrix, lang),
        "codes": "",
        "gaps_title": f"{T('gaps', lang)} ({axis_title(matrix, lang)})",
        "gaps": [f"{obj}: {what}" for obj, what in gap_lines(m, matrix, lang)],
        "overlaps_title": "",
        "overlaps": [],
        "crowded_title": "",
        "crowded": [],
        "fillers_title": "",
        "fillers": [],
    }
    if matrix.axis == "region":
        codes = ", ".join(f"{matrix.code(c)} {column_text(matrix, c, lang)}" for c in matrix.columns)
        view["codes"] = f"{T('regions_legend', lang)}: {codes}"
    if m.programmes:
        view["overlaps_title"] = f"{T('overlaps', lang)} ({axis_title(matrix, lang)})"
        view["overlaps"] = [overlap_text(m, matrix, g, lang) for g in overlap_groups(matrix)]
    if m.proposals:
        view["crowded_title"] = f"{T('crowded', lang)} ({axis_title(matrix, lang)})"
        crowded = sorted(matrix.crowded, key=lambda c: -len(c.proposals))[:LIST_LIMIT]
        view["crowded"] = [
            f"{place_text(m, matrix, c.objective, c.column, lang)}: {len(c.proposals)} "
            f"({', '.join(p.id for p in c.proposals[:10])}{' …' if len(c.proposals) > 10 else ''})"
            for c in crowded
        ]
        if m.programmes:
            view["fillers_title"] = f"{T('fillers', lang)} ({axis_title(matrix, lang)})"
            view["fillers"] = [
                f"{pid}: " + places_text(m, matrix, cells, lang)
                for pid, cells in list(fillers(matrix).items())[:LIST_LIMIT]
            ]
    return view


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.map, lang).encode()
