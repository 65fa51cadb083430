"""Who a reviewer is: one normal form of a name, so that "each reviewer counts once" cannot be
bypassed by spelling the same name differently.

Two names are the same reviewer when their :func:`reviewer_key` is equal: Unicode NFKC
(full-width letters, compatibility spaces), format characters (category Cf: zero-width space,
word joiner, soft hyphen, bidi marks, BOM) and other invisible fillers removed, every run of
whitespace (no-break and ideographic spaces included) collapsed to one space, trimmed, and case
folded — for Latin letters only, so other scripts are compared as written after NFKC. The key
leaves the spaces out (see :func:`reviewer_key`).
Pure: no files, no terminal.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that are not category Cf but render as nothing (Hangul fillers, the
# Braille blank, combining grapheme joiner, variation selectors).
_INVISIBLE = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0") | frozenset(
    chr(c) for c in range(0xFE00, 0xFE10)
)
_SPACES = re.compile(r"\s+")


def _visible(ch: str) -> bool:
    if ch in _INVISIBLE:
        return False
    cat = unicodedata.category(ch)
    # Cf: format (ZWSP, ZWJ, word joiner, bidi controls); Cc except whitespace: control codes.
    return cat != "Cf" and not (cat == "Cc" and not ch.isspace())


def _fold(ch: str) -> str:
    # Latin letters only: casefold() would also fold Greek, Cyrillic, Armenian, … which some
    # names keep distinct by design; Japanese has no case.
    if ch.isascii() or ("LATIN" in unicodedata.name(ch, "")):
        return ch.casefold()
    return ch


def normalise_name(name: str) -> str:
    """The name as it is compared: NFKC, invisible characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if _visible(ch))
    return _SPACES.sub(" ", text).strip()


def reviewer_key(name: str) -> str:
    """The identity of a reviewer: :func:`normalise_name` without its spaces, Latin letters
    case-folded.

    Spaces are left out because a zero-width character can stand where a space was (審査員 A
    and 審査員\u200bA look alike) and Japanese names are written with and without one
    (山田 花子, 山田花子). "John Smith" and "JohnSmith" are therefore one reviewer: a false
    alarm costs one edit, a miss lets a reviewer count twice.

    ``""`` means the name is empty once the invisible parts are gone.
    """
    return "".join(_fold(ch) for ch in normalise_name(name) if ch != " ")


def same_reviewer(a: str, b: str) -> bool:
    """Whether two spellings name the same reviewer (both non-empty)."""
    key = reviewer_key(a)
    return bool(key) and key == reviewer_key(b)
