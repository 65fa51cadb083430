"""The one Markdown table-row helper every Markdown report uses."""

from __future__ import annotations


def row(*cells: str) -> str:
    """One GitHub-flavoured table row; cells must already be escaped."""
    return "| " + " | ".join(cells) + " |"
