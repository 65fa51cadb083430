"""Reviewers of a call as JSON (schema sti-review/reviewers@1; issue 18)."""

from __future__ import annotations

from ...i18n import Lang
from ...sanitize import json_text
from ..views import ReviewersView


def render(view: ReviewersView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from ..views.stats import json_call

    data = {"schema": "sti-review/reviewers@1", "call": {"folder": view.ranking.call_dir}}
    data.update(json_call(view.stats))
    return json_text(data).encode()
