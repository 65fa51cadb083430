"""The evidence an assignment shows for a pair is words both texts use, not pieces of words."""

from __future__ import annotations

from sti_review.affinity import shared_word


def test_english_ngrams_grow_to_the_word_both_use():
    assert shared_word("ostd", "transfer-type postdoc positions", "postdoc mobility") == "postdoc"
    assert shared_word("tion", "cooperation on data", "collaboration in surveys") is None
    assert shared_word("and", "sand and stone", "land and sea") is None  # a function word


def test_katakana_must_be_the_same_word_in_both():
    assert shared_word("ゲノ", "薬剤耐性菌のゲノム解析", "ゲノム疫学") == "ゲノム"
    assert shared_word("レーシ", "イノベーション創出", "シミュレーション") is None


def test_kanji_grow_to_the_longest_run_both_contain():
    assert shared_word("手研究", "の若手研究者の育成", "若手研究者の国際交流") == "若手研究者"
    assert shared_word("数理", "数理科学の共同研究", "数理科学と統計") == "数理科学"
    assert shared_word("の運", "の運営", "の運用") is None  # a particle and one kanji: nothing
