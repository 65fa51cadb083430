"""Layouts for the terminal you have: a table when its columns fit, one block per row when not.

Every terminal table goes through ``table_or_stack``: it measures what each column needs with
the shared breaker (``text.linebreak``) and chooses. Columns of kind ``key`` (ids, verdicts,
outcomes, scores, money) are never wrapped nor cut; ``text`` columns (titles, comments) wrap at
Japanese phrase boundaries with 禁則処理 and take the room the others leave, so a wide terminal
uses its width. When even the narrowest readable table is wider than the terminal, each row
becomes a block ("id — title" then "header: value" lines) instead of a crushed table.

``paragraph`` does the same for lines printed outside tables: wrapped by the shared breaker with
a hanging indent, so no line is wider than the terminal and none starts with 、。）.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box as rich_box
from rich.console import Console, Group, RenderableType
from rich.text import Text

from ...text.linebreak import max_width, min_width, text_width, wrap_spans
from ...text.richwrap import JapaneseText, wrapped_text

__all__ = ["Column", "emit", "paragraph", "table_or_stack"]

Kind = Literal["key", "text"]

# A text column narrower than this reads as a column of single characters; below it, stack.
READABLE = 12
_LEAD = re.compile(r"^[ \t]*(?:[•◦·→–\-*][ \t]+)?")


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "key"
    justify: Literal["left", "right"] = "left"
    style: str = ""


Cell = str | Text


def _text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def _need(col: Column, cells: list[Text]) -> int:
    """Cells a column needs so nothing in it is cut (key) or it still reads (text)."""
    if col.kind == "key":
        lines = [line for c in cells for line in c.plain.split("\n")]
        # rich never wraps a no_wrap column's header either: it needs its full width (issue 16:
        # at 80 columns a panel table dropped its last column and its titles went 1 cell wide).
        return max([text_width(line) for line in lines] + [text_width(col.header)])
    widest_piece = max([min_width(c.plain) for c in cells] + [min_width(col.header), 1])
    widest = max([max_width(c.plain) for c in cells] + [1])
    return max(widest_piece, min(widest, READABLE))


def fits(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> bool:
    texts = [[_text(c) for c in row] for row in rows]
    needs = [_need(col, [row[i] for row in texts]) for i, col in enumerate(columns)]
    return sum(needs) + 3 * (len(columns) - 1) <= width


def table_or_stack(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    width: int,
    *,
    title: str | Text | None = None,
    box: rich_box.Box | None = rich_box.SIMPLE_HEAD,
    show_header: bool = True,
    sections: Sequence[int] = (),
    stack_title: int | None = None,
    gap: bool = True,
) -> RenderableType:
    """A rich table when the columns fit in ``width``, else one block per row.

    ``sections``: indices of rows after which the table draws a rule (a funding line, a total).
    ``stack_title``: the text column shown after the keys on a block's first line (default: the
    first text column).
    """
    from rich.table import Table

    texts = [[_text(c) for c in row] for row in rows]
    needs = [_need(col, [row[i] for row in texts]) for i, col in enumerate(columns)]
    if sum(needs) + 3 * (len(columns) - 1) <= width:
        table = Table(
            title=_text(title) if title is not None else None,
            title_justify="left",
            box=box,
            show_edge=False,
            pad_edge=False,
            show_header=show_header,
        )
        for col, need in zip(columns, needs, strict=True):
            if col.kind == "key":
                table.add_column(
                    JapaneseText(col.header),
                    no_wrap=True,
                    min_width=need,
                    justify=col.justify,
                    style=col.style or None,
                )
            else:
                table.add_column(JapaneseText(col.header), ratio=1, min_width=need, style=col.style or None)
        for n, row in enumerate(texts):
            cells: list[RenderableType] = [
                c if col.kind == "key" else JapaneseText(c) for col, c in zip(columns, row, strict=True)
            ]
            table.add_row(*cells, end_section=n in sections)
        return table
    return _stack(columns, texts, width, title, stack_title, gap)


def _stack(
    columns: Sequence[Column],
    rows: list[list[Text]],
    width: int,
    title: str | Text | None,
    at: int | None,
    gap: bool = True,
) -> RenderableType:
    if at is None:
        at = next((i for i, c in enumerate(columns) if c.kind == "text"), None)
    out: list[RenderableType] = []
    if title is not None:
        out.append(paragraph(_text(title).copy(), width))
    for n, row in enumerate(rows):
        if n and gap:
            out.append(Text(""))
        head = Text()
        keys_end = at if at is not None else len(row)
        for i, (col, cell) in enumerate(zip(columns, row, strict=True)):
            if col.kind == "key" and i < keys_end and cell.plain.strip():
                if head.plain:
                    head.append("  ")
                head.append_text(_styled(cell, col))
        if at is not None and row[at].plain.strip():
            if head.plain:
                head.append(" — ")
            head.append_text(row[at])
        out.append(paragraph(head, width, indent=2))
        facts = Text("  ")
        notes: list[RenderableType] = []
        for i, (col, cell) in enumerate(zip(columns, row, strict=True)):
            if i == at or not cell.plain.strip() or (col.kind == "key" and i < keys_end):
                continue
            if col.kind == "text":
                line = Text("  ")
                if col.header:
                    line.append(f"{col.header}: ", style="dim")
                notes.append(paragraph(line.append_text(_styled(cell, col)), width))
                continue
            if facts.plain.strip():
                facts.append("   ")
            if col.header:
                facts.append(f"{col.header}: ", style="dim")
            facts.append_text(_styled(cell, col))
        if facts.plain.strip():
            out.append(paragraph(facts, width))
        out += notes
    return Group(*out)


def _styled(cell: Text, col: Column) -> Text:
    if col.style and not cell.style:
        cell = cell.copy()
        cell.stylize(col.style)
    return cell


def paragraph(text: Text | str, width: int, indent: int | None = None) -> Text:
    """``text`` wrapped to ``width`` by the shared breaker; continuation lines are indented like
    the first line's text (after its leading spaces and bullet), or by ``indent`` cells."""
    text = _text(text)
    lead = _LEAD.match(text.plain)
    hang = indent if indent is not None else text_width(lead.group() if lead else "")
    if hang * 2 > width:
        hang = 0
    plain = text.plain
    if "\n" not in plain and text_width(plain) <= width:
        return text
    out = Text(style=text.style, no_wrap=True, overflow="crop", end=text.end)
    first = True
    offset = 0
    for para in plain.split("\n"):
        piece = text[offset : offset + len(para)]
        offset += len(para) + 1
        if not first:
            out.append("\n")
        spans = wrap_spans(para, width)
        if len(spans) > 1 and hang:
            out.append_text(piece[spans[0][0] : spans[0][1]])
            remainder = _lstrip(piece[spans[0][1] :])
            for line in wrapped_text(remainder, width - hang).split("\n"):
                out.append("\n" + " " * hang)
                out.append_text(line)
        else:
            out.append_text(wrapped_text(piece, width))
        first = False
    return out


def _lstrip(text: Text) -> Text:
    n = len(text.plain) - len(text.plain.lstrip(" "))
    return text[n:]


def emit(console: Console, renderable: RenderableType) -> None:
    """Print one renderable: a ``Text`` as a wrapped paragraph, anything else as rich lays it out."""
    if isinstance(renderable, Text):
        console.print(paragraph(renderable, console.width))
    else:
        console.print(renderable)
