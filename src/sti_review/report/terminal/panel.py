"""The panel report on a terminal (rich); user text is shown literally, never as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ...i18n import Lang, catalog
from ...limits import MAX_REVIEWERS, MAX_TEXT_TERMINAL, clip, more_text
from ...panel import Consolidation, CriterionPanel
from ...sanitize import printable
from ...text.richwrap import JapaneseText
from ..views.common import num, outcome_text, programme_text
from ..views.panel import (
    T,
    answer_text,
    basis_text,
    flag_text,
    panel_text,
    reviewer_keys,
    settled_text,
    why_text,
)
from .console import untrusted as _u
from .layout import Column, table_or_stack
from .styles import OUTCOME_STYLE, VERDICT_STYLE

if TYPE_CHECKING:
    from ..views import PanelView


def _header(c: Consolidation, lang: Lang) -> Panel:
    p = c.proposal
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(T("id", lang), _u(p.id))
    grid.add_row(T("title", lang), JapaneseText(_u(p.title)))
    grid.add_row(T("programme", lang), programme_text(c.rubric, p.programme, lang))
    for key, r, ind in list(zip(reviewer_keys(c, lang), c.reviews, c.individual, strict=True))[
        :MAX_REVIEWERS
    ]:
        line = _u(r.label)
        if not ind.complete:
            line.append(f"  ({T('incomplete', lang)})", style="blue")
        grid.add_row(f"{T('reviewer', lang)} {key}", line)
    if len(c.reviews) > MAX_REVIEWERS:
        grid.add_row("", Text(more_text(len(c.reviews) - MAX_REVIEWERS, lang), style="dim"))
    consensus = _u(c.consensus.label) if c.consensus else Text(T("none_yet", lang), style="dim")
    grid.add_row(T("consensus_review", lang), consensus)
    grid.add_row(T("rubric", lang), _u(c.rubric.ref))
    return Panel(grid, title=T("panel_title", lang), title_align="left", box=box.ROUNDED)


def _answer_cell(cp: CriterionPanel, i: int, c: Consolidation, lang: Lang) -> Text:
    a = cp.answers[i]
    text = answer_text(a, cp.criterion, c.rubric, lang)
    style = ""
    if a is not None and a.verdict:
        style = VERDICT_STYLE.get(a.verdict, "")
    elif cp.disagreement and a is not None and a.score is not None:
        if a.score == float(cp.minimum or 0):
            style = "red"
        elif a.score == float(cp.maximum or 0):
            style = "green"
    return Text(text, style=style)


def _panel_cell(cp: CriterionPanel, c: Consolidation, lang: Lang) -> Text:
    text = Text(panel_text(cp, c.rubric, lang), style="bold")
    if cp.source == "consensus":
        text.append(f" ({T('source_consensus', lang)})", style="cyan")
    return text


def _flag_cell(cp: CriterionPanel, lang: Lang) -> Text:
    return Text(flag_text(cp, lang), style="bold yellow" if cp.unresolved else "cyan")


def _columns(width: int) -> tuple[bool, bool]:
    """(min/max, mean): what fits beside the reviewers' answers on this terminal."""
    return width >= 100, width >= 120


def _head(c: Consolidation, lang: Lang, gates: bool, width: int) -> list[Column]:
    with_range, with_mean = _columns(width)
    cols = [Column(T("id", lang), style="cyan"), Column(T("criterion", lang), "text")]
    cols += [Column(key, justify="right") for key in reviewer_keys(c, lang)[:MAX_REVIEWERS]]
    if not gates:
        stats = ["median", "spread"]
        if with_range:
            stats = ["min", "median", "max", "spread"]
        if with_mean:
            stats = ["min", "median", "mean", "max", "spread"]
        cols += [Column(T(k, lang), justify="right", style="" if k == "spread" else "dim") for k in stats]
    return cols + [Column(T("panel", lang)), Column(T("flag", lang))]


