"""The overall grade (総合評価) in the questionnaire (issue 14): asked after the last criterion when
the rubric defines one, with the levels' labels and guidance; a committee-only comment; feedback
where the rubric requires it; saved like every answer and never asked again once given.

The walks use a copy of examples/other-ocean-data-ph.yaml (17 criteria, gates A2 and X7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sti_review import questionnaire as q
from sti_review.review import Answer, OverallAnswer, read_review
from sti_review.rubric import load_rubric

from .conftest import EXAMPLES

ORDER = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6", "X7"]
GATES = {"A2", "X7"}
DECLARE = ["y", "0"]


@pytest.fixture
def proposal(tmp_path: Path) -> Path:
    path = tmp_path / "ocean.yaml"
    shutil.copy(EXAMPLES / "other-ocean-data-ph.yaml", path)
    return path


def saved(proposal: Path) -> dict:
    return yaml.safe_load(proposal.with_name("ocean.review.yaml").read_text(encoding="utf-8"))


def plain(ids=ORDER) -> list[str]:
    out: list[str] = []
    for cid in ids:
        out += ["p" if cid in GATES else "4", ""]
    return out


def walk(proposal: Path, answers, lang="en", *, rubric_change=None, declare=True):
    job, earlier = q.open_for_walk(proposal)
    session = q.Session(job, earlier)
    if rubric_change is not None:
        session.rubric = rubric_change(session.rubric)
    prompter = q.ScriptedPrompter((DECLARE if declare else []) + ["Aya"] * declare + list(answers))
    result = q.Questionnaire(session, prompter, lang, default_reviewer="").run()
    return result, prompter, session


def test_the_grade_is_asked_after_the_last_criterion_with_labels_and_guidance(proposal):
    result, prompter, session = walk(proposal, plain() + ["3", "Committee: strong team.", ""])
    assert result.status == "done"
    prompts = prompter.prompts
    at = prompts.index("Overall grade (4, 3, 2, 1)")
    assert prompts[at - 2].startswith("X7 verdict")  # right after the last criterion
    assert prompts[at + 1].startswith("Overall grade comment (committee only")
    assert prompts[at + 2].startswith("A criterion id to change (e.g. B4), or “overall”")
    text = " ".join(prompter.transcript.split())
    for label, guidance in (
        ("S (excellent)", "should be selected with the highest priority"),
        ("A (very good)", "should be selected"),
        ("C (insufficient)", "should not be selected"),
    ):
        assert label in text and guidance in text
    assert "✓ Overall grade 3 A (very good) — saved" in text
    assert saved(proposal)["overall"] == {"grade": 3, "comment": "Committee: strong team."}
    _, problems = read_review(proposal.with_name("ocean.review.yaml"), session.rubric, session.proposal)
    assert problems == []


def test_japanese_walk_full_width_value_and_whole_label(proposal):
    result, prompter, _ = walk(proposal, plain() + ["５", "B（良好）", "", ""], lang="ja")
    assert result.status == "done"
    text = " ".join(prompter.transcript.split())
    assert "総合評価（4, 3, 2, 1 のいずれか）" in prompter.prompts
    assert "S（極めて優れている）" in text and "最優先で採択すべき" in text
    assert "「５」は総合評価の段階ではありません" in text
    assert "✓ 総合評価 2 B（良好） — 保存しました" in text
    assert saved(proposal)["overall"] == {"grade": 2}


def test_a_letter_that_is_a_command_stays_the_command(proposal):
    result, prompter, _ = walk(proposal, plain() + ["Ｓ", "", "n"], lang="ja")
    assert result.status == "done"
    assert "総合評価 を飛ばしました" in " ".join(prompter.transcript.split())
    assert "未回答の評価項目があります（総合評価）。今から回答しますか？ [Y/n]" in prompter.prompts
    assert "overall" not in saved(proposal)


def test_enter_at_the_summary_offers_a_skipped_grade(proposal):
    result, prompter, _ = walk(proposal, plain() + ["s", "", "y", "2", "", ""])
    assert result.status == "done"
    assert "Not answered yet: Overall grade. Answer them now? [Y/n]" in prompter.prompts
    assert saved(proposal)["overall"] == {"grade": 2}


def test_invalid_grades_are_asked_again_with_the_values(proposal):
    result, prompter, _ = walk(proposal, plain() + ["", "5", "A", "2.5", "x" * 5000, "1", "-", ""])
    assert result.status == "done"
    text = " ".join(prompter.transcript.split())
    assert "Type the overall grade (4, 3, 2, 1; s to skip it)." in text
    assert "“5” is not a level of the overall grade; type one of the values 4, 3, 2, 1." in text
    assert "“A” is not a level" in text
    assert "“2.5” is not a level" in text
    assert f"“{'x' * 40}” is not a level" in text  # a huge answer is cut in the message
    assert saved(proposal)["overall"] == {"grade": 1}


def test_back_at_the_grade_returns_to_the_last_criterion(proposal):
    answers = plain() + ["b", "f", "Not acceptable.", "Fix the ethics plan.", "2", "", ""]
    result, prompter, _ = walk(proposal, answers)
    assert result.status == "done"
    data = saved(proposal)
    assert data["answers"]["X7"]["verdict"] == "fail"
    assert data["overall"] == {"grade": 2}
    grade_prompts = [p for p in prompter.prompts if p.startswith("Overall grade (")]
    assert len(grade_prompts) == 2


def test_back_at_the_comment_returns_to_the_grade(proposal):
    result, _, _ = walk(proposal, plain() + ["4", "b", "3", "kept", ""])
    assert result.status == "done"
    assert saved(proposal)["overall"] == {"grade": 3, "comment": "kept"}


def test_skip_leaves_it_for_the_summary_where_it_can_be_given(proposal):
    answers = plain() + ["s", "overall", "?", "2", "", ""]
    result, prompter, session = walk(proposal, answers)
    assert result.status == "done"
    text = " ".join(prompter.transcript.split())
    assert "Overall grade skipped" in text
    assert "Overall grade not answered" in text  # the summary's row
    assert saved(proposal)["overall"] == {"grade": 2}
    assert not session.overall_needed()


def test_a_skipped_grade_is_asked_again_when_answering_what_is_missing(proposal):
    answers = ["s"] + plain(ORDER[1:]) + ["s", "", "y", "4", "", "3", "", ""]
    result, _, _ = walk(proposal, answers)
    assert result.status == "done"
    data = saved(proposal)
    assert data["answers"]["A1"] == {"score": 4} and data["overall"] == {"grade": 3}


def test_the_summary_changes_a_given_grade_and_keeps_its_comment(proposal):
    answers = plain() + ["3", "first", "総合評価", "", "", ""]  # Enter keeps the grade and the comment
    result, prompter, _ = walk(proposal, answers)
    assert result.status == "done"
    assert "Overall grade (4, 3, 2, 1) [Enter keeps 3 A (very good)]" in prompter.prompts
    assert saved(proposal)["overall"] == {"grade": 3, "comment": "first"}


def test_resume_does_not_ask_a_given_grade_again(proposal):
    walk(proposal, plain() + ["3", "", "q"])
    result, prompter, _ = walk(proposal, ["", ""], declare=False)
    assert result.status == "done"
    assert not any(p.startswith("Overall grade (") for p in prompter.prompts)
    assert saved(proposal)["overall"] == {"grade": 3}


def test_quitting_at_the_grade_resumes_at_the_grade(proposal):
    walk(proposal, plain() + ["q"])
    assert "overall" not in saved(proposal)
    result, prompter, _ = walk(proposal, ["4", "", ""], declare=False)
    assert result.status == "done"
    assert prompter.prompts[0] == "Overall grade (4, 3, 2, 1)"
    assert "Every criterion is answered; the overall grade is left." in " ".join(prompter.transcript.split())
    assert saved(proposal)["overall"] == {"grade": 4}


def test_feedback_is_asked_where_the_rubric_requires_it(proposal):
    def needs_feedback(rubric):
        return rubric.model_copy(update={"feedback": rubric.feedback.model_copy(update={"overall": True})})

    answers = plain() + ["2", "committee only", "", "Sharpen the aims.", ""]
    result, prompter, _ = walk(proposal, answers, rubric_change=needs_feedback)
    assert result.status == "done"
    assert "Overall grade feedback to the applicant (required)" in prompter.prompts
    assert "The rubric asks for feedback to the applicant on this answer." in prompter.transcript
    assert "Feedback may be shown to the applicant" in prompter.transcript
    assert saved(proposal)["overall"] == {
        "grade": 2,
        "comment": "committee only",
        "feedback": "Sharpen the aims.",
    }


def test_a_rubric_without_an_overall_grade_never_asks_it(proposal):
    def without(rubric):
        return rubric.model_copy(update={"overall": None})

    result, prompter, _ = walk(proposal, plain() + [""], rubric_change=without)
    assert result.status == "done"
    assert not any("Overall grade" in p for p in prompter.prompts)
    assert "overall" not in saved(proposal)
    assert any(p.startswith("A criterion id to change") for p in prompter.prompts)


def test_an_overall_grade_saved_meanwhile_by_another_process_is_kept(proposal):
    job, earlier = q.open_for_walk(proposal)
    session = q.Session(job, earlier)
    session.set_reviewer("Aya")
    path = proposal.with_name("ocean.review.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["overall"] = {"grade": 4, "comment": "from elsewhere"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    session.set_answer("A1", Answer(score=3))
    assert saved(proposal)["overall"] == {"grade": 4, "comment": "from elsewhere"}
    assert "overall" in session.merged


def test_a_grade_the_rubric_does_not_define_is_refused_before_saving(proposal):
    job, earlier = q.open_for_walk(proposal)
    session = q.Session(job, earlier)
    with pytest.raises(q.AnswerError):
        session.set_overall(OverallAnswer(grade=7))
    assert not proposal.with_name("ocean.review.yaml").exists()


def test_the_grade_parser_reads_values_like_scores_and_whole_labels():
    overall = load_rubric().overall
    assert overall is not None
    for text, value in (
        ("4", 4),
        ("３", 3),
        ("2,0", 2),
        ("1点", 1),
        ("A (very good)", 3),
        ("Ｃ（不十分）", 1),
    ):
        assert q.answers.parse_grade(text, overall) == value
    for text in ("", "0", "S", "A", "NaN", "inf", "1e400", "\x00"):
        with pytest.raises(q.AnswerError):
            q.answers.parse_grade(text, overall)
