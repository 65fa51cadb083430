"""A letter gives the reviewers' feedback grouped by criterion, in the rubric's order."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sti_review.cli import app

CALL = Path(__file__).resolve().parent.parent / "examples" / "call-2026"


def test_feedback_is_grouped_by_criterion(tmp_path):
    out = tmp_path / "letters"
    result = CliRunner().invoke(app, ["feedback", str(CALL), "-o", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    text = (out / "CALL26-JR-05.md").read_text(encoding="utf-8")
    assert "## 評価項目ごとの結果" in text
    feedback = text.split("## 審査委員からのコメント", 1)[1]
    lines = [line for line in feedback.splitlines() if line.startswith("- ")]
    # three reviewers wrote on A2, one on JR2, two on JR3: A2's texts first and together
    firsts = [line[2:].split("：")[0].split(":")[0] for line in lines]
    a2 = {"研究インテグリティ・技術流出防止", "Research integrity and technology-leakage safeguards"}
    assert set(firsts[:3]) <= a2
    assert firsts[3] == "効果測定のための情報の蓄積と発信"
    assert "合格" not in feedback  # the tool and its examples never say 合格
