"""Huge but valid inputs give capped reports (issue 11 item 7): bounded output, whatever the size.

The cases of benchmarks/hostile_sizes.py at sizes a test can afford; they assert what a reader
sees (how many lines, the "… and N more" line, the clipped-text note), never how long it took.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sti_review.limits import MAX_REVIEWERS

from .calls import proposal_yaml, review_yaml

SCORES = {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}
ENV = {"COLUMNS": "80", "NO_COLOR": "1"}


def _call(tmp_path: Path, review: str) -> list[Path]:
    (tmp_path / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    (tmp_path / "P-1.review.yaml").write_text(review, encoding="utf-8")
    return [tmp_path / "P-1.yaml", "--review", tmp_path / "P-1.review.yaml", "--no-input"]


def _with_conditions(n: int) -> str:
    text = review_yaml("P-1", "審査員", SCORES, gates={"A2": "pass"})
    conds = ", ".join(f"条件{i}" for i in range(n))
    return text.replace(
        "A2: {verdict: pass, comment: 判定の理由}",
        f"A2: {{verdict: conditional, conditions: [{conds}], comment: c}}",
    )


def _with_comment(n: int) -> str:
    text = review_yaml("P-1", "審査員", SCORES, gates={"A2": "pass"})
    return text.replace("comment: 判定の理由", "comment: " + "長い講評。" * (n // 5))


@pytest.mark.parametrize("lang, more", [("en", "… and 4,950 more"), ("ja", "… ほか 4,950 件")])
def test_a_gate_with_thousands_of_conditions_lists_fifty_then_the_count(invoke, tmp_path, lang, more):
    args = _call(tmp_path, _with_conditions(5_000))
    result = invoke("assess", *args, "--lang", lang, env=ENV)
    assert result.exit_code == 0, result.output
    assert more in result.output
    assert "条件49" in result.output and "条件50\n" not in result.output and "条件4999" not in result.output
    assert result.output.count("\n") < 400


def test_a_huge_comment_is_clipped_on_the_terminal_with_a_note(invoke, tmp_path):
    result = invoke("assess", *_call(tmp_path, _with_comment(300_000)), env=ENV)
    assert result.exit_code == 0, result.output
    # two gates carry the comment: a page (2,000 characters) of each, not 60,000 repeats
    assert 0 < result.output.count("講評") <= 2 * 400
    assert "298,000" in result.output  # the note: how many characters are left out
    assert result.output.count("\n") < 600


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_huge_comment_is_clipped_in_documents_and_kept_whole_in_json(invoke, tmp_path, fmt):
    args = _call(tmp_path, _with_comment(300_000))
    result = invoke("assess", *args, "--format", fmt, "--lang", "ja", env=ENV)
    assert result.exit_code == 0, result.output
    assert "全文はファイルにあります" in result.output
    assert len(result.output) < 150_000
    whole = invoke("assess", *args, "--format", "json", env=ENV)
    assert whole.exit_code == 0 and whole.output.count("長い講評。") == 2 * 60_000


@pytest.mark.slow
def test_consolidate_of_many_reviewers_shows_fifty_then_the_count(invoke, tmp_path):
    (tmp_path / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    folder = tmp_path / "reviews"
    folder.mkdir()
    n = MAX_REVIEWERS + 30
    for i in range(n):
        (folder / f"r{i}.yaml").write_text(review_yaml("P-1", f"審査員{i}", SCORES), encoding="utf-8")
    result = invoke("consolidate", tmp_path / "P-1.yaml", folder, env=ENV)
    assert result.exit_code == 0, result.output
    assert "… and 30 more" in result.output
    assert f"R{MAX_REVIEWERS}" in result.output and f"R{MAX_REVIEWERS + 1} " not in result.output


def _many_reviews(tmp_path: Path, n: int) -> Path:
    (tmp_path / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    folder = tmp_path / "reviews"
    folder.mkdir()
    for i in range(n):
        scores = {**SCORES, "A": 3 + i % 3}  # three groups of scores, so the dots can be grouped
        (folder / f"r{i}.yaml").write_text(review_yaml("P-1", f"審査員{i}", scores), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("lang, more", [("en", "of the other 30 are"), ("ja", "ほか 30 名")])
def test_consolidate_in_html_caps_reviewer_columns_and_groups_the_dots(invoke, tmp_path, lang, more):
    import re

    folder = _many_reviews(tmp_path, MAX_REVIEWERS + 30)
    result = invoke("consolidate", tmp_path / "P-1.yaml", folder, "--format", "html", "--lang", lang, env=ENV)
    assert result.exit_code == 0, result.output
    page = result.output
    assert more in page
    header = re.search(r'<table class="spread stack">.*?</thead>', page, re.S).group(0)
    assert header.count('<th scope="col" class="num">') == MAX_REVIEWERS + 2  # + spread and panel
    assert f"R{MAX_REVIEWERS} " in page and f"R{MAX_REVIEWERS + 1} " not in page  # the first fifty
    # the dots: one per score given, with how many reviewers gave it (80 = 27 + 27 + 26)
    assert re.search(r">27</text>", page) and re.search(r">26</text>", page)
    whole = invoke("consolidate", tmp_path / "P-1.yaml", folder, "--format", "json", env=ENV)
    assert whole.exit_code == 0 and "審査員79" in whole.output  # JSON keeps every reviewer


@pytest.mark.slow
def test_consolidate_in_word_caps_its_tables(invoke, tmp_path):
    pytest.importorskip("docx")
    import docx

    folder = _many_reviews(tmp_path, MAX_REVIEWERS + 30)
    out = tmp_path / "panel.docx"
    result = invoke("consolidate", tmp_path / "P-1.yaml", folder, "--format", "docx", "-o", out, env=ENV)
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "the other 60 are in the JSON" in text  # Word: 20 reviewers as columns
    assert "… and 30 more" in cells
    assert max(len(t.columns) for t in doc.tables) <= 20 + 8
    assert not any(f"R{MAX_REVIEWERS + 1} " in x for x in cells)


@pytest.mark.slow
def test_consolidate_in_markdown_caps_reviewer_columns(invoke, tmp_path):
    folder = _many_reviews(tmp_path, MAX_REVIEWERS + 30)
    result = invoke("consolidate", tmp_path / "P-1.yaml", folder, "--format", "markdown", env=ENV)
    assert result.exit_code == 0, result.output
    assert "the scores of the other 30 are in the JSON" in result.output
    assert "… and 30 more" in result.output
    widest = max(line.count("|") for line in result.output.splitlines())
    assert widest <= MAX_REVIEWERS + 10  # id, criterion, 50 reviewers, the statistics
    assert f"R{MAX_REVIEWERS + 1} " not in result.output


@pytest.mark.slow
def test_consolidate_in_excel_caps_the_overview_and_keeps_every_score(invoke, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = _many_reviews(tmp_path, MAX_REVIEWERS + 30)
    out = tmp_path / "panel.xlsx"
    result = invoke("consolidate", tmp_path / "P-1.yaml", folder, "--format", "xlsx", "-o", out, env=ENV)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    overview, raw = wb.worksheets[1], wb.worksheets[2]
    assert overview.max_column <= MAX_REVIEWERS + 9
    assert "the other 30 included" in overview.cell(overview.max_row, 2).value
    assert raw.max_row == 1 + MAX_REVIEWERS + 30  # every reviewer's scores, one row each
