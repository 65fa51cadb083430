"""Property-based tests of the scoring rules (hypothesis), on valid reviews of the shipped rubric.

- Raising one score never lowers a section score or a total, and never turns a pass into
  anything worse.
- Weights never change a threshold decision (outcome, reasons, sections, totals).
- N/A in one section never changes another section.
- The outcome is deterministic: the same review, with its answers in any order, gives the same
  assessment; and it agrees with an independent reading of the rules in the contract.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sti_review.proposal import Proposal
from sti_review.review import Answer, Review, check_review
from sti_review.rubric import Rubric, load_rubric
from sti_review.scoring import Assessment, Outcome, assess

RUBRIC = load_rubric()
STEPS = RUBRIC.scale.steps()
PROGRAMMES = ["joint_research", "brain_circulation", "other"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# How good an outcome is, for "never worse": incomplete is no judgement at all.
RANK = {
    Outcome.GATE_FAILED: 0,
    Outcome.BELOW_THRESHOLD: 1,
    Outcome.CONDITIONAL: 2,
    Outcome.PASS: 3,
}


def proposal(programme: str) -> Proposal:
    return Proposal(id="PROP-2026-001", title="性質試験", programme=programme, partners=[{"country": "TH"}])


@st.composite
def answers(draw: st.DrawFn, rubric: Rubric, programme: str, complete: bool = True) -> dict[str, Answer]:
    """A valid set of answers: scores on the steps, N/A with a comment where allowed, gate
    verdicts (conditions with conditional), comments wherever the rubric asks for them."""
    out: dict[str, Answer] = {}
    for section in rubric.sections_for(programme):
        for crit in section.criteria:
            if crit.kind == "portfolio" or (not complete and draw(st.integers(0, 9)) == 0):
                continue
            if crit.kind == "gate":
                verdict = draw(st.sampled_from(["pass", "pass", "conditional", "fail"]))
                conditions = (
                    [draw(st.sampled_from(["該非判定の完了", "DMP agreed"]))]
                    if verdict == "conditional"
                    else []
                )
                out[crit.id] = Answer(verdict=verdict, conditions=conditions, comment="判定理由")
            elif rubric.na_allowed_for(crit) and draw(st.integers(0, 5)) == 0:
                out[crit.id] = Answer(na=True, comment="該当しない")
            else:
                out[crit.id] = Answer(score=draw(st.sampled_from(rubric.scale.steps())), comment="評価理由")
    return out


@st.composite
def reviews(draw: st.DrawFn, complete: bool = True) -> tuple[Proposal, Review]:
    programme = draw(st.sampled_from(PROGRAMMES))
    review = Review(
        proposal="PROP-2026-001",
        reviewer="試験 花子",
        rubric=RUBRIC.ref,
        answers=draw(answers(RUBRIC, programme, complete)),
    )
    return proposal(programme), review


def with_answer(review: Review, cid: str, answer: Answer) -> Review:
    return review.model_copy(update={"answers": {**review.answers, cid: answer}})


def decision(a: Assessment) -> tuple[Any, ...]:
    """Everything a threshold decision consists of (no weights in it)."""
    return (
        a.outcome,
        [(r.code, r.criterion, r.section, r.value, r.required, r.items) for r in a.reasons],
        [(s.section.id, s.score, s.meets_threshold) for s in a.sections],
        a.total,
        a.maximum,
        a.required_total,
        a.missing,
    )


def test_the_generated_reviews_are_valid():
    """The strategy only builds reviews the loader would accept (checked on a few)."""

    @given(reviews(complete=False))
    @settings(max_examples=50, deadline=None)
    def check(pr):
        p, r = pr
        assert check_review(r, None, RUBRIC, p) == []

    check()


@SETTINGS
@given(reviews(), st.data())
def test_raising_one_score_never_lowers_a_total_or_the_outcome(pr, data):
    p, r = pr
    scored = [cid for cid, a in r.answers.items() if a.score is not None and a.score < RUBRIC.scale.max]
    if not scored:
        return
    cid = data.draw(st.sampled_from(scored))
    old = r.answers[cid].score
    new = data.draw(st.sampled_from([s for s in STEPS if s > old]))
    before = assess(RUBRIC, p, r)
    after = assess(RUBRIC, p, with_answer(r, cid, Answer(score=new, comment="見直し")))
    assert after.total > before.total
    assert after.weighted_total > before.weighted_total
    assert after.maximum == before.maximum
    for b, a in zip(before.sections, after.sections, strict=True):
        assert a.score is None or b.score is None or a.score >= b.score
        assert not (b.meets_threshold and a.meets_threshold is False)
    assert RANK[after.outcome] >= RANK[before.outcome]
    if before.outcome is Outcome.PASS:
        assert after.outcome is Outcome.PASS


@SETTINGS
@given(reviews(complete=False), st.data())
def test_weights_never_change_a_threshold_decision(pr, data):
    p, r = pr
    section_ids = [s.id for s in RUBRIC.sections]
    weights = data.draw(
        st.dictionaries(
            st.sampled_from(PROGRAMMES),
            st.dictionaries(st.sampled_from(section_ids), st.sampled_from([0.25, 0.5, 1.5, 2, 3, 10])),
        )
    )
    reweighted = RUBRIC.model_copy(update={"weights": weights})
    assert decision(assess(RUBRIC, p, r)) == decision(assess(reweighted, p, r))


@SETTINGS
@given(reviews(complete=False), st.data())
def test_na_in_one_section_never_changes_another(pr, data):
    p, r = pr
    candidates = [
        cid
        for cid, a in r.answers.items()
        if a.score is not None and RUBRIC.na_allowed_for(RUBRIC.criteria[cid])
    ]
    if not candidates:
        return
    cid = data.draw(st.sampled_from(candidates))
    section = RUBRIC.criteria[cid].section
    before = assess(RUBRIC, p, r)
    after = assess(RUBRIC, p, with_answer(r, cid, Answer(na=True, comment="該当しない")))
    for b, a in zip(before.sections, after.sections, strict=True):
        if b.section.id != section:
            assert (a.score, a.meets_threshold, a.weight) == (b.score, b.meets_threshold, b.weight)
            assert [(x.criterion.id, x.status, x.score) for x in a.results] == [
                (x.criterion.id, x.status, x.score) for x in b.results
            ]
    assert [g.answer for g in after.gates] == [g.answer for g in before.gates]


@SETTINGS
@given(reviews(complete=False), st.randoms(use_true_random=False))
def test_the_outcome_is_deterministic_whatever_the_answer_order(pr, rnd):
    p, r = pr
    items = list(r.answers.items())
    rnd.shuffle(items)
    shuffled = r.model_copy(update={"answers": dict(items)})
    first, again, other_order = assess(RUBRIC, p, r), assess(RUBRIC, p, r), assess(RUBRIC, p, shuffled)
    assert decision(first) == decision(again) == decision(other_order)
    assert first.weighted_total == other_order.weighted_total


@SETTINGS
@given(reviews(complete=False))
def test_the_outcome_follows_the_contract(pr):
    """An independent reading of DESIGN.md's outcome rules, in exact fractions."""
    p, r = pr
    a = assess(RUBRIC, p, r)
    required = [c.id for s in RUBRIC.sections_for(p.programme) for c in s.criteria if c.kind != "portfolio"]
    missing = [cid for cid in required if cid not in r.answers]
    verdicts = [
        r.answers[c].verdict for c in required if RUBRIC.criteria[c].kind == "gate" and c in r.answers
    ]
    means = {}
    for s in RUBRIC.sections_for(p.programme):
        scores = [
            Fraction(str(r.answers[c.id].score))
            for c in s.scored
            if c.id in r.answers and r.answers[c.id].score is not None
        ]
        if scores:
            means[s.id] = sum(scores) / len(scores)
    total = sum(means.values(), Fraction(0))
    maximum = 5 * len(means)
    below = not means or any(m < 3 for m in means.values()) or total < Fraction(2, 3) * maximum
    if missing:
        expected = Outcome.INCOMPLETE
    elif "fail" in verdicts:
        expected = Outcome.GATE_FAILED
    elif below:
        expected = Outcome.BELOW_THRESHOLD
    elif "conditional" in verdicts:
        expected = Outcome.CONDITIONAL
    else:
        expected = Outcome.PASS
    assert a.outcome is expected
    assert a.missing == missing
    assert a.total == total and a.maximum == maximum


@SETTINGS
@given(reviews())
def test_a_failed_gate_blocks_whatever_the_scores(pr):
    p, r = pr
    top = {cid: Answer(score=RUBRIC.scale.max) for cid, a in r.answers.items() if a.score is not None}
    gate = next(c.id for c in RUBRIC.criteria.values() if c.kind == "gate")
    failed = r.model_copy(
        update={"answers": {**r.answers, **top, gate: Answer(verdict="fail", comment="不適")}}
    )
    assert assess(RUBRIC, p, failed).outcome is Outcome.GATE_FAILED
