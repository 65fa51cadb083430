"""Amounts of money in yen: read the way users write them, shown the way people read them.

``parse_yen`` accepts ``4億``, ``4億円``, ``4億5000万円``, ``5千万円``, ``400,000千円``, ``4.5億円``,
``1,200万円``, ``400000000``, ``¥400,000,000``, ``JPY 400000000``, ``¥400 million`` and full-width
forms (``４億``, ``￥４００，０００``), and returns exact integer yen. ``format_yen`` writes
「4億円」「1億2,000万円」「400,000千円」 or "¥400,000,000" / "¥400 million"; JSON and CSV carry the
integer itself. Every format ``format_yen`` writes is read back exactly by ``parse_yen``.

Pure functions; messages in Japanese and English through ``AmountError.text(lang)``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from typing import Literal

__all__ = ["MAX_YEN", "AmountError", "Style", "format_yen", "parse_yen"]

Lang = str  # a language code (i18n.languages())
Style = Literal["auto", "exact", "man", "sen", "oku"]

MAX_YEN = 10**15
"""The largest amount accepted (1,000兆円): larger is a typing accident, not a budget."""
MAX_TEXT = 64
"""Longest text read as an amount."""

# Messages: catalogue keys money.<key> (locales/*/LC_MESSAGES/sti_review.po).


class AmountError(ValueError):
    """An amount that cannot be read; ``key`` and ``values`` make the message in either language.

    A ``ValueError``, so pydantic validators report it at the field, with file and line.
    """

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, lang: Lang) -> str:
        from .i18n import t

        return t(f"money.{self.key}", lang, **self.values)


_BIG = {"兆": 10**12, "億": 10**8, "万": 10**4}
_SMALL = {"千": 1000, "百": 100}
_ENGLISH = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "billion": 10**9,
    "tn": 10**12,
    "trillion": 10**12,
}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[兆億万千百]|.")
_NEGATIVE = ("-", "−", "‐", "–", "▲", "△")
_PREFIXES = ("¥", "jpy", "yen")
_SUFFIXES = ("円", "jpy", "yen")


def parse_yen(value: object) -> int:
    """Exact yen from what a user wrote; ``AmountError`` (bilingual) for anything else."""
    if isinstance(value, bool):
        raise AmountError("amount_type", type="true/false")
    if isinstance(value, int):
        return _checked(Decimal(value), str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError("amount_garbage", text=repr(value))
        return _checked(Decimal(value), repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError("amount_garbage", text=str(value))
        return _checked(value, str(value))
    if not isinstance(value, str):
        raise AmountError("amount_type", type=type(value).__name__)
    return _parse_text(value)


def _checked(amount: Decimal, shown: str) -> int:
    if amount < 0:
        raise AmountError("amount_negative", text=shown)
    if amount > MAX_YEN:
        raise AmountError("amount_too_large", text=shown)
    if amount != amount.to_integral_value():
        raise AmountError("amount_fraction", text=shown)
    return int(amount)


def _parse_text(text: str) -> int:
    if len(text) > MAX_TEXT:
        raise AmountError("amount_too_long", limit=MAX_TEXT)
    shown = _shown(text)
    s = unicodedata.normalize("NFKC", text).strip().lower()
    if re.search(r"\d[\s,.]*\s[\s,.]*\d", s):  # "4 5", "400, 000": two numbers, not one
        raise AmountError("amount_garbage", text=_shown(text))
    s = re.sub(r"\s+", "", s)
    if not s:
        raise AmountError("amount_empty")
    negative = False
    changed = True
    while changed and s:  # currency marks and signs, in whatever order users put them
        changed = False
        for sign in _NEGATIVE:
            if s.startswith(sign):
                s, negative, changed = s[len(sign) :], True, True
        if s.startswith("+"):
            s, changed = s[1:], True
        for mark in _PREFIXES:
            if s.startswith(mark):
                s, changed = s[len(mark) :], True
    for mark in _SUFFIXES:
        if s.endswith(mark):
            s = s[: -len(mark)]
            break
    if not s:
        raise AmountError("amount_garbage", text=shown)
    amount = _english(s, shown)
    if amount is None:
        amount = _japanese(s, shown)
    if negative and amount != 0:
        raise AmountError("amount_negative", text=shown)
    return _checked(amount, shown)


def _shown(text: str) -> str:
    """The user's text, quoted and without control characters, for a message."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text.strip())
    return f"「{clean}」"


