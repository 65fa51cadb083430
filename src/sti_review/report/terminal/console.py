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
    _escape_recorded(console)
    return console.export_text(styles=color).encode("utf-8")


def _escape_recorded(console: Console) -> None:
    """The terminal boundary: whatever a renderer printed (rubric titles and guidance, programme
    names, file names, as well as proposal text), a control character reaches the terminal only
    as a visible escape. Our own colours are added after this, by the export."""
    from rich.segment import Segment

    buffer = console._record_buffer  # rich keeps the recorded segments here
    for i, seg in enumerate(buffer):
        if seg.text and not seg.control:
            safe = "\n".join(printable(line) for line in seg.text.split("\n"))
            if safe != seg.text:
                buffer[i] = Segment(safe, seg.style, seg.control)


def untrusted(text: str | None, style: str = "") -> Text:
    """User text (proposals, reviews, rubrics from elsewhere): shown literally, controls made
    visible, never read as rich markup."""
    return Text(printable(text or ""), style=style)
