"""Conflicts of interest as CSV: one row per reason (UTF-8 with BOM, CRLF)."""

from __future__ import annotations

from ...conflicts import ConflictReport
from ...i18n import Lang
from ..views import ConflictsView
from ..views.assignment import conflict_rows, csv_text
from . import headings


def render_text(report: ConflictReport, lang: Lang) -> str:
    header = [
        "reviewer",
        "reviewer_name",
        "proposal",
        "title",
        "kind",
        "reviewer_side",
        "proposal_side",
        "role",
        "year",
        "text",
    ]
    rows: list[list[object]] = []
    for c in conflict_rows(report, lang):
        for r in c["reasons"]:
            rows.append(
                [
                    c["reviewer"],
                    c["reviewer_name"],
                    c["proposal"],
                    c["title"],
                    r["kind"],
                    r["reviewer_side"],
                    r["proposal_side"],
                    r["role"],
                    r["year"],
                    r["text"],
                ]
            )
    return csv_text(headings(header, lang), rows)


def render(view: ConflictsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.report, lang).encode()
