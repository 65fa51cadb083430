"""The command line, driven through typer's CliRunner as a user would type it."""

from __future__ import annotations

import json
import re
import shutil

import pytest

import sti_review

from .conftest import ALL_IDS, DATA, EXAMPLE_OUTCOMES, EXAMPLES

PARTIAL = EXAMPLES / "satreps-flood-ews-th.partial.review.yaml"
PARTIAL_MISSING = ["C1", "C2", "C3", "C4", "X2", "X5", "X6", "JR1", "JR2", "JR3", "JR4", "JR5", "JR6", "JR7"]


def assert_clean_failure(result, code: int = 2) -> None:
    """A user error: the documented exit code, a message, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr


# --- assess: the four examples, in every format --------------------------------------------

EXAMPLE_IDS = list(EXAMPLE_OUTCOMES)


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_assess_terminal(invoke, name):
    result = invoke(
        "assess", EXAMPLES / f"{name}.yaml", "--review", EXAMPLES / f"{name}.review.yaml", "--lang", "en"
    )
    assert result.exit_code == 0, result.stderr
    assert f"Outcome: {EXAMPLE_OUTCOMES[name]}" in result.stdout
    assert "\x1b[" not in result.stdout, "NO_COLOR must give plain text"


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_assess_markdown(invoke, name):
    result = invoke("assess", EXAMPLES / f"{name}.yaml", "--format", "markdown", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert re.search(rf"^## Outcome: .*\*\*{EXAMPLE_OUTCOMES[name]}\*\*$", result.stdout, re.M)


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_assess_json(invoke, name):
    result = invoke("assess", EXAMPLES / f"{name}.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == EXAMPLE_OUTCOMES[name]
    assert report["reasons"] and all(r["code"] and r["text"] for r in report["reasons"])
    totals = report["totals"]
    assert 0 < totals["unweighted"] <= totals["maximum"]
    assert totals["weighted"] <= totals["weighted_maximum"]


def test_json_reasons_say_why(invoke):
    gate = json.loads(invoke("assess", EXAMPLES / "jr-border-surveillance-ai.yaml", "-f", "json").stdout)
    assert [(r["code"], r["criterion"]) for r in gate["reasons"]] == [
        ("gate_failed", "A2"),
        ("gate_failed", "X7"),
    ]
    below = json.loads(invoke("assess", EXAMPLES / "other-ocean-data-ph.yaml", "-f", "json").stdout)
    assert [(r["code"], r["section"]) for r in below["reasons"]] == [
        ("section_below", "X"),
        ("total_below", None),
    ]
    assert below["totals"]["maximum"] == 20  # no programme section for "other"
    assert below["totals"]["required"] == pytest.approx(40 / 3, abs=1e-3)
    conditional = json.loads(invoke("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "-f", "json").stdout)
    [reason] = conditional["reasons"]
    assert reason["code"] == "conditions" and reason["criterion"] == "A2"
    assert len(reason["items"]) == 3


def test_json_report_keeps_japanese_as_text(invoke):
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "json", "--lang", "ja")
    assert "タイ・チャオプラヤ川流域" in result.stdout  # not \\u escapes
    report = json.loads(result.stdout)
    assert report["outcome"] == "pass"
    assert report["outcome_label"] == "採択候補"


def test_tests_data_reviews_give_their_outcomes(invoke):
    for stem, outcome in [("ja-joint-research", "pass"), ("en-brain-circulation", "pass")]:
        result = invoke(
            "assess", DATA / f"proposal-{stem}.yaml", "-r", DATA / f"review-{stem}.yaml", "-f", "json"
        )
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["outcome"] == outcome


def test_all_na_section_is_shown_as_not_scored(invoke):
    result = invoke(
        "assess",
        DATA / "proposal-en-brain-circulation.yaml",
        "-r",
        DATA / "review-en-brain-circulation.yaml",
        "-f",
        "json",
    )
    report = json.loads(result.stdout)
    b = next(s for s in report["sections"] if s["id"] == "B")
    assert b["score"] is None and b["na"] == 4
    assert report["totals"]["maximum"] == 20


# --- the review file: default path, incomplete, missing -------------------------------------


def test_default_review_path_is_beside_the_proposal(invoke, tmp_path):
    proposal = tmp_path / "flood.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.yaml", proposal)
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.review.yaml", tmp_path / "flood.review.yaml")
    result = invoke("assess", proposal, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "pass"


def test_incomplete_review_with_no_input_exits_3_listing_missing_ids(invoke):
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "--review", PARTIAL, "--no-input")
    assert result.exit_code == 3
    assert ", ".join(PARTIAL_MISSING) in result.stderr
    assert "Traceback" not in result.stderr


def test_incomplete_json_lists_missing(invoke):
    result = invoke(
        "assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-r", PARTIAL, "--no-input", "-f", "json"
    )
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["outcome"] == "incomplete"
    assert report["missing"] == PARTIAL_MISSING


def test_missing_review_file_with_no_input_exits_3(invoke, tmp_path):
    proposal = tmp_path / "flood.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.yaml", proposal)
    result = invoke("assess", proposal, "--no-input")
    assert result.exit_code == 3
    assert "flood.review.yaml" in result.stderr
    assert "A1" in result.stderr and "JR7" in result.stderr
    assert not (tmp_path / "flood.review.yaml").exists(), "--no-input must not create files"


def test_missing_explicit_review_file_with_no_input_exits_3(invoke, tmp_path):
    result = invoke(
        "assess", EXAMPLES / "other-ocean-data-ph.yaml", "-r", tmp_path / "mine.review.yaml", "--no-input"
    )
    assert result.exit_code == 3
    assert "mine.review.yaml" in result.stderr


# --- --rubric: another funder's rubric is a folder, not code ---------------------------------


@pytest.fixture
def stricter_rubric(tmp_path):
    """The shipped rubric with every section needing 4.0 instead of 3.0."""
    from sti_review.rubric import default_rubric_dir

    folder = tmp_path / "stricter"
    shutil.copytree(default_rubric_dir(), folder)
    main = folder / "rubric.yaml"
    main.write_text(
        main.read_text(encoding="utf-8").replace("section_min: 3.0", "section_min: 4.0"), encoding="utf-8"
    )
    return folder


def test_rubric_option_changes_the_thresholds(invoke, stricter_rubric):
    result = invoke(
        "assess", EXAMPLES / "satreps-flood-ews-th.yaml", "--rubric", stricter_rubric, "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "below threshold"
    assert {r["section"] for r in report["reasons"] if r["code"] == "section_below"} >= {"X"}


def test_broken_rubric_option_is_a_located_error(invoke, stricter_rubric):
    section = stricter_rubric / "sections" / "B.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("kind: score", "kind: scored", 1), encoding="utf-8"
    )
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "--rubric", stricter_rubric)
    assert_clean_failure(result, 2)
    assert re.search(rf"{re.escape(str(section))}:\d+:\d+: criteria\[0\]\.kind: ", result.stderr)


# --- -o FILE ---------------------------------------------------------------------------------


def test_output_file_gets_the_markdown(invoke, tmp_path):
    out = tmp_path / "report.md"
    result = invoke(
        "assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", out, "--lang", "ja"
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 審査結果: タイ・チャオプラヤ川流域")
    assert "**採択候補**" in text
    assert result.stdout == ""


def test_output_file_is_not_overwritten_without_force(invoke, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("委員会用のメモ（上書きしないこと）\n", encoding="utf-8")
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", out)
    assert_clean_failure(result, 2)
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "委員会用のメモ（上書きしないこと）\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"], "no temporary file left behind"


def test_output_file_is_overwritten_with_force(invoke, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("old\n", encoding="utf-8")
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", out, "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_terminal_format_to_a_file_is_plain_text(invoke, tmp_path):
    out = tmp_path / "report.txt"
    result = invoke("assess", EXAMPLES / "other-ocean-data-ph.yaml", "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Outcome: below threshold" in text
    assert "\x1b" not in text


def test_output_into_a_missing_folder_is_a_clean_error(invoke, tmp_path):
    result = invoke(
        "assess", EXAMPLES / "other-ocean-data-ph.yaml", "-o", tmp_path / "no" / "such" / "report.md"
    )
    assert_clean_failure(result, 2)


# --- language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "heading"),
    [
        (["--lang", "ja"], {}, "## 判定結果:"),
        (["--lang", "en"], {}, "## Outcome:"),
        ([], {"STI_REVIEW_LANG": "ja"}, "## 判定結果:"),
        ([], {"STI_REVIEW_LANG": "en"}, "## Outcome:"),
        (["--lang", "en"], {"STI_REVIEW_LANG": "ja"}, "## Outcome:"),
        ([], {"LANG": "ja_JP.UTF-8"}, "## 判定結果:"),
        ([], {}, "## Outcome:"),
    ],
    ids=["flag-ja", "flag-en", "env-ja", "env-en", "flag-beats-env", "locale-ja", "default-en"],
)
def test_language(invoke, args, env, heading):
    result = invoke("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "-f", "markdown", *args, env=env)
    assert result.exit_code == 0, result.stderr
    assert heading in result.stdout


def test_terminal_report_in_japanese(invoke):
    result = invoke("assess", EXAMPLES / "jr-border-surveillance-ai.yaml", "--lang", "ja")
    assert "判定結果: 要件不適合" in result.stdout
    assert "審査結果" in result.stdout


def test_unknown_language_is_a_usage_error(invoke):
    result = invoke("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "--lang", "fr")
    assert result.exit_code == 2


# --- bad input -------------------------------------------------------------------------------


def test_bad_proposal_exits_2_with_located_problems(invoke):
    broken = DATA / "proposal-en-broken.yaml"
    result = invoke("assess", broken, "--no-input")
    assert_clean_failure(result, 2)
    assert re.search(rf"{re.escape(str(broken))}:4:\d+: programme: ", result.stderr)
    assert re.search(rf"{re.escape(str(broken))}:8:\d+: partners\[0\]\.country: ", result.stderr)
    assert result.stdout == ""


def test_bad_review_exits_2_with_every_problem(invoke):
    result = invoke("assess", DATA / "proposal-ja-joint-research.yaml", "-r", DATA / "review-ja-broken.yaml")
    assert_clean_failure(result, 2)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 8
    assert all("review-ja-broken.yaml:" in line for line in lines)


def test_missing_proposal_file(invoke, tmp_path):
    result = invoke("assess", tmp_path / "nowhere.yaml")
    assert_clean_failure(result, 2)
    assert "nowhere.yaml" in result.stderr


def test_shift_jis_proposal_gets_a_utf8_hint(invoke, tmp_path):
    path = tmp_path / "sjis.yaml"
    path.write_bytes("id: JR-1\ntitle: 泥炭火災\n".encode("shift_jis"))
    result = invoke("assess", path)
    assert_clean_failure(result, 2)
    assert "UTF-8" in result.stderr


def test_control_characters_in_errors_are_escaped(invoke, tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(
        'id: OTH-1\ntitle: x\nprogramme: "\\e[2Jother"\npartners: [{country: FR}]\n', encoding="utf-8"
    )
    result = invoke("assess", path)
    assert_clean_failure(result, 2)
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr


# --- criteria --------------------------------------------------------------------------------


def test_criteria_lists_all_thirty(invoke):
    result = invoke("criteria", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    listed = re.findall(r"^\s+([A-Z]{1,2}\d)\s", result.stdout, re.M)
    assert listed == ALL_IDS


def test_criteria_shows_both_languages(invoke):
    result = invoke("criteria", "--lang", "ja")
    question = "研究インテグリティや技術流出防止の観点から必要十分かつ適切な手続きがとられているか。"
    # Lines are wrapped to the terminal: read the text as one paragraph.
    assert question in re.sub(r"\n\s*", "", result.stdout)
    assert "research integrity" in re.sub(r"\s+", " ", result.stdout)


def test_criterion_shows_its_guidance(invoke):
    result = invoke("criteria", "A2", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("A2")
    assert "Guidance" in out
    for level in ("pass", "conditional", "fail"):
        assert re.search(rf"^\s+{level}$", out, re.M), level
    assert "export control" in out


def test_scored_criterion_shows_low_middle_high(invoke):
    result = invoke("criteria", "JR3", "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    assert "評価の目安" in result.stdout
    for level in ("低", "中", "高"):
        assert re.search(rf"^\s+{level}", result.stdout, re.M), level


def test_criteria_say_what_is_the_sources_and_what_is_call_policy(invoke):
    """The context that justifies A2 and C.like_minded, and what this tool chose, not MEXT."""
    wide = {"COLUMNS": "400"}  # one line per entry: no wrapping
    en = invoke("criteria", "--lang", "en", env=wide).stdout
    assert "strategic autonomy and indispensability" in en and "open science" in en
    assert "call policy chosen for this tool, not the ministry's" in en
    ja = invoke("criteria", "--lang", "ja", env=wide).stdout
    assert "戦略的自律性・戦略的不可欠性" in ja and "文部科学省が定めたものではない" in ja
    jr = [line for line in en.splitlines() if re.match(r"^\s+JR\d", line)]
    assert len(jr) == 7 and all("programme-level reading" in line for line in jr)


@pytest.mark.parametrize("cid", ["A1", "A3", "B2", "C3", "X2", "X4", "BC1", "JR3", "JR7"])
def test_every_scored_criterion_says_what_earns_a_3(invoke, cid):
    out = re.sub(r"\s+", " ", invoke("criteria", cid, "--lang", "en").stdout)
    assert "What earns a 3 (the pass line)" in out and "What separates a 3 from a 2.5" in out
    assert "3点（合格線）の目安" in invoke("criteria", cid, "--lang", "ja").stdout


def test_jr5_and_jr6_can_be_answered_na(invoke):
    for cid in ("JR5", "JR6"):
        out = invoke("criteria", cid, "--lang", "en").stdout
        assert "N/A allowed" in out and "without penalty" in out


def test_criterion_id_is_case_insensitive(invoke):
    assert invoke("criteria", "x7").exit_code == 0


def test_unknown_criterion_exits_2(invoke):
    result = invoke("criteria", "ZZ")
    assert_clean_failure(result, 2)
    assert "ZZ" in result.stderr
    assert result.stdout == ""


def test_criteria_as_json(invoke):
    result = invoke("criteria", "--json")
    data = json.loads(result.stdout)
    ids = [c["id"] for s in data["sections"] for c in s["criteria"]]
    assert ids == ALL_IDS


# --- validate --------------------------------------------------------------------------------


def test_validate_all_examples(invoke):
    files = sorted(EXAMPLES.glob("*.yaml"))
    result = invoke("validate", *files)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("ok: ") == len(files)
    assert "(proposal)" in result.stdout and "(review)" in result.stdout


def test_validate_the_shipped_rubric(invoke):
    from sti_review.rubric import default_rubric_dir

    result = invoke("validate", default_rubric_dir() / "rubric.yaml")
    assert result.exit_code == 0, result.stderr
    assert "(rubric)" in result.stdout


def test_validate_reports_every_problem_of_every_file(invoke, tmp_path):
    garbage = tmp_path / "notes.yaml"
    garbage.write_text("memo: 会議は木曜日\n", encoding="utf-8")
    files = [
        EXAMPLES / "other-ocean-data-ph.yaml",
        DATA / "proposal-en-broken.yaml",
        DATA / "proposal-ja-joint-research.yaml",
        DATA / "review-ja-broken.yaml",
        garbage,
    ]
    result = invoke("validate", *files)
    assert_clean_failure(result, 2)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert sum("proposal-en-broken.yaml:" in e for e in errors) >= 3
    assert sum("review-ja-broken.yaml:" in e for e in errors) == 8
    assert sum("notes.yaml" in e for e in errors) == 1
    assert "ok: " + str(EXAMPLES / "other-ocean-data-ph.yaml") in result.stdout
    assert "3 of 5 files have problems" in result.stderr


# --- schema, version, help ------------------------------------------------------------------


def test_schema_prints_json_schemas(invoke):
    result = invoke("schema")
    assert result.exit_code == 0, result.stderr
    schemas = json.loads(result.stdout)
    assert {"proposal", "review"} <= set(schemas)
    assert {"id", "title", "programme", "partners"} <= set(schemas["proposal"]["properties"])
    assert {"proposal", "rubric", "answers"} <= set(schemas["review"]["properties"])
    assert set(schemas["proposal"]["required"]) >= {"id", "title", "programme", "partners"}


def test_schema_of_one_format(invoke):
    schema = json.loads(invoke("schema", "review").stdout)
    assert "answers" in schema["properties"]


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"sti-review {sti_review.__version__}"


@pytest.mark.parametrize("command", ["assess", "criteria", "validate", "schema"])
def test_every_command_has_help(invoke, command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
