"""The assignment as CSV: one row per assigned pair (UTF-8 with BOM, CRLF)."""

from __future__ import annotations

from ...assignment import Assignment
from ...i18n import Lang
from ..views import AssignmentView
from ..views.assignment import csv_text
from . import headings


def render_text(a: Assignment, lang: Lang) -> str:
    names = {r.id: r.name for r in a.reviewers}
    titles = {p.id: p.title for p in a.proposals}
    rows: list[list[object]] = [
        [
            p.proposal,
            titles[p.proposal],
            a.languages[p.proposal],
            p.reviewer,
            names[p.reviewer],
            f"{p.affinity:.6f}",
            " ".join(p.terms),
        ]
        for p in a.pairs
    ]
    cols = ["proposal", "title", "language", "reviewer", "reviewer_name", "affinity", "terms"]
    return csv_text(headings(cols, lang), rows)


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assignment, lang).encode()
