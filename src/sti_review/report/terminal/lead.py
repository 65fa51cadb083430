"""The decision at the top of a terminal report (issue 16): the outcome with its reasons in
words, the total against what a pass needs; for a panel how the reviewers split and the open
disagreements in their own words. The words come from views/lead.py, as in Markdown, HTML and
Word; the detail (sections, gates, totals) follows below."""

from __future__ import annotations

from ...sanitize import printable
from ..views.lead import Lead
from .blocks import Block, Group, Hanging, Panel, Text
from .styles import OUTCOME_STYLE


def lead_panel(lead: Lead, basis: str = "") -> Panel:
    """One heavy box headed by the outcome; ``basis`` says what a provisional panel outcome
    is derived from. Blocks (``blocks``): drawn by rich, or without colour by the plain writer;
    each paragraph wraps with a hanging indent (``layout.paragraph``)."""
    lines: list[Block] = []
    if basis:
        lines.append(Hanging(Text(printable(basis), style="dim")))
    for reason in lead.reasons:
        lines.append(Hanging(Text("• " + printable(reason.text))))
        lines += [Hanging(Text("   – " + printable(item))) for item in reason.details]
    if lead.total:
        if lines:
            lines.append(Text(""))
        lines.append(Hanging(Text(printable(lead.total), style="bold")))
    if lead.split:
        lines += [Text(""), Text(printable(lead.split_title), style="bold")]
        lines += [Hanging(Text("• " + printable(line))) for line in lead.split]
    if lead.open:
        lines += [Text(""), Text(printable(lead.open_title), style="bold yellow")]
        for point in lead.open:
            head = Text(f"{printable(point.id)} {printable(point.title)}", style="bold")
            head.append(f"  {printable(point.why)}", style="yellow")
            lines.append(Hanging(head))
            for v in point.voices:
                line = Text(f"  {printable(v.who)}: " if v.who else "  ")
                line.append(printable(v.answer), style="bold" if v.who else "dim")
                if v.comment:
                    line.append(" — ")
                    line.append(printable(v.comment), style="dim")
                lines.append(Hanging(line))
    style = OUTCOME_STYLE[lead.outcome]
    return Panel(
        Group(*lines),
        title=Text(f" {printable(lead.heading)} ", style=style),
        border_style=style.replace("white on ", ""),
        box="heavy",
    )
