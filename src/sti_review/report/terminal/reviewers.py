"""Reviewers of a call on the terminal: leniency, flat scorers, agreement (issue 18)."""

from __future__ import annotations

from ...i18n import Lang
from ..views import ReviewersView


def render(view: ReviewersView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from ..views.stats import renderables
    from .console import capture

    def draw(console) -> None:  # type: ignore[no-untyped-def]
        for item in renderables(view.stats, lang):
            console.print(item)

    return capture(draw, width=width or 120, color=color)
