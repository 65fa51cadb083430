"""Pre-check findings on the terminal: for `sti-review check` and for the findings section of
the assessment report, in blocks (``blocks``: rich at a terminal, the plain writer otherwise).
User text is passed as ``Text``, never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...checks import Finding
from ...errors import Problem
from ...i18n import Lang
from ...rubric import Rubric
from ...sanitize import printable
from ..views.findings import criterion_text, severity_text, summary_text, t, verdict_text
from . import blocks

if TYPE_CHECKING:
    from rich.console import Console

    from ...api import CheckedProposal
    from ..views import FindingsView

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
SEVERITY_MARK = {"error": "✗", "warning": "!", "note": "i"}


def findings_table(
    findings: Sequence[Finding], rubric: Rubric, lang: Lang, title: str | None = None
) -> blocks.Block:
    """Each finding as: severity and criterion; where in the file; what is missing. In blocks
    (``blocks``), as the assessment report they end is."""
    head = blocks.Text(f"{title}  " if title else "", style="bold")
    if not findings:
        head.append(t("no_findings", lang), style="green")
        return head
    parts: list[blocks.Block] = [head] if title else []
    for f in findings:
        line = blocks.Text()
        line.append(
            f"{SEVERITY_MARK[f.severity]} {severity_text(f.severity, lang)}", style=SEVERITY_STYLE[f.severity]
        )
        line.append("  ")
        line.append(criterion_text(f, rubric, lang), style="cyan")
        where = blocks.Text(printable(f.where), style="dim")
        if f.field:
            where.append(f"  {printable(f.field)}", style="dim")
        message = blocks.Japanese(printable(f.message(lang)))  # broken by the shared rules, not rich's
        parts += [line, blocks.Padding(where, 4), blocks.Padding(message, 4)]
    return blocks.Group(*parts)


def _summary(findings: Sequence[Finding], failed: bool, strict: bool, lang: Lang) -> blocks.Text:
    line = blocks.Text()
    line.append(
        f"{'✗' if failed else '✓'} {verdict_text(failed, strict, lang)}",
        style="bold red" if failed else "bold green",
    )
    line.append(f"  {summary_text(findings, lang)}")
    return line


def proposal_block(result: CheckedProposal, rubric: Rubric, lang: Lang, strict: bool) -> blocks.Block:
    p = result.proposal.proposal
    head = blocks.Text()
    head.append(printable(p.id), style="bold")
    head.append("  ")
    head.append(printable(p.title))
    head.append(f"  ({printable(str(result.path))})", style="dim")
    head.append("  ")
    head.append(rubric.label("programmes", p.programme, lang), style="dim")
    parts: list[blocks.Block] = [head]
    if result.findings:
        parts.append(findings_table(result.findings, rubric, lang))
    parts += [_summary(result.findings, result.failed(strict), strict, lang), blocks.Text("")]
    return blocks.Group(*parts)


def renderables(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> list[blocks.Block]:
    out: list[blocks.Block] = [proposal_block(r, rubric, lang, strict) for r in results]
    for path, _ in invalid:
        line = blocks.Text(printable(path), style="bold")
        line.append(f"  ⛔ {t('unreadable', lang)}", style="bold red")
        out += [line, blocks.Text("")]
    if len(results) + len(invalid) > 1:
        everything = [f for r in results for f in r.findings]
        failed = bool(invalid) or any(r.failed(strict) for r in results)
        total = blocks.Text(t("checked", lang, n=len(results) + len(invalid)) + ": ", style="bold")
        total.append_text(_summary(everything, failed, strict, lang))
        out.append(total)
    return out


def print_results(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
    console: Console,
) -> None:
    for r in renderables(results, invalid, rubric, lang, strict):
        console.print(blocks.to_rich(r))


def render(view: FindingsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """Without colour drawn by the plain writer (rich's layout to the byte, see ``blocks``),
    unless the report holds something only rich draws."""
    width = width or 100
    items = renderables(view.results, view.invalid, view.rubric, lang, view.strict)
    if not color:
        text = blocks.draw(items, width)
        if text is not None:
            return text.encode("utf-8")
    from .console import capture

    def draw(console: Console) -> None:
        for item in items:
            console.print(blocks.to_rich(item))

    return capture(draw, width=width, color=color)
