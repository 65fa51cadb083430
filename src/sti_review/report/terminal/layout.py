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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box as rich_box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from ...text.linebreak import hanging_layout, max_width, min_width, text_width
from ...text.richwrap import JapaneseText

__all__ = [
    "Column",
    "HangingText",
    "emit",
    "paragraph",
    "table_or_stack",
]

Kind = Literal["key", "text"]

# A text column narrower than this reads as a column of single characters; below it, stack.
READABLE = 12


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
    if "\t" in text.plain:  # tabs as the terminal would show them, before measuring
        text = text.copy()
        text.expand_tabs()
    layout = hanging_layout(text.plain, width, indent)
    if layout is None:
        return text
    out = Text(style=text.style, no_wrap=True, overflow="crop", end=text.end)
    # one divide for all lines (slicing a Text copies it whole): pieces alternate gap, line, ...
    pieces = text.divide([x for start, end, _ in layout for x in (start, end)])
    for n, (_, _, hang) in enumerate(layout):
        if n:
            out.append("\n")
        if hang:
            out.append(" " * hang)
        out.append_text(pieces[2 * n + 1])
    return out


class HangingText:
    """A renderable ``paragraph``: wrapped at whatever width it is given, continuation lines
    under the text after its leading spaces and bullet ("• …", "  R2 …"), not at the edge."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield paragraph(self.text, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return JapaneseText(self.text).__rich_measure__(console, options)


def emit(console: Console, renderable: RenderableType) -> None:
    """Print one renderable: a ``Text`` as a wrapped paragraph, anything else as rich lays it out."""
    if isinstance(renderable, Text):
        console.print(paragraph(renderable, console.width))
    else:
        console.print(renderable)
