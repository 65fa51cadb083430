"""Japanese on the terminal breaks where Japanese may break (禁則): no line of any report starts
with a closing mark or ends with an opening one, at any width."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_review.cli import app

EX = Path(__file__).resolve().parent.parent / "examples"
CALL = EX / "call-2026"
FRAME = " │┃║|╭╮╰╯┏┓┗┛━─┌┐└┘"
NO_START = tuple("。、，．）」』】〕！？：；ー")  # closing marks and prolonged sound: never first
NO_END = tuple("（「『【〔")  # opening marks: never last

COMMANDS = {
    "check": ["check", str(EX / "jr-border-surveillance-ai.yaml")],
    "assess": [
        "assess",
        str(EX / "satreps-flood-ews-th.yaml"),
        "--review",
        str(EX / "satreps-flood-ews-th.review.yaml"),
    ],
    "consolidate": [
        "consolidate",
        str(CALL / "proposals" / "CALL26-JR-05.yaml"),
        str(CALL / "reviews" / "CALL26-JR-05"),
    ],
    "rank": ["rank", str(CALL)],
    "portfolio": ["portfolio", str(CALL)],
    "criteria": ["criteria"],
    "assign": ["assign", str(CALL)],
    "conflicts": ["conflicts", str(CALL)],
    "reviewers": ["reviewers", str(CALL)],
    "validate": ["validate", str(EX / "satreps-flood-ews-th.partial.review.yaml")],
}


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_line_breaks_against_japanese_rules(name, width):
    if name in ("assign", "reviewers"):
        pytest.importorskip("sklearn" if name == "assign" else "scipy")
    result = CliRunner().invoke(app, [*COMMANDS[name], "--lang", "ja"], env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1, 3), result.output
    bad = []
    for line in result.stdout.splitlines():
        text = line.strip(FRAME)
        if not text:
            continue
        if text.startswith(NO_START) or text.endswith(NO_END):
            bad.append(line)
    assert not bad, "\n".join(bad[:10])
