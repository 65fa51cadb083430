"""Conflicts of interest as Markdown."""

from __future__ import annotations

from ...conflicts import ConflictReport
from ...i18n import Lang
from ...sanitize import markdown_inline as md
from ..views import ConflictsView
from ..views.assignment import conflict_rows, conflicts_summary, t


def render_text(report: ConflictReport, lang: Lang) -> str:
    lines = [f"# {t('conflicts_title', lang)}", "", conflicts_summary(report, lang), ""]
    rows = conflict_rows(report, lang)
    if not rows:
        return "\n".join([*lines, t("no_conflicts", lang), ""])
    lines += [f"| {t('reviewer', lang)} | {t('proposal', lang)} | {t('reasons', lang)} |", "|---|---|---|"]
    for c in rows:
        reasons = "<br>".join(md(r["text"]) for r in c["reasons"])
        lines.append(f"| {md(c['reviewer_name'])} ({md(c['reviewer'])}) | {md(c['proposal'])} | {reasons} |")
    return "\n".join(lines) + "\n"


def render(view: ConflictsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.report, lang).encode()
