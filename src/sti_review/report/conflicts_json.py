"""Conflicts of interest as JSON."""

from __future__ import annotations

from ..conflicts import ConflictReport
from ..i18n import Lang
from ..sanitize import json_text
from .assignment_common import conflict_rows


def render(report: ConflictReport, lang: Lang) -> str:
    return json_text(
        {
            "years": report.years,
            "this_year": report.this_year,
            "reviewers": len(report.reviewers),
            "proposals": len(report.proposals),
            "conflicts": conflict_rows(report, lang),
        }
    )
