"""Usage errors (typer's own: a missing argument, an unknown option, a bad value) speak the
user's language like every other message, and exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_review.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CALL = str(EXAMPLES / "call-2026")
PROPOSAL = str(EXAMPLES / "other-ocean-data-ph.yaml")

CASES = [
    # (arguments, what the Japanese message must say, what the English one must say)
    (["assess"], "'proposal' を指定してください", "Missing argument 'proposal'."),
    (["rank"], "'call_dir' を指定してください", "Missing argument 'call_dir'."),
    (
        ["rank", CALL, "--fund", "abc"],
        "'--fund' の値が正しくありません: 整数で指定してください",
        "valid integer",
    ),
    (["rank", CALL, "--jobs", "-3"], "1 以上で指定してください", "greater than or equal to 1"),
    (["assess", PROPOSAL, "--format", "bogus"], "'bogus' は指定できません", "'bogus' is not one of"),
    (["validate", PROPOSAL, "--bogus"], "--bogus というオプションはありません", "No such option: --bogus"),
    (["rank", CALL, "extra"], "余分な引数があります: extra", "unexpected extra argument"),
    (["rank", CALL, "--fund"], "'--fund' には値を続けて指定してください", "requires an argument"),
]


def _run(args: list[str], lang: str) -> tuple[int, str]:
    # --lang first: an option after a bad one may be taken as its value
    result = CliRunner().invoke(app, [args[0], "--lang", lang, *args[1:]])
    return result.exit_code, result.output


@pytest.mark.parametrize("args,ja,en", CASES, ids=[" ".join(Path(a).name for a in c[0]) for c in CASES])
def test_usage_errors_in_both_languages(args, ja, en):
    code, out = _run(args, "ja")
    assert code == 2
    assert "Traceback" not in out
    assert ja in out, out
    if "使い方" in out:  # the usage line and the hint, when typer knows the command
        assert "使い方: sti-review" in out and "で使い方を表示できます" in out
    error = out.strip().splitlines()[-1]
    assert error.startswith("エラー: ")
    # no English sentence left in the Japanese message (option names and values aside)
    assert not re.search(r"\b(?:Missing|Invalid|Input should|Got unexpected|No such|requires)\b", error), (
        error
    )
    code, out = _run(args, "en")
    assert code == 2
    assert en in out, out


def test_the_usage_line_and_the_hint_are_translated():
    _, out = _run(["rank"], "ja")
    assert "使い方: sti-review rank" in out and "'sti-review rank -h' で使い方を表示できます。" in out
    _, out = _run(["rank"], "en")
    assert "Usage: sti-review rank" in out and "Try 'sti-review rank -h' for help." in out


def test_the_language_comes_from_the_environment_too():
    result = CliRunner().invoke(app, ["assess"], env={"STI_REVIEW_LANG": "ja"})
    assert result.exit_code == 2
    assert "'proposal' を指定してください" in result.output


def test_a_hostile_option_name_is_not_sent_raw_to_the_terminal():
    result = CliRunner().invoke(app, ["validate", "--lang", "ja", PROPOSAL, "--\x1b]52;c;aGk=\x07x"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
