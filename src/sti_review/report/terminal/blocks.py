"""The blocks a terminal report is made of, drawn by rich or, without colour, by a writer of our own.

A single-file command spends more on rich than on anything else it does: importing rich's
console, tables and panels and laying out an assessment's tables costs ~45 ms, more than a
quarter of what typer itself takes to start (issue 17). So the assessment report is described in
these blocks, a small subset of rich's vocabulary (``Text``, ``Table``, ``Panel``, ``Group``,
``Padding`` and our line-broken ``Japanese``/``Hanging`` text), and

- ``to_rich`` turns them into rich renderables: colour at a terminal, and every caller that
  prints into a rich console;
- ``draw`` writes them as plain text, laid out exactly as rich lays them out, byte for byte
  (``tests/test_terminal_blocks.py`` compares the two over the examples and random text).

``draw`` does only what it can do exactly as rich does. A line rich would word-wrap, a table
rich would have to squeeze, markup in a plain string, a tab, a character outside the ranges whose
width we count exactly as rich counts it: any of these makes ``draw`` return ``None``, and the
caller draws the report with rich. The writer is never a second opinion on the layout.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from math import ceil
from typing import Any, Literal

from ...sanitize import printable
from ...text.linebreak import hanging_layout, max_width, min_width, text_width, wrap_spans

__all__ = [
    "Group",
    "Hanging",
    "Japanese",
    "Padding",
    "Panel",
    "Table",
    "Text",
    "draw",
    "to_rich",
    "untrusted",
]

Justify = Literal["left", "right"]

# Boxes as rich writes them (rich/box.py), one line per part: top, head, head row, mid, row,
# foot row, foot, bottom; each line is left, horizontal (or blank), divider, right.
BOXES = {
    "simple_head": "    \n    \n ── \n    \n    \n    \n    \n    \n",
    "rounded": "╭─┬╮\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n╰─┴╯\n",
    "heavy": "┏━┳┓\n┃ ┃┃\n┣━╋┫\n┃ ┃┃\n┣━╋┫\n┣━╋┫\n┃ ┃┃\n┗━┻┛\n",
}
BoxName = Literal["simple_head", "rounded", "heavy"]


# --- the blocks --------------------------------------------------------------------------------


class Text:
    """Styled text: pieces with their own styles under one style for the whole."""

    __slots__ = ("end", "justify", "no_wrap", "overflow", "parts", "style")

    def __init__(
        self,
        text: str = "",
        style: str = "",
        *,
        justify: Justify | None = None,
        no_wrap: bool | None = None,
        overflow: Literal["crop", "fold", "ellipsis"] | None = None,
    ):
        self.parts: list[tuple[str, str] | Text] = [(text, "")] if text else []
        self.style = style
        self.justify = justify
        self.no_wrap = no_wrap
        self.overflow = overflow
        self.end = "\n"

    def append(self, text: str | Text, style: str = "") -> Text:
        if isinstance(text, Text):
            return self.append_text(text)
        if text:
            self.parts.append((text, style))
        return self

    def append_text(self, text: Text) -> Text:
        self.parts.append(text)
        return self

    @property
    def plain(self) -> str:
        return "".join(p.plain if isinstance(p, Text) else p[0] for p in self.parts)

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return (
            f"Text({self.plain!r}, no_wrap={self.no_wrap}, justify={self.justify}, overflow={self.overflow})"
        )


def untrusted(text: str | None, style: str = "") -> Text:
    """User text (proposals, reviews, rubrics from elsewhere): shown literally, controls made
    visible (``console.untrusted`` for rich)."""
    return Text(printable(text or ""), style)


class Japanese:
    """Text wrapped by the shared breaker (``text.linebreak``) at whatever width it is given:
    rich's ``JapaneseText``."""

    def __init__(self, text: str | Text, style: str = ""):
        self.text = text if isinstance(text, Text) else Text(text, style)


class Hanging:
    """A paragraph wrapped by the shared breaker whose continuation lines start under the text
    after its leading spaces and bullet (``terminal.layout.paragraph``)."""

    def __init__(self, text: Text):
        self.text = text


