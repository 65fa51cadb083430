"""The decision at the top of a Markdown report: outcome, reasons, total; for a panel the split
and the open disagreements in the reviewers' own words (words from views/lead.py)."""

from __future__ import annotations

from ...sanitize import markdown_inline as esc
from ..views.lead import Lead


def lead_lines(lead: Lead, heading: str, basis: str = "") -> list[str]:
    """``heading``: the outcome line, already Markdown (the mark and the outcome in bold)."""
    lines = [f"## {heading}", ""]
    if basis:
        lines += [f"_{esc(basis)}_", ""]
    for reason in lead.reasons:
        lines.append(f"- {esc(reason.text)}")
        lines += [f"  - {esc(item)}" for item in reason.details]
    lines += ["", f"**{esc(lead.total)}**", ""]
    if lead.split:
        lines += [f"### {esc(lead.split_title)}", ""]
        lines += [f"- {esc(line)}" for line in lead.split]
        lines.append("")
    if lead.open_title:
        lines += [f"### {esc(lead.open_title)}", ""]
        for point in lead.open:
            lines.append(f"- **{esc(point.id)} {esc(point.title)}** — {esc(point.why)}")
            for v in point.voices:
                comment = f" — {esc(v.comment)}" if v.comment else ""
                who = f"{esc(v.who)}: " if v.who else ""
                answer = f"**{esc(v.answer)}**" if v.who else esc(v.answer)
                lines.append(f"  - {who}{answer}{comment}")
        lines.append("")
    return lines
