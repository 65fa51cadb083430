"""What the ranking and the portfolio map keep of each file of a call: small, picklable
summaries (no YAML trees, no free text), so that they cross process boundaries cheaply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .errors import Problem
from .proposal import Integrity, Partner, Proposal

_NO_INTEGRITY = Integrity()


class LightAnswer(NamedTuple):
    """An answer as the ranking keeps it (no comment: the ranking never shows comments)."""

    score: float | None
    verdict: str | None
    conditions: tuple[str, ...]
    na: bool
    comment: str | None = None


class LightReview(NamedTuple):
    reviewer: str
    role: str
    answers: dict[str, LightAnswer]
    stage: str | None = None
    conflict: str = "none"  # the declared conflict category (rules.conflict_of)
    overall: float | None = None  # the overall grade


@dataclass(frozen=True, slots=True)  # one per proposal of a call: no instance dict (issue 17)
class ProposalInfo:
    """What the ranking and the portfolio map need of a proposal (not its text)."""

    path: str
    id: str
    title: str
    programme: str
    budget: float | None = None
    objectives: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    career_stages: tuple[str, ...] = ()
    lead: str = ""
    purposes: tuple[str, ...] | None = None
    # for conflict checks (conflicts.py): the lead's, partners' and team's institutions, and
    # the lead's and team's researcher numbers
    institutions: tuple[str, ...] = ()
    researcher_numbers: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the constructor and its arguments: one call when loaded, not a loop of setattrs
        return ProposalInfo, tuple(getattr(self, f) for f in _INFO_FIELDS)

    def as_proposal(self) -> Proposal:
        """A Proposal with what scoring needs (every field given: no default is deep-copied)."""
        return Proposal.model_construct(
            id=self.id,
            title=self.title,
            programme=self.programme,
            summary="",
            lead=None,
            partners=[Partner.model_construct(country=c, institution="") for c in self.countries],
            objectives=list(self.objectives),
            kpis=[],
            risks=[],
            integrity=_NO_INTEGRITY,
            sections={},
            team=[],
            budget=self.budget,
            purposes=list(self.purposes) if self.purposes is not None else None,
        )


_INFO_FIELDS = tuple(ProposalInfo.__dataclass_fields__)


@dataclass(frozen=True)
class ReviewInfo:
    path: str
    proposal: str
    review: LightReview


class FileResult(NamedTuple):
    """What reading one file of a call gives: a proposal, a review, or problems."""

    path: str
    kind: str  # proposal | review | programmes
    proposal: ProposalInfo | None
    review: ReviewInfo | None
    problems: list[Problem]
    about: str | None  # the proposal id the file concerns, when known
