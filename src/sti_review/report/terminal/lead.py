"""The decision at the top of a terminal report (issue 16): the outcome with its reasons in
words, the total against what a pass needs; for a panel how the reviewers split and the open
disagreements in their own words. The words come from views/lead.py, as in Markdown, HTML and
Word; the detail (sections, gates, totals) follows below."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.text import Text

from ...sanitize import printable
from ...text.richwrap import JapaneseText
from ..views.lead import Lead
from .layout import paragraph
from .styles import OUTCOME_STYLE


class _Hanging:
    """A paragraph wrapped by the shared breaker whose continuation lines start under the text
    after its leading spaces and bullet ("• …", "  R2 …"), not at the box's edge."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield paragraph(self.text, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return JapaneseText(self.text).__rich_measure__(console, options)


def _flow(text: Text) -> RenderableType:
    return _Hanging(text)


def lead_panel(lead: Lead, basis: str = "") -> Panel:
    """One heavy box headed by the outcome; ``basis`` says what a provisional panel outcome
    is derived from."""
    lines: list[RenderableType] = []
    if basis:
        lines.append(_flow(Text(printable(basis), style="dim")))
    for reason in lead.reasons:
        lines.append(_flow(Text("• " + printable(reason.text))))
        lines += [_flow(Text("   – " + printable(item))) for item in reason.details]
    if lead.total:
        if lines:
            lines.append(Text(""))
        lines.append(_flow(Text(printable(lead.total), style="bold")))
    if lead.split:
        lines += [Text(""), Text(printable(lead.split_title), style="bold")]
        lines += [_flow(Text("• " + printable(line))) for line in lead.split]
    if lead.open:
        lines += [Text(""), Text(printable(lead.open_title), style="bold yellow")]
        for point in lead.open:
            head = Text(f"{printable(point.id)} {printable(point.title)}", style="bold")
            head.append(f"  {printable(point.why)}", style="yellow")
            lines.append(_flow(head))
            for v in point.voices:
                line = Text(f"  {printable(v.who)}: " if v.who else "  ")
                line.append(printable(v.answer), style="bold" if v.who else "dim")
                if v.comment:
                    line.append(" — ")
                    line.append(printable(v.comment), style="dim")
                lines.append(_flow(line))
    style = OUTCOME_STYLE[lead.outcome]
    return Panel(
        Group(*lines),
        title=Text(f" {printable(lead.heading)} ", style=style),
        title_align="left",
        border_style=style.replace("white on ", ""),
        box=box.HEAVY,
    )
