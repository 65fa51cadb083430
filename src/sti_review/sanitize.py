"""Make untrusted text safe to show: no terminal control sequences, no markup surprises."""

from __future__ import annotations

import html
import re

# C0 and C1 controls except tab and newline, plus DEL and the bidi overrides that can
# reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Replace control characters with a visible escape such as \\x1b."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
        text,
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


_MD_BLOCK_START = re.compile(r"^(\s*)([#+=*-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_inline(text: str) -> str:
    """Escape text for a Markdown table cell or inline position: literal, one line, no HTML.

    Newlines become ``<br>``, so only the very start of the text could open a block (a heading
    or a list inside a list item): that start is escaped too.
    """
    text = printable(text).replace("\r\n", "\n").replace("\r", "\n")
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(_escape_block_start, text, count=1)
    # A pipe must not end the cell even inside inline code; GitHub honours \| everywhere.
    return text.replace("\n", "<br>")


def _escape_block_start(m: re.Match[str]) -> str:
    marker = m.group(2)
    if marker.isdigit():  # "1." -> "1\." (a backslash before a digit is not an escape)
        return m.group(1) + marker + "\\"
    return m.group(1) + "\\" + marker
