"""The adapter between a ranked call and the pure statistics: grades out of a
:class:`~sti_review.ranking.Ranking`, and the statistics back onto it.

A reviewer's grade for a proposal is their own weighted percentage (as ``sti-review assess``
would give it for their review alone) times the scale's maximum, so with a rubric of one scored
criterion it is that score; with ``rank --by overall`` on a rubric that defines an overall grade,
it is the reviewer's overall grade, on the range of its levels. Per-criterion grades are the
raw scores. Only eligible proposals (those the ranking ranks) and individual reviews (not the
panel's consensus) count.

The statistics are attached to the ranking as the attribute ``stats`` (a :class:`CallStats`);
renderers look for it with ``getattr(ranking, "stats", None)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import Grade
from .effects import ReviewerEffects, reviewer_effects
from .expected_rank import ExpectedRanking
from .reliability import Reliability, reliabilities


@dataclass(frozen=True)
class CallGrades:
    overall: tuple[Grade, ...]
    by_criterion: dict[str, tuple[Grade, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CallStats:
    effects: ReviewerEffects | None
    reliability: tuple[Reliability, ...]
    expected: ExpectedRanking | None = None


def grades_of(ranking: Any) -> CallGrades:
    """Every individual review of every ranked proposal, as grades (see the module's docstring)."""
    from ..callfolder import read_call_file
    from ..panel import PanelReview, consolidate

    rubric = ranking.rubric
    top = float(rubric.scale.max)
    by_overall = getattr(ranking, "by", "weighted") == "overall" and rubric.overall is not None
    overall: list[Grade] = []
    by_crit: dict[str, list[Grade]] = {}
    for row in ranking.ranked:
        if row.info is None:
            continue
        panel = []
        for path in row.review_files:
            res = read_call_file(path, rubric)
            if res.review is not None and not res.problems:
                panel.append(PanelReview(res.review.review, res.review.path))
        c = consolidate(rubric, row.info.as_proposal(), panel)
        for r, a in zip(c.reviews, c.individual, strict=True):
            if by_overall:  # rank --by overall: the reviewer's overall grade (総合評価) itself
                given = r.review.overall
                if given is not None:
                    overall.append(Grade(row.id, r.label, float(getattr(given, "grade", given))))
            elif a.weighted_percent is not None:
                overall.append(Grade(row.id, r.label, float(a.weighted_percent) / 100 * top))
            for cid, ans in r.review.answers.items():
                if ans.score is not None and not ans.na:
                    by_crit.setdefault(cid, []).append(Grade(row.id, r.label, float(ans.score)))
    order = [c.id for s in rubric.sections for c in s.criteria]
    ordered = {cid: tuple(by_crit[cid]) for cid in order if cid in by_crit}
    return CallGrades(tuple(overall), ordered)


def grade_range(ranking: Any) -> tuple[float, float]:
    """The scale the grades are on: the rubric's score scale, or with ``--by overall`` the
    overall grade's lowest and highest level (the model's priors are scaled to it)."""
    rubric = ranking.rubric
    if getattr(ranking, "by", "weighted") == "overall" and rubric.overall is not None:
        values = [float(lv.value) for lv in rubric.overall.levels]
        return min(values), max(values)
    return float(rubric.scale.min), float(rubric.scale.max)


class TooFewToRank(ValueError):
    """Expected ranks compare proposals: fewer than two proposals with grades leave nothing to
    compare (the CLI turns this into a usage error, exit 2)."""

    def __init__(self, graded: int) -> None:
        super().__init__(f"expected ranks need at least two graded proposals, not {graded}")
        self.graded = graded


def call_stats(
    ranking: Any,
    *,
    expected: bool = False,
    fund: int | None = None,
    lottery_seed: int | None = None,
    seed: int = 0,
) -> CallStats:
    """Effects and reliability of a ranked call; the expected rank too when asked."""
    grades = grades_of(ranking)
    lo, hi = grade_range(ranking)
    if expected and len({g.proposal for g in grades.overall}) < 2:
        raise TooFewToRank(len({g.proposal for g in grades.overall}))
    if not grades.overall:
        return CallStats(None, ())
    effects = reviewer_effects(grades.overall, lo, hi)
    rel = tuple(reliabilities(grades.overall, grades.by_criterion, lo, hi, seed=seed))
    er = None
    if expected:
        from .expected_rank import expected_rank

        er = expected_rank(grades.overall, lo, hi, fund=fund, lottery_seed=lottery_seed, seed=seed)
    return CallStats(effects, rel, er)


def apply_expected_rank(ranking: Any, stats: CallStats) -> None:
    """Attach the statistics; with an expected rank, order the ranked proposals by it and mark
    the funding line's outcome: selected (or drawn) -> funded, band without a draw -> tie at the
    line (the band also carries the border-zone mark), the rest -> not funded."""
    ranking.stats = stats
    er = stats.expected
    if er is None:
        return
    info = {p.proposal: p for p in er.proposals}
    ranked = [r for r in ranking.rows if r.position is not None and r.id in info]
    rest = [r for r in ranking.rows if not (r.position is not None and r.id in info)]
    ranked.sort(key=lambda r: (info[r.id].expected_rank, r.id))
    funded = 0
    for i, r in enumerate(ranked, 1):
        p = info[r.id]
        r.position = r.rank = i
        r.tied = False
        r.border = p.lottery == "band"
        if p.lottery is None:
            r.status = "eligible"
        elif p.lottery == "selected" or p.drawn:
            r.status = "funded"
        elif p.lottery == "band" and p.drawn is None:
            r.status = "tie_at_line"
        else:
            r.status = "not_funded"
        funded += r.status == "funded"
    ranking.rows[:] = ranked + rest
    if ranking.line is not None:
        ranking.line.funded = funded
        ranking.line.tie_at_line = any(r.status == "tie_at_line" for r in ranked)
        ranking.line.remainder = ranking.line.limit - funded
