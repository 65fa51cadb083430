"""The panel report as JSON: one object, schema ``sti-review/panel@1`` (docs/formats.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import __version__
from ...i18n import Lang
from ...panel import AnswerLike, Consolidation, CriterionPanel
from ...sanitize import json_text
from ..json import assessment as assessment_json
from ..views.common import outcome_text, reason_text
from .numbers import number as _n

if TYPE_CHECKING:
    from ..views import PanelView


SCHEMA = "sti-review/panel@1"


def _answer(a: AnswerLike | None) -> dict[str, Any] | None:
    if a is None:
        return None
    out: dict[str, Any] = {}
    if a.verdict is not None:
        out["verdict"] = a.verdict
        out["conditions"] = list(a.conditions)
    elif a.na:
        out["na"] = True
    else:
        out["score"] = _n(a.score)
    out["comment"] = a.comment or None
    return out


def _criterion(cp: CriterionPanel, c: Consolidation, lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cp.criterion.id,
        "kind": cp.criterion.kind,
        "section": cp.criterion.section,
        "title": cp.criterion.title(lang),
        "answers": [
            {"reviewer": r.label, **(_answer(a) or {"missing": True})}
            for r, a in zip(c.reviews, cp.answers, strict=True)
        ],
    }
    if cp.criterion.kind == "score":
        out["stats"] = {
            "scored": len(cp.scores),
            "na": cp.na_count,
            "min": _n(cp.minimum),
            "median": _n(cp.median),
            "mean": _n(cp.mean),
            "max": _n(cp.maximum),
            "spread": _n(cp.spread),
        }
    else:
        out["verdicts"] = cp.verdicts
    out["disagreement"] = cp.disagreement
    out["resolved"] = cp.resolved
    out["mixed_na"] = cp.mixed_na
    out["panel"] = {"source": cp.source, **(_answer(cp.outcome_answer) or {})}
    if cp.consensus is not None:
        out["panel"]["comment"] = cp.consensus.comment or None
    return out


def to_data(c: Consolidation, lang: Lang) -> dict[str, Any]:
    from ..views.panel import agreement_data

    a = c.assessment
    return {
        "schema": SCHEMA,
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "outcome": a.outcome.value,
        "outcome_key": a.outcome.key,
        "outcome_label": outcome_text(a, lang),
        "reasons": [{"code": r.code, "text": reason_text(r, a, lang)} for r in a.reasons],
        "basis": c.basis,
        "provisional": c.provisional,
        "disagreement_spread": c.rubric.panel.disagreement_spread,
        "disagreements": [cp.criterion.id for cp in c.disagreements],
        "unresolved": [cp.criterion.id for cp in c.unresolved],
        "rubric": {"id": c.rubric.id, "version": c.rubric.version, "ref": c.rubric.ref},
        "proposal": {"id": c.proposal.id, "title": c.proposal.title, "programme": c.proposal.programme},
        "reviewers": [
            {
                "name": r.label,
                "file": r.source,
                "complete": ind.complete,
                "outcome": ind.outcome.value,
                "totals": {
                    "unweighted": _n(ind.total),
                    "weighted": _n(ind.weighted_total),
                    "weighted_percent": _n(ind.weighted_percent),
                },
                "sections": {s.section.id: _n(s.score) for s in ind.sections},
            }
            for r, ind in zip(c.reviews, c.individual, strict=True)
        ],
        "consensus": ({"reviewer": c.consensus.label, "file": c.consensus.source} if c.consensus else None),
        "criteria": [_criterion(cp, c, lang) for cp in c.criteria],
        "panel_assessment": assessment_json.to_data(a, lang),
        "agreement": agreement_data(c),
        # flagged, not excluded (undeclared.py); the same shape as in the ranking
        "possible_conflicts": [{"reviewer": who, "matches": what} for who, what in c.possible_conflicts],
    }


def render_text(c: Consolidation, lang: Lang) -> str:
    return json_text(to_data(c, lang))


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.consolidation, lang).encode()
