"""The ranking of a call on a terminal (rich): the table with its funding line, then what to
look at again and what could not be ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, RenderableType
from rich.text import Text

from ...i18n import Lang
from ...ranking import RankedProposal, Ranking
from ...sanitize import printable
from ..views.common import num
from ..views.ranking import (
    T,
    call_name,
    counts_text,
    line_text,
    marks_text,
    money,
    order_text,
    outcome_label,
    programme_short,
    reasons_text,
    rereview_text,
    status_text,
    tie_text,
    zone_text,
)
from .console import untrusted as _u
from .layout import Column, emit, table_or_stack
from .styles import OUTCOME_STYLE

if TYPE_CHECKING:
    from ..views import RankingView


# A terminal shows the top of a large call, the funding line and the border zone; the full
# ranking is in the Markdown, CSV and JSON outputs.
SHOW_ALL_UP_TO = 200
SHOW_PAST_ZONE = 10
LIST_LIMIT = 50

STATUS_STYLE = {
    "funded": "bold green",
    "tie_at_line": "bold yellow",
    "not_funded": "",
    "eligible": "",
    "ineligible": "dim",
    "invalid": "bold red",
}


def _table(ranking: Ranking, lang: Lang, width: int) -> RenderableType:
    """The ranked table. The title takes the room the other columns leave; on a narrow
    terminal the tie-break values and the programme are left out first."""
    budgets = any(r.budget is not None for r in ranking.rows)
    ranked = shown_rows(ranking)
    with_tie = width >= 140
    with_programme = width >= 110
    budgets = budgets and (width >= 120 or (ranking.line is not None and ranking.line.mode == "budget"))
    head: list[str] = [T("rank", lang), T("id", lang), T("title", lang)]
    if with_programme:
        head.append("")
    head += [T("outcome", lang), T("weighted", lang) if width >= 120 else "%"]
    if with_tie:
        head.append(T("tie_break", lang))
    if budgets:
        head.append(T("budget", lang))
    head += [T("status", lang), T("marks", lang)]
    rows: list[tuple[list[Text], bool]] = []
    for i, r in enumerate(ranked):
        nxt: RankedProposal | None = ranked[i + 1] if i + 1 < len(ranked) else None
        cells: list[Text] = [Text(f"{r.rank}{'=' if r.tied else ''}"), _u(r.id), _u(r.title)]
        if with_programme:
            cells.append(Text(programme_short(ranking.rubric, r.programme)))
        cells += [
            Text(outcome_label(r, lang), style=OUTCOME_STYLE[r.outcome] if r.outcome else ""),
            Text(num(r.weighted_percent, 2)),
        ]
        if with_tie:
            cells.append(Text(tie_text(r, ranking, lang)))
        if budgets:
            cells.append(Text(money(r.budget, lang)))
        cells += [
            Text(status_text(r, lang), style=STATUS_STYLE.get(r.status, "")),
            Text(marks_text(r, lang)),
        ]
        at_line = (
            ranking.line is not None and r.status == "funded" and (nxt is None or nxt.status != "funded")
        )
        rows.append((cells, at_line))
    columns = [Column(h, "text" if i == 2 else "key") for i, h in enumerate(head)]
    columns[-1] = Column(head[-1], "text", style="yellow")
    right = {T("rank", lang), T("weighted", lang), "%", T("budget", lang)}
    columns = [Column(c.header, c.kind, "right" if c.header in right else "left", c.style) for c in columns]
    body: list[list[Text]] = []
    sections: list[int] = []
    for cells, at_line in rows:
        body.append(cells)
        if at_line:
            sections.append(len(body) - 1)
            body.append([Text("")] * len(head))
            body[-1][1] = Text(T("funding_line", lang), style="bold green")
            sections.append(len(body) - 1)
    return table_or_stack(columns, body, width, box=box.HORIZONTALS, sections=sections)


def shown_rows(ranking: Ranking) -> list[RankedProposal]:
    ranked = ranking.ranked
    if len(ranked) <= SHOW_ALL_UP_TO:
        return ranked
    last = max((r.position or 0 for r in ranked if r.border or r.status == "funded"), default=0)
    return ranked[: max(50, last + SHOW_PAST_ZONE)]


def _more(n: int, lang: Lang) -> Text:
    return Text("  " + T("more_rows", lang, n=f"{n:,}"), style="dim")


def renderables(ranking: Ranking, lang: Lang, width: int = 120) -> list[RenderableType]:
    out: list[RenderableType] = [
        Text(f"{T('rank_title', lang)}: ", style="bold").append(printable(call_name(ranking, lang))),
        Text(counts_text(ranking, lang)),
        Text(order_text(ranking, lang), style="dim"),
        Text(line_text(ranking, lang), style="bold"),
    ]
    if ranking.line is not None:
        out.append(Text(zone_text(ranking, lang)))
        if ranking.line.tie_at_line:
            out.append(Text(T("tie_at_line_note", lang), style="bold yellow"))
    out += [Text(""), _table(ranking, lang, width)]
    hidden = len(ranking.ranked) - len(shown_rows(ranking))
    if hidden:
        out.append(_more(hidden, lang))
    out.append(Text(""))

    out.append(Text(T("rereview", lang), style="bold"))
    rereview = ranking.rereview
    if not rereview:
        out.append(Text("  " + T("rereview_none", lang), style="dim"))
    for r in rereview[:LIST_LIMIT]:
        line = Text("  • ")
        line.append(printable(r.id), style="cyan")
        line.append(f"  {rereview_text(r, lang)}")
        out.append(line)
    if len(rereview) > LIST_LIMIT:
        out.append(_more(len(rereview) - LIST_LIMIT, lang))
    out.append(Text(""))

    others = [r for r in ranking.rows if r.status == "ineligible"]
    if others:
        out.append(Text(T("ineligible", lang), style="bold"))
        for r in others[:LIST_LIMIT]:
            line = Text("  • ")
            line.append(printable(r.id), style="cyan")
            line.append("  ")
            line.append(outcome_label(r, lang), style=OUTCOME_STYLE[r.outcome] if r.outcome else "")
            line.append(": ")
            line.append(printable(reasons_text(r, ranking, lang)))
            if r.unresolved:
                line.append(f"  [{marks_text(r, lang)}]", style="yellow")
            out.append(line)
        if len(others) > LIST_LIMIT:
            out.append(_more(len(others) - LIST_LIMIT, lang))
        out.append(Text(""))

    if ranking.problems:
        out.append(Text(T("invalid", lang), style="bold red"))
        out.append(Text(T("invalid_note", lang)))
        for r in ranking.invalid[:LIST_LIMIT]:
            out.append(_u(f"  • {r.id} ({r.path})", "red"))
        for p in ranking.problems[:LIST_LIMIT]:
            out.append(_u(f"    {p.render(lang)}", "dim"))
        if len(ranking.problems) > LIST_LIMIT:
            out.append(_more(len(ranking.problems) - LIST_LIMIT, lang))
    stats = getattr(ranking, "stats", None)
    if stats is not None:  # issue 18: expected rank, reviewer effects, reliability
        from ..views.stats import renderables as stats_renderables

        out += stats_renderables(stats, lang)
    return out


def print_report(ranking: Ranking, lang: Lang, console: Console) -> None:
    for r in renderables(ranking, lang, console.width):
        emit(console, r)


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    return capture(lambda c: print_report(view.ranking, lang, c), width=width or 120, color=color)
