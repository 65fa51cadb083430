"""What each report shows, whatever the format: one view object per command.

A view holds the command's result and what the command adds to it (the proposal's pre-checks,
``--strict``, the files that could not be read). The words every format shares (outcome words,
reasons, rounded numbers) are chosen by the helper module of the same kind beside this one
(``views/common.py`` for an assessment, ``views/panel.py``, ``views/ranking.py``, …), so the
formats only lay them out. Importing this module is cheap: the domain types are for type
checkers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ...api import CheckedProposal
    from ...assignment import Assignment
    from ...checks import Finding
    from ...conflicts import ConflictReport
    from ...errors import Problem
    from ...panel import Consolidation
    from ...portfolio import PortfolioMap
    from ...ranking import Ranking
    from ...rubric import Criterion, Rubric
    from ...scoring import Assessment
    from ...stats.call import CallStats


@dataclass(frozen=True)
class AssessmentView:
    """`sti-review assess`: one review of one proposal, with its pre-checks when they ran."""

    kind: ClassVar[str] = "assessment"
    assessment: Assessment
    findings: Sequence[Finding] | None = None


@dataclass(frozen=True)
class FindingsView:
    """`sti-review check`: the pre-checks of several proposals, and the files not read."""

    kind: ClassVar[str] = "findings"
    results: Sequence[CheckedProposal]
    invalid: Sequence[tuple[str, list[Problem]]]
    rubric: Rubric
    strict: bool = False


@dataclass(frozen=True)
class PanelView:
    """`sti-review consolidate`: several reviews of one proposal."""

    kind: ClassVar[str] = "panel"
    consolidation: Consolidation


@dataclass(frozen=True)
class RankingView:
    """`sti-review rank`: a whole call."""

    kind: ClassVar[str] = "ranking"
    ranking: Ranking


@dataclass(frozen=True)
class PortfolioView:
    """`sti-review portfolio`: programmes and proposals by objective, career stage and region."""

    kind: ClassVar[str] = "portfolio"
    map: PortfolioMap


@dataclass(frozen=True)
class RubricView:
    """`sti-review criteria`: the whole rubric, or one criterion in full."""

    kind: ClassVar[str] = "rubric"
    rubric: Rubric
    criterion: Criterion | None = None


@dataclass(frozen=True)
class ConflictsView:
    """`sti-review conflicts`: every conflict of interest between a pool and a call."""

    kind: ClassVar[str] = "conflicts"
    report: ConflictReport


@dataclass(frozen=True)
class AssignmentView:
    """`sti-review assign`: who reviews what, with affinities, loads and coverage."""

    kind: ClassVar[str] = "assignment"
    assignment: Assignment


@dataclass(frozen=True)
class ReviewersView:
    """`sti-review reviewers`: each reviewer's leniency, flat scorers, agreement in the call."""

    kind: ClassVar[str] = "reviewers"
    stats: CallStats
    ranking: Ranking


View = (
    AssessmentView
    | ReviewersView
    | FindingsView
    | PanelView
    | RankingView
    | PortfolioView
    | RubricView
    | ConflictsView
    | AssignmentView
)
