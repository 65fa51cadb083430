"""Which renderer draws which report in which format: the one table the CLI consults.

Every renderer is a module-level function with the same signature::

    render(view, *, lang, width=None, color=False) -> bytes

``view`` is one of the objects in ``report/views``; ``width`` is the terminal's width (None: the
format's own default, used when writing to a file); ``color`` asks a terminal renderer for ANSI
styles (only the terminal format uses these two). Modules are imported only when a report is
drawn, so nothing heavy is loaded at start-up. Adding a format: docs/report-formats.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import Enum
from typing import Any


class Format(str, Enum):
    """Every output format, for every command: the registry says which command has which."""

    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"
    csv = "csv"
    docx = "docx"
    xlsx = "xlsx"


# (report kind, format) -> module under report/ that defines render(view, *, lang, width, color)
RENDERERS: dict[tuple[str, Format], str] = {
    ("assessment", Format.terminal): "terminal.assessment",
    ("assessment", Format.markdown): "markdown.assessment",
    ("assessment", Format.json): "json.assessment",
    ("assessment", Format.html): "html.assessment",
    ("findings", Format.terminal): "terminal.findings",
    ("findings", Format.markdown): "markdown.findings",
    ("findings", Format.json): "json.findings",
    ("findings", Format.html): "html.findings",
    ("panel", Format.terminal): "terminal.panel",
    ("panel", Format.markdown): "markdown.panel",
    ("panel", Format.json): "json.panel",
    ("panel", Format.html): "html.panel",
    ("ranking", Format.terminal): "terminal.ranking",
    ("ranking", Format.markdown): "markdown.ranking",
    ("ranking", Format.json): "json.ranking",
    ("ranking", Format.html): "html.ranking",
    ("ranking", Format.csv): "csv.ranking",
    ("portfolio", Format.terminal): "terminal.portfolio",
    ("portfolio", Format.markdown): "markdown.portfolio",
    ("portfolio", Format.json): "json.portfolio",
    ("portfolio", Format.html): "html.portfolio",
    ("rubric", Format.terminal): "terminal.rubric",
    ("rubric", Format.json): "json.rubric",
    ("conflicts", Format.terminal): "terminal.conflicts",
    ("conflicts", Format.markdown): "markdown.conflicts",
    ("conflicts", Format.json): "json.conflicts",
    ("conflicts", Format.csv): "csv.conflicts",
    ("assignment", Format.terminal): "terminal.assignment",
    ("assignment", Format.markdown): "markdown.assignment",
    ("assignment", Format.json): "json.assignment",
    ("assignment", Format.html): "html.assignment",
    ("assignment", Format.csv): "csv.assignment",
    ("reviewers", Format.terminal): "terminal.reviewers",
    ("reviewers", Format.markdown): "markdown.reviewers",
    ("reviewers", Format.json): "json.reviewers",
    ("assessment", Format.docx): "docx.assessment",
    ("findings", Format.docx): "docx.findings",
    ("panel", Format.docx): "docx.panel",
    ("ranking", Format.docx): "docx.ranking",
    ("portfolio", Format.docx): "docx.portfolio",
    ("panel", Format.xlsx): "xlsx.panel",
    ("ranking", Format.xlsx): "xlsx.ranking",
    ("portfolio", Format.xlsx): "xlsx.portfolio",
    ("assignment", Format.xlsx): "xlsx.assignment",
}

# formats written as binary files: never to the screen, always with -o
BINARY = frozenset({Format.docx, Format.xlsx})


class FormatNotAvailable(LookupError):
    def __init__(self, kind: str, fmt: Format) -> None:
        super().__init__(f"{kind}: {fmt.value}")
        self.kind = kind
        self.format = fmt
        self.available = formats_for(kind)


def formats_for(kind: str) -> list[Format]:
    """The formats a report kind can be drawn in, in the enum's order."""
    return [f for f in Format if (kind, f) in RENDERERS]


def renderer(kind: str, fmt: Format) -> Callable[..., bytes]:
    try:
        module = RENDERERS[(kind, fmt)]
    except KeyError:
        raise FormatNotAvailable(kind, fmt) from None
    render: Callable[..., bytes] = importlib.import_module(f".{module}", __package__).render
    return render


def render(view: Any, fmt: Format, *, lang: str, width: int | None = None, color: bool = False) -> bytes:
    """Draw ``view`` (its ``kind`` names the report) in ``fmt``."""
    return renderer(view.kind, fmt)(view, lang=lang, width=width, color=color)
