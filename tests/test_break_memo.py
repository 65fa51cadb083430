"""Line-break classes kept on disk by the command-line process (text/memo.py, issue 17): the
same lines as computing them, a damaged or stale memo never changes a line, and a warm run of
``assess`` does not even import BudouX."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from sti_review.text import linebreak, memo

from .test_startup import loaded_modules

ROOT = Path(__file__).resolve().parent.parent
JA = (
    "本提案は、タイ王国チャオプラヤー川流域における洪水早期警報システムの社会実装を目指す。"
    "2026年11月28日までに報告する。"
)
EN = "An early-warning system for floods (CALL26-JR-05), budget 400,000 JPY."


@pytest.fixture
def disk(tmp_path, monkeypatch):
    file = tmp_path / "breaks" / "m.marshal"
    monkeypatch.setattr(memo, "_file", lambda: file)
    yield file
    linebreak.set_memo(linebreak._UNSET)


def _fresh(file: Path) -> memo.DiskMemo:
    m = memo.DiskMemo(file)
    linebreak.set_memo(m)
    linebreak._wrap_para.cache_clear()
    linebreak.min_width.cache_clear()
    return m


def _plain_lines(text: str, width: int) -> list[str]:
    linebreak.set_memo(None)
    linebreak._wrap_para.cache_clear()
    return linebreak.wrap(text, width)


@pytest.mark.parametrize("width", [8, 13, 20, 40])
def test_lines_from_the_memo_are_the_computed_lines(disk, width):
    expected = [_plain_lines(t, width) for t in (JA, EN)]
    first = _fresh(disk)
    assert [linebreak.wrap(t, width) for t in (JA, EN)] == expected
    first.save()
    assert disk.exists()
    _fresh(disk)
    assert [linebreak.wrap(t, width) for t in (JA, EN)] == expected


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"sti-review-breaks-1\n",
        b"sti-review-breaks-1\n" + b"\xff" * 50,
        b"garbage",
        b"sti-review-breaks-1\n" + marshal.dumps([1, 2]),
        b"sti-review-breaks-1\n" + marshal.dumps({JA: "not bytes", 3: b"x"}),
        # classes of the wrong length, or values no break class has: never trusted
        b"sti-review-breaks-1\n" + marshal.dumps({JA: b"\x00\x01"}),
        b"sti-review-breaks-1\n" + marshal.dumps({JA: bytes([9] * (len(JA) + 1))}),
    ],
)
def test_damaged_memo_never_changes_a_line(disk, content):
    expected = _plain_lines(JA, 13)
    disk.parent.mkdir(parents=True)
    disk.write_bytes(content)
    m = _fresh(disk)
    assert linebreak.wrap(JA, 13) == expected
    m.save()
    assert disk.read_bytes().startswith(b"sti-review-breaks-1\n")
    _fresh(disk)
    assert linebreak.wrap(JA, 13) == expected


def test_memo_keeps_at_most_limit_paragraphs_used_last_first(disk, monkeypatch):
    monkeypatch.setattr(memo, "LIMIT", 5)
    m = _fresh(disk)
    for i in range(8):
        linebreak.wrap(f"段落{i}の文章です。", 6)
    m.save()
    kept = marshal.loads(disk.read_bytes()[len(b"sti-review-breaks-1\n") :])
    assert len(kept) == 5 and "段落7の文章です。" in kept


def test_unwritable_folder_costs_only_the_speed_up(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(memo, "_file", lambda: blocker / "breaks" / "m.marshal")
    try:
        m = _fresh(blocker / "breaks" / "m.marshal")
        assert linebreak.wrap(JA, 13) == _plain_lines(JA, 13)
        _fresh(blocker / "breaks" / "m.marshal")
        linebreak.wrap(EN, 13)
        m.save()  # must not raise
    finally:
        linebreak.set_memo(linebreak._UNSET)


def test_library_user_gets_no_disk_memo():
    """Only the command-line process (rubric_cache enabled) keeps breaks on disk."""
    from sti_review import rubric_cache

    linebreak.set_memo(linebreak._UNSET)
    rubric_cache.enable(False)
    try:
        assert linebreak._current_memo() is None
    finally:
        linebreak.set_memo(linebreak._UNSET)


def test_warm_assess_prints_the_same_without_budoux(tmp_path):
    proposal = ROOT / "examples" / "satreps-flood-ews-th.yaml"
    review = proposal.with_name("satreps-flood-ews-th.review.yaml")
    argv = ["sti-review", "assess", str(proposal), "--review", str(review), "--lang", "ja"]
    env = {"STI_REVIEW_CACHE": str(tmp_path / "c"), "STI_REVIEW_NO_CACHE": "", "COLUMNS": "80"}
    plain, _ = loaded_modules(argv, {**env, "STI_REVIEW_NO_CACHE": "1"})
    first, modules1 = loaded_modules(argv, env)
    second, modules2 = loaded_modules(argv, env)
    assert plain == first == second and "洪水" in second
    assert "budoux" in modules1 and "budoux" not in modules2


def test_files_of_another_line_breaker_are_removed_on_save(disk):
    disk.parent.mkdir(parents=True)
    stale = disk.parent / "written-by-an-older-linebreak.marshal"
    stale.write_bytes(b"sti-review-breaks-1\n" + marshal.dumps({}))
    m = _fresh(disk)
    linebreak.wrap(JA, 13)
    m.save()
    assert disk.exists() and not stale.exists()
