"""A reason names a section for what it is: 目的 A for a purpose, 大項目 X for the others."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sti_review.cli import app

CALL = Path(__file__).resolve().parent.parent / "examples" / "call-2026"


def _rank(lang: str) -> str:
    result = CliRunner().invoke(app, ["rank", str(CALL), "--lang", lang], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_sections_that_are_not_purposes_are_not_called_purposes():
    ja = _rank("ja")
    # CALL26-BC-03 is below the threshold in C (a purpose), X (cross-cutting), BC and P
    assert "目的 C の評点 2.5 が基準点 3 を下回る" in ja
    assert "大項目 X の評点 2.8" in ja and "大項目 P の評点 2.31" in ja
    assert "目的 X" not in ja and "目的 P" not in ja and "目的 BC" not in ja
    en = _rank("en")
    assert "section X scores 2.8, below the threshold of 3" in en
