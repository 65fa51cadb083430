"""The ranking of a call as one self-contained HTML page: the ranked list as a chart with the
funding line and the border zone, then the table, what to look at again and what is not ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import Lang, catalog
from ...ranking import RankedProposal, Ranking
from ..html import svg
from ..html.common import OUTCOME_CLASS, render_page
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
    tie_pairs,
    zone_text,
)

if TYPE_CHECKING:
    from ..views import RankingView


CHART_LIMIT = 60  # rows in the chart; the table lists every proposal


_w = catalog("html.ranking")  # the one HTML word lookup: i18n.catalog


def _programme_legend(ranking: Ranking, lang: Lang) -> list[tuple[str, str]]:
    """The programme column shows a section id (BC, JR): each one's name in words, in a legend."""
    from ..views.common import programme_text

    seen: dict[str, str] = {}
    for r in ranking.rows:
        short = programme_short(ranking.rubric, r.programme)
        if short not in ("—", "") and short not in seen:
            seen[short] = programme_text(ranking.rubric, r.programme, lang)
    return [(k, v) for k, v in seen.items() if v and v != k]


def render_text(ranking: Ranking, lang: Lang) -> str:
    heading = f"{T('rank_title', lang)}: {call_name(ranking, lang)}"
    budgets = any(r.budget is not None for r in ranking.rows)
    summary = [counts_text(ranking, lang), order_text(ranking, lang), line_text(ranking, lang)]
    if ranking.line is not None:
        summary.append(zone_text(ranking, lang))
        if ranking.line.tie_at_line:
            summary.append("⚠ " + T("tie_at_line_note", lang))
    summary.append(f"{T('rubric', lang)}: {ranking.rubric.ref}")
    ranked = ranking.ranked
    return render_page(
        "ranking.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        summary=summary,
        chart=_chart(ranking, lang) if ranked else None,
        chart_narrow=_chart(ranking, lang, narrow=True) if ranked else None,
        chart_more=_w("chart_more", lang, shown=CHART_LIMIT, total=len(ranked))
        if len(ranked) > CHART_LIMIT
        else "",
        budgets=budgets,
        rows=_rows(ranking, lang, budgets),
        programmes=_programme_legend(ranking, lang),
        rereview=[{"id": r.id, "title": r.title, "why": rereview_text(r, lang)} for r in ranking.rereview],
        ineligible=[
            {
                "id": r.id,
                "title": r.title,
                "css": OUTCOME_CLASS[r.outcome] if r.outcome else "",
                "outcome": outcome_label(r, lang),
                "reasons": reasons_text(r, ranking, lang),
                "marks": marks_text(r, lang),
            }
            for r in ranking.rows
            if r.status == "ineligible"
        ],
        invalid=[{"id": r.id, "path": r.path} for r in ranking.invalid],
        problems=[p.render(lang) for p in ranking.problems],
        words=_words(lang),
        stats_html=_stats_html(ranking, lang),
    )


def _stats_html(ranking: Ranking, lang: Lang) -> str:
    """Issue 18: the statistics section (expected rank, reviewer effects, reliability) or ''."""
    stats = getattr(ranking, "stats", None)
    if stats is None:
        return ""
    from ..views.stats import html_section
    from .svg import Svg

    return Svg(html_section(stats, lang))


def _words(lang: Lang) -> dict[str, str]:
    words = {
        k: T(k, lang)
        for k in [
            "rank",
            "id",
            "title",
            "programme",
            "outcome",
            "weighted",
            "tie_break",
            "budget",
            "cumulative",
            "status",
            "marks",
            "funding_line",
            "rereview",
            "rereview_none",
            "ineligible",
            "reasons",
            "invalid",
            "invalid_note",
        ]
    }
    for k in (
        "chart_title",
        "legend_funded",
        "legend_not_funded",
        "legend_tie",
        "legend_line",
        "legend_zone",
    ):
        words[k] = _w(k, lang)
    words["ranked_list"] = _w("ranked_list", lang)
    return words


def _chart(ranking: Ranking, lang: Lang, *, narrow: bool = False) -> svg.Svg:
    ranked = ranking.ranked[:CHART_LIMIT]
    rows = []
    line_after = None
    for i, r in enumerate(ranked):
        if r.status in ("funded",):
            line_after = i
        rows.append(
            svg.RankRow(
                rank=f"{r.rank}{'=' if r.tied else ''}",
                id=r.id,
                title=r.title,
                value=None if r.weighted_percent is None else float(r.weighted_percent),
                shown=num(r.weighted_percent, 2),
                funded=r.status == "funded",
                border=r.border,
                tie_at_line=r.status == "tie_at_line",
                tooltip=f"{r.rank} {r.id} {r.title}: {num(r.weighted_percent, 2)}% · {status_text(r, lang)}",
            )
        )
    if ranking.line is None:
        line_after = None
    elif line_after is None:
        line_after = -1  # nothing funded: the line is above the first proposal
    return svg.ranking_chart(
        rows,
        line_after=line_after,
        title=_w("chart_title", lang),
        line_label=T("funding_line", lang),
        zone_label=T("mark_border_zone", lang),
        axis_label=_w("axis", lang),
        narrow=narrow,
    )


def _rows(ranking: Ranking, lang: Lang, budgets: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    line_drawn = False
    for r in ranking.ranked:
        if ranking.line is not None and not line_drawn and r.status != "funded":
            out.append({"line": True})
            line_drawn = True
        out.append(_row(r, lang, budgets, ranking))
    if ranking.line is not None and not line_drawn:
        out.append({"line": True})
    return out


def _row(r: RankedProposal, lang: Lang, budgets: bool, ranking: Ranking) -> dict[str, Any]:
    return {
        "line": False,
        "rank": f"{r.rank}{'=' if r.tied else ''}",
        "id": r.id,
        "title": r.title,
        "programme": programme_short(ranking.rubric, r.programme),
        "css": OUTCOME_CLASS[r.outcome] if r.outcome else "",
        "outcome": outcome_label(r, lang) if r.outcome else "",
        "weighted": num(r.weighted_percent, 2),
        "tie": tie_pairs(r, ranking, lang),
        "budget": money(r.budget, lang) if budgets else "",
        "cumulative": money(r.cumulative_budget, lang) if budgets else "",
        "status_key": r.status,
        "status": status_text(r, lang),
        "border": r.border,
        "marks": marks_text(r, lang),
    }


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()
