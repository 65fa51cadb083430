"""Integer scoring (issue 17): a section's scores are added as integers in units of the scale's
step; the results are exactly those of adding fractions, which is kept here as the reference."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sti_review import scoring
from sti_review.rubric import load_rubric
from sti_review.scoring import assess, section_mean, unit_denominator
from tests.test_properties import reviews

RUBRIC = load_rubric()


def reference_mean(scores: list[float]) -> Fraction | None:
    """The implementation before issue 17: one fraction per score, from its decimal text."""
    if not scores:
        return None
    return sum((Fraction(repr(float(x))) for x in scores), Fraction(0)) / len(scores)


STEPS = st.sampled_from([0.5, 1.0, 0.25, 0.1, 0.2, 0.05, 0.001, 0.3, 1 / 3, 0.125, 2.0, 0.7])
LOWS = st.sampled_from([0.0, 1.0, -2.0, 0.5, 0.1, -0.25])


@st.composite
def scale_and_scores(draw: st.DrawFn) -> tuple[float, float, list[float]]:
    step, low = draw(STEPS), draw(LOWS)
    on_scale = st.integers(0, 40).map(lambda k: low + k * step)  # float arithmetic, as typed
    written = st.integers(-(10**7), 10**7).map(lambda k: round(low + k * step, 6))  # decimals
    anything = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
    scores = draw(st.lists(st.one_of(on_scale, written, anything), max_size=12))
    return step, low, scores


@settings(max_examples=400, deadline=None)
@given(scale_and_scores())
def test_integer_mean_is_the_fraction_mean(case):
    step, low, scores = case
    expected = reference_mean(scores)
    got = section_mean(scores, unit_denominator(step, low))
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    "step, low, expected", [(0.5, 0.0, 2), (1.0, 1.0, 1), (0.25, 0.0, 4), (0.1, 0.0, 10), (1 / 3, 0.0, None)]
)
def test_units_per_point(step, low, expected):
    assert unit_denominator(step, low) == expected


def test_half_points_use_the_integer_path(monkeypatch):
    """The integer path is taken for half-points: no fraction is made per score."""
    made: list[float] = []
    real = scoring.exact.__wrapped__

    def counting(value: float) -> Fraction:
        made.append(value)
        return real(value)

    monkeypatch.setattr(scoring, "exact", counting)
    assert section_mean([3.5, 4.0, 2.5], 2) == Fraction(10, 3)
    assert made == []
    assert section_mean([3.3, 4.0], 2) == Fraction(73, 20)  # off the half-points: fractions
    assert made == [3.3, 4.0]


def everything(a) -> tuple:
    return (
        a.outcome,
        a.reasons,
        a.advisories,
        a.total,
        a.maximum,
        a.required_total,
        a.weighted_total,
        a.weighted_maximum,
        a.weighted_percent,
        [(s.section.id, s.weight, s.score, s.meets_threshold, s.informational) for s in a.sections],
    )


@settings(max_examples=150, deadline=None)
@given(reviews(complete=False))
def test_assessments_are_the_same_with_fractions_only(pr):
    p, r = pr
    fast = everything(assess(RUBRIC, p, r))
    try:
        scoring.INTEGER = False
        slow = everything(assess(RUBRIC, p, r))
    finally:
        scoring.INTEGER = True
    assert fast == slow
