"""The shared line breaker for rich: wrapped ``Text`` and a ``JapaneseText`` renderable for table cells.

rich's own wrapping breaks Japanese anywhere (``（202`` / ``0年）``) and starts lines with 。、）;
these helpers lay text out with ``text.linebreak`` at the width rich gives them, so a table cell,
a panel or a prompt reads the same everywhere.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import StyleType
from rich.text import Text

from sti_review.text.linebreak import max_width, min_width, wrap_spans

__all__ = ["JapaneseText", "wrapped_text"]


def _as_text(text: str | Text, style: StyleType) -> Text:
    out = text.copy() if isinstance(text, Text) else Text(text, style=style)
    out.expand_tabs()
    return out


def wrapped_text(text: str | Text, width: int, style: StyleType = "") -> Text:
    """A ``Text`` with explicit line breaks for ``width`` columns; styles of a ``Text`` are kept.

    The result does not wrap again (``no_wrap``): what rich prints is what the breaker chose.
    """
    source = _as_text(text, style)
    plain = source.plain
    spans = wrap_spans(plain, width)
    out = Text(style=source.style, justify=source.justify, no_wrap=True, overflow="crop", end=source.end)
    # One divide for all lines: slicing a Text line by line copies the whole text each time
    # (quadratic; a 450 KB comment took minutes). Pieces alternate gap, line, gap, line, ...
    offsets = [x for span in spans for x in span]
    pieces = source.divide(offsets)
    for n in range(len(spans)):
        if n:
            out.append("\n")
        out.append_text(pieces[2 * n + 1])
    return out


class JapaneseText:
    """A renderable that wraps its text with the shared breaker at whatever width it is given.

    Use it as a table cell, a panel body or a group member; measurement tells rich the widest
    unbreakable piece (an id, a number, a phrase's first character with its 禁則 neighbours), so
    rich narrows a column before it cuts a token.
    """

    def __init__(self, text: str | Text, style: StyleType = ""):
        self.text = _as_text(text, style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield wrapped_text(self.text, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        most = min(max_width(plain), options.max_width)
        return Measurement(min(min_width(plain), most), most)

    def __str__(self) -> str:
        return self.text.plain
