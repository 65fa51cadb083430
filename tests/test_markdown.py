"""The Markdown report for committees: tables that render on GitHub/GitLab, Japanese intact,
and user text that can neither break a table nor inject HTML, markup or terminal codes."""

from __future__ import annotations

import pytest

from .conftest import DATA, EXAMPLE_OUTCOMES, EXAMPLES

HOSTILE = ["assess", DATA / "proposal-hostile.yaml", "-r", DATA / "review-hostile.yaml"]


def separators(row: str) -> int:
    """Number of cell separators: pipes not escaped by a backslash (``\\|`` is a literal pipe;
    ``\\\\|`` is a literal backslash followed by a separator)."""
    count, escaped = 0, False
    for ch in row:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            count += 1
    return count


def tables(markdown: str) -> list[list[str]]:
    """Every GFM table: runs of lines starting with a pipe."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def assert_well_formed_tables(markdown: str) -> None:
    found = tables(markdown)
    assert found, "the report has tables"
    for table in found:
        header, delimiter, *rows = table
        width = separators(header)
        assert set(delimiter) <= set("|-: "), delimiter
        assert separators(delimiter) == width, delimiter
        for row in rows:
            assert separators(row) == width, f"{row!r} has a different number of cells"
            assert row.endswith("|") and not row.endswith("\\|"), row


@pytest.fixture(params=list(EXAMPLE_OUTCOMES), ids=list(EXAMPLE_OUTCOMES))
def example_markdown(request, invoke) -> str:
    result = invoke("assess", EXAMPLES / f"{request.param}.yaml", "-f", "markdown", "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_example_tables_are_well_formed(example_markdown):
    assert_well_formed_tables(example_markdown)


def test_example_report_has_sections_gates_and_totals(example_markdown):
    for heading in ("## 判定結果:", "## A ", "## B ", "## C ", "## X ", "## 要件（適否判定）", "## 合計点"):
        assert heading in example_markdown


def test_japanese_is_intact(invoke):
    result = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown", "--lang", "ja")
    md = result.stdout
    title = "タイ・チャオプラヤ川流域における自治体協働型洪水早期警戒システムの開発と社会実装"
    assert f"# 審査結果: {title}" in md
    assert "| 研究代表者 | 佐藤 健一 (東都大学 防災研究所) |" in md
    assert "スーパーコンピュータへのリモートジョブ投入" in md  # a reviewer's comment
    assert "\\u" not in md


def test_totals_unweighted_and_weighted(invoke):
    md = invoke("assess", EXAMPLES / "other-ocean-data-ph.yaml", "-f", "markdown", "--lang", "en").stdout
    assert "| Total (unweighted) | 11.38 / 20 | 13.33 |" in md
    assert "| Total (weighted, for ranking) | 11.38 / 20 |" in md
    assert "**Section score:** 2 / 5 (threshold 3) ❌" in md


def test_every_criterion_of_the_programme_has_a_row(invoke):
    md = invoke("assess", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown").stdout
    for cid in ["A1", "A3", "B1", "B4", "C4", "X1", "X6", "JR1", "JR7", "A2", "X7"]:
        assert f"| {cid} | " in md, cid
    assert "| BC1 | " not in md
    assert "| X3 | " not in md


# --- hostile user text -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_markdown() -> str:
    from typer.testing import CliRunner

    from sti_review.cli import app

    from .conftest import BASE_ENV

    result = CliRunner().invoke(
        app, [str(a) for a in HOSTILE] + ["-f", "markdown", "--lang", "en"], env=BASE_ENV
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_hostile_text_gives_the_expected_outcome(hostile_markdown):
    assert "**conditional**" in hostile_markdown


def test_pipes_in_user_text_do_not_split_cells(hostile_markdown):
    assert_well_formed_tables(hostile_markdown)
    assert "a \\| b \\| c" in hostile_markdown


def test_no_raw_html_from_user_text(hostile_markdown):
    lowered = hostile_markdown.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "<b>" not in lowered
    assert "&lt;script&gt;" in hostile_markdown


def test_no_terminal_control_characters(hostile_markdown):
    assert "\x1b" not in hostile_markdown
    assert "\x07" not in hostile_markdown
    assert "\\x1b" in hostile_markdown, "control characters are shown, escaped"


def test_backticks_and_markup_are_literal(hostile_markdown):
    assert "\\`code\\`" in hostile_markdown
    assert "\\[bold\\]loud\\[/bold\\]" in hostile_markdown
    assert "\\[a link\\](javascript:alert(1))" in hostile_markdown
    assert "\\*not emphasis\\*" in hostile_markdown


def test_multi_line_comment_stays_in_its_cell(hostile_markdown):
    row = next(line for line in hostile_markdown.splitlines() if line.startswith("| A3 |"))
    assert "code block" in row
    assert "<br>" in row


def test_japanese_in_hostile_text_is_intact(hostile_markdown):
    assert "日本語の題名" in hostile_markdown
    assert "赤い文字" in hostile_markdown
    assert "表のセルを分けようとする" in hostile_markdown


def test_conditions_cannot_start_markdown_blocks(invoke, tmp_path):
    """A condition is printed as a list item; its text must not turn into a heading."""
    review = (
        (DATA / "review-hostile.yaml")
        .read_text(encoding="utf-8")
        .replace('"<script>steal()</script>"', '"# 見出しではない"')
    )
    path = tmp_path / "review.yaml"
    path.write_text(review, encoding="utf-8")
    result = invoke("assess", DATA / "proposal-hostile.yaml", "-r", path, "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "  - # 見出しではない" not in result.stdout


# --- the same text in the terminal and JSON reports ------------------------------------------


def test_terminal_report_escapes_control_characters_and_shows_markup_literally(invoke):
    result = invoke(*HOSTILE, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold]loud[/bold]" in out  # rich markup is not interpreted
    assert "[red]x[/red]" in out
    assert "<script>steal()</script>" in out  # a terminal has no HTML to fear


def test_json_report_keeps_user_text_verbatim(invoke):
    import json

    result = invoke(*HOSTILE, "-f", "json")
    report = json.loads(result.stdout)
    assert report["proposal"]["title"].startswith("Data | pipes `code` <script>")
    a2 = next(g for g in report["gates"] if g["id"] == "A2")
    assert a2["conditions"] == ["Sign the | data agreement `now`", "<script>steal()</script>"]
