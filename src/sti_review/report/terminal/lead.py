"""The decision at the top of a terminal report (issue 16): outcome, its reasons in words, the
total against what a pass needs; for a panel how the reviewers split and the open disagreements
in their own words. Words from views/lead.py, the same as the Markdown and HTML leads."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from ...sanitize import printable
from ...text.richwrap import JapaneseText
from ..views.lead import Lead


def _line(text: str, style: str = "", indent: str = "") -> RenderableType:
    return JapaneseText(Text(indent + printable(text), style=style))


def lead_panel(lead: Lead, style: str, basis: str = "") -> Panel:
    """The outcome as a heavy box: reasons, total, then (a panel) the split and open points;
    ``style``: the outcome's colours (the caller's OUTCOME_STYLE, so no import cycle)."""
    lines: list[RenderableType] = []
    if basis:
        lines.append(_line(basis, "dim"))
    for reason in lead.reasons:
        lines.append(_line("• " + reason.text))
        lines += [_line("– " + item, indent="   ") for item in reason.details]
    lines.append(_line(lead.total, "bold"))
    if lead.split:
        lines.append(_line(lead.split_title, "bold"))
        lines += [_line("• " + x) for x in lead.split]
    if lead.open_title:
        lines.append(_line(lead.open_title, "bold yellow" if lead.open else "green"))
        for point in lead.open:
            lines.append(_line(f"{point.id} {point.title} — {point.why}", "yellow"))
            for v in point.voices:
                comment = f" — {v.comment}" if v.comment else ""  # clipped in views/lead.py
                lines.append(_line(f"• {v.who}: {v.answer}{comment}", indent="  "))
    return Panel(
        Group(*lines),
        title=Text(f" {printable(lead.heading)} ", style=style),
        title_align="left",
        border_style=style.replace("white on ", ""),
        box=box.HEAVY,
    )
