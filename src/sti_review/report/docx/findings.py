"""Pre-check results (`sti-review check`) as a Word document: one row per proposal, then each
proposal's findings under its own heading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...checks import Finding
from ...errors import Problem
from ...i18n import Lang
from ...rubric import Rubric
from ..views import FindingsView
from ..views.findings import criterion_text, severity_text, summary_text, t, verdict_text, where_text
from . import common as c

if TYPE_CHECKING:
    from ...api import CheckedProposal

FILL = {"error": "F8CBAD", "warning": "FFE699", "note": None}


def findings_table(doc: Any, findings: Sequence[Finding], rubric: Rubric, lang: Lang) -> None:
    if not findings:
        c.para(doc, t("no_findings", lang))
        return
    rows = [
        [severity_text(f.severity, lang), criterion_text(f, rubric, lang), where_text(f), f.message(lang)]
        for f in findings
    ]
    tbl = c.table(
        doc,
        [t("severity", lang), t("criterion", lang), t("where", lang), t("finding", lang)],
        rows,
        widths_mm=[20, 45, 30, 75],
        row_fills=[FILL[f.severity] for f in findings],
    )
    c.keep_row_together(tbl)  # a finding is not split over two pages


def _render(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    *,
    lang: Lang,
    strict: bool = False,
) -> bytes:
    title = t("checks_title", lang)
    doc = c.new_document(lang=lang, title=title, footer_ref=rubric.ref)
    c.heading(doc, title, 0)
    c.para(doc, f"{t('rubric', lang)}: {rubric.ref}")
    rows = []
    fills: list[str | None] = []
    for r in results:
        failed = r.failed(strict)
        rows.append(
            [
                r.proposal.proposal.id,
                str(r.path),
                verdict_text(failed, strict, lang),
                summary_text(r.findings, lang),
            ]
        )
        fills.append("F8CBAD" if failed else None)
    for path, _ in invalid:
        rows.append(["—", path, t("unreadable", lang), ""])
        fills.append("F8CBAD")
    c.table(
        doc,
        [t("id", lang), t("file", lang), t("result", lang), t("finding", lang)],
        rows,
        widths_mm=[35, 55, 30, 50],
        row_fills=fills,
    )
    for r in results:
        p = r.proposal.proposal
        c.heading(doc, f"{p.id} {p.title}", 1)
        c.para(doc, f"{t('file', lang)}: {r.path}")
        findings_table(doc, r.findings, rubric, lang)
    for path, problems in invalid:
        c.heading(doc, f"{path}: {t('unreadable', lang)}", 1)
        for problem in problems:
            c.para(doc, problem.render(lang), style="List Bullet")
    c.closing(doc, f"{t('informs_note', lang)} {t('generated_by', lang, version=__version__)}")
    return c.to_bytes(doc)


def render(view: FindingsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.results, view.invalid, view.rubric, lang=lang, strict=view.strict)
