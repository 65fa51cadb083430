"""Consolidation of several reviews of one proposal: statistics, disagreement, the panel outcome."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from sti_review.errors import InputError
from sti_review.panel import PanelReview, consolidate, load_panel, panel_problems, review_files
from sti_review.review import Answer, Review
from sti_review.rubric import load_rubric
from sti_review.scoring import Outcome

from .calls import proposal_yaml, review_yaml
from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
RUBRIC = load_rubric()
JR_CRITERIA = [
    "A1", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6",
    *[f"JR{i}" for i in range(1, 8)],
]  # fmt: skip


def proposal(programme: str = "joint_research"):
    from sti_review.proposal import Proposal

    return Proposal(id="P-1", title="t", programme=programme, partners=[{"country": "TH"}])


def review(name: str, score: float = 4, role: str = "reviewer", **answers: Answer) -> PanelReview:
    given = {cid: Answer(score=score) for cid in JR_CRITERIA}
    given |= {"A2": Answer(verdict="pass"), "X7": Answer(verdict="pass")}
    given |= answers
    r = Review(proposal="P-1", reviewer=name, rubric=RUBRIC.ref, role=role, answers=given)
    return PanelReview(r, f"{name}.yaml")


def criterion(c, cid: str):
    return next(x for x in c.criteria if x.criterion.id == cid)


# --- statistics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "minimum", "median", "mean", "maximum", "spread"),
    [
        ([4, 4, 4], 4, 4, 4, 4, 0),
        ([3, 4, 5], 3, 4, 4, 5, 2),
        ([2, 4.5, 3.5], 2, 3.5, Fraction(10, 3), 4.5, 2.5),
        ([3, 4], 3, 3.5, 3.5, 4, 1),
        ([3.5, 4], 3.5, 3.75, 3.75, 4, 0.5),
        ([1, 2, 4, 5], 1, 3, 3, 5, 4),
        ([4.5], 4.5, 4.5, 4.5, 4.5, 0),
    ],
)
def test_statistics_per_criterion(scores, minimum, median, mean, maximum, spread):
    reviews = [review(f"R{i}", B3=Answer(score=s, comment="c")) for i, s in enumerate(scores)]
    cp = criterion(consolidate(RUBRIC, proposal(), reviews), "B3")
    assert [cp.minimum, cp.median, cp.mean, cp.maximum, cp.spread] == [
        Fraction(x) for x in (minimum, median, mean, maximum, spread)
    ]
    assert cp.outcome_answer is not None and cp.outcome_answer.score == float(Fraction(median))


# --- disagreement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "limit", "flagged"),
    [
        ([2, 4], 2, True),  # the spread reaches the limit: flagged
        ([2.5, 4], 2, False),
        ([2, 3, 4.5], 2, True),
        ([3, 3.5, 4], 2, False),
        ([3, 4], 1, True),  # a stricter rubric
        ([1, 4], 3.5, False),  # a lenient one
    ],
)
def test_disagreement_on_spread(scores, limit, flagged):
    rubric = RUBRIC.model_copy(
        update={"panel": RUBRIC.panel.model_copy(update={"disagreement_spread": limit})}
    )
    reviews = [review(f"R{i}", B3=Answer(score=s, comment="c")) for i, s in enumerate(scores)]
    c = consolidate(rubric, proposal(), reviews)
    assert (criterion(c, "B3").disagreement == "spread") is flagged
    assert [x.criterion.id for x in c.disagreements] == (["B3"] if flagged else [])


@pytest.mark.parametrize(
    ("verdicts", "flagged", "panel_verdict"),
    [
        (["pass", "pass", "pass"], False, "pass"),
        (["pass", "conditional", "pass"], True, "conditional"),
        (["conditional", "fail", "conditional"], True, "fail"),
        (["conditional", "conditional"], False, "conditional"),
    ],
)
def test_gate_verdicts_side_by_side(verdicts, flagged, panel_verdict):
    reviews = [
        review(
            f"R{i}",
            A2=Answer(verdict=v, conditions=[f"condition {i}"] if v == "conditional" else [], comment="c"),
        )
        for i, v in enumerate(verdicts)
    ]
    c = consolidate(RUBRIC, proposal(), reviews)
    cp = criterion(c, "A2")
    assert cp.verdicts == verdicts
    assert (cp.disagreement == "verdicts") is flagged
    assert cp.outcome_answer.verdict == panel_verdict
    if panel_verdict == "conditional":  # every conditional reviewer's conditions, once each
        wanted = [f"condition {i}" for i, v in enumerate(verdicts) if v == "conditional"]
        assert cp.outcome_answer.conditions == wanted
        assert c.assessment.outcome is Outcome.CONDITIONAL
    if panel_verdict == "fail":
        assert c.assessment.outcome is Outcome.GATE_FAILED


# --- the derived panel answer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([Answer(na=True, comment="c"), Answer(na=True, comment="c"), Answer(score=3)], "na"),
        ([Answer(na=True, comment="c"), Answer(score=3), Answer(score=4)], 3.5),
        ([Answer(na=True, comment="c"), Answer(score=3)], 3.0),  # a tie: judged, not N/A
    ],
)
def test_na_by_majority(answers, expected):
    reviews = [review(f"R{i}", B4=a) for i, a in enumerate(answers)]
    cp = criterion(consolidate(RUBRIC, proposal(), reviews), "B4")
    assert cp.mixed_na
    if expected == "na":
        assert cp.outcome_answer.na
    else:
        assert cp.outcome_answer.score == expected


def test_median_is_not_rounded_to_the_scale():
    reviews = [review("R1", 3.5), review("R2", 4)]
    c = consolidate(RUBRIC, proposal(), reviews)
    assert criterion(c, "A1").outcome_answer.score == 3.75
    assert c.assessment.sections[0].score == Fraction(15, 4)


def test_a_criterion_nobody_answered_leaves_the_panel_incomplete():
    partial = review("R1")
    del partial.review.answers["C2"]
    c = consolidate(RUBRIC, proposal(), [partial, review("R2")])
    assert criterion(c, "C2").source == "derived"  # one reviewer answered it
    assert [r.label for r in c.incomplete_reviews] == ["R1"]
    other = review("R2")
    del other.review.answers["C2"]
    c = consolidate(RUBRIC, proposal(), [partial, other])
    assert criterion(c, "C2").source == "missing"
    assert c.assessment.outcome is Outcome.INCOMPLETE


# --- the consensus review --------------------------------------------------------------------


def test_consensus_overrides_and_resolves():
    reviews = [
        review("R1", B3=Answer(score=1.5, comment="weak")),
        review("R2", B3=Answer(score=4.5)),
        review("R3", B3=Answer(score=4)),
    ]
    without = consolidate(RUBRIC, proposal(), reviews)
    assert without.basis == "derived" and without.provisional
    assert [x.criterion.id for x in without.unresolved] == ["B3"]
    panel = PanelReview(
        Review(
            proposal="P-1",
            reviewer="Panel",
            rubric=RUBRIC.ref,
            role="panel",
            answers={"B3": Answer(score=3, comment="agreed")},
        ),
        "panel.yaml",
    )
    c = consolidate(RUBRIC, proposal(), [*reviews, panel])
    cp = criterion(c, "B3")
    assert c.basis == "consensus" and not c.provisional
    assert cp.resolved and not c.unresolved
    assert cp.source == "consensus" and cp.outcome_answer.score == 3
    assert cp.median == 4  # the individual scores are still shown
    assert [r.label for r in c.reviews] == ["R1", "R2", "R3"]  # the panel is not a reviewer
    assert criterion(c, "B1").source == "derived"


def test_consensus_with_a_disagreement_left_open_is_provisional():
    reviews = [
        review("R1", B3=Answer(score=1, comment="c"), B2=Answer(score=1, comment="c")),
        review("R2", B3=Answer(score=4), B2=Answer(score=4)),
    ]
    panel = PanelReview(
        Review(proposal="P-1", rubric=RUBRIC.ref, role="panel", answers={"B3": Answer(score=3)}), "p.yaml"
    )
    c = consolidate(RUBRIC, proposal(), [*reviews, panel])
    assert [x.criterion.id for x in c.unresolved] == ["B2"]
    assert c.provisional


def test_individual_assessments_are_the_reviewers_own():
    c = consolidate(RUBRIC, proposal(), [review("R1", 4), review("R2", 2.5, A1=Answer(score=2.5))])
    assert [a.outcome for a in c.individual] == [Outcome.PASS, Outcome.BELOW_THRESHOLD]


# --- the shipped example call ----------------------------------------------------------------


def test_example_with_a_consensus_review():
    c = load_panel(CALL / "proposals/CALL26-JR-03.yaml", [CALL / "reviews/CALL26-JR-03"])
    assert c.consensus is not None and c.consensus.label.startswith("パネル合議")
    assert [x.criterion.id for x in c.disagreements] == ["B3", "X7"]
    assert not c.unresolved and not c.provisional
    assert c.assessment.outcome is Outcome.CONDITIONAL
    assert criterion(c, "B3").spread == Fraction(5, 2)
    assert criterion(c, "B3").outcome_answer.score == 3.5


def test_example_with_an_unresolved_gate():
    c = load_panel(CALL / "proposals/CALL26-JR-05.yaml", [CALL / "reviews/CALL26-JR-05"])
    assert [x.criterion.id for x in c.unresolved] == ["A2"]
    assert c.assessment.outcome is Outcome.GATE_FAILED
    assert c.provisional


# --- loading: files, folders, problems -----------------------------------------------------------


def test_reviews_beside_the_proposal_by_default(tmp_path: Path):
    p = tmp_path / "X-1.yaml"
    p.write_text(proposal_yaml("X-1"), encoding="utf-8")
    for name in ("X-1.review.yaml", "X-1.review.b.yaml", "X-1.review-c.yml"):
        (tmp_path / name).write_text(review_yaml("X-1", name, {s: 4 for s in "ABCX"} | {"JR": 4}), "utf-8")
    (tmp_path / "Y-1.review.yaml").write_text("proposal: Y-1\n", encoding="utf-8")
    assert [f.name for f in review_files(p, "X-1", [])] == [
        "X-1.review-c.yml",
        "X-1.review.b.yaml",
        "X-1.review.yaml",
    ]
    c = load_panel(p, [])
    assert len(c.reviews) == 3 and c.assessment.outcome is Outcome.PASS


def test_a_folder_gives_only_the_reviews_of_this_proposal(tmp_path: Path):
    p = tmp_path / "X-1.yaml"
    p.write_text(proposal_yaml("X-1"), encoding="utf-8")
    folder = tmp_path / "reviews"
    folder.mkdir()
    scores = {s: 4 for s in ("A", "B", "C", "X", "JR")}
    (folder / "a.yaml").write_text(review_yaml("X-1", "A", scores), encoding="utf-8")
    (folder / "b.yaml").write_text(review_yaml("Z-9", "B", scores), encoding="utf-8")
    assert [r.label for r in load_panel(p, [folder]).reviews] == ["A"]


def test_every_problem_is_reported_located(tmp_path: Path):
    p = tmp_path / "X-1.yaml"
    p.write_text(proposal_yaml("X-1"), encoding="utf-8")
    scores = {s: 4 for s in ("A", "B", "C", "X", "JR")}
    (tmp_path / "X-1.review.a.yaml").write_text(review_yaml("X-1", "同じ人", scores), encoding="utf-8")
    (tmp_path / "X-1.review.b.yaml").write_text(review_yaml("X-1", "同じ人", scores), encoding="utf-8")
    (tmp_path / "X-1.review.c.yaml").write_text(review_yaml("X-1", "P1", scores, role="panel"), "utf-8")
    (tmp_path / "X-1.review.d.yaml").write_text(review_yaml("X-1", "P2", scores, role="panel"), "utf-8")
    bad = review_yaml("X-1", "typo", scores).replace("A1: {score: 4,", "A1: {score: 4.3,")
    (tmp_path / "X-1.review.e.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_panel(p, [])
    text = "\n".join(str(x) for x in exc.value.problems)
    assert "X-1.review.b.yaml:2:1: reviewer: '同じ人' is the same reviewer as '同じ人' in " in text
    assert "X-1.review.a.yaml: each reviewer counts once" in text
    assert "X-1.review.d.yaml:4:1: role: a second panel (consensus) review" in text
    assert "X-1.review.e.yaml:5:" in text and "4.3 is not on the scale" in text


def test_no_reviews_is_an_error(tmp_path: Path):
    p = tmp_path / "X-1.yaml"
    p.write_text(proposal_yaml("X-1"), encoding="utf-8")
    with pytest.raises(InputError, match="no reviews found"):
        load_panel(p, [])


def test_panel_problems_refuse_unnamed_reviewers():
    """An unnamed review could be anyone's second one: each reviewer counts once (issue 11)."""
    a = review("")
    b = review("\u200b")
    assert [p.field for p in panel_problems([a, b])] == ["reviewer", "reviewer"]
    assert all("name is empty" in p.message for p in panel_problems([a, b]))