@dataclass
class Column:
    header: str | Text = ""
    style: str = ""
    justify: Justify = "left"
    no_wrap: bool = False
    overflow: Literal["fold", "ellipsis"] = "ellipsis"
    ratio: int | None = None
    min_width: int | None = None


Block = Any  # Text | Japanese | Hanging | Table | Panel | Group | Padding | str


@dataclass
class Table:
    title: Text | None = None
    title_justify: Justify = "left"
    box: BoxName | None = "simple_head"
    expand: bool = False
    show_edge: bool = True
    show_header: bool = True
    padding: tuple[int, int] = (0, 1)
    collapse_padding: bool = False
    pad_edge: bool = True
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Block]] = field(default_factory=list)

    @classmethod
    def grid(cls, padding: tuple[int, int] = (0, 0)) -> Table:
        return cls(
            box=None,
            padding=padding,
            collapse_padding=True,
            show_header=False,
            show_edge=False,
            pad_edge=False,
        )

    def add_column(self, header: str | Text = "", **options: Any) -> None:
        self.columns.append(Column(header, **options))

    def add_row(self, *cells: Block) -> None:
        self.rows.append(list(cells))


@dataclass
class Panel:
    body: Block
    title: Text | None = None
    box: BoxName = "rounded"
    border_style: str = ""


class Group:
    def __init__(self, *blocks: Block):
        self.blocks = blocks


@dataclass
class Padding:
    body: Block
    left: int = 0


# --- rich ----------------------------------------------------------------------------------------


def to_rich(block: Block) -> Any:
    """The rich renderable a block stands for."""
    from rich import box as rich_box
    from rich.console import Group as RichGroup
    from rich.padding import Padding as RichPadding
    from rich.panel import Panel as RichPanel
    from rich.table import Table as RichTable

    from ...text.richwrap import JapaneseText
    from .layout import HangingText

    if isinstance(block, str):
        return block
    if isinstance(block, Text):
        return _rich_text(block)
    if isinstance(block, Japanese):
        return JapaneseText(_rich_text(block.text))
    if isinstance(block, Hanging):
        return HangingText(_rich_text(block.text))
    if isinstance(block, Group):
        return RichGroup(*(to_rich(b) for b in block.blocks))
    if isinstance(block, Padding):
        return RichPadding(to_rich(block.body), (0, 0, 0, block.left))
    if isinstance(block, Panel):
        return RichPanel(
            to_rich(block.body),
            title=_rich_text(block.title) if block.title is not None else None,
            title_align="left",
            border_style=block.border_style,
            box=getattr(rich_box, block.box.upper()),
        )
    if isinstance(block, Table):
        table = RichTable(
            title=_rich_text(block.title) if block.title is not None else None,
            title_justify=block.title_justify,
            box=getattr(rich_box, block.box.upper()) if block.box else None,
            expand=block.expand,
            show_edge=block.show_edge,
            show_header=block.show_header,
            padding=block.padding,
            collapse_padding=block.collapse_padding,
            pad_edge=block.pad_edge,
        )
        for c in block.columns:
            table.add_column(
                to_rich(c.header),
                style=c.style or None,
                justify=c.justify,
                no_wrap=c.no_wrap,
                overflow=c.overflow,
                ratio=c.ratio,
                min_width=c.min_width,
            )
        for row in block.rows:
            table.add_row(*(to_rich(cell) for cell in row))
        return table
    raise TypeError(f"not a block: {block!r}")


def _rich_text(text: Text) -> Any:
    from rich.text import Text as RichText

    out = RichText(style=text.style, justify=text.justify, no_wrap=text.no_wrap, overflow=text.overflow)
    for part in text.parts:
        if isinstance(part, Text):
            out.append_text(_rich_text(part))
        else:
            out.append(part[0], style=part[1] or None)
    out.end = text.end
    return out


# --- the writer ----------------------------------------------------------------------------------


class _NotHere(Exception):
    """rich would do something here that the writer does not do: draw with rich."""


NARROWEST = 20


