"""The portfolio map in Markdown: both matrices, then gaps, overlaps and crowded cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import __version__
from ...i18n import Lang
from ...portfolio import Matrix, PortfolioMap
from ...sanitize import markdown_inline as esc
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
from .table import row as _row

if TYPE_CHECKING:
    from ..views import PortfolioView


LIST_LIMIT = 200


def _matrix(m: PortfolioMap, matrix: Matrix, lang: Lang) -> list[str]:
    lines = [f"## {axis_title(matrix, lang)}", ""]
    head = [T("objective", lang), *[column_short(matrix, c, lang) for c in matrix.columns]]
    lines += [_row(*head), "|---|" + ":---:|" * len(matrix.columns)]
    for obj in matrix.rows:
        cells = []
        for col in matrix.columns:
            cell = matrix.cells[(obj, col)]
            text = esc(cell_codes(cell, lang))
            if cell.empty:
                text = "**—**"
            if cell.overlaps:
                text += " ⚠️"
            if len(cell.proposals) >= matrix.crowded_at:
                text += " ▲"
            cells.append(text)
        lines.append(_row(esc(objective_text(m, obj, lang)), *cells))
    lines.append("")
    if matrix.axis == "region":
        codes = ", ".join(f"{matrix.code(c)} {column_text(matrix, c, lang)}" for c in matrix.columns)
        lines += [f"{T('regions_legend', lang)}: {codes}", ""]
    lines += [f"### {T('gaps', lang)} ({axis_title(matrix, lang)})", ""]
    gaps = gap_lines(m, matrix, lang)
    lines += [f"- {esc(obj)}: {esc(what)}" for obj, what in gaps] or [f"- {T('none', lang)}"]
    lines.append("")
    if m.programmes:
        lines += [f"### {T('overlaps', lang)} ({axis_title(matrix, lang)})", ""]
        groups = overlap_groups(matrix)
        lines += [f"- {esc(overlap_text(m, matrix, g, lang))}" for g in groups] or [f"- {T('none', lang)}"]
        lines.append("")
    if m.proposals:
        crowded = sorted(matrix.crowded, key=lambda c: -len(c.proposals))
        lines += [f"### {T('crowded', lang)} ({axis_title(matrix, lang)})", ""]
        if not crowded:
            lines.append(f"- {T('none', lang)}")
        for cell in crowded[:LIST_LIMIT]:
            ids = ", ".join(p.id for p in cell.proposals[:10])
            more = " …" if len(cell.proposals) > 10 else ""
            lines.append(
                f"- {esc(place_text(m, matrix, cell.objective, cell.column, lang))}: "
                f"{len(cell.proposals)} ({esc(ids)}{more})"
            )
        lines.append("")
        if m.programmes:
            lines += [f"### {T('fillers', lang)} ({axis_title(matrix, lang)})", ""]
            found = fillers(matrix)
            if not found:
                lines.append(f"- {T('none', lang)}")
            for pid, cells in list(found.items())[:LIST_LIMIT]:
                where = places_text(m, matrix, cells, lang)
                lines.append(f"- {esc(pid)}: {esc(where)}")
            lines.append("")
    return lines


def render_text(m: PortfolioMap, lang: Lang) -> str:
    lines = [f"# {T('map_title', lang)}", ""]
    lines.append(
        T(
            "mapped",
            lang,
            programmes=len(m.programmes),
            proposals=len(m.proposals),
            objectives=len(m.by_stage.rows),
        )
    )
    lines.append("")
    lines.append(f"- {T('rule_gap', lang)}")
    if m.programmes:
        lines.append(f"- {T('rule_overlap', lang, n=m.overlap_at)} (⚠️)")
    if m.proposals:
        lines.append(f"- {T('rule_crowded', lang, n=m.crowded_at)} (▲)")
    lines.append(f"- {T('legend_codes', lang)}")
    lines.append("")
    if m.programmes:
        lines += [f"## {T('programmes', lang)}", ""]
        head = [T("code", lang), T("name", lang), T("means", lang), T("stages", lang), T("regions", lang)]
        lines += [_row(*head), "|---|---|---|---|---|"]
        for p in m.programmes:
            regions = regions_text(m, p.regions, lang)
            lines.append(
                _row(
                    esc(p.label),
                    esc(p.title),
                    esc(", ".join(m.rubric.label("means", x, lang) for x in sorted(p.means))),
                    esc(
                        ", ".join(
                            m.by_stage.label(s, lang) for s in m.by_stage.columns if s in p.career_stages
                        )
                    ),
                    esc(regions),
                )
            )
        lines.append("")
    for matrix in m.matrices:
        lines += _matrix(m, matrix, lang)
    if m.unplaced:
        lines += [f"## {T('notes', lang)}", ""]
        for reason, ids in m.unplaced.items():
            shown = ", ".join(ids[:20]) + (" …" if len(ids) > 20 else "")
            lines.append(f"- {T('unplaced_' + reason, lang)}: {esc(shown)}")
        lines.append("")
    lines.append(f"<sub>{T('generated_by', lang, version=__version__)}</sub>")
    return "\n".join(lines) + "\n"


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.map, lang).encode()
