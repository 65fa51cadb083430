"""The review file: each reviewer mistake is reported with file, line and field.

Every case is a review of the Japanese joint-research proposal in tests/data, saved as
``review.yaml`` in the working folder. The header takes lines 1–4, so the first answer is on
line 5::

    1 proposal: JR-2026-101
    2 reviewer: 山田 花子
    3 rubric: mext-sti-international-2021@1
    4 answers:
    5   A1: …
"""

from __future__ import annotations

import pytest

from sti_review.api import open_job
from sti_review.errors import InputError
from sti_review.review import review_to_data
from sti_review.rubric import load_rubric

from .conftest import DATA, problem_matching

PROPOSAL = DATA / "proposal-ja-joint-research.yaml"
HEADER = """\
proposal: {proposal}
reviewer: 山田 花子
rubric: {rubric}
answers:
"""


@pytest.fixture
def review_problems(tmp_path, monkeypatch):
    """Write review.yaml (header + answers) and return the problems a user would see."""
    monkeypatch.chdir(tmp_path)

    def _problems(
        answers: str, *, proposal: str = "JR-2026-101", rubric: str = "mext-sti-international-2021@1"
    ) -> list[str]:
        text = HEADER.format(proposal=proposal, rubric=rubric) + answers
        (tmp_path / "review.yaml").write_text(text, encoding="utf-8")
        try:
            open_job(PROPOSAL, "review.yaml")
        except InputError as exc:
            return [str(p) for p in exc.problems]
        return []

    return _problems


def test_complete_japanese_review_has_no_problems(review_problems):
    answers = (DATA / "review-ja-joint-research.yaml").read_text(encoding="utf-8")
    body = answers[answers.index("answers:\n") + len("answers:\n") :]
    assert review_problems(body) == []


def test_partial_review_is_not_an_error(review_problems):
    """Unanswered criteria make a review incomplete, not invalid."""
    assert review_problems("  A1: {score: 4}\n") == []


# (case id, answers starting on line 5, expected line, field, words of the message)
MISTAKES = [
    (
        "off-step-score",
        "  A1: {score: 4.3}\n",
        5,
        "answers.A1.score",
        "4.3 is not on the scale (0–5 in steps of 0.5)",
    ),
    ("score-above-scale", "  A1: {score: 6}\n", 5, "answers.A1.score", "not on the scale"),
    ("negative-score", "  A1: {score: -0.5}\n", 5, "answers.A1.score", "not on the scale"),
    ("nan-score", "  A1: {score: .nan}\n", 5, "answers.A1.score", "NaN is not on the scale"),
    ("infinite-score", "  A1: {score: .inf}\n", 5, "answers.A1.score", "not on the scale"),
    ("verdict-on-scored", "  A1: {verdict: pass}\n", 5, "answers.A1.verdict", "a verdict is only for gates"),
    ("score-on-gate", "  A2: {score: 4}\n", 5, "answers.A2", "A2 is a gate: it needs a verdict"),
    (
        "na-on-gate",
        "  A2: {na: true, comment: 該当しない}\n",
        5,
        "answers.A2",
        "A2 is a gate: it needs a verdict",
    ),
    (
        "unknown-verdict",
        "  X7: {verdict: ok, comment: x}\n",
        5,
        "answers.X7.verdict",
        "'pass', 'conditional' or 'fail'",
    ),
    ("portfolio-x3", "  X3: {score: 3, comment: 重複なし}\n", 5, "answers.X3", "X3 is a portfolio criterion"),
    ("bc1-on-joint-research", "  BC1: {score: 4}\n", 5, "answers.BC1", "BC1 belongs to section BC"),
    (
        "unknown-criterion",
        "  JR8: {score: 4}\n",
        5,
        "answers.JR8",
        "unknown criterion 'JR8' (did you mean JR7?)",
    ),
    (
        "no-comment-on-score-2",
        "  A1: {score: 2}\n",
        5,
        "answers.A1.comment",
        "a comment is required for a score of 2 or less",
    ),
    ("no-comment-on-score-0", "  A1: {score: 0}\n", 5, "answers.A1.comment", "comment is required"),
    (
        "blank-comment-on-score-1",
        "  A1: {score: 1, comment: '   '}\n",
        5,
        "answers.A1.comment",
        "comment is required",
    ),
    ("no-comment-on-na", "  B3: {na: true}\n", 5, "answers.B3.comment", "a comment is required for N/A"),
    (
        "no-comment-on-conditional",
        "  A2: {verdict: conditional, conditions: [該非判定の提出]}\n",
        5,
        "answers.A2.comment",
        "a comment is required for the verdict conditional",
    ),
    (
        "no-comment-on-fail",
        "  X7: {verdict: fail}\n",
        5,
        "answers.X7.comment",
        "a comment is required for the verdict fail",
    ),
    (
        "conditional-without-conditions",
        "  A2: {verdict: conditional, comment: 条件付き}\n",
        5,
        "answers.A2.conditions",
        "a conditional verdict needs its conditions listed",
    ),
    (
        "conditional-with-blank-condition",
        "  A2: {verdict: conditional, conditions: ['  '], comment: 条件付き}\n",
        5,
        "answers.A2.conditions",
        "conditions listed",
    ),
    (
        "conditions-on-pass",
        "  A2: {verdict: pass, conditions: [DMPの提出]}\n",
        5,
        "answers.A2",
        "conditions belong to a verdict: conditional",
    ),
    (
        "score-and-na",
        "  A1: {score: 4, na: true, comment: x}\n",
        5,
        "answers.A1",
        "exactly one of score, verdict or na: true (got score and na)",
    ),
    ("comment-only", "  A1: {comment: 後で採点する}\n", 5, "answers.A1", "(got none)"),
    ("answer-not-a-mapping", "  A1: 4\n", 5, "answers.A1", "must be a mapping"),
    ("unknown-answer-field", "  A1: {score: 4, coment: typo}\n", 5, "answers.A1.coment", "unknown field"),
    (
        "mistake-on-a-later-line",
        "  A1: {score: 4}\n  A3: {score: 3}\n  B1: {score: 4.25}\n",
        7,
        "answers.B1.score",
        "not on the scale",
    ),
]


