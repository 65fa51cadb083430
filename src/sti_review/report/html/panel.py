"""The panel report as one self-contained HTML page: per criterion every reviewer's score as a dot
on the scale, the spread highlighted where it is a disagreement; then the side-by-side tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import Lang, catalog
from ...limits import MAX_REVIEWERS, MAX_TEXT, clip, more_text
from ...panel import Consolidation, CriterionPanel
from ..html import svg
from ..html.common import OUTCOME_CLASS, render_page
from ..html.common import T as HT
from ..views.common import num, outcome_text, programme_text
from ..views.lead import T as LT
from ..views.lead import panel_lead
from ..views.panel import (
    T,
    answer_text,
    basis_text,
    flag_text,
    panel_text,
    reviewer_keys,
    settled_text,
    why_text,
)

if TYPE_CHECKING:
    from ..views import PanelView


_w = catalog("html.panel")  # the one HTML word lookup: i18n.catalog


def render_text(c: Consolidation, lang: Lang) -> str:
    a = c.assessment
    p = c.proposal
    keys = reviewer_keys(c, lang)
    heading = f"{T('panel_title', lang)}: {p.title}"
    meta: list[tuple[str, str]] = [
        (T("id", lang), p.id),
        (T("title", lang), p.title),
        (T("programme", lang), programme_text(c.rubric, p.programme, lang)),
    ]
    for key, r, ind in list(zip(keys, c.reviews, c.individual, strict=True))[:MAX_REVIEWERS]:
        state = T("complete" if ind.complete else "incomplete", lang)
        meta.append((f"{T('reviewer', lang)} {key}", f"{r.label} ({state})"))
    if len(keys) > MAX_REVIEWERS:
        meta.append(("", more_text(len(keys) - MAX_REVIEWERS, lang)))
    meta.append((T("consensus_review", lang), c.consensus.label if c.consensus else T("none_yet", lang)))
    meta.append((T("rubric", lang), c.rubric.ref))
    from ...i18n import t

    for who, what in c.possible_conflicts:  # flagged, not excluded (undeclared.py)
        meta.append(
            (
                t("ranking.mark_possible_conflict", lang),
                t("process.possible_conflict", lang, reviewer=who, what=what),
            )
        )
    gates = [cp for cp in c.criteria if cp.criterion.kind == "gate"]
    return render_page(
        "panel.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        meta=meta,
        lead=panel_lead(c, lang),
        css=OUTCOME_CLASS[a.outcome],
        basis=basis_text(c, lang),
        keys=keys[:MAX_REVIEWERS],
        more_reviewers=_w("more_reviewers", lang, count=f"{len(keys) - MAX_REVIEWERS:,}", limit=MAX_REVIEWERS)
        if len(keys) > MAX_REVIEWERS
        else "",
        spread=_spread(c, lang),
        settled=[_disagreement(cp, c, lang) for cp in c.disagreements if not cp.unresolved],
        gates=[_gate_row(cp, c, lang) for cp in gates],
        reviewers=_reviewers(c, lang),
        words=_words(c, lang),
        agreement=_agreement(c, lang),
    )


def _agreement(c: Consolidation, lang: Lang) -> list[str]:
    from ..views.panel import agreement_lines

    return agreement_lines(c, lang)


def _words(c: Consolidation, lang: Lang) -> dict[str, str]:
    rubric = c.rubric
    words = {
        k: T(k, lang)
        for k in [
            "disagreements",
            "no_disagreements",
            "id",
            "criterion",
            "min",
            "median",
            "mean",
            "max",
            "spread",
            "panel",
            "flag",
            "gates",
            "each_reviewer",
            "outcome",
            "total_unweighted",
            "weighted_percent",
            "section_score",
            "panel_comment",
        ]
    }
    smin = rubric.thresholds.section_min
    words.update(
        at_a_glance=HT("at_a_glance", lang),
        spread_title=_w("spread_title", lang),
        panel_radar=_w("panel_radar", lang),
        gates_title=HT("gates_title", lang),
        range=_w("range", lang),
        legend_dots=_w("legend_dots", lang),
        legend_panel=_w("legend_panel", lang),
        legend_threshold=_w("legend_threshold", lang, value=num(smin)) if smin is not None else "",
        legend_band=_w("legend_band", lang, limit=num(rubric.panel.disagreement_spread)),
        proposal=T("proposal", lang),
        settled_title=LT("settled_title", lang),
    )
    return words


def _strip(cp: CriterionPanel, c: Consolidation, lang: Lang) -> svg.Svg:
    rubric = c.rubric
    scored = [
        (i, ans.score)
        for i, ans in enumerate(cp.answers)
        if ans is not None and ans.score is not None and not ans.na
    ]
    if len(scored) > MAX_REVIEWERS:  # one dot per score, the number of reviewers giving it inside
        counts: dict[float, int] = {}
        for _, v in scored:
            counts[v] = counts.get(v, 0) + 1
        dots = [
            svg.Dot(
                key=str(n),
                value=float(v),
                tooltip=_w("dots_grouped", lang, count=f"{n:,}", score=num(v)),
                radius=6.5 + 2.5 * (len(str(n)) - 1),
            )
            for v, n in sorted(counts.items())
        ]
    else:
        keys = reviewer_keys(c, lang)
        dots = [
            svg.Dot(key=str(i + 1), value=float(v), tooltip=f"{keys[i]} {c.reviews[i].label}: {num(v)}")
            for i, v in scored
        ]
    panel = cp.outcome_answer.score if cp.outcome_answer is not None else None
    return svg.dot_strip(
        dots,
        minimum=float(rubric.scale.min),
        maximum=float(rubric.scale.max),
        threshold=rubric.thresholds.section_min,
        disagreement=cp.disagreement is not None,
        panel=None if panel is None else float(panel),
        panel_tooltip=f"{T('panel', lang)}: {panel_text(cp, rubric, lang)}",
        title=_w("scores_of", lang, id=cp.criterion.id),
    )


def _spread(c: Consolidation, lang: Lang) -> dict[str, Any]:
    """The at-a-glance view: one row per scored criterion, grouped by section."""
    rubric = c.rubric
    keys = reviewer_keys(c, lang)
    groups = []
    for idx, s in enumerate(c.assessment.sections):
        ids = {r.criterion.id for r in s.results}
        rows = []
        for cp in c.criteria:
            if cp.criterion.id not in ids:
                continue
            na = [keys[i] for i, x in enumerate(cp.answers) if x is not None and x.na]
            span = "" if cp.minimum is None else f"{num(cp.minimum)}–{num(cp.maximum)}"
            if cp.minimum is not None and cp.minimum == cp.maximum:
                span = num(cp.minimum)
            rows.append(
                {
                    "id": cp.criterion.id,
                    "title": cp.criterion.title(lang),
                    "strip": _strip(cp, c, lang),
                    "range": span,
                    "answers": [
                        answer_text(x, cp.criterion, rubric, lang) for x in cp.answers[:MAX_REVIEWERS]
                    ],
                    "spread": num(cp.spread) if cp.spread is not None else "",
                    "na": _w("na_by", lang, keys=", ".join(na)) if na else "",
                    "panel": panel_text(cp, rubric, lang),
                    "flag": flag_text(cp, lang),
                    "disagreement": cp.disagreement is not None,
                    "unresolved": cp.unresolved,
                }
            )
        groups.append(
            {
                "id": s.section.id,
                "title": s.section.title(lang),
                "rows": rows,
                "per_reviewer": [num(ind.sections[idx].score) for ind in c.individual[:MAX_REVIEWERS]],
                "score": num(s.score),
            }
        )
    smin = rubric.thresholds.section_min
    axis = svg.strip_axis(
        minimum=float(rubric.scale.min),
        maximum=float(rubric.scale.max),
        threshold=smin,
        title=_w("scale", lang, min=num(rubric.scale.min), max=num(rubric.scale.max)),
    )
    return {"groups": groups, "axis": axis}


def _disagreement(cp: CriterionPanel, c: Consolidation, lang: Lang) -> dict[str, Any]:
    rubric = c.rubric
    answers = []
    for key, r, ans in list(zip(reviewer_keys(c, lang), c.reviews, cp.answers, strict=True))[:MAX_REVIEWERS]:
        answers.append(
            {
                "who": f"{key} {r.label}",
                "answer": answer_text(ans, cp.criterion, rubric, lang),
                "comment": clip(ans.comment, MAX_TEXT, lang) if ans is not None else "",
            }
        )
    if len(c.reviews) > MAX_REVIEWERS:
        answers.append({"who": more_text(len(c.reviews) - MAX_REVIEWERS, lang), "answer": "", "comment": ""})
    return {
        "id": cp.criterion.id,
        "title": cp.criterion.title(lang),
        "why": why_text(cp, rubric, lang),
        "answers": answers,
        "settled": settled_text(cp, rubric, lang),
        "resolved": cp.resolved,
        "panel_comment": clip(cp.consensus.comment, MAX_TEXT, lang) if cp.consensus is not None else "",
    }


def _panel_cell(cp: CriterionPanel, c: Consolidation, lang: Lang) -> str:
    shown = panel_text(cp, c.rubric, lang)
    return f"{shown} ({T(f'source_{cp.source}', lang)})" if cp.source != "missing" else shown


def _gate_row(cp: CriterionPanel, c: Consolidation, lang: Lang) -> dict[str, Any]:
    return {
        "id": cp.criterion.id,
        "title": cp.criterion.title(lang),
        "answers": [
            {
                "text": answer_text(x, cp.criterion, c.rubric, lang),
                "verdict": x.verdict if x is not None and x.verdict else "none",
            }
            for x in cp.answers[:MAX_REVIEWERS]
        ],
        "panel": _panel_cell(cp, c, lang),
        "verdict": cp.outcome_answer.verdict if cp.outcome_answer and cp.outcome_answer.verdict else "none",
        "flag": flag_text(cp, lang),
        "disagreement": cp.disagreement is not None,
        "unresolved": cp.unresolved,
    }


def _reviewers(c: Consolidation, lang: Lang) -> list[dict[str, str]]:
    a = c.assessment
    rows = [
        {
            "who": f"{key} {r.label}",
            "outcome": outcome_text(ind, lang),
            "total": f"{num(ind.total)} / {num(ind.maximum)}",
            "percent": num(ind.weighted_percent, 1),
            "panel": "",
        }
        for key, r, ind in list(zip(reviewer_keys(c, lang), c.reviews, c.individual, strict=True))[
            :MAX_REVIEWERS
        ]
    ]
    if len(c.reviews) > MAX_REVIEWERS:
        more = more_text(len(c.reviews) - MAX_REVIEWERS, lang)
        rows.append({"who": more, "outcome": "", "total": "", "percent": "", "panel": ""})
    rows.append(
        {
            "who": T("panel", lang),
            "outcome": outcome_text(a, lang),
            "total": f"{num(a.total)} / {num(a.maximum)}",
            "percent": num(a.weighted_percent, 1),
            "panel": "panel",
        }
    )
    return rows


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.consolidation, lang).encode()
