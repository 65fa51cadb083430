"""Make untrusted text safe to show: no terminal control sequences, no markup surprises."""

from __future__ import annotations

import html
import re
from typing import Any

# C0 and C1 controls except tab and newline, plus DEL, the bidi overrides that can reorder
# what a reader sees, and the Unicode line and paragraph separators (a line break that
# neither Markdown nor our own line counting sees).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Replace control characters with a visible escape such as \\x1b."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
        text,
    )


# What JSON leaves raw with ensure_ascii=False but a terminal may act on (C1 controls such as
# U+009B, a one-character CSI) or that reorders or breaks what a reader sees (bidi overrides,
# line and paragraph separators). It can only occur inside JSON strings, so escaping it there
# keeps the data exactly as it was.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any) -> str:
    """``data`` as indented JSON (Japanese as text), with every control character escaped."""
    import json

    # allow_nan=False: a last guard, JSON (RFC 8259) has no Infinity or NaN; inputs are bounded
    # so that no report number can become one.
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


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
