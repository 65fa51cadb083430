"""`sti-review assess` with the questionnaire, through typer's CliRunner and scripted input.

``--interactive`` asks the questions although the runner's stdin is not a terminal. The proposal
is a copy of examples/other-ocean-data-ph.yaml (17 criteria; gates A2 and X7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES

ORDER = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6", "X7"]
GATES = {"A2", "X7"}


@pytest.fixture
def proposal(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "other-ocean-data-ph.yaml", tmp_path / "ocean.yaml")
    return Path("ocean.yaml")


REVIEW = Path("ocean.review.yaml")


# Asked first on a new review: the confidentiality pledge (y), then no conflict of interest (0).
DECLARE = ["y", "0"]
# Asked after the last criterion (the MEXT rubric defines an overall grade): 3, no comment.
GRADE = ["3", ""]


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def plain(ids=ORDER, score="4") -> list[str]:
    out: list[str] = []
    for cid in ids:
        out += ["p" if cid in GATES else score, ""]
    return out


def answers() -> dict:
    return yaml.safe_load(REVIEW.read_text(encoding="utf-8"))["answers"]


def test_a_full_walk_ends_with_the_report(invoke, proposal):
    result = invoke(
        "assess",
        proposal,
        "--interactive",
        "--lang",
        "en",
        input=lines(*DECLARE, "Aya", *plain(), *GRADE, ""),
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Criteria to answer: 17" in out
    assert "All answers are saved in ocean.review.yaml." in out
    assert "Outcome: pass" in out
    assert "Total (unweighted)" in out
    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    assert data["reviewer"] == "Aya"
    assert list(data["answers"]) == ORDER


def test_the_report_is_the_same_as_the_non_interactive_one(invoke, proposal):
    walked = invoke(
        "assess",
        proposal,
        "--interactive",
        "--lang",
        "en",
        input=lines(*DECLARE, "Aya", *plain(), *GRADE, ""),
    )
    again = invoke("assess", proposal, "--lang", "en", "--no-input")
    assert again.exit_code == 0
    assert walked.stdout.endswith(again.stdout)


def test_back_skip_na_invalid_score_and_missing_comment(invoke, proposal):
    script = [
        *DECLARE,
        "Aya",
        "4.3",  # not on the scale: asked again
        "4",
        "",
        "b",  # back at A2's verdict: A1 again
        "",  # Enter keeps 4
        "",  # and its (empty) comment
        "p",
        "",
        "na",  # A3 N/A ...
        "",  # ... needs a comment
        "No researchers are sent abroad.",
        "s",  # skip B1
        *plain(ORDER[4:]),
        *GRADE,
        "",  # finish at the summary
        "y",  # answer the skipped B1 now
        "2",
        "",  # a score of 2 needs a comment
        "Roll-out is only asserted.",
        "The roll-out plan needs concrete steps.",  # feedback: a score below the pass line (3)
        "",
    ]
    result = invoke("assess", proposal, "--interactive", "--lang", "en", input=lines(*script))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "4.3 is not on the scale's steps of 0.5: use 4 / 4.5." in out
    assert "A comment is needed (N/A): say briefly why." in out
    assert "B1 skipped" in out
    assert "A comment is needed (a score of 2 or less)" in out
    got = answers()
    assert got["A1"] == {"score": 4}
    assert got["A3"] == {"na": True, "comment": "No researchers are sent abroad."}
    assert got["B1"] == {
        "score": 2,
        "comment": "Roll-out is only asserted.",
        "feedback": "The roll-out plan needs concrete steps.",
    }


def test_save_and_quit(invoke, proposal):
    result = invoke("assess", proposal, "--interactive", input=lines(*DECLARE, "Aya", "4", "", "q"))
    assert result.exit_code == 0  # a deliberate save-and-quit; Ctrl-C and Ctrl-D stay 130
    assert "Saved to ocean.review.yaml (1 of 17 answered)." in result.stderr
    assert "To resume: sti-review assess ocean.yaml --interactive" in result.stderr
    assert answers() == {"A1": {"score": 4}}
    assert "Outcome" not in result.stdout


def test_end_of_input_saves_and_says_how_to_resume(invoke, proposal):
    result = invoke(
        "assess",
        proposal,
        "--interactive",
        "--lang",
        "ja",
        input=lines(*DECLARE, "Aya", "4", "", "p", "", "3"),
    )
    assert result.exit_code == 130
    err = result.stderr
    assert "中断しました。回答は ocean.review.yaml に保存されています（2/17件）。" in err
    assert "入力途中だった A3 は保存していません" in err
    assert "再開するには：sti-review assess ocean.yaml --lang ja --interactive" in err
    assert answers() == {"A1": {"score": 4}, "A2": {"verdict": "pass"}}


def test_running_again_resumes(invoke, proposal):
    invoke("assess", proposal, "--interactive", "--lang", "en", input=lines(*DECLARE, "Aya", "4", "", "q"))
    result = invoke(
        "assess", proposal, "--interactive", "--lang", "en", input=lines(*plain(ORDER[1:]), *GRADE, "")
    )
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.stdout
    assert "Resuming the review in ocean.review.yaml (Aya, 1 of 17 answered); continuing at A2." in " ".join(
        result.stdout.split()
    )
    assert "Outcome: pass" in result.stdout


def test_leaving_criteria_unanswered_gives_the_incomplete_report(invoke, proposal):
    script = [*DECLARE, "Aya", "s", *plain(ORDER[1:]), *GRADE, "", "n"]
    result = invoke("assess", proposal, "--interactive", "--lang", "en", input=lines(*script))
    assert result.exit_code == 3
    assert "Outcome: incomplete" in result.stdout
    assert "incomplete review, 1 criteria not answered: A1" in result.stderr


def test_japanese_input_and_messages(invoke, proposal):
    script = [*DECLARE, "山田 花子", "４．５", "相手側データの価値", "ｃ", "協定の締結", "", "協定が未締結"]
    script += ["データ共有協定の締結が必要です", "q"]  # feedback to the applicant: required for c
    result = invoke("assess", proposal, "--interactive", "--lang", "ja", input=lines(*script))
    assert result.exit_code == 0  # q
    assert "✓ A1 4.5 優れている — 保存しました" in result.stdout
    assert "保存しました：ocean.review.yaml（2/17件 回答済み）。" in result.stderr
    text = REVIEW.read_text(encoding="utf-8")
    assert "reviewer: 山田 花子" in text
    assert answers()["A2"] == {
        "verdict": "conditional",
        "conditions": ["協定の締結"],
        "comment": "協定が未締結",
        "feedback": "データ共有協定の締結が必要です",
    }
    assert "申請者に示されることがあります" in result.stdout


def test_no_input_is_unchanged(invoke, proposal):
    result = invoke("assess", proposal, "--no-input", input="4\n")
    assert result.exit_code == 3
    assert not REVIEW.exists()


def test_without_a_terminal_no_question_is_asked(invoke, proposal):
    result = invoke("assess", proposal, input=lines(*DECLARE, "Aya", "4"))
    assert result.exit_code == 3
    assert "Your name" not in result.stdout
    assert not REVIEW.exists()


def test_interactive_and_no_input_contradict(invoke, proposal):
    result = invoke("assess", proposal, "--interactive", "--no-input")
    assert result.exit_code == 2
    assert "cannot be used together" in result.stderr


def test_a_complete_review_just_gives_the_report(invoke, proposal):
    data = yaml.safe_load((EXAMPLES / "other-ocean-data-ph.review.yaml").read_text(encoding="utf-8"))
    data["overall"] = {"grade": 2}
    REVIEW.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = invoke("assess", proposal, "--interactive", "--lang", "en")
    assert result.exit_code == 0
    assert "Outcome: below threshold" in result.stdout
    assert "Your name" not in result.stdout
    assert "Overall grade (" not in result.stdout  # given already: not asked again


def test_a_complete_review_without_an_overall_grade_is_asked_only_for_it(invoke, proposal):
    shutil.copy(EXAMPLES / "other-ocean-data-ph.review.yaml", REVIEW)
    result = invoke(
        "assess",
        proposal,
        "--interactive",
        "--lang",
        "en",
        input=lines(*DECLARE, "5", "C", "2", "Solid but narrow.", ""),
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Every criterion is answered; the overall grade is left." in out
    assert "S (excellent)" in out and "should not be selected" in out  # levels and guidance
    assert "“5” is not a level of the overall grade; type one of the values 4, 3, 2, 1." in out
    assert "“C” is not a level" in out  # a label's letter alone is no grade
    assert "Outcome: below threshold" in result.stdout
    saved = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    assert saved["overall"] == {"grade": 2, "comment": "Solid but narrow."}
    assert "A1 score" not in out  # no criterion is asked again


def test_a_broken_review_is_an_error_not_a_questionnaire(invoke, proposal):
    REVIEW.write_text(
        "proposal: OTH-2026-009\nreviewer: A\nrubric: mext-sti-international-2021@1\n"
        "answers:\n  A1: {score: 9}\n",
        encoding="utf-8",
    )
    result = invoke("assess", proposal, "--interactive")
    assert result.exit_code == 2
    assert "error: ocean.review.yaml:5:" in result.stderr
    assert "Traceback" not in result.output


def test_a_review_that_cannot_be_saved_stops_before_the_first_answer(invoke, proposal):
    result = invoke(
        "assess",
        proposal,
        "--interactive",
        "--review",
        "nowhere/r.yaml",
        input=lines(*DECLARE, "Aya", "4", ""),
    )
    assert result.exit_code == 2
    assert "error: nowhere/r.yaml: cannot be written" in result.stderr
    assert "A1 score" not in result.stdout


def test_a_changed_proposal_is_reported_before_continuing(invoke, proposal):
    invoke("assess", proposal, "--interactive", input=lines(*DECLARE, "Aya", "4", "", "q"))
    proposal.write_text(proposal.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = invoke("assess", proposal, "--interactive", "--lang", "en", input=lines("n"))
    assert result.exit_code == 130
    assert "The proposal file has changed since this review was last saved" in result.stdout
    assert "Stopped; ocean.review.yaml was not changed." in result.stderr


def test_the_report_can_go_to_a_file_after_the_walk(invoke, proposal):
    result = invoke(
        "assess",
        proposal,
        "--interactive",
        "-f",
        "markdown",
        "-o",
        "report.md",
        input=lines(*DECLARE, "Aya", *plain(), *GRADE, ""),
    )
    assert result.exit_code == 0, result.output
    assert Path("report.md").read_text(encoding="utf-8").startswith("#")


def test_a_declared_conflict_exits_0_with_the_declaration_saved(invoke, proposal):
    result = invoke("assess", proposal, "--interactive", "--lang", "ja", input=lines("y", "1", "y"))
    assert result.exit_code == 0, result.output
    assert "事務局が別の審査委員に割り当てます" in " ".join(result.stdout.split())
    assert "申告は ocean.review.yaml に保存しました" in result.stderr
    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    assert data["declaration"]["conflict"] == "relative" and data["answers"] == {}
    assert "Outcome" not in result.stdout and "評価結果" not in result.stdout