def _stats(cp: CriterionPanel, width: int) -> list[Text]:
    with_range, with_mean = _columns(width)
    spread = Text(num(cp.spread), style="bold yellow" if cp.disagreement else "")
    if with_mean:
        values = [cp.minimum, cp.median, cp.mean, cp.maximum]
        return [
            Text(num(values[0])),
            Text(num(values[1])),
            Text(num(values[2])),
            Text(num(values[3])),
            spread,
        ]
    if with_range:
        return [Text(num(cp.minimum)), Text(num(cp.median)), Text(num(cp.maximum)), spread]
    return [Text(num(cp.median)), spread]


def _sections(c: Consolidation, lang: Lang, width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    a = c.assessment
    keys = reviewer_keys(c, lang)[:MAX_REVIEWERS]  # a column per reviewer: the first ones only
    hidden = Text(more_text(len(c.reviews) - len(keys), lang), style="dim")
    n_stats = len(_stats(c.criteria[0], width)) if c.criteria else 0
    for idx, s in enumerate(a.sections):
        ids = {r.criterion.id for r in s.results}
        rows: list[list[Text | str]] = []
        for cp in c.criteria:
            if cp.criterion.id not in ids:
                continue
            rows.append(
                [
                    cp.criterion.id,
                    cp.criterion.title(lang),
                    *[_answer_cell(cp, i, c, lang) for i in range(len(keys))],
                    *_stats(cp, width),
                    _panel_cell(cp, c, lang),
                    _flag_cell(cp, lang),
                ]
            )
        per = [num(ind.sections[idx].score) for ind in c.individual[:MAX_REVIEWERS]]
        rows.append(
            ["Σ", Text(T("section_score", lang), style="bold"), *per, *[""] * n_stats]
            + [Text(num(s.score), style="bold"), ""]
        )
        title = Text(f"{s.section.id}  {s.section.title(lang)}", style="bold")
        head = _head(c, lang, False, width)
        out += [table_or_stack(head, rows, width, title=title, sections=[len(rows) - 2])]
        out += [hidden, Text("")] if hidden.plain else [Text("")]
    gates = [cp for cp in c.criteria if cp.criterion.kind == "gate"]
    if gates:
        rows = [
            [
                cp.criterion.id,
                cp.criterion.title(lang),
                *[_answer_cell(cp, i, c, lang) for i in range(len(keys))],
                _panel_cell(cp, c, lang),
                _flag_cell(cp, lang),
            ]
            for cp in gates
        ]
        title = Text(T("gates", lang), style="bold")
        out += [table_or_stack(_head(c, lang, True, width), rows, width, title=title)]
        out += [hidden, Text("")] if hidden.plain else [Text("")]
    return out


def _flow(text: Text) -> RenderableType:
    return JapaneseText(text)


def _disagreements(c: Consolidation, lang: Lang) -> RenderableType:
    lines: list[RenderableType] = []
    keys = reviewer_keys(c, lang)
    # the open ones lead the report (lead_panel); here the ones the panel settled
    settled = [cp for cp in c.disagreements if not any(cp is u for u in c.unresolved)]
    if not c.disagreements:
        lines.append(Text(T("no_disagreements", lang), style="green"))
    elif not settled:
        lines.append(Text(T("disagreements_open_above", lang, n=len(c.unresolved)), style="yellow"))
    for n, cp in enumerate(settled):
        if n:
            lines.append(Text(""))
        head = Text(f"{cp.criterion.id} {cp.criterion.title(lang)}", style="bold")
        head.append(f"  {why_text(cp, c.rubric, lang)}", style="yellow")
        lines.append(_flow(head))
        for key, r, ans in list(zip(keys, c.reviews, cp.answers, strict=True))[:MAX_REVIEWERS]:
            line = Text(f"  {key} ")
            line.append(printable(r.label))
            line.append(f": {answer_text(ans, cp.criterion, c.rubric, lang)}", style="bold")
            if ans is not None and ans.comment:
                line.append(" — ")
                line.append(printable(clip(ans.comment, MAX_TEXT_TERMINAL, lang)), style="dim")
            lines.append(_flow(line))
        if len(c.reviews) > MAX_REVIEWERS:
            lines.append(Text(f"  {more_text(len(c.reviews) - MAX_REVIEWERS, lang)}", style="dim"))
        settled = Text("  → ")
        settled.append(settled_text(cp, c.rubric, lang), style="cyan" if cp.resolved else "bold yellow")
        lines.append(settled)
        if cp.consensus is not None and cp.consensus.comment:
            note = Text(f"    {T('panel_comment', lang)}: ")
            note.append(printable(clip(cp.consensus.comment, MAX_TEXT_TERMINAL, lang)))
            lines.append(_flow(note))
    return Panel(Group(*lines), title=T("disagreements", lang), title_align="left", box=box.ROUNDED)


def _reviewers(c: Consolidation, lang: Lang, width: int) -> RenderableType:
    a = c.assessment
    columns = [
        Column("", "text"),
        Column(T("outcome", lang)),
        Column(T("total_unweighted", lang), justify="right"),
        Column(T("weighted_percent", lang), justify="right"),
    ]
    rows: list[list[Text | str]] = []
    for key, r, ind in list(zip(reviewer_keys(c, lang), c.reviews, c.individual, strict=True))[
        :MAX_REVIEWERS
    ]:
        name = Text(f"{key} ")
        name.append(printable(r.label))
        rows.append(
            [
                name,
                Text(outcome_text(ind, lang), style=OUTCOME_STYLE[ind.outcome]),
                f"{num(ind.total)} / {num(ind.maximum)}",
                num(ind.weighted_percent, 1),
            ]
        )
    if len(c.reviews) > MAX_REVIEWERS:
        rows.append([Text(more_text(len(c.reviews) - MAX_REVIEWERS, lang), style="dim"), "", "", ""])
    rows.append(
        [
            Text(T("panel", lang), style="bold"),
            Text(outcome_text(a, lang), style=OUTCOME_STYLE[a.outcome]),
            f"{num(a.total)} / {num(a.maximum)}",
            num(a.weighted_percent, 1),
        ]
    )
    title = Text(T("each_reviewer", lang), style="bold")
    return table_or_stack(columns, rows, width, title=title)


STRIP = 21  # cells for the scale in the spread view: 0–5 in halves, one step every two cells

_GATE_MARK = {"pass": "✓", "conditional": "!", "fail": "✗"}


_sw = catalog("terminal.panel")


def _cell_at(value: float, lo: float, hi: float) -> int:
    return round((value - lo) / ((hi - lo) or 1) * (STRIP - 1))


def spread_strip(cp: CriterionPanel, c: Consolidation) -> Text:
    """One criterion on one line: each reviewer's score as their number on the scale, the range
    between the lowest and the highest drawn, the threshold as ┃."""
    scale = c.rubric.scale
    lo, hi = float(scale.min), float(scale.max)
    cells = ["·"] * STRIP
    styles = ["grey50"] * STRIP
    threshold = c.rubric.thresholds.section_min
    if threshold is not None:
        at = _cell_at(threshold, lo, hi)
        cells[at], styles[at] = "┃", "bold"
    scored = [
        (i, float(a.score))
        for i, a in enumerate(cp.answers)
        if a is not None and a.score is not None and not a.na
    ]
    if len(scored) > 1:
        first = _cell_at(min(v for _, v in scored), lo, hi)
        last = _cell_at(max(v for _, v in scored), lo, hi)
        for k in range(first, last + 1):
            if cells[k] != "┃":
                cells[k] = "─"
            styles[k] = "bold yellow" if cp.disagreement else ""
    taken: dict[int, int] = {}
    for i, value in scored:
        at = _cell_at(value, lo, hi)
        taken[at] = taken.get(at, 0) + 1
        cells[at] = "●" if taken[at] > 1 else (str(i + 1) if i < 9 else "*")
        styles[at] = "bold yellow" if cp.disagreement else "bold cyan"
    out = Text()
    for ch, style in zip(cells, styles, strict=True):
        out.append(ch, style=style)
    return out


def _spread_view(c: Consolidation, lang: Lang, width: int) -> RenderableType:
    """The compact view: one line per criterion with the reviewers on the scale, then the gates."""
    rubric = c.rubric
    threshold = rubric.thresholds.section_min
    legend = _sw(
        "spread_legend",
        lang,
        min=num(rubric.scale.min),
        max=num(rubric.scale.max),
        threshold=num(threshold) if threshold is not None else "—",
    )
    columns = [Column("", style="cyan"), Column(""), Column("", justify="right"), Column("", justify="right")]
    columns += [Column(""), Column("")]
    rows: list[list[Text | str]] = []
    for cp in c.criteria:
        if cp.criterion.kind == "gate":
            marks = Text()
            for i, a in enumerate(cp.answers[:MAX_REVIEWERS]):
                verdict = a.verdict if a is not None and a.verdict else ""
                if i:
                    marks.append(" ")
                marks.append(
                    f"{i + 1}{_GATE_MARK.get(verdict, '–')}", style=VERDICT_STYLE.get(verdict, "dim")
                )
            if len(cp.answers) > MAX_REVIEWERS:
                marks.append(" " + more_text(len(cp.answers) - MAX_REVIEWERS, lang), style="dim")
            rows.append([cp.criterion.id, marks, "", "", _panel_cell(cp, c, lang), _flag_cell(cp, lang)])
            continue
        span = "" if cp.minimum is None else f"{num(cp.minimum)}–{num(cp.maximum)}"
        if cp.minimum is not None and cp.minimum == cp.maximum:
            span = num(cp.minimum)
        spread = Text(
            num(cp.spread) if cp.spread is not None else "", style="bold yellow" if cp.disagreement else ""
        )
        rows.append(
            [
                cp.criterion.id,
                spread_strip(cp, c),
                span,
                spread,
                _panel_cell(cp, c, lang),
                _flag_cell(cp, lang),
            ]
        )
    table = table_or_stack(columns, rows, width - 4, box=None, show_header=False)
    head = JapaneseText(Text(legend, style="dim"))
    return Panel(Group(head, table), title=_sw("spread_view", lang), title_align="left", box=box.ROUNDED)


def renderables(c: Consolidation, lang: Lang, width: int = 110) -> list[RenderableType]:
    from ..views.lead import panel_lead
    from .blocks import to_rich
    from .lead import lead_panel

    # the decision first (issue 16): outcome, reasons, total, the split and the open
    # disagreements in the reviewers' words; then the detail
    return [
        to_rich(lead_panel(panel_lead(c, lang), basis_text(c, lang))),
        Text(""),
        _header(c, lang),
        Text(""),
        _spread_view(c, lang, width),
        Text(""),
        _disagreements(c, lang),
        Text(""),
        *_sections(c, lang, width),
        _reviewers(c, lang, width),
        Text(""),
        *_process(c, lang),
        *_agreement(c, lang),
    ]


def _agreement(c: Consolidation, lang: Lang) -> list[RenderableType]:
    """Agreement between the reviewers across the criteria (views.panel.agreement_lines)."""
    from ..views.panel import agreement_lines

    lines = agreement_lines(c, lang)
    if not lines:
        return []
    body = [
        JapaneseText(Text(printable(lines[1]))),
        JapaneseText(Text(printable(lines[2]))),
        JapaneseText(Text(printable(lines[3]), style="dim")),
    ]
    return [Panel(Group(*body), title=printable(lines[0]), title_align="left", box=box.ROUNDED), Text("")]


def _process(c: Consolidation, lang: Lang) -> list[RenderableType]:
    """Stage, exclusions, a missing reviewer, overall grades (views.panel.process_lines)."""
    from ..views.panel import process_lines

    lines = process_lines(c, lang)
    return [Text(printable(line)) for line in lines] + ([Text("")] if lines else [])


def print_report(c: Consolidation, lang: Lang, console: Console) -> None:
    console.print(Group(*renderables(c, lang, console.width)))


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    return capture(lambda c: print_report(view.consolidation, lang, c), width=width or 110, color=color)
