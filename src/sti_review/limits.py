"""How much of a huge input a report shows: the limits, and one helper to apply them.

Whatever the size of what we read, a report lists at most these many items and ends a cut
list with "… and N more" (:func:`more_text`); a text longer than its limit is cut with a note
of how much was left out (:func:`clip`). Pure: no terminal, no files (issue 11, item 7).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

MAX_REVIEWERS = 50  # reviewers listed by name or as columns of one proposal
MAX_CONDITIONS = 50  # conditions of a gate
MAX_KPIS = 100  # KPIs of one proposal
MAX_ITEMS = 200  # any other list (partners, team, findings, rows of a table)
MAX_TEXT = 20_000  # characters of one free text (a comment, a summary) in a document report
MAX_TEXT_TERMINAL = 2_000  # characters of one free text in a terminal table cell (about a page)


def cap(items: Iterable[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` items and how many more there are; reads a sequence only once.

    >>> cap([1, 2, 3, 4], 2)
    ([1, 2], 2)
    """
    if limit < 0:
        raise ValueError("limit must be 0 or more")
    if isinstance(items, Sequence):
        return list(items[:limit]), max(0, len(items) - limit)
    shown: list[T] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item)
        else:
            more += 1
    return shown, more


def more_text(more: int, lang: str = "en") -> str:
    """The line that ends a cut list: "… and 1,234 more" / 「… ほか 1,234 件」; "" when none."""
    if more <= 0:
        return ""
    from .i18n import tn

    return tn("limits.more", more, lang, count=f"{more:,}")  # type: ignore[arg-type]


def clip(text: str | None, limit: int = MAX_TEXT, lang: str = "en") -> str:
    """``text`` whole when it fits, else its first ``limit`` characters and a note.

    The note says how much was left out and that the file holds the full text. Clip before any
    line breaking: the cost of a report then stays bounded whatever the size of the text.
    """
    if not text:
        return ""
    if len(text) <= limit:
        return text
    from .i18n import tn

    left = len(text) - limit
    return text[:limit] + tn("limits.clipped", left, lang, count=f"{left:,}")  # type: ignore[arg-type]


def capped_lines(items: Iterable[str], limit: int, lang: str = "en") -> list[str]:
    """At most ``limit`` items, then the "… and N more" line when some were left out."""
    shown, more = cap(items, limit)
    return [*shown, more_text(more, lang)] if more else shown