def draw(blocks: Sequence[Block], width: int) -> str | None:
    """``blocks`` printed one after another into a console ``width`` cells wide, as plain text
    exactly as rich's ``Console.print`` and ``export_text`` give it; None where only rich can
    (and below 20 columns, where rich's layouts degenerate and nobody reads a report)."""
    if width < NARROWEST:
        return None
    out: list[str] = []
    options = _Options(width)
    try:
        for block in blocks:
            if isinstance(block, Text):  # print() joins text into a fresh Text: its own
                block = Text().append_text(block)  # wrapping, justify and end are not used
            out += [_fit(line, width, pad=False) + "\n" for line in _render(block, options)]
    except _NotHere:
        return None
    return "".join(out)


@dataclass(frozen=True)
class _Options:
    width: int
    justify: str | None = None
    no_wrap: bool = False
    overflow: str | None = None

    def at(self, width: int) -> _Options:
        return _Options(width, self.justify, self.no_wrap, self.overflow)


# Characters whose width text.linebreak counts as rich does (a test compares every one of them
# with rich's table); anything else is left to rich. Printable ASCII is checked apart.
_SAFE_RANGES = (
    (0x00A0, 0x00AC),  # Latin-1 (not the soft hyphen U+00AD)
    (0x00AE, 0x02FF),
    (0x0391, 0x03A1),  # Greek letters (not the unassigned points between them)
    (0x03A3, 0x03C9),
    (0x0400, 0x0482),  # Cyrillic
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2500, 0x25FC),  # box drawing, blocks, shapes
    (0x26D4, 0x26D4),  # no entry (an unreadable file)
    (0x2713, 0x2718),  # check marks and crosses
    (0x3000, 0x3029),  # CJK punctuation (not the tone marks U+302A-302F, which combine)
    (0x3030, 0x303E),
    (0x3041, 0x3096),  # hiragana
    (0x309B, 0x30FF),  # kana marks, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF01, 0xFF60),  # full-width forms
    (0xFF61, 0xFF9F),  # half-width kana
)
_SAFE_STARTS = tuple(lo for lo, _ in _SAFE_RANGES)


def _safe(ch: str) -> bool:
    code = ord(ch)
    i = bisect_right(_SAFE_STARTS, code) - 1
    return i >= 0 and code <= _SAFE_RANGES[i][1]


@lru_cache(maxsize=4096)
def _cells(text: str) -> int:
    """Cells rich gives ``text``; raises where our count might not be rich's."""
    if text.isascii():
        if not text.isprintable():
            raise _NotHere
        return len(text)
    for ch in text:
        if ch < " " or (ch > "\x7e" and not _safe(ch)):
            raise _NotHere
    return text_width(text)


