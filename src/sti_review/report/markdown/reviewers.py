"""Reviewers of a call in Markdown: leniency, flat scorers, agreement (issue 18)."""

from __future__ import annotations

from ...i18n import Lang
from ..views import ReviewersView


def render(view: ReviewersView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from ..views.stats import markdown

    return markdown(view.stats, lang).encode()
