"""The ranking of a call as a workbook: a summary, the ranking sheet (funding line and border
zone as row formatting, tie marks, yen amounts as numbers), and every reviewer's raw scores."""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...i18n import Lang
from ...ranking import Ranking
from ..views import RankingView
from ..views.ranking import (
    T,
    counts_text,
    line_text,
    marks_text,
    order_text,
    outcome_label,
    programme_short,
    reasons_text,
    status_text,
    tie_text,
    zone_text,
)
from . import common as x


def _render(ranking: Ranking, *, lang: Lang) -> bytes:
    wb = x.workbook()
    summary(wb.create_sheet(x.sheet_title(T("rank_title", lang))), ranking, lang)
    ranking_sheet(wb.create_sheet(x.sheet_title(T("rank", lang))), ranking, lang)
    raw_scores(wb.create_sheet(x.sheet_title(x.W("raw_scores", lang))), ranking, lang)
    wb.active = 1
    return x.to_bytes(wb)


def summary(ws: Any, ranking: Ranking, lang: Lang) -> None:
    pairs = [
        (T("call", lang), ranking.call_dir),
        (T("rubric", lang), ranking.rubric.ref),
        ("", counts_text(ranking, lang)),
        ("", order_text(ranking, lang)),
        (T("funding_line", lang), line_text(ranking, lang)),
    ]
    if ranking.line is not None:
        pairs.append(("", zone_text(ranking, lang)))
        if ranking.line.tie_at_line:
            pairs.append(("", T("tie_at_line_note", lang)))
    if ranking.line is not None:
        legend = [x.W(k, lang) for k in ("legend_funded", "legend_line", "legend_zone", "legend_tie")]
        pairs.append((x.W("legend", lang), "\n".join(legend)))
    pairs.append(("", T("generated_by", lang, version=__version__)))
    pairs += [(f"{T('invalid', lang)}", p.render(lang)) for p in ranking.problems]
    x.key_values(ws, pairs)


def ranking_sheet(ws: Any, ranking: Ranking, lang: Lang) -> None:
    budgets = any(r.budget is not None for r in ranking.rows)
    names = [
        T("rank", lang),
        x.W("tied_mark", lang),
        T("id", lang),
        T("title", lang),
        T("programme", lang),
        T("outcome", lang),
        T("weighted", lang),
        T("tie_break", lang),
    ]
    widths = [7, 6, 20, 50, 10, 16, 11, 16]
    if budgets:
        names += [T("budget", lang), T("cumulative", lang)]
        widths += [16, 16]
    names += [T("status", lang), T("marks", lang), T("reasons", lang)]
    widths += [14, 24, 50]
    x.header(ws, names, widths=widths)
    rows = ranking.ranked + [r for r in ranking.rows if r.position is None]
    last_funded = None
    for i, r in enumerate(rows, start=2):
        values: list[Any] = [
            r.rank,
            "=" if r.tied else "",
            r.id,
            r.title,
            programme_short(ranking.rubric, r.programme),
            outcome_label(r, lang),
            r.weighted_percent,
            tie_text(r),
        ]
        formats: list[str | None] = [None, None, None, None, None, None, x.PERCENT, None]
        if budgets:
            values += [r.budget, r.cumulative_budget if r.position is not None else None]
            formats += [x.YEN, x.YEN]
        values += [status_text(r, lang), marks_text(r, lang), reasons_text(r, ranking, lang)]
        formats += [None, None, None]
        for col, (v, f) in enumerate(zip(values, formats, strict=True), start=1):
            x.put(ws, i, col, "" if v is None else v, fmt=f)
        if r.status == "funded":
            x.fill(ws, i, len(names), x.FILL_FUNDED)
            last_funded = i
        elif r.status == "tie_at_line":
            x.fill(ws, i, len(names), x.FILL_TIE)
        elif r.border:
            x.fill(ws, i, len(names), x.FILL_ZONE)
        elif r.status == "invalid":
            x.fill(ws, i, len(names), x.FILL_BAD)
        if r.border and r.status == "funded":
            x.fill(ws, i, len(names), x.FILL_ZONE)
    if ranking.line is not None:
        x.line_below(ws, last_funded or 1, len(names))
    x.autofilter(ws, len(names), len(rows) + 1)


def raw_scores(ws: Any, ranking: Ranking, lang: Lang) -> None:
    """One row per review: every criterion's own score (or verdict, or N/A) as the reviewer gave it."""
    ids = [c for c in ranking.rubric.criteria.values() if c.kind != "portfolio"]
    names = [T("id", lang), T("reviewer", lang), x.W("role", lang), *[c.id for c in ids]]
    x.header(ws, names, widths=[20, 24, 10] + [7] * len(ids))
    row = 2
    for r in ranking.rows:
        for label, role, answers in r.answers:
            x.put(ws, row, 1, r.id)
            x.put(ws, row, 2, label)
            x.put(ws, row, 3, T("consensus_short", lang) if role == "panel" else T("reviewer", lang))
            for col, crit in enumerate(ids, start=4):
                x.put(ws, row, col, x.answer_value(answers.get(crit.id), lang), fmt=x.SCORE)
            row += 1
    x.autofilter(ws, len(names), row - 1)


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.ranking, lang=lang)
