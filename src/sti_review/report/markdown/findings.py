"""Pre-check findings as Markdown: `sti-review check --format markdown` and the assessment's
findings section."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ... import __version__
from ...checks import Finding
from ...errors import Problem
from ...i18n import Lang
from ...rubric import Rubric
from ...sanitize import markdown_inline as esc
from ..views.findings import MARK, criterion_text, severity_text, summary_text, t, verdict_text, where_text
from .table import row as _row

if TYPE_CHECKING:
    from ...api import CheckedProposal
    from ..views import FindingsView


def markdown_table(findings: Sequence[Finding], rubric: Rubric, lang: Lang) -> list[str]:
    """The findings as a GitHub table (or a line saying there are none)."""
    if not findings:
        return [f"_{t('no_findings', lang)}_"]
    lines = [
        _row(t("severity", lang), t("criterion", lang), t("where", lang), t("finding", lang)),
        "|---|---|---|---|",
    ]
    for f in findings:
        lines.append(
            _row(
                f"{MARK[f.severity]} {severity_text(f.severity, lang)}",
                esc(criterion_text(f, rubric, lang)),
                esc(where_text(f)),
                esc(f.message(lang)),
            )
        )
    return lines


def render_markdown(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> str:
    lines = [f"# {t('checks_title', lang)}", "", f"{t('rubric', lang)}: {esc(rubric.ref)}", ""]
    lines += [
        _row(t("id", lang), t("file", lang), t("result", lang), t("finding", lang)),
        "|---|---|---|---|",
    ]
    for r in results:
        failed = r.failed(strict)
        lines.append(
            _row(
                esc(r.proposal.proposal.id),
                esc(str(r.path)),
                f"{'❌' if failed else '✅'} {verdict_text(failed, strict, lang)}",
                esc(summary_text(r.findings, lang)),
            )
        )
    for path, _ in invalid:
        lines.append(_row("—", esc(path), f"⛔ {t('unreadable', lang)}", ""))
    lines.append("")
    for r in results:
        p = r.proposal.proposal
        lines += [f"## {esc(p.id)} {esc(p.title)}", "", f"{t('file', lang)}: {esc(str(r.path))}", ""]
        lines += markdown_table(r.findings, rubric, lang)
        lines.append("")
    for path, problems in invalid:
        lines += [f"## {esc(path)}: {t('unreadable', lang)}", ""]
        lines += [f"- {esc(p.render(lang))}" for p in problems]
        lines.append("")
    lines.append(f"<sub>{esc(t('informs_note', lang))} {t('generated_by', lang, version=__version__)}</sub>")
    return "\n".join(lines) + "\n"


def render(view: FindingsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_markdown(view.results, view.invalid, view.rubric, lang, view.strict).encode()
