"""The questionnaire's compact screen on a short terminal (issue 12, item 3): at 80×24 the
applicant's text for the criterion stays on screen with the prompt; ``e`` pages through the
evidence, ``g`` shows the guidance. In a real pseudo-terminal (pexpect) and scripted."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import sti_review.questionnaire as q
from sti_review.questionnaire import parse_command, parse_verdict
from sti_review.questionnaire.answers import AnswerError

from .conftest import EXAMPLES

FIRST_LINE = "日本が強みを持つ降雨流出氾濫"  # the start of the proposal's own text on A1
LATER = "相互補完的である"  # further on in A1's text
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _screen_tail(text: str, rows: int = 24) -> list[str]:
    lines = ANSI.sub("", text).replace("\r", "").split("\n")
    return lines[-rows:]


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_at_80x24_the_applicants_text_stays_with_the_prompt(tmp_path: Path):
    pexpect = pytest.importorskip("pexpect")
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.yaml", tmp_path / "flood.yaml")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("STI_REVIEW_LANG", "STI_REVIEW_DEBUG", "FORCE_COLOR", "LC_ALL", "LANGUAGE")
    }
    env.update({"COLUMNS": "80", "LINES": "24", "TERM": "xterm", "NO_COLOR": "1", "LANG": "C.UTF-8"})
    child = pexpect.spawn(
        sys.executable,
        ["-m", "sti_review", "assess", "flood.yaml", "--lang", "ja", "--interactive"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        timeout=30,
        dimensions=(24, 80),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.delaybeforesend = None
    seen = io.StringIO()  # everything the terminal was sent, to read the screen's last 24 rows
    child.logfile_read = seen
    try:
        child.expect_exact("[y/n]")
        child.sendline("y")
        child.expect_exact("利害関係：0 = なし")
        child.sendline("0")
        child.expect_exact("審査委員のお名前")
        child.sendline("山田 太郎")
        child.expect_exact("A1 評点")
        child.expect_exact(">")
        tail = "\n".join(_screen_tail(seen.getvalue()))
        assert FIRST_LINE in tail
        assert "A1 評点" in tail
        assert "e キー" in tail  # the key to the rest is named on the screen
        child.sendline("e")
        child.expect_exact("A1 評点")
        page = child.before
        assert "行目" in page and "全" in page  # where in the evidence the page is
        child.sendline("g")
        child.expect_exact("A1 評点")
        guidance = child.before
        assert "評価の目安" in guidance and "高（4〜5）" in guidance
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_e_and_g_are_commands_that_no_answer_takes():
    assert parse_command("e") == "evidence" and parse_command("ｇ") == "guidance"
    gate = SimpleNamespace(id="A2")
    for key in ("e", "g"):
        with pytest.raises(AnswerError):
            parse_verdict(key, gate)
    assert parse_verdict("適", gate) == "pass" and parse_verdict("不適", gate) == "fail"


def _walk(tmp_path: Path, answers: list[str], height: int | None):
    path = tmp_path / "flood.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.yaml", path)
    job, earlier = q.open_for_walk(path)
    prompter = q.ScriptedPrompter(["y", "0", *answers], width=80, height=height)
    q.Questionnaire(q.Session(job, earlier), prompter, "ja", default_reviewer="山田 太郎").run()
    return prompter.transcript


def test_a_short_terminal_gets_the_compact_screen_and_a_tall_one_the_full_screen(tmp_path: Path):
    short = _walk(tmp_path, ["", "q"], height=24)
    before_prompt = short[: short.index("A1 評点")]
    assert FIRST_LINE in "\n".join(before_prompt.splitlines()[-24:])
    assert "高（4〜5）" not in before_prompt  # the guidance waits for g
    (tmp_path / "tall").mkdir()
    tall = _walk(tmp_path / "tall", ["", "q"], height=None)
    assert "高（4〜5）" in tall[: tall.index("A1 評点")]


def test_e_pages_through_the_evidence_and_comes_back_to_the_prompt(tmp_path: Path):
    out = _walk(tmp_path, ["", "e", "e", "g", "4", "", "q"], height=24)
    assert out.count("A1 評点") >= 4  # the prompt again after each page and after the guidance
    assert "（終わり）" in out  # the last page says so
    assert "高（4〜5）" in out
    assert "A1" in out and "4" in out


def test_e_outside_a_criterion_is_not_taken_as_an_answer(tmp_path: Path):
    out = _walk(tmp_path, ["e", "山田 太郎", "q"], height=24)  # e at the reviewer's name
    assert "ここでは使えません。" in out
    assert "> 山田 太郎" in out and "A1 評点" in out  # the name was asked again, then A1
