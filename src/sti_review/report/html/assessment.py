"""The assessment report as one self-contained HTML page: the decision and its reasons first
(views/lead.py), then the section scores as bars against the threshold, the gates as badges and
the tables of the Markdown report; reflows to a phone's width and prints to A4."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...checks import Finding
from ...i18n import Lang, t
from ...i18n import t as _t
from ...limits import MAX_TEXT, clip
from ...scoring import Assessment, CriterionResult, SectionResult
from ..html import svg
from ..html.common import OUTCOME_CLASS, T, findings_view, render_page
from ..views.common import num, proposal_rows, score_text
from ..views.lead import assessment_lead

if TYPE_CHECKING:
    from ..views import AssessmentView


def render_text(assessment: Assessment, lang: Lang, findings: Sequence[Finding] | None = None) -> str:
    """The report; with ``findings`` (the pre-checks of the proposal) a section of its own."""
    a = assessment
    rubric = a.rubric
    heading = f"{t('report_title', lang)}: {a.proposal.title}"
    return render_page(
        "assessment.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        meta=meta_rows(a, lang),
        lead=assessment_lead(a, lang),
        css=OUTCOME_CLASS[a.outcome],
        bars=bars(a, lang),
        badges=gate_badges(a.gates, a, lang),
        not_counted=_not_counted(a, lang),
        sections=[_section(s, a, lang) for s in a.sections],
        gates=[_gate(g, a, lang) for g in a.gates],
        totals=_totals(a, lang),
        findings=findings_view(findings, rubric, lang),
        maximum=num(rubric.scale.max),
        words=_words(lang),
    )


def _words(lang: Lang) -> dict[str, str]:
    keys = [
        "id",
        "criterion",
        "score",
        "comment",
        "section_score",
        "not_scored",
        "gates",
        "verdict",
        "conditions",
        "totals",
        "required",
    ]
    words = {k: t(k, lang) for k in keys}
    words["at_a_glance"] = T("at_a_glance", lang)
    words["radar_title"] = T("radar_title", lang)
    words["gates_title"] = T("gates_title", lang)
    words["bars_title"] = T("bars_title", lang)
    words["proposal"] = t("proposal", lang)
    words["bar"] = T("bar_column", lang)
    return words


def meta_rows(a: Assessment, lang: Lang) -> list[tuple[str, str | list[str]]]:
    return [(label, value) for _, label, value in proposal_rows(a, lang)]


def _threshold(a: Assessment) -> float | None:
    return a.rubric.thresholds.section_min


def _axes(a: Assessment, lang: Lang) -> list[svg.Axis]:
    return [
        svg.Axis(
            label=s.section.id,
            score=None if s.score is None else float(s.score),
            meets=s.meets_threshold,
            tooltip=f"{s.section.id} {s.section.title(lang)}: "
            + (t("not_scored", lang) if s.score is None else num(s.score)),
            shown=t("na", lang) if s.score is None else num(s.score),
        )
        for s in a.sections
    ]


def radar(a: Assessment, lang: Lang) -> svg.Svg:
    """The section scores against the threshold (bars when there are fewer than three sections)."""
    smin = _threshold(a)
    return svg.radar(
        _axes(a, lang),
        float(a.rubric.scale.max),
        smin,
        minimum=float(a.rubric.scale.min),
        title=T("radar_title", lang),
        legend_score=T("legend_score", lang),
        legend_threshold=T("legend_threshold", lang, value=num(smin)),
    )


def bars(a: Assessment, lang: Lang) -> svg.Svg:
    """The section scores as bars against the threshold (exact lengths beside the radar)."""
    return svg.section_bars(
        _axes(a, lang),
        float(a.rubric.scale.max),
        _threshold(a),
        minimum=float(a.rubric.scale.min),
        title=T("bars_title", lang),
    )


def gate_badges(gates: Sequence[CriterionResult], a: Assessment, lang: Lang) -> svg.Svg | None:
    if not gates:
        return None
    items = []
    for g in gates:
        verdict = g.answer.verdict if g.answer is not None and g.answer.verdict else "missing"
        items.append(
            svg.Badge(
                label=g.criterion.id,
                verdict=verdict,
                text=score_text(g, a.rubric, lang),
                tooltip=f"{g.criterion.id} {g.criterion.title(lang)}: {score_text(g, a.rubric, lang)}",
            )
        )
    return svg.badges(items, title=T("gates_title", lang))


def _not_counted(a: Assessment, lang: Lang) -> str:
    ids = [s.section.id for s in a.sections if not s.counted]
    sep = _t("list_sep", lang)
    return T("not_counted", lang, ids=sep.join(ids)) if ids else ""


def _bar_title(ident: str, score: object, a: Assessment, lang: Lang) -> str:
    smin = _threshold(a)
    return T(
        "bar_title",
        lang,
        id=ident,
        score=num(score),  # type: ignore[arg-type]
        max=num(a.rubric.scale.max),
        threshold=num(smin) if smin is not None else "—",
    )


def _section(s: SectionResult, a: Assessment, lang: Lang) -> dict[str, Any]:
    rubric = a.rubric
    smin = _threshold(a)
    rows = []
    for r in s.results:
        score = r.score
        bar = None
        if score is not None:
            bar = svg.score_bar(
                float(score),
                float(rubric.scale.max),
                smin,
                minimum=float(rubric.scale.min),
                title=_bar_title(r.criterion.id, score, a, lang),
            )
        rows.append(
            {
                "id": r.criterion.id,
                "title": r.criterion.title(lang),
                "status": r.status,
                "score": score_text(r, rubric, lang),
                "bar": bar,
                "comment": clip(r.answer.comment, MAX_TEXT, lang) if r.answer else "",
            }
        )
    weight = f"{t('weight', lang)} ×{num(s.weight)}" if s.weight != 1 else ""
    view: dict[str, Any] = {
        "id": s.section.id,
        "title": s.section.title(lang),
        "weight": weight,
        "rows": rows,
        "caption": T("section_caption", lang, id=s.section.id, title=s.section.title(lang)),
        "score": None if s.score is None else num(s.score),
        "meets": s.meets_threshold,
        "bar": None,
        "threshold_text": "",
        "provisional": t("provisional", lang).strip(" （）()") if s.count("missing") else "",
    }
    if s.score is not None:
        view["bar"] = svg.score_bar(
            float(s.score),
            float(rubric.scale.max),
            smin,
            minimum=float(rubric.scale.min),
            meets=s.meets_threshold,
            title=_bar_title(s.section.id, s.score, a, lang),
        )
        if smin is not None:
            view["threshold_text"] = T("meets" if s.meets_threshold else "below", lang, value=num(smin))
    return view


def _gate(g: CriterionResult, a: Assessment, lang: Lang) -> dict[str, Any]:
    return {
        "id": g.criterion.id,
        "title": g.criterion.title(lang),
        "verdict": (g.answer.verdict if g.answer and g.answer.verdict else "none"),
        "status": g.status,
        "text": score_text(g, a.rubric, lang),
        "conditions": list(g.answer.conditions) if g.answer else [],
        "comment": clip(g.answer.comment, MAX_TEXT, lang) if g.answer else "",
    }


def _totals(a: Assessment, lang: Lang) -> list[tuple[str, str, str]]:
    required = f"≥ {num(a.required_total)}" if a.required_total is not None else "—"
    percent = f" ({num(a.weighted_percent, 1)}%)" if a.weighted_percent is not None else ""
    return [
        (t("total_unweighted", lang), f"{num(a.total)} / {num(a.maximum)}", required),
        (t("total_weighted", lang), f"{num(a.weighted_total)} / {num(a.weighted_maximum)}{percent}", "—"),
    ]


def render(view: AssessmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assessment, lang, view.findings).encode()
