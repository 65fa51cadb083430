"""The ranking of a call in Markdown, for the committee: the table with its funding line, what
to look at again, and what could not be ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import __version__
from ...i18n import Lang
from ...ranking import Ranking
from ...sanitize import markdown_inline as esc
from ..views.common import num
from ..views.panel import OUTCOME_MARK
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
from .table import row as _row

if TYPE_CHECKING:
    from ..views import RankingView


def render_text(ranking: Ranking, lang: Lang) -> str:
    budgets = any(r.budget is not None for r in ranking.rows)
    lines = [f"# {T('rank_title', lang)}: {esc(call_name(ranking, lang))}", ""]
    lines += [f"- {esc(counts_text(ranking, lang))}", f"- {esc(order_text(ranking, lang))}"]
    lines.append(f"- **{esc(line_text(ranking, lang))}**")
    if ranking.line is not None:
        lines.append(f"- {esc(zone_text(ranking, lang))}")
        if ranking.line.tie_at_line:
            lines.append(f"- ⚠️ {esc(T('tie_at_line_note', lang))}")
    lines += [f"- {T('rubric', lang)}: {esc(ranking.rubric.ref)}", ""]

    head = [
        T("rank", lang),
        T("id", lang),
        T("title", lang),
        T("programme", lang),
        T("outcome", lang),
        T("weighted", lang),
        T("tie_break", lang),
    ]
    if budgets:
        head += [T("budget", lang), T("cumulative", lang)]
    head += [T("status", lang), T("marks", lang)]
    lines += [_row(*head), "|" + "---|" * len(head)]
    ranked = ranking.ranked
    line_drawn = False
    for r in ranked:
        if ranking.line is not None and not line_drawn and r.status not in ("funded",):
            lines.append(_row(*([f"**{T('funding_line', lang)}**"] + ["—"] * (len(head) - 1))))
            line_drawn = True
        cells = [
            str(r.rank) + ("=" if r.tied else ""),
            esc(r.id),
            esc(r.title),
            esc(programme_short(ranking.rubric, r.programme)),
            f"{OUTCOME_MARK[r.outcome]} {outcome_label(r, lang)}" if r.outcome else "",
            num(r.weighted_percent, 2),
            tie_text(r, ranking, lang),
        ]
        if budgets:
            cells += [money(r.budget, lang), money(r.cumulative_budget, lang)]
        status = status_text(r, lang)
        cells += [f"**{status}**" if r.status == "funded" else status, esc(marks_text(r, lang))]
        lines.append(_row(*cells))
    if ranking.line is not None and not line_drawn:
        lines.append(_row(*([f"**{T('funding_line', lang)}**"] + ["—"] * (len(head) - 1))))
    lines.append("")

    lines += [f"## {T('rereview', lang)}", ""]
    rereview = ranking.rereview
    if not rereview:
        lines += [T("rereview_none", lang), ""]
    for r in rereview:
        lines.append(f"- **{esc(r.id)}** {esc(r.title)}: {esc(rereview_text(r, lang))}")
    lines.append("")

    others = [r for r in ranking.rows if r.status == "ineligible"]
    if others:
        lines += [f"## {T('ineligible', lang)}", ""]
        lines += [
            _row(T("id", lang), T("title", lang), T("outcome", lang), T("reasons", lang), T("marks", lang)),
            "|---|---|---|---|---|",
        ]
        for r in others:
            lines.append(
                _row(
                    esc(r.id),
                    esc(r.title),
                    f"{OUTCOME_MARK[r.outcome]} {outcome_label(r, lang)}" if r.outcome else "",
                    esc(reasons_text(r, ranking, lang)),
                    esc(marks_text(r, lang)),
                )
            )
        lines.append("")

    if ranking.problems:
        lines += [f"## {T('invalid', lang)}", "", T("invalid_note", lang), ""]
        for r in ranking.invalid:
            lines.append(f"- **{esc(r.id)}** ({esc(r.path)})")
        lines.append("")
        lines += [f"- {esc(p.render(lang))}" for p in ranking.problems]
        lines.append("")
    lines.append(f"<sub>{T('generated_by', lang, version=__version__)}</sub>")
    stats = getattr(ranking, "stats", None)
    if stats is not None:  # issue 18: expected rank, reviewer effects, reliability
        from ..views.stats import markdown as stats_markdown

        lines += ["", stats_markdown(stats, lang)]
    return "\n".join(lines) + "\n"


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()
