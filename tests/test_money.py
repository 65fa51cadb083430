"""Amounts as users write them (4億円, 400,000千円, ¥400,000,000) and as people read them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sti_review.money import MAX_YEN, AmountError, format_yen, parse_yen

OKU = 400_000_000


@pytest.mark.parametrize(
    ("text", "yen"),
    [
        ("4億", OKU),
        ("4億円", OKU),
        ("4億5000万円", 450_000_000),
        ("4億5,000万円", 450_000_000),
        ("400,000千円", OKU),
        ("400000000", OKU),
        ("4.5億円", 450_000_000),
        ("1,200万円", 12_000_000),
        ("５千万円", 50_000_000),
        ("４億", OKU),
        ("４億５０００万円", 450_000_000),
        ("¥400,000,000", OKU),
        ("￥４００，０００，０００", OKU),
        ("JPY 400000000", OKU),
        ("400000000 JPY", OKU),
        ("400,000,000円", OKU),
        ("¥400 million", OKU),
        ("¥1.2 billion", 1_200_000_000),
        ("300k", 300_000),
        ("1億2,000万3円", 120_000_003),
        ("  4 億 5000 万円 ", 450_000_000),
        ("1兆", 10**12),
        ("0", 0),
        ("0円", 0),
        ("+4億", OKU),
    ],
)
def test_amounts_as_users_write_them(text: str, yen: int) -> None:
    assert parse_yen(text) == yen


@pytest.mark.parametrize(
    ("value", "yen"), [(OKU, OKU), (4e8, OKU), (Decimal("400000000"), OKU), (0, 0), (MAX_YEN, MAX_YEN)]
)
def test_numbers_from_yaml(value: object, yen: int) -> None:
    assert parse_yen(value) == yen


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("-4億", "amount_negative"),
        ("▲400,000千円", "amount_negative"),
        ("¥-400", "amount_negative"),
        ("−400", "amount_negative"),
        (-1, "amount_negative"),
        ("4.5", "amount_fraction"),
        ("1.234567891億", "amount_fraction"),
        (0.5, "amount_fraction"),
        ("10000兆", "amount_too_large"),
        (MAX_YEN + 1, "amount_too_large"),
        ("9" * 30, "amount_too_large"),
        ("", "amount_empty"),
        ("   ", "amount_empty"),
        ("abc", "amount_garbage"),
        ("四億円", "amount_garbage"),
        ("億円", "amount_garbage"),
        ("円", "amount_garbage"),
        ("4億億", "amount_order"),
        ("4万5億", "amount_order"),
        ("4 5", "amount_garbage"),
        ("1e9", "amount_garbage"),
        ("4億ドル", "amount_garbage"),
        ("4,00", "amount_separator"),
        ("1,2345万", "amount_separator"),
        (",400", "amount_garbage"),
        ("x" * 10_000, "amount_too_long"),
        ("4\x1b[31m億", "amount_garbage"),
        (float("nan"), "amount_garbage"),
        (float("inf"), "amount_garbage"),
        (True, "amount_type"),
        (None, "amount_type"),
        ([4], "amount_type"),
    ],
)
def test_bad_amounts_get_a_clear_message_in_both_languages(value: object, key: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_yen(value)
    err = info.value
    assert err.key == key or (key == "amount_order" and err.key in ("amount_order", "amount_garbage"))
    ja, en = err.text("ja"), err.text("en")
    assert ja != en and str(err) == en
    assert any("\u3040" <= ch <= "\u9fff" for ch in ja)
    assert "\x1b" not in ja and "\x1b" not in en
    assert len(en) < 200  # a huge input is not echoed back


def test_the_message_shows_what_the_user_typed() -> None:
    with pytest.raises(AmountError) as info:
        parse_yen("4億ドル")
    assert "4億ドル" in info.value.text("ja")
    assert "4億円" in info.value.text("en")  # and how to write it


@pytest.mark.parametrize(
    ("yen", "lang", "style", "shown"),
    [
        (OKU, "ja", "auto", "4億円"),
        (120_000_000, "ja", "auto", "1億2,000万円"),
        (450_000_000, "ja", "auto", "4億5,000万円"),
        (12_345_678, "ja", "auto", "1,234万5,678円"),
        (0, "ja", "auto", "0円"),
        (OKU, "ja", "exact", "400,000,000円"),
        (OKU, "ja", "sen", "400,000千円"),
        (OKU, "ja", "man", "40,000万円"),
        (450_000_000, "ja", "oku", "4.5億円"),
        (OKU, "en", "exact", "¥400,000,000"),
        (OKU, "en", "auto", "¥400 million"),
        (1_200_000_000, "en", "auto", "¥1.2 billion"),
        (12_345_678, "en", "auto", "¥12,345,678"),
        (OKU, "en", "sen", "¥400,000 thousand"),
        (OKU, "en", "oku", "¥400 million"),
    ],
)
def test_amounts_for_people(yen: int, lang: str, style: str, shown: str) -> None:
    assert format_yen(yen, lang, style) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, MAX_YEN + 1])
def test_format_refuses_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        format_yen(bad)


def test_format_refuses_non_integers() -> None:
    with pytest.raises(TypeError):
        format_yen(4.5e8)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.integers(0, MAX_YEN), st.integers(0, 10**6), st.integers(0, 10**4).map(lambda n: n * 10**4)),
    st.sampled_from(["ja", "en"]),
    st.sampled_from(["auto", "exact", "man", "sen", "oku"]),
)
def test_property_every_format_reads_back_exactly(yen: int, lang: str, style: str) -> None:
    assert parse_yen(format_yen(yen, lang, style)) == yen  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_property_any_text_gives_yen_or_amount_error(text: str) -> None:
    try:
        yen = parse_yen(text)
    except AmountError as err:
        assert err.text("ja") and err.text("en")
    else:
        assert 0 <= yen <= MAX_YEN