def _fit(line: str, width: int, *, pad: bool) -> str:
    """``line`` cut to ``width`` cells (a wide character across the edge becomes a space) and,
    with ``pad``, filled with spaces to it: rich's ``adjust_line_length``/``set_cell_size``."""
    size = _cells(line)
    if size < width:
        return line + " " * (width - size) if pad else line
    if size == width:
        return line
    if width <= 0:
        return ""
    used, out = 0, []
    for ch in line:
        w = _cells(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def _render(block: Block, options: _Options) -> list[str]:
    """The lines ``block`` renders to (rich's segments split at newlines), unpadded as rich
    leaves them."""
    if isinstance(block, str):
        return _render_text(_markup_free(block), options)
    if isinstance(block, Text):
        return _render_text(block, options)
    if isinstance(block, Japanese):
        return _render_text(_wrapped(block.text, options.width), options)
    if isinstance(block, Hanging):
        return _render_text(_hanging(block.text, options.width), options)
    if isinstance(block, Group):
        return [line for b in block.blocks for line in _render(b, options)]
    if isinstance(block, Padding):
        return _render_padding(block.body, block.left, 0, options)
    if isinstance(block, Panel):
        return _render_panel(block, options)
    if isinstance(block, Table):
        return _render_table(block, options)
    raise _NotHere


def _lines(block: Block, options: _Options) -> list[str]:
    """rich's ``render_lines``: each line cut and padded to the width."""
    return [_fit(line, options.width, pad=True) for line in _render(block, options)]


def _markup_free(text: str) -> Text:
    """A plain string as rich reads it: markup and emoji codes are left to rich."""
    if "[" in text or ":" in text:
        raise _NotHere
    return Text(text)


def _render_text(text: Text, options: _Options) -> list[str]:
    """rich's ``Text.__rich_console__``: wrapped, justified and cut to the width."""
    width = options.width
    if text.end != "\n" or width < 1:
        raise _NotHere
    justify = text.justify or options.justify or "default"
    overflow = text.overflow or options.overflow or "fold"
    no_wrap = text.no_wrap if text.no_wrap is not None else options.no_wrap
    out = []
    for line in _wrap(text.plain, width, no_wrap, overflow):
        if justify == "left":
            line = _truncate(line, width, overflow)
            line = _fit(line, width, pad=True)
        elif justify == "right":
            line = _truncate(line.rstrip(), width, overflow)
            line = " " * (width - _cells(line)) + line
        elif justify != "default":
            raise _NotHere
        out.append(_truncate(line, width, overflow))
    return out


def _wrap(plain: str, width: int, no_wrap: bool, overflow: str) -> list[str]:
    """The lines of rich's ``Text.wrap`` before they are justified."""
    out = []
    for line in plain.split("\n"):
        if no_wrap or _cells(line) <= width:
            out.append(line)
            continue
        if "\t" in line or width < 1:
            raise _NotHere
        offsets = [0, *_divide_line(line, width, fold=overflow == "fold"), len(line)]
        for start, end in pairwise(offsets):
            piece = line[start:end]
            if len(piece) > width:  # rich's rstrip_end: spaces beyond the width go
                spaces = len(piece) - len(piece.rstrip())
                piece = piece[: len(piece) - min(spaces, len(piece) - width)]
            out.append(piece)
    return out


def _divide_line(text: str, width: int, fold: bool) -> list[int]:
    """rich's ``_wrap.divide_line``: where a line breaks into lines of ``width`` cells."""
    import re

    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group()
        length = _cells(word.rstrip())
        if width - offset >= length:
            offset += _cells(word)
        elif length > width:
            if not fold:
                if start:
                    breaks.append(start)
                offset = _cells(word)
                continue
            pieces = _chop(word, width)
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = _cells(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = _cells(word)
    return breaks


def _chop(text: str, width: int) -> list[str]:
    """rich's ``cells.chop_cells``: ``text`` in pieces of at most ``width`` cells."""
    out, size, begin = [], 0, 0
    for i, ch in enumerate(text):
        w = _cells(ch)
        if size + w > width:
            out.append(text[begin:i])
            begin, size = i, 0
        size += w
    if size:
        out.append(text[begin:])
    return out


def _truncate(line: str, width: int, overflow: str) -> str:
    if _cells(line) <= width:
        return line
    if overflow == "ellipsis":
        return _fit(line, width - 1, pad=True) + "…"
    return _fit(line, width, pad=True)


def _wrapped(text: Text, width: int) -> Text:
    """``richwrap.wrapped_text``: the shared breaker's lines, never wrapped again."""
    plain = text.plain
    if "\t" in plain:
        raise _NotHere
    out = Text(
        "\n".join(plain[start:end] for start, end in wrap_spans(plain, width)),
        justify=text.justify,
        no_wrap=True,
        overflow="crop",
    )
    out.end = text.end
    return out


def _hanging(text: Text, width: int) -> Text:
    """``layout.paragraph``: the shared breaker's lines, continuation lines indented."""
    plain = text.plain
    if "\t" in plain:
        raise _NotHere
    layout = hanging_layout(plain, width)
    if layout is None:  # fits as it is: rich prints the text itself
        return text
    lines = (" " * hang + plain[start:end] for start, end, hang in layout)
    out = Text("\n".join(lines), no_wrap=True, overflow="crop")
    out.end = text.end
    return out


def _measure(block: Block, width: int) -> tuple[int, int]:
    """rich's ``Measurement.get``: the narrowest and widest ``block`` can be drawn."""
    if width < 1:
        return 0, 0
    if isinstance(block, Padding | Table | Panel | Group):
        raise _NotHere  # not measured by the reports drawn here
    if isinstance(block, Japanese | Hanging):
        plain = block.text.plain
        most = min(max_width(plain), width)
        low, high = min(min_width(plain), most), most
    else:
        plain = (_markup_free(block) if isinstance(block, str) else block).plain
        lines = plain.splitlines()
        high = max(_cells(line) for line in lines) if lines else 0
        words = plain.split()
        low = max(_cells(word) for word in words) if words else high
    return _limit(low, high, width)


def _limit(low: int, high: int, width: int) -> tuple[int, int]:
    """``Measurement.get``'s last steps: normalised, at most ``width``, (0, 0) if nothing."""
    low, high = _normalize(low, high)
    low, high = min(low, width), min(high, width)
    if high < 1:
        return 0, 0
    return _normalize(low, high)


def _normalize(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _render_padding(body: Block, left: int, right: int, options: _Options) -> list[str]:
    """rich's ``Padding`` (expanded, no top or bottom)."""
    inner = options.width - left - right
    if inner < 1:
        raise _NotHere
    return [" " * left + line + " " * right for line in _lines(body, options.at(inner))]


def _box(name: str) -> list[str]:
    return BOXES[name].splitlines()


def _render_panel(panel: Panel, options: _Options) -> list[str]:
    """rich's ``Panel`` (expanded, padding (0, 1), title on the left)."""
    width = options.width
    if width < 5:
        raise _NotHere
    box = _box(panel.box)
    top_left, top, _, top_right = box[0]
    mid_left, _, _, mid_right = box[3]
    bottom_left, bottom, _, bottom_right = box[7]
    title = None
    if panel.title is not None and panel.title.plain:
        title = " " + panel.title.plain.replace("\n", " ") + " "
        if "\t" in title:
            raise _NotHere
    body = _render_padding(panel.body, 1, 1, options.at(width - 2))  # lines of width - 2 already
    if title is None:
        head = top_left + top * (width - 2) + top_right
    else:
        title = _fit(title, width - 4, pad=False)
        head = top_left + top + title + top * (width - 4 - _cells(title)) + top + top_right
    return [
        head,
        *(mid_left + line + mid_right for line in body),
        bottom_left + bottom * (width - 2) + bottom_right,
    ]


def _column_padding(table: Table, index: int) -> tuple[int, int]:
    """rich's ``Table._get_cells`` padding of a cell: (left, right) (no vertical padding here)."""
    vertical, left = table.padding
    if vertical:
        raise _NotHere
    right = left
    first, last = index == 0, index == len(table.columns) - 1
    if table.collapse_padding and not first:
        left = max(0, left - right)
    if not table.pad_edge:
        if first:
            left = 0
        if last:
            right = 0
    return left, right


def _padding_width(table: Table, index: int) -> int:
    """rich's ``Table._get_padding_width``."""
    left = right = table.padding[1]
    if table.collapse_padding:
        left = 0
    if not table.pad_edge:
        if index == 0:
            left = 0
        if index == len(table.columns) - 1:
            right = 0
    return left + right


def _cells_of(table: Table, index: int) -> list[Block]:
    column = table.columns[index]
    header = [column.header] if table.show_header else []
    return header + [row[index] for row in table.rows]


def _measure_column(table: Table, index: int, width: int) -> tuple[int, int]:
    """rich's ``Table._measure_column``, each cell measured with its padding."""
    if width < 1:
        return 0, 0
    column = table.columns[index]
    pad = _padding_width(table, index)
    lows, highs = [], []
    left, right = _column_padding(table, index)
    extra = left + right
    for cell in _cells_of(table, index):
        if width - extra < 1:
            low, high = width, width
        else:  # rich's Padding.__rich_measure__, then Measurement.get's checks
            low, high = _measure(cell, width)
            low, high = _limit(low + extra, high + extra, width)
        lows.append(low)
        highs.append(high)
    low = max(lows) if lows else 1
    high = max(highs) if highs else width
    low, high = min(low, width), min(high, width)
    if column.min_width is not None:
        least = max(0, column.min_width + pad)
        low, high = max(low, least), max(high, least)
    return low, high


def _ratio_distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """rich's ``_ratio.ratio_distribute``, to the same float arithmetic."""
    if minimums:
        ratios = [ratio if least else 0 for ratio, least in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    if total_ratio <= 0:
        raise _NotHere
    remaining = total
    out = []
    for ratio, least in zip(ratios, minimums or [0] * len(ratios), strict=True):
        share = max(least, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        out.append(share)
        total_ratio -= ratio
        remaining -= share
    return out


def _column_widths(table: Table, width: int) -> list[int]:
    """rich's ``Table._calculate_column_widths``."""
    columns = table.columns
    ranges = [_measure_column(table, i, width) for i in range(len(columns))]
    widths = [high or 1 for _, high in ranges]
    if table.expand:
        ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
        if any(ratios):
            fixed = [0 if c.ratio is not None else high for (_, high), c in zip(ranges, columns, strict=True)]
            least = [1 + _padding_width(table, i) for i, c in enumerate(columns) if c.ratio is not None]
            flex = iter(_ratio_distribute(width - sum(fixed), ratios, least))
            widths = [
                fixed[i] + next(flex) if c.ratio is not None else widths[i] for i, c in enumerate(columns)
            ]
    total = sum(widths)
    if total > width:  # rich's _collapse_widths, then an even cut, then every column measured again
        widths = _collapse(widths, [not c.no_wrap for c in columns], width)
        total = sum(widths)
        if total > width:
            widths = _ratio_reduce(total - width, [1] * len(widths), widths, widths)
            total = sum(widths)
        widths = [_measure_column(table, i, w)[1] or 0 for i, w in enumerate(widths)]
    if total < width and table.expand:
        widths = [w + pad for w, pad in zip(widths, _ratio_distribute(width - total, widths), strict=True)]
    return widths


def _collapse(widths: list[int], wrapable: list[bool], width: int) -> list[int]:
    """rich's ``Table._collapse_widths``: the widest wrapable columns narrowed first."""
    total = sum(widths)
    excess = total - width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
            second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable, strict=True))
            ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not widest - second:
                break
            most = [min(excess, widest - second)] * len(widths)
            widths = _ratio_reduce(excess, ratios, most, widths)
            total = sum(widths)
            excess = total - width
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich's ``_ratio.ratio_reduce``, to the same float arithmetic."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            cut = min(most, round(ratio * remaining / total_ratio))
            out.append(value - cut)
            remaining -= cut
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _render_table(table: Table, options: _Options) -> list[str]:
    """rich's ``Table`` (no footer, caption, row lines or fixed widths)."""
    if not table.columns:
        raise _NotHere
    extra = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
    widths = _column_widths(table, options.width - extra)
    table_width = sum(widths) + extra
    out: list[str] = []
    if table.title is not None and table.title.plain:
        title_options = _Options(table_width, table.title_justify, options.no_wrap, options.overflow)
        out += _render_text(table.title, title_options)
    box = _box(table.box) if table.box else None
    edge = table.show_edge
    if box and edge:
        left, horizontal, divider, right = box[0]
        out.append(left + divider.join(horizontal * w for w in widths) + right)
    rows: list[list[Block]] = ([[c.header for c in table.columns]] if table.show_header else []) + table.rows
    count = len(rows)
    for r, row in enumerate(rows):
        header = r == 0 and table.show_header
        cells = []
        for i, (w, cell, column) in enumerate(zip(widths, row, table.columns, strict=True)):
            left, right = _column_padding(table, i)
            cell_options = _Options(w, column.justify, column.no_wrap, column.overflow)
            if w - left - right < 1:
                raise _NotHere
            cells.append(_render_padding(cell, left, right, cell_options))  # lines of width w
        height = max(len(c) for c in cells)
        shaped = []
        for w, c in zip(widths, cells, strict=True):
            blank = [" " * w] * (height - len(c))
            shaped.append(blank + c if header else c + blank)
        if box:
            part = box[1] if r == 0 else (box[6] if r == count - 1 else box[3])
            left, _, divider, right = part
            for n in range(height):
                line = divider.join(c[n] for c in shaped)
                out.append(left + line + right if edge else line)
            if header:
                left, horizontal, cross, right = box[2]
                line = cross.join(horizontal * w for w in widths)
                out.append(left + line + right if edge else line)
        else:
            out += ["".join(c[n] for c in shaped) for n in range(height)]
    if box and edge:
        left, horizontal, divider, right = box[7]
        out.append(left + divider.join(horizontal * w for w in widths) + right)
    return out
