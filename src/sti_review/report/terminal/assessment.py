"""The terminal report of one assessment, in blocks (``blocks``): drawn by rich at a terminal
(colour), by the plain writer otherwise, to the same text. User text is passed as ``Text``,
never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from ...checks import Finding
from ...i18n import Lang, t
from ...limits import MAX_CONDITIONS, MAX_TEXT_TERMINAL, capped_lines, clip
from ...scoring import Assessment, SectionResult
from ..views.common import grade_text, num, proposal_rows, score_text
from .blocks import Block, Group, Panel, Table, Text
from .blocks import Japanese as JapaneseText
from .blocks import untrusted as _u
from .styles import VERDICT_STYLE

if TYPE_CHECKING:
    from rich.console import Console

    from ..views import AssessmentView


BAR_WIDTH = 20


def bar(score: Fraction | None, maximum: float, threshold: float | None) -> Text:
    """A bar of the section score with a marker at the threshold."""
    out = Text()
    filled = 0 if score is None else round(float(score) / maximum * BAR_WIDTH)
    mark = None if threshold is None else min(BAR_WIDTH - 1, round(threshold / maximum * BAR_WIDTH))
    ok = threshold is None or (score is not None and score >= Fraction(str(threshold)))
    for i in range(BAR_WIDTH):
        if i == mark:
            out.append("┃", style="bold white")
        elif i < filled:
            out.append("█", style="green" if ok else "red")
        else:
            out.append("░", style="grey39")
    return out


def _header(a: Assessment, lang: Lang) -> Panel:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, label, value in proposal_rows(a, lang):
        text = value if isinstance(value, str) else "\n".join(value)
        grid.add_row(label, JapaneseText(text if key == "programme" else _u(text)))
    return Panel(grid, title=Text(t("report_title", lang)), box="rounded")


def _section(s: SectionResult, a: Assessment, lang: Lang) -> Block:
    rubric = a.rubric
    weight = f"  ×{num(s.weight)}" if s.weight != 1 else ""
    table = Table(
        title=Text(f"{s.section.id}  {s.section.title(lang)}{weight}", style="bold"),
        title_justify="left",
        box="simple_head",
        expand=True,
        show_edge=False,
    )
    table.add_column(t("id", lang), no_wrap=True, style="cyan")
    table.add_column(t("criterion", lang), ratio=3, overflow="fold")
    table.add_column(t("score", lang), no_wrap=True)
    table.add_column(t("comment", lang), ratio=4, overflow="fold")
    for r in s.results:
        style = "dim" if r.status in ("na", "missing") else ""
        if r.status == "missing":
            style = "blue"
        table.add_row(
            r.criterion.id,
            JapaneseText(r.criterion.title(lang)),
            Text(score_text(r, rubric, lang), style=style),
            JapaneseText(_u(clip(r.answer.comment, MAX_TEXT_TERMINAL, lang) if r.answer else "")),
        )
    smin = rubric.thresholds.section_min
    line = Text(f"{t('section_score', lang)} ")
    if s.score is None:
        line.append(t("not_scored", lang), style="dim")
    else:
        line.append(f"{num(s.score):>4}", style="bold")
        line.append(f" / {num(rubric.scale.max)}  ")
        line.append(bar(s.score, rubric.scale.max, smin))
        if smin is not None:
            line.append(f"  {t('threshold', lang)} {num(smin)} ")
            line.append(
                "✓" if s.meets_threshold else "✗",
                style="green" if s.meets_threshold else "bold red",
            )
        if s.count("missing"):
            line.append(t("provisional", lang), style="blue")
    return Group(table, line, Text(""))


def _gates(a: Assessment, lang: Lang) -> Table:
    table = Table(
        title=Text(t("gates", lang), style="bold"),
        title_justify="left",
        box="simple_head",
        expand=True,
        show_edge=False,
    )
    table.add_column(t("id", lang), no_wrap=True, style="cyan")
    table.add_column(t("criterion", lang), ratio=3, overflow="fold")
    table.add_column(t("verdict", lang), no_wrap=True)
    with_conditions = any(g.answer and g.answer.conditions for g in a.gates)
    if with_conditions:
        table.add_column(t("conditions", lang), ratio=3, overflow="fold")
    table.add_column(t("comment", lang), ratio=3, overflow="fold")
    for g in a.gates:
        verdict = g.answer.verdict if g.answer else None
        shown = (
            capped_lines([f"• {c}" for c in g.answer.conditions], MAX_CONDITIONS, lang) if g.answer else []
        )
        conditions = "\n".join(clip(c, MAX_TEXT_TERMINAL, lang) for c in shown)
        cells = [
            g.criterion.id,
            JapaneseText(g.criterion.title(lang)),
            Text(score_text(g, a.rubric, lang), style=VERDICT_STYLE.get(verdict or "", "blue")),
        ]
        if with_conditions:
            cells.append(JapaneseText(_u(conditions)))
        cells.append(JapaneseText(_u(clip(g.answer.comment, MAX_TEXT_TERMINAL, lang) if g.answer else "")))
        table.add_row(*cells)
    return table


def _totals(a: Assessment, lang: Lang) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(justify="right")
    grid.add_column()
    required = f"{t('required', lang)} ≥ {num(a.required_total)}" if a.required_total is not None else ""
    grid.add_row(t("total_unweighted", lang), f"{num(a.total)} / {num(a.maximum)}", required)
    grid.add_row(
        t("total_weighted", lang),
        f"{num(a.weighted_total)} / {num(a.weighted_maximum)}",
        f"({num(a.weighted_percent, 1)}%)" if a.weighted_percent is not None else "",
    )
    grade = grade_text(a, lang)
    if grade is not None:
        comment = a.review.overall.comment if a.review.overall is not None else None
        grid.add_row(
            t("lead.overall_title", lang),
            _u(grade),
            JapaneseText(_u(clip(comment, MAX_TEXT_TERMINAL, lang))) if comment else "",
        )
    return grid


def renderables(a: Assessment, lang: Lang, findings: Sequence[Finding] | None = None) -> list[Block]:
    """The report; with ``findings`` (the pre-checks of the proposal) a section of its own."""
    from ..views.lead import assessment_lead
    from .lead import lead_panel

    # the decision first (issue 16), then the detail it rests on
    out: list[Block] = [lead_panel(assessment_lead(a, lang)), Text(""), _header(a, lang), Text("")]
    out += [_section(s, a, lang) for s in a.sections]
    if a.gates:
        out += [_gates(a, lang), Text("")]
    out += [Text(t("totals", lang), style="bold"), _totals(a, lang), Text("")]
    if findings is not None:
        from ..terminal.findings import findings_table
        from ..views.findings import t as findings_t

        out += [findings_table(findings, a.rubric, lang, title=findings_t("findings_title", lang))]
    return out


def print_report(
    a: Assessment, lang: Lang, console: Console, findings: Sequence[Finding] | None = None
) -> None:
    from .blocks import to_rich

    for r in renderables(a, lang, findings):
        console.print(to_rich(r))


def render(view: AssessmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The report as the terminal shows it. Without colour the plain writer draws it (rich's
    layout to the byte, without rich's import and layout costs: issue 17), unless it holds
    something only rich draws."""
    width = width or 100
    if not color:
        from .blocks import draw

        text = draw(renderables(view.assessment, lang, view.findings), width)
        if text is not None:
            return text.encode("utf-8")
    from .console import capture

    return capture(lambda c: print_report(view.assessment, lang, c, view.findings), width=width, color=color)
