"""The scoring engine, pure: rubric + proposal + review -> Assessment with one Outcome.

Arithmetic is exact (fractions), so a threshold that is exactly met is met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import Literal

from .proposal import Proposal
from .review import Answer, Review
from .rubric import Criterion, Rubric, Section
from .rules import is_answered


class Outcome(str, Enum):
    """The one outcome of a review, in the order the first that applies wins."""

    INCOMPLETE = "incomplete"
    GATE_FAILED = "gate failed"
    BELOW_THRESHOLD = "below threshold"
    CONDITIONAL = "conditional"
    PASS = "pass"

    @property
    def key(self) -> str:
        return self.value.replace(" ", "_")


Status = Literal["scored", "na", "judged", "missing", "portfolio"]


@dataclass(frozen=True)
class Reason:
    """Why an outcome applies. ``code`` is one of: missing, gate_failed, section_below,
    total_below, nothing_scored, conditions, thresholds_met."""

    code: str
    criterion: str | None = None
    section: str | None = None
    value: Fraction | None = None
    required: Fraction | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    answer: Answer | None
    status: Status

    @property
    def score(self) -> Fraction | None:
        if self.status == "scored" and self.answer is not None and self.answer.score is not None:
            return Fraction(repr(float(self.answer.score)))
        return None


@dataclass
class SectionResult:
    section: Section
    weight: Fraction
    results: list[CriterionResult]
    score: Fraction | None
    meets_threshold: bool | None

    @property
    def counted(self) -> bool:
        """A section with no scored criterion (all N/A) is left out of thresholds and maximum."""
        return self.score is not None

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)


@dataclass
class Assessment:
    rubric: Rubric
    proposal: Proposal
    review: Review
    sections: list[SectionResult]
    gates: list[CriterionResult]
    portfolio: list[CriterionResult]
    total: Fraction
    maximum: Fraction
    required_total: Fraction | None
    weighted_total: Fraction
    weighted_maximum: Fraction
    outcome: Outcome
    reasons: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def weighted_percent(self) -> Fraction | None:
        if not self.weighted_maximum:
            return None
        return self.weighted_total * 100 / self.weighted_maximum


def _status(crit: Criterion, answer: Answer | None) -> Status:
    if crit.kind == "portfolio":
        return "portfolio"
    if answer is None or not is_answered(crit.kind, answer):
        return "missing"
    if crit.kind == "gate":
        return "judged"
    return "na" if answer.na else "scored"


def required_criteria(rubric: Rubric, programme: str) -> list[Criterion]:
    """Every criterion a complete review of a proposal of this programme must answer."""
    return [c for s in rubric.sections_for(programme) for c in s.criteria if c.kind != "portfolio"]


def missing_criteria(rubric: Rubric, proposal: Proposal, review: Review) -> list[str]:
    return [
        c.id
        for c in required_criteria(rubric, proposal.programme)
        if _status(c, review.answers.get(c.id)) == "missing"
    ]


def assess(rubric: Rubric, proposal: Proposal, review: Review) -> Assessment:
    """Score a (validated) review of a proposal against the rubric."""
    th = rubric.thresholds
    section_min = Fraction(str(th.section_min)) if th.section_min is not None else None
    sections: list[SectionResult] = []
    gates: list[CriterionResult] = []
    portfolio: list[CriterionResult] = []
    missing: list[str] = []
    for section in rubric.sections_for(proposal.programme):
        results = []
        for crit in section.criteria:
            r = CriterionResult(crit, review.answers.get(crit.id), _status(crit, review.answers.get(crit.id)))
            if r.status == "missing":
                missing.append(crit.id)
            if crit.kind == "gate":
                gates.append(r)
            elif crit.kind == "portfolio":
                portfolio.append(r)
            else:
                results.append(r)
        if not section.scored:
            continue  # a section of gates only (e.g. an ethics appraisal) has no score to show
        scores = [r.score for r in results if r.score is not None]
        mean = sum(scores, Fraction(0)) / len(scores) if scores else None
        meets = None if mean is None or section_min is None else mean >= section_min
        weight = Fraction(str(rubric.weight(proposal.programme, section.id)))
        sections.append(SectionResult(section, weight, results, mean, meets))

    counted = [s for s in sections if s.counted]
    top = Fraction(str(rubric.scale.max))
    total = sum((s.score for s in counted if s.score is not None), Fraction(0))
    maximum = top * len(counted)
    fraction = th.total_fraction
    required = fraction * maximum if fraction is not None else None
    weighted_total = sum((s.weight * s.score for s in counted if s.score is not None), Fraction(0))
    weighted_maximum = sum((s.weight * top for s in counted), Fraction(0))

    outcome, reasons = _decide(missing, gates, counted, section_min, total, required)
    return Assessment(
        rubric,
        proposal,
        review,
        sections,
        gates,
        portfolio,
        total,
        maximum,
        required,
        weighted_total,
        weighted_maximum,
        outcome,
        reasons,
        missing,
    )


def _decide(
    missing: list[str],
    gates: list[CriterionResult],
    counted: list[SectionResult],
    section_min: Fraction | None,
    total: Fraction,
    required: Fraction | None,
) -> tuple[Outcome, list[Reason]]:
    if missing:
        return Outcome.INCOMPLETE, [Reason("missing", items=tuple(missing))]
    failed = [g for g in gates if g.answer is not None and g.answer.verdict == "fail"]
    if failed:
        return Outcome.GATE_FAILED, [Reason("gate_failed", criterion=g.criterion.id) for g in failed]
    below: list[Reason] = []
    if not counted:
        below.append(Reason("nothing_scored"))
    for s in counted:
        if s.meets_threshold is False:
            below.append(Reason("section_below", section=s.section.id, value=s.score, required=section_min))
    if counted and required is not None and total < required:
        below.append(Reason("total_below", value=total, required=required))
    if below:
        return Outcome.BELOW_THRESHOLD, below
    conditional = [g for g in gates if g.answer is not None and g.answer.verdict == "conditional"]
    if conditional:
        return Outcome.CONDITIONAL, [
            Reason(
                "conditions",
                criterion=g.criterion.id,
                items=tuple(g.answer.conditions) if g.answer else (),
            )
            for g in conditional
        ]
    return Outcome.PASS, [Reason("thresholds_met")]
