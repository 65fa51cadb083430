"""The JSON report: one stable object per assessment (documented in docs/formats.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...checks import Finding
from ...i18n import Lang
from ...sanitize import json_text
from ...scoring import Assessment, CriterionResult
from ..views.common import grade_text, outcome_text, reason_text
from .findings import findings_data
from .numbers import number as _n

if TYPE_CHECKING:
    from ..views import AssessmentView


SCHEMA = "sti-review/assessment@1"


def _criterion(r: CriterionResult, lang: Lang) -> dict[str, Any]:
    a = r.answer
    out: dict[str, Any] = {
        "id": r.criterion.id,
        "kind": r.criterion.kind,
        "title": r.criterion.title(lang),
        "status": r.status,
    }
    if r.criterion.kind == "gate":
        out["verdict"] = a.verdict if a else None
        out["conditions"] = list(a.conditions) if a else []
    else:
        out["score"] = _n(r.score)
    out["comment"] = a.comment if a and a.comment else None
    return out


def _overall(assessment: Assessment, lang: Lang) -> dict[str, Any] | None:
    given = assessment.review.overall
    if assessment.rubric.overall is None or given is None:
        return None
    return {
        "grade": _n(given.grade),
        "label": grade_text(assessment, lang),
        "comment": given.comment,
        "feedback": given.feedback,
    }


def to_data(assessment: Assessment, lang: Lang, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
    """The report as data; ``findings`` (the proposal's pre-checks) go to ``findings``, which is
    null when the checks were not run."""
    p = assessment.proposal
    rubric = assessment.rubric
    return {
        "schema": SCHEMA,
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "outcome": assessment.outcome.value,
        "outcome_key": assessment.outcome.key,
        "outcome_label": outcome_text(assessment, lang),
        "reasons": [
            {
                "code": r.code,
                "text": reason_text(r, assessment, lang),
                "criterion": r.criterion,
                "section": r.section,
                "value": _n(r.value),
                "required": _n(r.required),
                "items": list(r.items),
            }
            for r in assessment.reasons
        ],
        "missing": list(assessment.missing),
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": rubric.ref},
        "proposal": {
            "id": p.id,
            "title": p.title,
            "programme": p.programme,
            "lead": p.lead.model_dump() if p.lead else None,
            "partners": [x.model_dump() for x in p.partners],
            "objectives": list(p.objectives),
        },
        "review": {
            "reviewer": assessment.review.reviewer,
            "role": assessment.review.role,
            "complete": assessment.complete,
            # the overall grade (総合評価) when the rubric defines one and it was given (additive)
            "overall": _overall(assessment, lang),
        },
        "sections": [
            {
                "id": s.section.id,
                "title": s.section.title(lang),
                "weight": _n(s.weight),
                "score": _n(s.score),
                "threshold": rubric.thresholds.section_min,
                "meets_threshold": s.meets_threshold,
                "scored": s.count("scored"),
                "na": s.count("na"),
                "missing": s.count("missing"),
                "criteria": [_criterion(r, lang) for r in s.results],
            }
            for s in assessment.sections
        ],
        "gates": [_criterion(g, lang) for g in assessment.gates],
        "totals": {
            "unweighted": _n(assessment.total),
            "maximum": _n(assessment.maximum),
            "required": _n(assessment.required_total),
            "weighted": _n(assessment.weighted_total),
            "weighted_maximum": _n(assessment.weighted_maximum),
            "weighted_percent": _n(assessment.weighted_percent),
        },
        "findings": findings_data(findings, rubric, lang),
    }


def render_text(assessment: Assessment, lang: Lang, findings: Sequence[Finding] | None = None) -> str:
    return json_text(to_data(assessment, lang, findings))


def render(view: AssessmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assessment, lang, view.findings).encode()
