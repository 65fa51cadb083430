"""`consolidate`, `rank` and `portfolio` through typer's CliRunner, as a user types them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .calls import proposal_yaml, review_yaml, simple_call, write_call
from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
JR03 = CALL / "proposals/CALL26-JR-03.yaml"
JR05 = CALL / "proposals/CALL26-JR-05.yaml"
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"
SCORES = {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}


def clean_failure(result, code: int = 2) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


# --- consolidate --------------------------------------------------------------------------------


def test_consolidate_terminal(invoke):
    result = invoke("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Panel outcome: conditional (final)" in out
    assert "scores spread by 2.5 (discussed from 2)" in out
    assert "settled by the panel: 3.5" in out
    assert "\x1b[" not in out


def test_consolidate_markdown_shows_both_individual_and_consensus(invoke):
    result = invoke("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "-f", "markdown", "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "## パネルとしての判定結果: ⚠️ **条件付採択候補**（確定）" in out
    assert (
        "| B3 | 社会実装への道筋 | 3.5 | 4.5 | 2 | 2 | 3.5 | 3.33 | 4.5 | 2.5 | **3.5** (合議) | 合議済 |"
        in out
    )
    assert "合議コメント: 合議の結果" in out


def test_consolidate_json(invoke):
    result = invoke("consolidate", JR05, CALL / "reviews/CALL26-JR-05", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "sti-review/panel@1"
    assert data["outcome"] == "gate failed" and data["provisional"] and data["basis"] == "derived"
    assert data["unresolved"] == ["A2"]
    a2 = next(c for c in data["criteria"] if c["id"] == "A2")
    assert a2["verdicts"] == ["conditional", "fail", "conditional"] and a2["disagreement"] == "verdicts"
    b3 = next(c for c in data["criteria"] if c["id"] == "B3")
    assert set(b3["stats"]) == {"scored", "na", "min", "median", "mean", "max", "spread"}
    assert data["panel_assessment"]["outcome"] == "gate failed"
    assert "disagreement to discuss on A2" in result.stderr


def test_consolidate_finds_reviews_beside_the_proposal(invoke, tmp_path):
    (tmp_path / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / f"P-1.review.{name}.yaml").write_text(review_yaml("P-1", name, SCORES), "utf-8")
    result = invoke("consolidate", tmp_path / "P-1.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["name"] for r in json.loads(result.stdout)["reviewers"]] == ["a", "b"]


def test_consolidate_bad_review_is_located(invoke, tmp_path):
    (tmp_path / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    bad = review_yaml("P-1", "a", SCORES).replace("B2: {score: 4,", "B2: {score: 7,")
    (tmp_path / "P-1.review.yaml").write_text(bad, encoding="utf-8")
    result = invoke("consolidate", tmp_path / "P-1.yaml")
    clean_failure(result)
    assert f"{tmp_path}/P-1.review.yaml:8:15: answers.B2.score: 7 is not on the scale" in result.stderr


# --- rank ---------------------------------------------------------------------------------------


def test_rank_terminal(invoke):
    result = invoke("rank", CALL, "--fund", "5", "--lang", "en", env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Funding line: 5 proposals (5 funded)" in out
    assert "Border zone (re-review): 80–120% of the funded count, places 5–6" in out
    lines = out.splitlines()
    line_at = next(i for i, t in enumerate(lines) if t.strip() == "funding line")
    above = "\n".join(lines[:line_at])
    assert "CALL26-JR-04" in above and "CALL26-BC-02" not in above
    assert "CALL26-JR-05  unresolved disagreement on A2" in out
    assert "7=" in out  # the full tie shares its rank


def test_rank_markdown(invoke):
    result = invoke("rank", CALL, "--budget", "600,000,000", "-f", "markdown", "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "**採択ライン：予算総額 6億円（ライン内4件、申請額計 5億7,200万円、残額 2,800万円）**" in out
    assert "| **採択ライン** |" in out
    assert "## 再審査の対象" in out and "- **CALL26-JR-05**" in out


def test_rank_csv_opens_in_a_spreadsheet(invoke, tmp_path):
    out = tmp_path / "ranking.csv"
    result = invoke("rank", CALL, "--fund", "5", "-f", "csv", "-o", out, "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # BOM for Excel, CRLF rows
    # Japanese headers under --lang ja; the columns are those of --lang en, in the same order.
    english = invoke("rank", CALL, "--fund", "5", "-f", "csv", "--lang", "en").stdout.lstrip("\ufeff")
    names = next(csv.reader(io.StringIO(english)))
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), fieldnames=names))
    assert table[0]["id"] == "提案ID"
    rows = table[1:]
    assert [r["id"] for r in rows][:3] == ["CALL26-BC-01", "CALL26-JR-01", "CALL26-JR-02"]
    jr01 = rows[1]
    assert jr01["title"].startswith("メコンデルタ") and jr01["status"] == "funded"
    assert jr01["outcome_label"] == "採択候補" and jr01["budget"] == "182000000"
    assert [r["id"] for r in rows if r["border_zone"] == "yes"] == ["CALL26-JR-04", "CALL26-BC-02"]
    assert {r["outcome"] for r in rows} == {
        "pass",
        "conditional",
        "gate_failed",
        "below_threshold",
        "incomplete",
    }


def test_rank_json(invoke):
    result = invoke("rank", CALL, "--fund", "6", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "sti-review/ranking@1"
    assert data["funding_line"]["mode"] == "count" and data["funding_line"]["funded"] == 6
    assert data["order"]["tie_breakers"] == ["programme_weighted_section", "B", "A", "C"]
    first = data["proposals"][0]
    # BC-01 on the call's rubric: 24.4 of 27.5 on the MEXT sections, plus section P (4.125,
    # weight 1 for brain circulation) of 5: 28.525 / 32.5
    assert first["rank"] == 1 and first["funded"] and first["scores"]["weighted_percent"] == 87.7692


def test_rank_with_a_bad_file_still_writes_the_ranking(invoke, tmp_path):
    root = simple_call(
        tmp_path / "call", {"A-1": ("joint_research", SCORES, 1), "A-2": ("joint_research", SCORES, 1)}
    )
    (root / "reviews/A-2/r1.yaml").write_text("proposal: A-2\nanswers: [\n", encoding="utf-8")
    out = tmp_path / "r.md"
    result = invoke("rank", root, "-f", "markdown", "-o", out)
    clean_failure(result)
    assert f"error: {root}/reviews/A-2/r1.yaml:3:1: YAML syntax error" in result.stderr
    assert "1 proposal(s) ranked invalid" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "**A-2**" in text and "| 1 | A-1 |" in text


def test_rank_refuses_to_overwrite_before_working(invoke, tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("keep me", encoding="utf-8")
    result = invoke("rank", tmp_path / "no-such-call", "-f", "csv", "-o", out)
    clean_failure(result)
    assert "already exists; use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    result = invoke("rank", CALL, "-f", "csv", "-o", out, "--force")
    assert result.exit_code == 0 and out.read_text(encoding="utf-8-sig").startswith("rank,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fund", "2", "--budget", "10"], "either --fund or --budget"),
        (["--budget", "lots"], "not an amount"),
        (["--fund", "0"], "--fund"),
    ],
)
def test_rank_usage_errors(invoke, args, message):
    result = invoke("rank", CALL, *args)
    clean_failure(result)
    assert message in result.stderr + result.stdout


def test_rank_escapes_user_text(invoke, tmp_path):
    title = '"[bold red]X[/] | **y** <b>z</b> =cmd()\\e[2J"'  # YAML: \e is ESC
    files = {
        "P-1.yaml": proposal_yaml("P-1", title=title),
        "P-1.review.yaml": review_yaml("P-1", "r", SCORES),
    }
    root = write_call(tmp_path, files)
    term = invoke("rank", root, env={"COLUMNS": "200"})
    assert term.exit_code == 0 and "[bold red]X[/]" in term.stdout and "\x1b[2J" not in term.stdout
    md = invoke("rank", root, "-f", "markdown").stdout
    assert r"\[bold red\]X\[/\] \| \*\*y\*\* &lt;b&gt;z&lt;/b&gt;" in md and "\x1b" not in md
    rows = list(csv.reader(io.StringIO(invoke("rank", root, "-f", "csv").stdout.lstrip("\ufeff"))))
    # as written, but a control character made visible: `cat file.csv` must not run it
    assert rows[1][3] == "[bold red]X[/] | **y** <b>z</b> =cmd()\\x1b[2J"
    title2 = "=HYPERLINK(1)"
    (root / "P-1.yaml").write_text(proposal_yaml("P-1", title=f"'{title2}'"), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(invoke("rank", root, "-f", "csv").stdout.lstrip("\ufeff"))))
    assert rows[1][3] == "'" + title2  # a formula stays text in a spreadsheet


def test_no_progress_bar_off_a_terminal(invoke):
    result = invoke("rank", CALL)
    assert result.exit_code == 0 and result.stderr == ""


# --- portfolio -----------------------------------------------------------------------------------


def test_portfolio_needs_something_to_map(invoke):
    clean_failure(invoke("portfolio"))


def test_portfolio_of_the_programmes(invoke):
    result = invoke("portfolio", "--programmes", PROGRAMMES, "--lang", "en", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "C Working together on international rule-making: all" in out
    assert (
        "ORF + KAKEN-ILR (outbound mobility): A Creating high-quality research outcomes × postdoc"
        in " ".join(out.split())
    )
    assert "B Social implementation and roll-out of research results: Europe, North America" in out


def test_portfolio_markdown_with_a_call(invoke):
    result = invoke("portfolio", CALL, "--programmes", PROGRAMMES, "-f", "markdown", "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "## 目的 × 対象（キャリア段階）" in out and "## 目的 × 相手国・地域" in out
    assert "### 既存事業の不足を埋める提案" in out
    assert "- CALL26-OT-01: C 国際ルール策定等での協働 × オセアニア" in out


def test_portfolio_json(invoke):
    result = invoke("portfolio", CALL, "-p", PROGRAMMES, "-f", "json", "--crowded", "5")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "sti-review/portfolio@1" and data["rules"]["crowded_proposals"] == 5
    stage = data["matrices"][0]
    assert stage["axis"] == "career_stage" and len(stage["cells"]) == 16 * 5
    assert {"objective": "C.rule_making", "columns": ["doctoral", "postdoc"]} in stage["gaps"]


def test_portfolio_bad_programmes_file(invoke, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("programmes:\n  - {id: x}\n", encoding="utf-8")
    result = invoke("portfolio", "--programmes", bad)
    clean_failure(result)
    assert f"{bad}:2:5: programmes[0].name: required field is missing" in result.stderr


def test_validate_knows_a_programmes_file(invoke):
    result = invoke("validate", PROGRAMMES)
    assert result.exit_code == 0 and "(programmes)" in result.stdout


def test_every_new_command_has_help(invoke):
    for command in ("consolidate", "rank", "portfolio"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_call_folder_readme_commands(invoke, tmp_path: Path):
    """The README tour's commands run as written."""
    for args in (
        ["rank", CALL, "--fund", "5"],
        ["rank", CALL, "--budget", "600000000", "-f", "csv", "-o", tmp_path / "r.csv"],
        ["consolidate", JR03, CALL / "reviews/CALL26-JR-03"],
        ["portfolio", CALL, "--programmes", PROGRAMMES],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.stderr)
