"""The portfolio map on a terminal (rich): both matrices with gaps and overlaps coloured, then
the lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.text import Text

from ...i18n import Lang
from ...portfolio import Cell, Matrix, PortfolioMap
from ...sanitize import printable
from ..views.portfolio import (
    T,
    axis_title,
    cell_codes,
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
)
from .layout import Column, emit, table_or_stack

if TYPE_CHECKING:
    from ..views import PortfolioView


LIST_LIMIT = 30


def _cell(cell: Cell, matrix: Matrix, m: PortfolioMap, lang: Lang) -> Text:
    if matrix.axis == "career_stage":
        text = cell_codes(cell, lang)
    else:
        text = cell_counts(cell, bool(m.programmes), bool(m.proposals), lang)
    if cell.empty:
        style = "bold red"
    elif cell.overlaps:
        style = "bold yellow"
    elif len(cell.proposals) >= matrix.crowded_at:
        style = "bold magenta"
    elif m.programmes and not cell.programmes:
        style = "green"
    else:
        style = ""
    return Text(printable(text), style=style)


def _matrix(m: PortfolioMap, matrix: Matrix, lang: Lang, width: int) -> list[RenderableType]:
    codes = matrix.axis == "career_stage"
    columns = [Column(T("objective", lang), "text", style="cyan")]
    columns += [Column(column_short(matrix, col, lang), "text" if codes else "key") for col in matrix.columns]
    rows = [
        [objective_text(m, obj, lang)]
        + [_cell(matrix.cells[(obj, c)], matrix, m, lang) for c in matrix.columns]
        for obj in matrix.rows
    ]
    table = table_or_stack(
        columns,
        rows,
        width,
        title=Text(axis_title(matrix, lang), style="bold"),
        sections=range(len(rows)) if codes else (),
    )
    out: list[RenderableType] = [table]
    if matrix.axis == "region":
        codes = "  ".join(f"{matrix.code(c)} {column_text(matrix, c, lang)}" for c in matrix.columns)
        out.append(Text(f"{T('regions_legend', lang)}: {codes}", style="dim"))
    out.append(Text(""))
    out.append(Text(f"{T('gaps', lang)} ({axis_title(matrix, lang)})", style="bold red"))
    gaps = gap_lines(m, matrix, lang)
    if not gaps:
        out.append(Text("  " + T("none", lang), style="dim"))
    for obj, what in gaps:
        line = Text(f"  • {obj}: ")
        line.append(what, style="red")
        out.append(line)
    if m.programmes:
        out.append(Text(f"{T('overlaps', lang)} ({axis_title(matrix, lang)})", style="bold yellow"))
        groups = overlap_groups(matrix)
        if not groups:
            out.append(Text("  " + T("none", lang), style="dim"))
        for g in groups:
            out.append(Text("  • " + printable(overlap_text(m, matrix, g, lang))))
    if m.proposals:
        crowded = sorted(matrix.crowded, key=lambda c: -len(c.proposals))
        out.append(Text(f"{T('crowded', lang)} ({axis_title(matrix, lang)})", style="bold magenta"))
        if not crowded:
            out.append(Text("  " + T("none", lang), style="dim"))
        for cell in crowded[:LIST_LIMIT]:
            out.append(
                Text(
                    printable(
                        f"  • {place_text(m, matrix, cell.objective, cell.column, lang)}: "
                        f"{len(cell.proposals)}"
                    )
                )
            )
        if m.programmes:
            found = fillers(matrix)
            out.append(Text(f"{T('fillers', lang)} ({axis_title(matrix, lang)})", style="bold green"))
            if not found:
                out.append(Text("  " + T("none", lang), style="dim"))
            for pid, cells in list(found.items())[:LIST_LIMIT]:
                where = places_text(m, matrix, cells, lang)
                out.append(Text("  • " + printable(f"{pid}: {where}")))
    out.append(Text(""))
    return out


def renderables(m: PortfolioMap, lang: Lang, width: int = 120) -> list[RenderableType]:
    out: list[RenderableType] = [
        Text(T("map_title", lang), style="bold"),
        Text(
            T(
                "mapped",
                lang,
                programmes=len(m.programmes),
                proposals=len(m.proposals),
                objectives=len(m.by_stage.rows),
            )
        ),
        Text(T("rule_gap", lang), style="red"),
    ]
    if m.programmes:
        out.append(Text(T("rule_overlap", lang, n=m.overlap_at), style="yellow"))
        legend = Text()
        for p in m.programmes:
            legend.append(f"  {p.label}", style="bold")
            legend.append(" " + printable(p.title) + "\n")
        out.append(legend)
    if m.proposals:
        out.append(Text(T("rule_crowded", lang, n=m.crowded_at), style="magenta"))
    out.append(Text(T("legend_codes", lang), style="dim"))
    out.append(Text(""))
    for matrix in m.matrices:
        out += _matrix(m, matrix, lang, width)
    for reason, ids in m.unplaced.items():
        shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
        out.append(Text(printable(f"{T('unplaced_' + reason, lang)}: {shown}"), style="dim"))
    return out


def print_report(m: PortfolioMap, lang: Lang, console: Console) -> None:
    for r in renderables(m, lang, console.width):
        emit(console, r)


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    return capture(lambda c: print_report(view.map, lang, c), width=width or 120, color=color)
