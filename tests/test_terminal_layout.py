"""Terminal reports at the width the reader has: nothing cut, nothing too wide, 禁則 kept."""

from __future__ import annotations

import re

import pytest

from sti_review.text.linebreak import text_width

NO_START = set("、。，．）」』】〕ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
CALL = "examples/call-2026"
COMMANDS = {
    "rank": ["rank", CALL, "--fund", "5"],
    "rank-budget": ["rank", CALL, "--budget", "4億円"],
    "rank-he": ["rank", "examples/horizon-europe/call", "--rubric", "horizon-europe-2021"],
    "portfolio": ["portfolio", CALL, "--programmes", "examples/programmes-mext.yaml"],
    "criteria": ["criteria"],
    "consolidate": [
        "consolidate",
        "examples/call-2026/proposals/CALL26-JR-03.yaml",
        "examples/call-2026/reviews/CALL26-JR-03",
    ],
}
PROPOSAL_IDS = [f"CALL26-{p}" for p in ("BC-01", "BC-02", "BC-03", "JR-01", "JR-02", "JR-03", "OT-01")]


def _lines_ok(out: str, width: int) -> None:
    for line in out.splitlines():
        assert text_width(line) <= width, line
        body = line.strip(" │┃─")
        assert not body or body[0] not in NO_START, line
        assert "…" not in line, line


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_reports_fit_the_terminal(invoke, name, width, lang):
    result = invoke(*COMMANDS[name], "--lang", lang, env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.stderr
    _lines_ok(result.stdout, width)
    if name.startswith("rank") and name != "rank-he":
        for pid in PROPOSAL_IDS:
            assert re.search(rf"(?<![\w-]){pid}(?![\w-])", result.stdout), pid


@pytest.mark.parametrize("width", [60, 80])
def test_rank_titles_wrap_instead_of_being_cut(invoke, width):
    out = invoke(*COMMANDS["rank"], "--lang", "en", env={"COLUMNS": str(width)}).stdout
    flat = re.sub(r"\s+", " ", out)
    assert "Transfer-type postdoc positions in materials informatics on the US West Coast" in flat


def test_portfolio_codes_are_never_split(invoke):
    out = invoke(*COMMANDS["portfolio"], "--lang", "en", env={"COLUMNS": "80"}).stdout
    assert "CHALLENGE" in out
    assert not re.search(r"CHALLENG\s*$", out, re.M)


@pytest.mark.parametrize("budget", ["4億", "4億円", "400,000千円", "400000000", "４億", "４００，０００千円"])
def test_budget_the_way_users_write_it(invoke, budget):
    result = invoke("rank", CALL, "--budget", budget, "--lang", "ja", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "予算総額 4億円" in result.stdout
    assert "1億8,200万円" in result.stdout  # a proposal's budget, with its unit


@pytest.mark.parametrize("budget", ["lots", "", "-4億", "4億ドル", "9" * 80, "\x00"])
def test_bad_budget_is_a_usage_error(invoke, budget):
    result = invoke("rank", CALL, "--budget", budget, "--lang", "ja")
    assert result.exit_code == 2
    assert "--budget" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_budget_json_and_csv_stay_exact_yen(invoke):
    out = invoke("rank", CALL, "--budget", "4億", "-f", "csv").stdout
    assert "182000000" in out.replace(",", "") and "億" not in out
