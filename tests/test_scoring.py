"""The scoring engine, table-driven: rubric + proposal + review -> one outcome with its reasons.

Each case starts from a complete review in which every gate passes and every scored criterion
has the same ``base`` score, then changes a few answers. Answer shorthand:

    4.5            a score
    "na"           N/A (with a comment)
    "pass" / "fail" / "conditional"   a gate verdict (conditional comes with one condition)
    MISSING        not answered

The default rubric: sections A, B, C, X (+ JR for joint research, BC for brain circulation);
each scored section needs a mean of 3.0 and the sum of section means two thirds of its maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pytest

from sti_review.proposal import Proposal
from sti_review.review import Answer, Review
from sti_review.rubric import load_rubric
from sti_review.scoring import Assessment, Outcome, Reason, assess, missing_criteria

RUBRIC = load_rubric()
MISSING = object()

X_ONLY_THREE = {"X5": "na", "X6": "na"}  # X scored on X1, X2, X4: a mean in thirds


def proposal(programme: str) -> Proposal:
    return Proposal(
        id="TEST-2026-001", title="試験用の提案", programme=programme, partners=[{"country": "TH"}]
    )


def answer(spec: Any) -> Answer:
    if spec == "na":
        return Answer(na=True, comment="該当しない")
    if spec == "conditional":
        return Answer(verdict="conditional", conditions=["該非判定の完了"], comment="条件付き")
    if spec in ("pass", "fail"):
        return Answer(verdict=spec, comment="判定理由")
    return Answer(score=spec, comment="評価理由")


def review(programme: str, base: float = 4, changes: dict[str, Any] | None = None) -> Review:
    answers: dict[str, Answer] = {}
    for section in RUBRIC.sections_for(programme):
        for crit in section.criteria:
            if crit.kind == "gate":
                answers[crit.id] = answer("pass")
            elif crit.kind == "score":
                answers[crit.id] = answer(base)
    for cid, spec in (changes or {}).items():
        if spec is MISSING:
            answers.pop(cid, None)
        else:
            answers[cid] = answer(spec)
    return Review(proposal="TEST-2026-001", reviewer="試験 太郎", rubric=RUBRIC.ref, answers=answers)


def run(programme: str, base: float = 4, changes: dict[str, Any] | None = None, rubric=RUBRIC) -> Assessment:
    return assess(rubric, proposal(programme), review(programme, base, changes))


def summary(reason: Reason) -> str:
    """'gate_failed:A2', 'section_below:X', 'missing:A1 B3', 'total_below', …"""
    subject = reason.criterion or reason.section or " ".join(reason.items)
    return f"{reason.code}:{subject}" if subject else reason.code


def every(ids: str, spec: Any) -> dict[str, Any]:
    return {cid: spec for cid in ids.split()}


@dataclass
class Case:
    id: str
    programme: str = "other"
    base: float = 4
    changes: dict[str, Any] = field(default_factory=dict)
    outcome: str = "pass"
    reasons: list[str] = field(default_factory=lambda: ["thresholds_met"])
    total: Fraction | None = None
    maximum: Fraction | None = None


CASES = [
    # --- one per outcome ---------------------------------------------------------------
    Case("pass"),
    Case(
        "incomplete", changes={"B3": MISSING, "A1": MISSING}, outcome="incomplete", reasons=["missing:A1 B3"]
    ),
    Case("incomplete-gate-not-judged", changes={"X7": MISSING}, outcome="incomplete", reasons=["missing:X7"]),
    Case("gate-failed", changes={"A2": "fail"}, outcome="gate failed", reasons=["gate_failed:A2"]),
    Case(
        "both-gates-failed",
        changes={"A2": "fail", "X7": "fail"},
        outcome="gate failed",
        reasons=["gate_failed:A2", "gate_failed:X7"],
    ),
    Case(
        "below-threshold-section",
        changes=every("C1 C2 C3 C4", 2.5),
        outcome="below threshold",
        reasons=["section_below:C"],
    ),
    Case(
        "below-threshold-total-only",
        base=3,
        outcome="below threshold",
        reasons=["total_below"],
        total=Fraction(12),
    ),
    Case(
        "below-threshold-section-and-total",
        base=3,
        changes=every("X1 X2 X4 X5 X6", 2),
        outcome="below threshold",
        reasons=["section_below:X", "total_below"],
    ),
    Case("conditional", changes={"A2": "conditional"}, outcome="conditional", reasons=["conditions:A2"]),
    Case(
        "conditional-both-gates",
        changes={"A2": "conditional", "X7": "conditional"},
        outcome="conditional",
        reasons=["conditions:A2", "conditions:X7"],
    ),
    # --- edge cases ----------------------------------------------------------------------
    Case(
        "all-na-in-one-section-left-out",
        changes=every("B1 B2 B3 B4", "na"),
        total=Fraction(12),
        maximum=Fraction(15),
    ),
    Case(
        "all-na-everywhere",
        changes=every("A1 A3 B1 B2 B3 B4 C1 C2 C3 C4 X1 X2 X4 X5 X6", "na"),
        outcome="below threshold",
        reasons=["nothing_scored"],
        total=Fraction(0),
        maximum=Fraction(0),
    ),
    Case(
        "half-points",
        changes={"A1": 4.5, "A3": 3.5, "B1": 0.5, "B2": 5, "B3": 5, "B4": 3.5},
        total=Fraction(4 + 14 / 4 + 4 + 4),
    ),
    Case("section-mean-exactly-3-passes", changes={"A1": 2.5, "A3": 3.5}, total=Fraction(15)),
    Case(
        "section-mean-just-below-3",
        changes={"A1": 2.5, "A3": 3},
        outcome="below threshold",
        reasons=["section_below:A"],
    ),
    Case(
        "total-exactly-two-thirds-passes",
        base=3,
        changes={**X_ONLY_THREE, "X1": 4.5, "X2": 4.5, "X4": 4},
        total=Fraction(40, 3),
        maximum=Fraction(20),
    ),
    Case(
        "total-just-below-two-thirds",
        base=3,
        changes={**X_ONLY_THREE, "X1": 4.5, "X2": 4, "X4": 4},
        outcome="below threshold",
        reasons=["total_below"],
        total=Fraction(9) + Fraction(25, 6),
    ),
    # --- precedence: the first outcome that applies wins -----------------------------------
    Case(
        "conditional-gate-but-below-threshold",
        base=3,
        changes={"A2": "conditional"},
        outcome="below threshold",
        reasons=["total_below"],
    ),
    Case(
        "failed-gate-but-incomplete",
        changes={"A2": "fail", "C2": MISSING},
        outcome="incomplete",
        reasons=["missing:C2"],
    ),
    Case(
        "failed-gate-and-below-threshold",
        base=2,
        changes={"X7": "fail"},
        outcome="gate failed",
        reasons=["gate_failed:X7"],
    ),
    Case(
        "failed-and-conditional-gates",
        changes={"A2": "conditional", "X7": "fail"},
        outcome="gate failed",
        reasons=["gate_failed:X7"],
    ),
    # --- programme sections ----------------------------------------------------------------
    Case(
        "joint-research-needs-jr",
        programme="joint_research",
        changes={"JR4": MISSING},
        outcome="incomplete",
        reasons=["missing:JR4"],
    ),
    Case(
        "joint-research-jr-below",
        programme="joint_research",
        changes=every("JR1 JR2 JR3", 1),
        outcome="below threshold",
        reasons=["section_below:JR"],
    ),
    Case(
        "brain-circulation-needs-bc",
        programme="brain_circulation",
        changes={"BC5": MISSING},
        outcome="incomplete",
        reasons=["missing:BC5"],
    ),
    Case("brain-circulation-pass", programme="brain_circulation", total=Fraction(20), maximum=Fraction(25)),
    Case("other-has-no-programme-section", programme="other", total=Fraction(16), maximum=Fraction(20)),
    # --- the portfolio criterion is never asked of a single review ---------------------------
    Case("portfolio-x3-not-required", changes={"X3": MISSING}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_outcome(case: Case):
    a = run(case.programme, case.base, case.changes)
    assert a.outcome == Outcome(case.outcome)
    assert [summary(r) for r in a.reasons] == case.reasons
    if case.total is not None:
        assert a.total == case.total
    if case.maximum is not None:
        assert a.maximum == case.maximum


def test_outcome_names_are_the_contract():
    assert [o.value for o in Outcome] == [
        "incomplete",
        "gate failed",
        "below threshold",
        "conditional",
        "pass",
    ]
    assert Outcome.GATE_FAILED.key == "gate_failed"


# --- details behind the table ---------------------------------------------------------------


def test_section_of_all_na_is_not_scored_and_not_judged():
    a = run("other", changes=every("B1 B2 B3 B4", "na"))
    b = next(s for s in a.sections if s.section.id == "B")
    assert b.score is None
    assert b.meets_threshold is None
    assert not b.counted
    assert b.count("na") == 4
    assert a.required_total == Fraction(10)  # 2/3 of 15, not of 20


def test_na_is_left_out_of_the_section_mean():
    a = run("other", changes={"A1": 5, "A3": "na"})
    assert next(s for s in a.sections if s.section.id == "A").score == 5


def test_nothing_scored_has_no_percentage():
    a = run("other", changes=every("A1 A3 B1 B2 B3 B4 C1 C2 C3 C4 X1 X2 X4 X5 X6", "na"))
    assert a.weighted_percent is None


def test_exact_fractions_two_thirds_is_met():
    a = run("other", base=3, changes={**X_ONLY_THREE, "X1": 4.5, "X2": 4.5, "X4": 4})
    assert a.required_total == Fraction(40, 3)
    assert a.total == a.required_total
    assert a.outcome is Outcome.PASS


def test_conditions_are_carried_to_the_reason():
    a = run("other", changes={"A2": "conditional"})
    assert a.reasons[0].items == ("該非判定の完了",)


def test_gate_results_are_kept_apart_from_the_scores():
    a = run("joint_research", changes={"A2": "fail"})
    assert [g.criterion.id for g in a.gates] == ["A2", "X7"]
    for s in a.sections:
        assert all(r.criterion.kind == "score" for r in s.results)


def test_portfolio_criterion_is_listed_but_never_scored():
    a = run("other")
    assert [(r.criterion.id, r.status) for r in a.portfolio] == [("X3", "portfolio")]
    assert "X3" not in missing_criteria(RUBRIC, proposal("other"), review("other"))


@pytest.mark.parametrize(
    ("programme", "sections"),
    [
        ("joint_research", ["A", "B", "C", "X", "JR"]),
        ("brain_circulation", ["A", "B", "C", "X", "BC"]),
        ("other", ["A", "B", "C", "X"]),
    ],
)
def test_programme_section_is_chosen_by_programme(programme, sections):
    a = run(programme)
    assert [s.section.id for s in a.sections] == sections


def test_missing_list_follows_the_rubric_order():
    scrambled = Review(
        proposal="TEST-2026-001",
        rubric=RUBRIC.ref,
        answers={
            "JR3": answer(4),
            "X4": answer(4),
            "A3": answer(4),
            "B2": answer(4),
            "X7": answer("pass"),
            "C4": answer(4),
            "A1": answer(4),
        },
    )
    a = assess(RUBRIC, proposal("joint_research"), scrambled)
    assert a.missing == [
        "A2",
        "B1",
        "B3",
        "B4",
        "C1",
        "C2",
        "C3",
        "X1",
        "X2",
        "X5",
        "X6",
        "JR1",
        "JR2",
        "JR4",
        "JR5",
        "JR6",
        "JR7",
    ]
    assert a.reasons[0].items == tuple(a.missing)


def test_empty_review_misses_every_required_criterion():
    empty = Review(proposal="TEST-2026-001", rubric=RUBRIC.ref)
    a = assess(RUBRIC, proposal("brain_circulation"), empty)
    assert a.missing == [
        "A1",
        "A2",
        "A3",
        "B1",
        "B2",
        "B3",
        "B4",
        "C1",
        "C2",
        "C3",
        "C4",
        "X1",
        "X2",
        "X4",
        "X5",
        "X6",
        "X7",
        "BC1",
        "BC2",
        "BC3",
        "BC4",
        "BC5",
    ]


# --- weights: for ranking only ----------------------------------------------------------------

UNWEIGHTED = RUBRIC.model_copy(update={"weights": {}})

WEIGHT_CASES = [
    # B counts 1.5 for joint research: the weighted percentage would clear two thirds,
    # the unweighted total does not. The outcome must follow the unweighted total.
    ("jr-strong-b-weak-total", "joint_research", 3, every("B1 B2 B3 B4", 4.5)),
    ("bc-strong-a-weak-total", "brain_circulation", 3, every("A1 A3", 5)),
    ("jr-weak-b", "joint_research", 4, every("B1 B2 B3 B4", 2.5)),
    ("bc-pass", "brain_circulation", 4, {}),
    ("other-pass", "other", 4, {}),
]


@pytest.mark.parametrize(
    ("programme", "base", "changes"), [c[1:] for c in WEIGHT_CASES], ids=[c[0] for c in WEIGHT_CASES]
)
def test_weights_never_change_the_outcome(programme, base, changes):
    weighted = run(programme, base, changes)
    flat = run(programme, base, changes, rubric=UNWEIGHTED)
    assert weighted.outcome == flat.outcome
    assert [summary(r) for r in weighted.reasons] == [summary(r) for r in flat.reasons]
    assert weighted.total == flat.total
    assert weighted.maximum == flat.maximum
    assert flat.weighted_total == flat.total


def test_weights_change_the_weighted_total():
    a = run("joint_research", 3, every("B1 B2 B3 B4", 4.5))
    assert a.total == Fraction(33, 2)  # 3 + 4.5 + 3 + 3 + 3
    assert a.outcome is Outcome.BELOW_THRESHOLD  # 16.5 < 2/3 × 25
    assert a.weighted_total == Fraction(75, 4)  # 3 + 1.5 × 4.5 + 3 + 3 + 3
    assert a.weighted_maximum == Fraction(55, 2)  # 5 × 4 + 1.5 × 5
    assert a.weighted_percent > Fraction(200, 3)  # weighted, it would have cleared 2/3
    b_section = next(s for s in a.sections if s.section.id == "B")
    assert b_section.weight == Fraction(3, 2)


def test_other_programme_weighs_everything_one():
    a = run("other", 4, {"A1": 5})
    assert a.weighted_total == a.total
    assert a.weighted_maximum == a.maximum