@pytest.mark.parametrize(
    ("answers", "line", "field", "words"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_mistake_is_located(review_problems, answers, line, field, words):
    problems = review_problems(answers)
    problem_matching(problems, f"review.yaml:{line}", field, words)
    assert len(problems) == 1, problems


def test_off_scale_message_echoes_the_number_as_written(review_problems):
    [problem] = review_problems("  A1: {score: 6}\n")
    assert "answers.A1.score: 6 is not on the scale" in problem


@pytest.mark.parametrize(
    "score", ["'4'", '"4.5"', "true", "四"], ids=["quoted-int", "quoted-float", "boolean", "kanji"]
)
def test_score_that_is_not_a_number_is_one_clear_problem(review_problems, score):
    problems = review_problems(f"  A1: {{score: {score}}}\n")
    problem_matching(problems, "review.yaml:5", "answers.A1.score", "must be a number")
    assert len(problems) == 1, problems


@pytest.mark.parametrize(
    "answer", ["{score: 2.5}", "{score: 3}", "{verdict: pass}"], ids=["score-2.5", "score-3", "gate-pass"]
)
def test_comment_is_optional_otherwise(review_problems, answer):
    cid = "A2" if "verdict" in answer else "A1"
    assert review_problems(f"  {cid}: {answer}\n") == []


def test_rubric_ref_mismatch(review_problems):
    [problem] = review_problems("  A1: {score: 4}\n", rubric="mext-sti-international-2021@2")
    problem_matching([problem], "review.yaml:3", "rubric", "mext-sti-international-2021@1")


def test_rubric_ref_without_version(review_problems):
    [problem] = review_problems("  A1: {score: 4}\n", rubric="mext-sti-international-2021")
    problem_matching([problem], "review.yaml:3", "rubric", "")


def test_proposal_id_mismatch(review_problems):
    [problem] = review_problems("  A1: {score: 4}\n", proposal="JR-2026-102")
    problem_matching([problem], "review.yaml:1", "proposal", "'JR-2026-102', not 'JR-2026-101'")


def test_every_problem_is_reported_at_once():
    """The broken fixture has one mistake per answer line (lines 6–13)."""
    with pytest.raises(InputError) as caught:
        open_job(PROPOSAL, DATA / "review-ja-broken.yaml")
    problems = caught.value.problems
    located = {(p.line, p.field) for p in problems}
    assert located == {
        (6, "answers.A1.score"),  # 4.3 off the scale
        (7, "answers.A2"),  # a score on a gate
        (8, "answers.A3.score"),  # 6
        (9, "answers.B1.verdict"),  # a verdict on a scored criterion
        (10, "answers.B2.comment"),  # 1.5 without a comment
        (11, "answers.X3"),  # portfolio criterion answered
        (12, "answers.X7.conditions"),  # conditional without conditions
        (13, "answers.BC1"),  # brain-circulation item on a joint-research proposal
    }
    assert all(p.file.endswith("review-ja-broken.yaml") for p in problems)


def test_structure_and_reference_mistakes_are_reported_together(review_problems):
    problems = review_problems("  A1: {score: '4'}\n  A2: {score: 4}\n  X3: {score: 3}\n")
    assert [p.split(": ")[0].rsplit(":", 1)[0] for p in problems] == [
        "review.yaml:5",
        "review.yaml:6",
        "review.yaml:7",
    ]


def test_review_to_data_keeps_the_contract_shape():
    """What the questionnaire saves: whole scores as ints, only the fields that are set."""
    from sti_review.review import load_review

    review = load_review(DATA / "review-en-brain-circulation.yaml").review
    data = review_to_data(review)
    assert list(data)[:3] == ["proposal", "reviewer", "rubric"]
    assert data["answers"]["A1"] == {
        "score": 4,
        "comment": "Access to year-round Arctic moorings is of clear value.",
    }
    assert data["answers"]["A3"] == {"score": 4.5}
    assert data["answers"]["B1"] == {"na": True, "comment": "Not an aim of a mobility programme."}
    assert data["answers"]["X7"]["verdict"] == "pass"
    assert load_rubric().ref == data["rubric"]