def _number(token: str, shown: str) -> Decimal:
    if not _NUMBER.fullmatch(token):
        raise AmountError("amount_separator" if "," in token else "amount_garbage", text=shown)
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise AmountError("amount_garbage", text=shown) from None


def _english(s: str, shown: str) -> Decimal | None:
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)([a-z]+)", s)
    if not m or m.group(2) not in _ENGLISH:
        return None
    return _number(m.group(1), shown) * _ENGLISH[m.group(2)]


def _japanese(s: str, shown: str) -> Decimal:
    """Digits with 兆・億・万 (sections) and 千・百 (within a section): 1億2,000万, 5千万, 400,000千."""
    total = section = Decimal(0)
    pending: Decimal | None = None
    in_section = False
    seen_number = False
    last_big = last_small = 10**16
    for tok in _TOKEN.findall(s):
        if tok[0].isdigit():
            if pending is not None:
                raise AmountError("amount_garbage", text=shown)
            pending = _number(tok, shown)
            seen_number = in_section = True
        elif tok in _SMALL:
            mult = _SMALL[tok]
            if pending is None or mult >= last_small:
                raise AmountError("amount_order" if pending is not None else "amount_garbage", text=shown)
            section += pending * mult
            pending, last_small = None, mult
        elif tok in _BIG:
            mult = _BIG[tok]
            if not in_section:
                raise AmountError("amount_garbage", text=shown)
            if mult >= last_big:
                raise AmountError("amount_order", text=shown)
            if pending is not None:
                section += pending
            total += section * mult
            section, pending, in_section = Decimal(0), None, False
            last_big, last_small = mult, 10**16
        else:
            raise AmountError("amount_garbage", text=shown)
    if not seen_number:
        raise AmountError("amount_garbage", text=shown)
    if pending is not None:
        section += pending
    return total + section


# -- formatting -------------------------------------------------------------------------------


def _decimal(n: int, unit: int) -> str:
    """n / unit exactly, thousands separated, without trailing zeros: 1,234.5."""
    with localcontext() as ctx:
        ctx.prec = 40
        q = Decimal(n) / Decimal(unit)
    whole, _, frac = f"{q:f}".partition(".")
    frac = frac.rstrip("0")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def _kanji_units(n: int) -> str:
    """1億2,000万3円 style: each section of four digits with its unit, zero sections left out."""
    if n == 0:
        return "0円"
    parts = []
    rest = n
    for unit, size in (("兆", 10**12), ("億", 10**8), ("万", 10**4)):
        value, rest = divmod(rest, size)
        if value:
            parts.append(f"{value:,}{unit}")
    if rest:
        parts.append(f"{rest:,}")
    return "".join(parts) + "円"


def format_yen(n: int, lang: Lang = "ja", style: Style = "auto") -> str:
    """An amount for people. Always exact: every style reads back to ``n`` through ``parse_yen``.

    ja: ``auto`` 「1億2,000万円」, ``exact`` 「120,000,000円」, ``sen`` 「120,000千円」, ``man``
    「12,000万円」, ``oku`` 「1.2億円」. en: ``auto`` "¥120 million" (or "¥1.2 billion", or the exact
    figure when rounder words would lose yen), ``exact`` "¥120,000,000", ``sen`` "¥120,000
    thousand", ``man`` and ``oku`` "¥120 million" (English has no unit of 10⁴ or 10⁸).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"format_yen needs an int of yen, not {type(n).__name__}")
    if not 0 <= n <= MAX_YEN:
        raise ValueError(f"amount out of range: {n}")
    from .i18n import t

    if t("money.units", lang) == "myriad":  # the language counts in 万 and 億 (a catalogue rule)
        if style == "auto":
            return _kanji_units(n)
        unit = {"exact": 1, "sen": 10**3, "man": 10**4, "oku": 10**8}[style]
        return t(f"money.yen_{style}", lang, n=f"{n:,}" if unit == 1 else _decimal(n, unit))
    if style == "exact":
        return t("money.yen_exact", lang, n=f"{n:,}")
    if style == "sen":
        return t("money.yen_sen", lang, n=_decimal(n, 10**3))
    if style in ("man", "oku"):
        return t("money.yen_million", lang, n=_decimal(n, 10**6))
    if n >= 10**9 and n % 10**7 == 0:
        return t("money.yen_billion", lang, n=_decimal(n, 10**9))
    if n >= 10**6 and n % 10**4 == 0:
        return t("money.yen_million", lang, n=_decimal(n, 10**6))
    return t("money.yen_exact", lang, n=f"{n:,}")
