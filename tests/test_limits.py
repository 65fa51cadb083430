"""The caps on what a report prints (sti_review.limits)."""

from __future__ import annotations

import pytest

from sti_review.limits import MAX_TEXT, cap, clip, more_text


@pytest.mark.parametrize("items", [list(range(10)), tuple(range(10)), iter(range(10)), range(10)])
def test_cap_returns_the_first_items_and_the_count_left(items):
    assert cap(items, 3) == ([0, 1, 2], 7)


def test_cap_of_a_short_list_leaves_nothing_out():
    assert cap([1, 2], 5) == ([1, 2], 0)
    assert cap([], 0) == ([], 0)
    with pytest.raises(ValueError):
        cap([1], -1)


def test_more_text_in_both_languages():
    assert more_text(0) == ""
    assert more_text(45_000) == "… and 45,000 more"
    assert more_text(45_000, "ja") == "… ほか 45,000 件"


def test_clip_keeps_japanese_and_says_how_much_was_cut():
    text = "日本語" * 10_000
    out = clip(text, lang="ja")
    assert out.startswith("日本語") and f"（ほか {len(text) - MAX_TEXT:,} 文字。" in out
    assert "全文はファイルにあります" in out
    assert clip("short") == "short"
    assert clip(None) == "" and clip("") == ""


def test_clip_in_english_is_plural_aware_and_names_the_file():
    assert clip("x" * 11, 10).endswith("(1 more character; the full text is in the file)")
    assert clip("x" * 12, 10).endswith("(2 more characters; the full text is in the file)")


def test_capped_lines_end_with_the_count_left_out():
    from sti_review.limits import capped_lines

    assert capped_lines(["a", "b"], 5) == ["a", "b"]
    assert capped_lines([str(i) for i in range(45_000)], 50, "ja")[-1] == "… ほか 44,950 件"
    assert len(capped_lines(iter(range(10**5)), 3)) == 4
