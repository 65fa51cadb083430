"""Conflicts of interest on the terminal."""

from __future__ import annotations

from ...conflicts import ConflictReport
from ...i18n import Lang
from ..views import ConflictsView
from ..views.assignment import conflict_rows, conflicts_summary, t


def _table(report: ConflictReport, lang: Lang):  # type: ignore[no-untyped-def]
    from rich.table import Table
    from rich.text import Text

    table = Table(title=t("conflicts_title", lang), caption=conflicts_summary(report, lang), show_lines=True)
    table.add_column(t("reviewer", lang))
    table.add_column(t("proposal", lang), no_wrap=True)
    table.add_column(t("reasons", lang))
    for c in conflict_rows(report, lang):
        table.add_row(
            Text(f"{c['reviewer_name']}\n({c['reviewer']})"),
            Text(c["proposal"]),
            Text("\n".join(r["text"] for r in c["reasons"])),
        )
    return table


def print_report(report: ConflictReport, lang: Lang, console) -> None:  # type: ignore[no-untyped-def]
    if not report.conflicts:
        console.print(conflicts_summary(report, lang), markup=False)
        console.print(t("no_conflicts", lang), markup=False)
        return
    console.print(_table(report, lang))


def render(view: ConflictsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    return capture(lambda c: print_report(view.report, lang, c), width=width or 100, color=color)
