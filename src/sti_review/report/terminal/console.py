"""The terminal format's one helper: draw rich renderables into bytes.

Every terminal renderer prints into a recording console and returns what it recorded, so the
CLI writes terminal reports the way it writes every other format. ``color`` keeps the styles as
ANSI escapes (the CLI asks for them when stdout is a terminal); without it the text is plain.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from ...sanitize import printable


def capture(draw: Callable[[Console], None], *, width: int, color: bool = False) -> bytes:
    console = Console(
        record=True,
        width=width,
        file=io.StringIO(),
        color_system="auto" if color else None,
        force_terminal=color,
        highlight=False,
    )
    draw(console)
    return console.export_text(styles=color).encode("utf-8")


def untrusted(text: str | None, style: str = "") -> Text:
    """User text (proposals, reviews, rubrics from elsewhere): shown literally, controls made
    visible, never read as rich markup."""
    return Text(printable(text or ""), style=style)
