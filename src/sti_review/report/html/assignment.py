"""The assignment as one self-contained HTML page: the Markdown report's tables, on the shared
page (base template: no script, a caption and column scopes on every table, rows stacked on a
phone)."""

from __future__ import annotations

from ...assignment import Assignment
from ...i18n import Lang
from ..markdown.assignment import sections
from ..views import AssignmentView
from ..views.assignment import assignment_summary, t
from .common import render_page


def render_text(a: Assignment, lang: Lang) -> str:
    heading = t("assignment_title", lang)
    parts = [{"heading": h, "header": header, "rows": rows} for h, header, rows in sections(a, lang)]
    return render_page(
        "assignment.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        summary=assignment_summary(a, lang),
        sections=parts,
    )


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assignment, lang).encode()
