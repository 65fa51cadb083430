"""Make untrusted text safe to show: no terminal control sequences, no markup surprises."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
    try:
        text = _indented(data)
    except _Unusual:  # anything but plain JSON data: the standard library decides (and complains)
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


class _Unusual(Exception):
    pass


class Streamed:
    """A list in data given to ``json_chunks`` whose items are made one at a time (a ranking's
    100,000 proposals): each is encoded and handed on before the next is made."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]):
        self.items = items


STREAM_BATCH = 256  # items of a Streamed list encoded per chunk


def json_chunks(data: dict[str, Any]) -> Iterator[str]:
    """``json_text(data)`` in pieces, where the values of ``data`` may be ``Streamed`` lists
    (issue 17: a large ranking is written without its whole text, or its whole data, in
    memory). The pieces joined are exactly ``json_text`` of the same data with lists."""
    import json

    def safe(text: str) -> str:
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    def item(o: Any, level: int) -> str:
        fast = _native(o, level)  # a report's rows: numbers rounded, budgets validated finite
        if fast is not None:
            return fast
        try:
            return _indented(o, level)
        except _Unusual:  # as json.dumps would have it at this depth (it never writes a raw newline)
            return json.dumps(o, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", _pad(level))

    if not data:
        yield "{}\n"
        return
    head: list[str] = ["{"]
    first = True
    for k, v in data.items():
        head.append(_pad(1) if first else "," + _pad(1))
        first = False
        head.append(item(k, 1) + ": ")
        if not isinstance(v, Streamed):
            head.append(item(v, 1))
            continue
        started = False
        for x in v.items:
            head.append(("," if started else "[") + _pad(2) + item(x, 2))
            started = True
            if len(head) >= STREAM_BATCH:
                yield safe("".join(head))
                head = []
        head.append(_pad(1) + "]" if started else "[]")
    head.append("\n}")
    yield safe("".join(head)) + "\n"


_PADS = ["\n"]


def _pad(level: int) -> str:
    while len(_PADS) <= level:
        _PADS.append("\n" + "  " * len(_PADS))
    return _PADS[level]


# Where orjson's text is not json.dumps's: an exponent of one digit (orjson 1.23e-7, Python
# 1.23e-07) and a number under 1e-4 written out (orjson 0.00001, Python 1e-05). Checked over
# 800,000 random floats: every difference is caught, and no float that prints alike is.
_NATIVE_DIFFERS = re.compile(rb"[0-9][eE][-+]?[0-9](?![0-9])|(?<![0-9.])-?0\.0000")


def _native(data: Any, base: int = 0) -> str | None:
    """``_indented`` by orjson (compiled; ~30 times faster), or None when orjson is missing or
    its text could differ from ``json.dumps``'s: anything but plain data (orjson would write
    dataclasses, dates and UUIDs where json.dumps refuses them), an integer over 64 bits, a lone
    surrogate, or a number it writes in another form (``_NATIVE_DIFFERS``). orjson writes NaN
    and infinity as null where json.dumps refuses them: used for the rows of a streamed report
    only, whose numbers are rounded finite ones (``report.json.numbers``) or validated inputs."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; without it the Python writer runs
        return None
    try:
        raw = orjson.dumps(
            data,
            option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME,
        )
    except (TypeError, orjson.JSONEncodeError):
        return None
    # orjson writes an exponent with its sign (1e+16, 1.23e-7): three substring scans rule most
    # rows out before the regular expression, which costs ~100 us on a 2 KB row
    if (b"e-" in raw or b"e+" in raw or b"0.0000" in raw) and _NATIVE_DIFFERS.search(raw):
        return None
    text = raw.decode("utf-8")
    return text.replace("\n", _pad(base)) if base else text  # no raw line break inside a string


def _indented(data: Any, base: int = 0) -> str:
    """Exactly ``json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)`` for plain data
    (dicts with str keys, lists, tuples, str, int, float, bool, None), about three times faster:
    with an indent the standard library falls back to its pure-Python generator encoder, which
    was most of a large ranking's JSON report. Anything else raises _Unusual. ``base``: the
    depth the text is nested at (its line breaks indented as deep)."""
    from json.encoder import encode_basestring  # the C string encoder (ensure_ascii=False)

    out: list[str] = []
    add = out.append
    pads = ["\n"]

    def pad(level: int) -> str:
        while len(pads) <= level:
            pads.append("\n" + "  " * len(pads))
        return pads[level]

    def dump(o: Any, level: int) -> None:
        if isinstance(o, str):
            add(encode_basestring(o))
        elif o is None:
            add("null")
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        elif isinstance(o, int):
            add(int.__repr__(o))
        elif isinstance(o, float):
            if o != o or o in (float("inf"), float("-inf")):
                raise _Unusual
            add(float.__repr__(o))
        elif isinstance(o, dict):
            if not o:
                add("{}")
                return
            inner = pad(level + 1)
            add("{")
            first = True
            for k, v in o.items():
                if not isinstance(k, str):
                    raise _Unusual
                add(inner if first else "," + inner)
                first = False
                add(encode_basestring(k))
                add(": ")
                dump(v, level + 1)
            add(pad(level))
            add("}")
        elif isinstance(o, (list, tuple)):
            if not o:
                add("[]")
                return
            inner = pad(level + 1)
            add("[")
            first = True
            for v in o:
                add(inner if first else "," + inner)
                first = False
                dump(v, level + 1)
            add(pad(level))
            add("]")
        else:
            raise _Unusual

    try:
        dump(data, base)
        return "".join(out)
    finally:
        # ``dump`` refers to itself: without this, each call left a cycle holding its pieces
        # for the collector, which the CLI runs rarely (a ranking encodes one per proposal)
        dump = None  # type: ignore[assignment]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


_MD_BLOCK_START = re.compile(r"^(\s*)([#+=*-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_inline(text: str) -> str:
    """Escape text for a Markdown table cell or inline position: literal, one line, no HTML.

    Newlines become ``<br>``, so only the very start of the text could open a block (a heading
    or a list inside a list item): that start is escaped too.
    """
    import html  # here, not at the top: its entity table costs ~2 ms of every command's start-up

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
