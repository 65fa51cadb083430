"""The scoring engine, pure: rubric + proposal + review -> Assessment with one Outcome.

Arithmetic is exact (fractions), so a threshold that is exactly met is met. A score is the
decimal number as written (``Fraction(repr(score))``); on the hot path a section's scores are
added as integers, counted in units of the scale's step (half-points for a step of 0.5), and
only the section's mean becomes a fraction: the same value, without a fraction per score. A
score that is not a whole number of units (off the scale, or a step such as 1/3 that has no
exact decimal) falls back to adding fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from functools import lru_cache
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
            return exact(float(self.answer.score))
        return None

    @property
    def raw_score(self) -> float | None:
        """The score as a float (None when not scored): what ``section_mean`` adds."""
        if self.status == "scored" and self.answer is not None and self.answer.score is not None:
            return float(self.answer.score)
        return None


@lru_cache(maxsize=4096)
def exact(value: float) -> Fraction:
    """The decimal number a float was written as: 3.5 -> 7/2, 0.1 -> 1/10 (not the binary
    approximation). Remembered: a call repeats the same few scores and weights."""
    return Fraction(repr(float(value)))


INTEGER = True  # the integer path of section_mean (tests compare it with the fraction path)
_LIMIT = 1e9  # scores from -10**9 to 10**9 (the scale allows far less) take the integer path


@lru_cache(maxsize=64)
def unit_denominator(step: float, low: float) -> int | None:
    """The number of units in one point, so that every score on the scale ``low + k * step``
    is a whole number of units: 2 for half-points. None when the step has no exact decimal
    with at most 6 places (then the integer path is not used)."""
    d = math.lcm(exact(step).denominator, exact(low).denominator)
    return d if 10**6 % d == 0 else None


def section_mean(scores: list[float], denominator: int | None) -> Fraction | None:
    """The exact mean of scores (each the decimal it was written as); None for no scores.

    With ``denominator`` (see ``unit_denominator``), scores are added as integers; a score
    that is not a whole number of units makes the whole sum fall back to fractions."""
    if not scores:
        return None
    if INTEGER and denominator is not None:
        total = 0
        for x in scores:
            # q = units / d is a decimal with at most 6 places and, below 10**9, at most 15
            # significant digits; the float nearest to q is x exactly when repr(x) is q (two
            # decimals of 15 digits never share a float), i.e. when x was written as q
            if not -_LIMIT < x < _LIMIT:
                break
            units = round(x * denominator)
            if units / denominator != x:
                break
            total += units
        else:
            return Fraction(total, denominator * len(scores))
    return sum((exact(x) for x in scores), Fraction(0)) / len(scores)


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
    section_min = exact(th.section_min) if th.section_min is not None else None
    denominator = unit_denominator(rubric.scale.step, rubric.scale.min)
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
        scores = [x for r in results if (x := r.raw_score) is not None]
        mean = section_mean(scores, denominator)
        meets = None if mean is None or section_min is None or info else mean >= section_min
        weight = exact(rubric.weight(proposal.programme, section.id))
        sections.append(SectionResult(section, weight, results, mean, meets, info))

    counted = [s for s in sections if s.counted]
    top = exact(rubric.scale.max)
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
