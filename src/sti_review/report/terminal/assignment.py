"""The assignment on the terminal."""

from __future__ import annotations

from ...assignment import Assignment
from ...i18n import Lang
from ..markdown.assignment import sections
from ..views import AssignmentView
from ..views.assignment import assignment_summary, num, t


def print_report(a: Assignment, lang: Lang, console) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table
    from rich.text import Text

    console.print(Text(assignment_summary(a, lang)))
    names = {r.id: r.name for r in a.reviewers}
    pairs = Table(title=t("assignment_title", lang))
    for h in (
        t("proposal", lang),
        t("language", lang),
        t("reviewer", lang),
        t("affinity", lang),
        t("terms", lang),
    ):
        pairs.add_column(h)
    last = None
    for p in a.pairs:
        first = p.proposal != last
        pairs.add_row(
            Text(p.proposal if first else ""),
            Text(a.languages[p.proposal] if first else ""),
            Text(names[p.reviewer]),
            Text(num(p.affinity)),
            Text(", ".join(p.terms[:3])),
            end_section=False,
        )
        last = p.proposal
    console.print(pairs)
    for heading, header, rows in sections(a, lang)[1:]:
        table = Table(title=heading, show_lines=False)
        for h in header:
            table.add_column(h)
        for row in rows:
            table.add_row(*(Text(c) for c in row))
        console.print(table)


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    return capture(lambda c: print_report(view.assignment, lang, c), width=width or 100, color=color)
