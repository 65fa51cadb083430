"""`sti-review check PROPOSAL…` through typer's CliRunner: exit codes 0 / 1 / 2, --strict, the
three formats, -o/--force, and the findings section of the assessment report."""

from __future__ import annotations

import json

import pytest
import yaml

from .conftest import DATA, EXAMPLES

CHECKS = DATA / "checks"
COMPLETE_JA = CHECKS / "complete-ja-joint-research.yaml"
COMPLETE_EN = CHECKS / "complete-en-brain-circulation.yaml"
GAPS_JA = CHECKS / "gaps-ja-joint-research.yaml"
GAPS_EN = CHECKS / "gaps-en-brain-circulation.yaml"


@pytest.fixture
def warnings_only(write):
    """The complete Japanese proposal without its industry and humanities members: one JR3 warning."""
    data = yaml.safe_load(COMPLETE_JA.read_text(encoding="utf-8"))
    data["team"] = [m for m in data["team"] if m["discipline"] not in ("industry", "humanities_social")]
    return write("warn.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


# --- exit codes -----------------------------------------------------------------------------


def test_complete_proposals_pass(invoke):
    result = invoke("check", COMPLETE_JA, COMPLETE_EN, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "✓ passed" in result.stdout
    assert "2 files checked" in result.stdout


def test_errors_fail_with_exit_1(invoke):
    result = invoke("check", GAPS_JA, "--lang", "en")
    assert result.exit_code == 1
    assert "✗ failed" in result.stdout
    assert "7 errors, 6 warnings, 2 notes" in result.stdout
    assert f"{GAPS_JA}:" in result.stdout  # every finding names file:line:column


def test_warnings_pass_unless_strict(invoke, warnings_only):
    assert invoke("check", warnings_only).exit_code == 0
    result = invoke("check", warnings_only, "--strict", "--lang", "en")
    assert result.exit_code == 1
    assert "--strict" in result.stdout


def test_notes_never_fail(invoke, write):
    data = yaml.safe_load(COMPLETE_EN.read_text(encoding="utf-8"))
    data["kpis"].append({"objective": "A.talent", "indicator": "Mentoring quality", "target": "high"})
    path = write("note.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = invoke("check", path, "--strict", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["counts"] == {"error": 0, "warning": 0, "note": 1}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("id: [\n", "YAML syntax error"),
        ("id: X-1\ntitle: t\nprogramme: joint\npartners: [{country: TH}]\n", "programme"),
        ("- a list\n", "must be a YAML mapping"),
    ],
)
def test_bad_input_exits_2_with_a_located_message(invoke, write, text, says):
    path = write("bad.yaml", text)
    result = invoke("check", path)
    assert result.exit_code == 2
    assert f"error: {path}:" in result.stderr and says in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_and_review_file_are_bad_input(invoke):
    result = invoke("check", "no-such.yaml", EXAMPLES / "satreps-flood-ews-th.review.yaml")
    assert result.exit_code == 2
    assert "no-such.yaml: no such file" in result.stderr
    assert "this is a review file" in result.stderr


def test_bad_input_wins_over_failed_checks_and_the_rest_is_still_checked(invoke, write):
    bad = write("bad.yaml", "id: [\n")
    result = invoke("check", GAPS_JA, bad, COMPLETE_EN, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["proposals"]] == ["JR-2026-202", "BC-2026-301"]
    assert data["invalid"][0]["file"] == str(bad)
    assert data["invalid"][0]["problems"][0]["line"] == 2
    assert data["passed"] is False


def test_unknown_objective_is_a_finding_not_bad_input(invoke, write):
    text = COMPLETE_EN.read_text(encoding="utf-8").replace(
        "objectives: [A.networks, A.talent", "objectives: [A.network, A.talent"
    )
    result = invoke("check", write("p.yaml", text), "--lang", "en")
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())  # undo the terminal's line wrapping
    assert "Objective id 'A.network' is not in the rubric" in out
    assert "Did you mean A.networks?" in out


def test_bad_rubric_option_is_bad_input(invoke, tmp_path):
    result = invoke("check", COMPLETE_JA, "--rubric", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_another_rubric_without_checks(invoke, tmp_path):
    import shutil

    from sti_review.rubric import default_rubric_dir

    folder = tmp_path / "r"
    shutil.copytree(default_rubric_dir(), folder)
    (folder / "checks.yaml").unlink()
    # Without checks.yaml only the ids are checked: the gaps of this proposal go unnoticed…
    result = invoke("check", GAPS_JA, "--rubric", folder, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["proposals"][0]["findings"] == []
    # …but an id unknown to the rubric is still an error.
    result = invoke("check", GAPS_EN, "--rubric", folder, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["proposals"][0]["findings"]
    assert [(f["check"], f["field"]) for f in found] == [("rubric-references", "sections.BC6")]


# --- formats --------------------------------------------------------------------------------


def test_json_output(invoke):
    result = invoke("check", GAPS_EN, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema"] == "sti-review/checks@1"
    assert data["rubric"]["ref"] == "mext-sti-international-2021@1"
    assert (data["strict"], data["passed"]) == (False, False)
    [proposal] = data["proposals"]
    assert (proposal["id"], proposal["programme"], proposal["passed"]) == (
        "BC-2026-302",
        "brain_circulation",
        False,
    )
    bc5 = next(f for f in proposal["findings"] if f["check"] == "bc5-career-stages")
    assert bc5 == {
        "check": "bc5-career-stages",
        "type": "team_has",
        "variant": "too_few",
        "severity": "warning",
        "criterion": "BC5",
        "criterion_title": bc5["criterion_title"],
        "message": bc5["message"],
        "file": str(GAPS_EN),
        "line": 46,
        "column": 1,
        "field": "team",
        "items": ["faculty"],
    }
    assert "faculty" in bc5["message"]


def test_json_in_japanese(invoke):
    data = json.loads(invoke("check", GAPS_JA, "--format", "json", "--lang", "ja").stdout)
    messages = [f["message"] for f in data["proposals"][0]["findings"]]
    assert any("「環境、人権」" in m for m in messages)


def test_markdown_output(invoke):
    result = invoke("check", GAPS_JA, COMPLETE_EN, "--format", "markdown", "--lang", "ja")
    assert result.exit_code == 1
    md = result.stdout
    assert md.startswith("# 事前チェックの結果")
    assert "| JR-2026-202 |" in md and "❌ 要確認" in md and "✅ 問題なし" in md
    assert "| 重大度 | 評価項目 | 箇所 | 指摘 |" in md
    assert "partners\\[0\\].country" in md  # Markdown specials in fields are escaped
    assert "_指摘はありません_" in md


def test_terminal_output_in_japanese(invoke):
    result = invoke("check", GAPS_JA, "--lang", "ja")
    assert "✗ エラー" in result.stdout and "! 警告" in result.stdout and "i 注記" in result.stdout
    assert "要確認" in result.stdout
    assert "JR3 人社系・産業界を含むチーム構成" in result.stdout


def test_hostile_text_is_escaped(invoke, write):
    data = yaml.safe_load(COMPLETE_EN.read_text(encoding="utf-8"))
    data["kpis"][0]["target"] = "see [red]x[/red] | `code` \x1b[J"  # no digit: a note
    path = write("h.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    terminal = invoke("check", path, "--lang", "en").stdout
    assert "\x1b" not in terminal and "\\x1b" in terminal and "[red]x[/red]" in terminal
    md = invoke("check", path, "--format", "markdown").stdout
    assert "\x1b" not in md and "\\|" in md and "\\`code\\`" in md


def test_output_file_and_force(invoke, tmp_path):
    out = tmp_path / "checks.md"
    result = invoke("check", GAPS_EN, "--format", "markdown", "-o", out)
    assert result.exit_code == 1 and out.read_text(encoding="utf-8").startswith("# ")
    out.write_text("keep me", encoding="utf-8")
    result = invoke("check", GAPS_EN, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    result = invoke("check", GAPS_EN, "-o", out, "--force", "--lang", "en")
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "BC-2026-302" in text and "✗ failed" in text


def test_help_names_the_options(invoke):
    result = invoke("check", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--output", "--lang", "--rubric", "--strict", "--force"):
        assert option in result.stdout


# --- the assessment report has a findings section of its own ---------------------------------


def test_assess_terminal_shows_the_findings(invoke):
    result = invoke("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    assert "Pre-checks" in out
    assert out.index("Outcome: conditional") < out.index("Pre-checks")  # the decision leads (issue 16)
    assert "lacks a data-management plan" in out


def test_assess_markdown_and_json_show_the_findings(invoke):
    proposal = EXAMPLES / "bc-quantum-mobility-de.yaml"
    md = invoke("assess", proposal, "--format", "markdown", "--lang", "ja").stdout
    assert "## 事前チェック" in md and "| ⚠️ 警告 | A2 " in md
    data = json.loads(invoke("assess", proposal, "--format", "json").stdout)
    assert [f["check"] for f in data["findings"]] == ["a2-strategic-tech-data-management"]


def test_assess_of_a_clean_proposal_says_no_findings(invoke):
    proposal = EXAMPLES / "satreps-flood-ews-th.yaml"
    assert "Pre-checks  no findings" in invoke("assess", proposal, "--lang", "en").stdout
    data = json.loads(invoke("assess", proposal, "--format", "json").stdout)
    assert data["findings"] == []


def test_report_modules_without_findings_keep_working():
    from sti_review.api import open_job
    from sti_review.report.json import assessment as json_report
    from sti_review.report.markdown import assessment as markdown
    from sti_review.report.registry import Format, render
    from sti_review.report.views import AssessmentView

    assessment = open_job(EXAMPLES / "satreps-flood-ews-th.yaml").assessment()
    assert json.loads(json_report.render_text(assessment, "en"))["findings"] is None
    assert "Pre-checks" not in markdown.render_text(assessment, "en")
    assert "Pre-checks" not in render(AssessmentView(assessment), Format.terminal, lang="en").decode()
