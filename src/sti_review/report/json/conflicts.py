"""Conflicts of interest as JSON."""

from __future__ import annotations

from ...conflicts import ConflictReport
from ...i18n import Lang
from ...sanitize import json_text
from ..views import ConflictsView
from ..views.assignment import conflict_rows


def render_text(report: ConflictReport, lang: Lang) -> str:
    return json_text(
        {
            "years": report.years,
            "this_year": report.this_year,
            "reviewers": len(report.reviewers),
            "proposals": len(report.proposals),
            "conflicts": conflict_rows(report, lang),
        }
    )


def render(view: ConflictsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.report, lang).encode()
