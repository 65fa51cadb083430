"""Reports of an Assessment: one module per output format."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"
