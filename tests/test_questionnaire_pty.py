"""The questionnaire in a real pseudo-terminal (pexpect): what a reviewer at a terminal gets.

Slow-ish (a process per run); everything else about the walk is tested without a terminal in
test_questionnaire.py. The proposal is a copy of examples/other-ocean-data-ph.yaml."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

ORDER = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6", "X7"]
GATES = {"A2", "X7"}
TIMEOUT = 30

WORDS = {
    "en": {
        "score": "score",
        "verdict": "verdict",
        "condition": "Condition",
        "comment": "comment",
        "summary": "A criterion id to change",
        "pledge": "[y/n]",
        "conflict": "Conflict of interest: 0 = none",
        "feedback": "feedback to the applicant",
        "grade": "Overall grade (4, 3, 2, 1)",
        "grade_comment": "Overall grade comment (committee only",
    },
    "ja": {
        "score": "評点",
        "verdict": "判定",
        "condition": "条件",
        "comment": "コメント",
        "summary": "変更する評価項目の ID",
        "pledge": "[y/n]",
        "conflict": "利害関係：0 = なし",
        "feedback": "申請者へのフィードバック",
        "grade": "総合評価（4, 3, 2, 1 のいずれか）",
        "grade_comment": "総合評価 コメント（委員会のみ",
    },
}


def spawn(folder: Path, *args: str):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("STI_REVIEW_LANG", "STI_REVIEW_DEBUG", "FORCE_COLOR", "LC_ALL", "LANGUAGE")
    }
    env.update({"COLUMNS": "100", "LINES": "40", "TERM": "xterm", "NO_COLOR": "1", "LANG": "C.UTF-8"})
    child = pexpect.spawn(
        sys.executable,
        ["-m", "sti_review", "assess", "ocean.yaml", *args],
        cwd=str(folder),
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        timeout=TIMEOUT,
        dimensions=(40, 100),
        # A job started in the background inherits SIGINT ignored, and Python then leaves it so:
        # give the child the default, as a terminal would, so that Ctrl-C reaches it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Every send waits for its prompt first, so pexpect's default pause before each send is
    # not needed; without it the tests run several times faster.
    child.delaybeforesend = None
    return child


def folder_with_proposal(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / "other-ocean-data-ph.yaml", path / "ocean.yaml")
    return path


def declare(child, lang: str) -> None:
    """The confidentiality pledge and no conflict of interest: asked first on a new review."""
    child.expect_exact(WORDS[lang]["pledge"])
    child.sendline("y")
    child.expect_exact(WORDS[lang]["conflict"])
    child.sendline("0")


# What the reviewer types for each criterion: (score or verdict, [conditions], comment).
# Full-width digits and Japanese words are typed as a Japanese IME would send them.
SCRIPT: dict[str, tuple[str, list[str], str]] = {
    "A1": ("４．５", [], "熱帯沿岸データへのアクセスに価値がある"),
    "A2": ("c", ["データ共有協定の締結"], "協定が未締結"),
    "A3": ("3", [], ""),
    "B1": ("3.5", [], ""),
    "B2": ("na", [], "漁業者の参加は最終回のみで、本観点の対象外"),
    "B3": ("２", [], "社会実装の道筋が不明確"),
    "B4": ("3", [], ""),
    "C1": ("4", [], ""),
    "C2": ("3", [], ""),
    "C3": ("3", [], ""),
    "C4": ("3", [], ""),
    "X1": ("2.5", [], ""),
    "X2": ("3", [], ""),
    "X4": ("2", [], "目的の半分に指標がない"),
    "X5": ("3", [], ""),
    "X6": ("2", [], "支援体制の記載がない"),
    "X7": ("p", [], ""),
}


FEEDBACK = {cid: f"{cid} への所見" for cid in ("A2", "B3", "X1", "X4", "X6")}


def answer(child, cid: str, lang: str) -> None:
    value, conditions, comment = SCRIPT[cid]
    w = WORDS[lang]
    child.expect_exact(f"{cid} {w['verdict'] if cid in GATES else w['score']}")
    child.sendline(value)
    for n, condition in enumerate(conditions, 1):
        child.expect_exact(f"{w['condition']} {n}")
        child.sendline(condition)
    if conditions:
        child.expect_exact(f"{w['condition']} {len(conditions) + 1}")
        child.sendline("")
    child.expect_exact(f"{cid} {w['comment']}")
    child.sendline(comment)
    if cid in FEEDBACK:  # below the pass line (3) or conditional: the rubric asks for feedback
        child.expect_exact(f"{cid} {w['feedback']}")
        child.sendline(FEEDBACK[cid])


def grade(child, lang: str) -> None:
    """The overall grade, asked after the last criterion (the MEXT rubric defines one)."""
    child.expect_exact(WORDS[lang]["grade"])
    child.sendline("３" if lang == "ja" else "3")
    child.expect_exact(WORDS[lang]["grade_comment"])
    child.sendline("総合的に堅実" if lang == "ja" else "")


def finish(child, lang: str) -> str:
    grade(child, lang)
    child.expect_exact(WORDS[lang]["summary"])
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_a_full_walk_to_the_report(tmp_path):
    folder = folder_with_proposal(tmp_path)
    child = spawn(folder, "--lang", "en")
    child.expect_exact("Criteria to answer: 17 (A 3 · B 4 · C 4 · X 6)")
    declare(child, "en")
    child.expect_exact("Your name, as the reviewer")
    child.sendline("Aya Kobayashi")
    child.expect_exact("A1 · 1/17 · answered 0/17")
    child.expect_exact("What value does the research have for Japan's research capability?")
    child.expect_exact("A1 score")
    child.sendline("4.3")  # not on the scale: a hint, and the same question again
    child.expect_exact("use 4 / 4.5")
    child.sendline("4")
    child.expect_exact("A1 comment")
    child.sendline("Tropical coastal data are valuable.")
    child.expect_exact("✓ A1 4 very good — saved")
    for cid in ORDER[1:]:
        child.expect_exact(f"{cid} {'verdict' if cid in GATES else 'score'}")
        child.sendline("p" if cid in GATES else "4")
        child.expect_exact(f"{cid} comment")
        child.sendline("")
    grade(child, "en")
    child.expect_exact("17 of 17 answered")
    child.expect_exact("A criterion id to change")
    child.sendline("")
    child.expect_exact("All answers are saved in ocean.review.yaml.")
    child.expect_exact("Outcome: pass")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = yaml.safe_load((folder / "ocean.review.yaml").read_text(encoding="utf-8"))
    assert data["reviewer"] == "Aya Kobayashi"
    assert data["answers"]["A1"] == {"score": 4, "comment": "Tropical coastal data are valuable."}
    assert list(data["answers"]) == ORDER
    assert data["overall"] == {"grade": 3}


def test_an_interrupt_then_resume_equals_typing_in_one_go(tmp_path):
    # In one go, in Japanese.
    one = folder_with_proposal(tmp_path / "one-go")
    child = spawn(one, "--lang", "ja")
    declare(child, "ja")
    child.expect_exact("審査委員のお名前")
    child.sendline("山田 花子")
    for cid in ORDER:
        answer(child, cid, "ja")
    finish(child, "ja")
    assert child.exitstatus == 0
    expected = (one / "ocean.review.yaml").read_text(encoding="utf-8")

    # Interrupted (Ctrl-C) while typing B3's comment ...
    two = folder_with_proposal(tmp_path / "interrupted")
    child = spawn(two, "--lang", "ja")
    declare(child, "ja")
    child.expect_exact("審査委員のお名前")
    child.sendline("山田 花子")
    for cid in ORDER[:5]:
        answer(child, cid, "ja")
    child.expect_exact("B3 評点")
    child.sendline(SCRIPT["B3"][0])
    child.expect_exact("B3 コメント")
    child.send("途中まで")
    child.expect_exact("途中まで")  # echoed: the line editor is reading, so Ctrl-C reaches input()
    child.sendintr()
    child.expect_exact("中断しました。回答は ocean.review.yaml に保存されています（5/17件）。")
    child.expect_exact("入力途中だった B3 は保存していません")
    child.expect_exact("再開するには：sti-review assess ocean.yaml --lang ja")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    partial = yaml.safe_load((two / "ocean.review.yaml").read_text(encoding="utf-8"))
    assert list(partial["answers"]) == ORDER[:5]

    # ... and resumed with the same command: it says so and asks B3 again.
    child = spawn(two, "--lang", "ja")
    child.expect_exact("の続きから再開します")
    child.expect_exact("B3 から続けます")
    for cid in ORDER[5:]:
        answer(child, cid, "ja")
    finish(child, "ja")
    assert child.exitstatus == 0
    assert (two / "ocean.review.yaml").read_text(encoding="utf-8") == expected
