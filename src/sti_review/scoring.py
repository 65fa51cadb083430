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
    # A purpose section the proposal does not declare: scored if the reviewer wishes, shown for
    # information, counted in neither thresholds nor totals.
    informational: bool = False

    @property
    def counted(self) -> bool:
        """A section with no scored criterion (all N/A) is left out of thresholds and maximum,
        as is a section shown for information only."""
        return self.score is not None and not self.informational

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
    # Thresholds not met when the rubric's thresholds are advisory: the outcome stands, and
    # these say why the proposal is marked.
    advisories: list[Reason] = field(default_factory=list)

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


def informational(section: Section, purposes: list[str] | None) -> bool:
    """A purpose section the proposal does not declare (``purposes`` None: all are declared)."""
    return purposes is not None and section.kind == "purpose" and section.id not in purposes


def required_criteria(rubric: Rubric, programme: str, purposes: list[str] | None = None) -> list[Criterion]:
    """Every criterion a complete review of a proposal of this programme must answer. The
    scored criteria of an undeclared purpose are optional (its gates are still judged)."""
    return [
        c
        for s in rubric.sections_for(programme)
        for c in s.criteria
        if c.kind != "portfolio" and not (c.kind == "score" and informational(s, purposes))
    ]


def missing_criteria(rubric: Rubric, proposal: Proposal, review: Review) -> list[str]:
    return [
        c.id
        for c in required_criteria(rubric, proposal.programme, proposal.purposes)
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
    purposes = getattr(proposal, "purposes", None)
    for section in rubric.sections_for(proposal.programme):
        results = []
        info = informational(section, purposes)
        for crit in section.criteria:
            r = CriterionResult(crit, review.answers.get(crit.id), _status(crit, review.answers.get(crit.id)))
            if r.status == "missing" and not (info and crit.kind == "score"):
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
        meets = None if mean is None or section_min is None or info else mean >= section_min
        weight = Fraction(str(rubric.weight(proposal.programme, section.id)))
        sections.append(SectionResult(section, weight, results, mean, meets, info))

    counted = [s for s in sections if s.counted]
    top = Fraction(str(rubric.scale.max))
    total = sum((s.score for s in counted if s.score is not None), Fraction(0))
    maximum = top * len(counted)
    fraction = th.total_fraction
    required = fraction * maximum if fraction is not None else None
    weighted_total = sum((s.weight * s.score for s in counted if s.score is not None), Fraction(0))
    weighted_maximum = sum((s.weight * top for s in counted), Fraction(0))

    outcome, reasons, advisories = _decide(
        missing, gates, counted, section_min, total, required, th.mode == "advisory"
    )
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
        advisories,
    )


def _decide(
    missing: list[str],
    gates: list[CriterionResult],
    counted: list[SectionResult],
    section_min: Fraction | None,
    total: Fraction,
    required: Fraction | None,
    advisory: bool = False,
) -> tuple[Outcome, list[Reason], list[Reason]]:
    """(outcome, reasons, advisories): with advisory thresholds a threshold not met leaves the
    outcome as the gates make it and is returned among the advisories."""
    if missing:
        return Outcome.INCOMPLETE, [Reason("missing", items=tuple(missing))], []
    failed = [g for g in gates if g.answer is not None and g.answer.verdict == "fail"]
    if failed:
        return Outcome.GATE_FAILED, [Reason("gate_failed", criterion=g.criterion.id) for g in failed], []
    below: list[Reason] = []
    if not counted:
        return Outcome.BELOW_THRESHOLD, [Reason("nothing_scored")], []
    for s in counted:
        if s.meets_threshold is False:
            below.append(Reason("section_below", section=s.section.id, value=s.score, required=section_min))
    if counted and required is not None and total < required:
        below.append(Reason("total_below", value=total, required=required))
    if below and not advisory:
        return Outcome.BELOW_THRESHOLD, below, []
    conditional = [g for g in gates if g.answer is not None and g.answer.verdict == "conditional"]
    if conditional:
        return (
            Outcome.CONDITIONAL,
            [
                Reason(
                    "conditions",
                    criterion=g.criterion.id,
                    items=tuple(g.answer.conditions) if g.answer else (),
                )
                for g in conditional
            ],
            below,
        )
    return Outcome.PASS, [Reason("thresholds_advisory" if below else "thresholds_met")], below
