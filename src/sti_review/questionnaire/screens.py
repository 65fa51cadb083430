"""What the questionnaire shows: the proposal's header, each criterion's screen, the evidence,
help and the summary table, rendered with rich (untrusted text as ``Text``, never markup)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..countries import partner_text
from ..i18n import Lang
from ..rubric import GUIDANCE_LEVELS, Criterion
from ..sanitize import printable
from ..text.linebreak import min_width, wrap
from ..text.richwrap import wrapped_text
from .answers import answer_text, grade_text, shown_number
from .messages import _
from .session import Session

WIDTH_MAX = 110  # wider lines are hard to read, whatever the terminal's width
SUMMARY_LINES = 3  # the summary is shown in full once, folded beside each criterion
COMPACT_BELOW = 40  # terminals with fewer rows get the compact screen (issue 12, item 3)
PROMPT_ROWS = 4  # kept free under a compact screen or a page: the prompt (up to 2 lines), "> ", a spare


def _u(text: str | None) -> Text:
    """Untrusted text, shown literally."""
    return Text(printable(text or ""))


class Wrapped:
    """Plain text wrapped for reading (see ``wrap``); optionally cut to ``max_lines`` with …."""

    def __init__(self, text: str, style: str = "", max_lines: int | None = None):
        self.text = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
        self.style = style
        self.max_lines = max_lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap(self.text, options.max_width)
        if self.max_lines is not None and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            while last and cell_len(last) + 1 > options.max_width:
                last = last[:-1]
            lines[-1] = last + "…"
        for line in lines:
            yield Text(line, style=self.style, end="\n", no_wrap=True, overflow="crop")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        paras = self.text.split("\n")
        longest = max((cell_len(p) for p in paras), default=0)
        widest_token = max(min_width(self.text), 1)
        most = min(longest, options.max_width)
        return Measurement(min(widest_token, most), most)


def _person(name: str, institution: str) -> str:
    return name + (f" ({institution})" if institution else "")


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    return grid


def _indented(item: RenderableType) -> RenderableType:
    from rich.padding import Padding

    return Padding(item, (0, 0, 0, 2))


class _Lines:
    """Lines already laid out (rich segments), printed as they are."""

    def __init__(self, lines: list[list[Segment]]):
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line
            yield Segment.line()


class Screens:
    """The rendering half of the walk (mixed into ``Questionnaire``)."""

    s: Session
    lang: Lang
    p: object  # the prompter: its ``height`` (rows) chooses the compact screen
    _pages: dict[str, int]

    # ---- the terminal's size
    def _rows(self) -> int | None:
        rows = getattr(self.p, "height", None)
        return rows if isinstance(rows, int) and rows > 0 else None

    def _compact(self) -> bool:
        rows = self._rows()
        return rows is not None and rows < COMPACT_BELOW

    def _columns(self) -> int:
        width = getattr(self.p, "width", 80)
        return width if isinstance(width, int) and width > 0 else 80

    def _laid_out(self, item: RenderableType) -> list[list[Segment]]:
        console = Console(width=self._columns(), file=io.StringIO(), highlight=False)
        return console.render_lines(item, console.options, pad=False)

    def _page_offsets(self) -> dict[str, int]:
        if not hasattr(self, "_pages"):
            self._pages = {}
        return self._pages

    def _summary_table(self) -> RenderableType:
        lang, rubric = self.lang, self.s.rubric
        table = Table(
            box=box.SIMPLE_HEAD,
            expand=True,
            show_edge=False,
            title=Text(_("summary_title", lang), style="bold"),
            title_justify="left",
        )
        table.add_column(_("id", lang), no_wrap=True, style="cyan")
        table.add_column(_("criterion", lang), ratio=3, overflow="fold")
        table.add_column(_("score", lang) + " / " + _("verdict", lang), no_wrap=True)
        table.add_column(_("comment", lang), ratio=4, overflow="ellipsis", no_wrap=True)
        for section in self.s.sections:
            for c in section.criteria:
                if c.kind == "portfolio":
                    continue
                a = self.s.answer(c.id)
                answered = self.s.is_answered(c.id)
                shown = answer_text(rubric, a if answered else None, lang)
                if a is not None and a.conditions:
                    shown += f" ({len(a.conditions)})"
                table.add_row(
                    c.id,
                    printable(c.title(lang)),
                    Text(shown, style="" if answered else "bold blue"),
                    Text(printable((a.comment or "") if a else "").replace("\n", " ")),
                )
            table.add_section()
        overall = self.s.rubric.overall
        if overall is not None:
            o = self.s.review.overall
            table.add_row(
                "",
                _("overall_name", lang),
                Text(grade_text(overall, o.grade if o else None, lang), style="" if o else "bold blue"),
                Text(printable((o.comment or "") if o else "").replace("\n", " ")),
            )
        missing = self.s.missing()
        footer = Text(
            _("summary_answered", lang, done=self.s.done(), total=len(self.s.criteria)), style="bold"
        )
        if missing:
            footer.append("   ")
            footer.append(_("summary_missing", lang, ids=", ".join(missing)), style="blue")
        return Group(Text(""), table, footer, self._progress_line(None))

    def _overall_screen(self) -> RenderableType:
        """The overall grade's levels with their labels and guidance, from the rubric."""
        lang, overall = self.lang, self.s.rubric.overall
        assert overall is not None
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="cyan", no_wrap=True)
        grid.add_column(style="bold")
        grid.add_column()
        for level in overall.levels:
            guidance = level.guidance(lang) if level.guidance is not None else ""
            grid.add_row(
                shown_number(level.value), printable(level.label(lang)), Wrapped(printable(guidance))
            )
        lines: list[RenderableType] = [grid, Wrapped(_("overall_note", lang), style="dim")]
        return Panel(
            Group(*lines),
            title=Text(_("overall_name", lang), style="bold"),
            title_align="left",
            box=box.ROUNDED,
            border_style="cyan",
        )

    # ---- rendering
    def _progress_line(self, crit: Criterion | None) -> Text:
        line = Text()
        for n, (sid, done, total) in enumerate(self.s.progress()):
            if n:
                line.append("  ")
            current = crit is not None and crit.section == sid
            style = "bold reverse" if current else ("green" if done == total else "")
            line.append(f" {sid} {done}/{total}{' ✓' if done == total else ''} ", style=style)
        return line

    def _header(self) -> RenderableType:
        lang = self.lang
        p = self.s.proposal
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(_("id", lang), _u(p.id))
        grid.add_row(_("title", lang), Wrapped(p.title, style="bold"))
        grid.add_row(_("programme", lang), Text(self.s.rubric.label("programmes", p.programme, lang)))
        if p.lead:
            grid.add_row(_("lead", lang), _u(_person(p.lead.name, p.lead.institution)))
        partners = "\n".join(partner_text(x.country, x.institution, lang) for x in p.partners)
        grid.add_row(_("partners", lang), _u(partners))
        if p.objectives:
            grid.add_row(_("objectives", lang), self._objectives(p.objectives))
        if p.summary:
            grid.add_row(_("summary", lang), Wrapped(p.summary.strip()))
        return Panel(grid, title=_("banner", lang), title_align="left", box=box.ROUNDED)

    def _objectives(self, ids: Sequence[str]) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="cyan")
        grid.add_column()
        for o in ids:
            obj = self.s.rubric.objectives.get(o)
            grid.add_row(_u(o), Wrapped(obj.title(self.lang) if obj else ""))
        return grid

    def _screen(self, crit: Criterion) -> RenderableType:
        """One criterion: where we are, the proposal's own evidence, the question, the guidance."""
        if self._compact():
            return self._compact_screen(crit)
        lang, rubric = self.lang, self.s.rubric
        section = rubric.section(crit.section)
        parts: list[RenderableType] = [Text("")]
        pos = self.s.index(crit.id) + 1
        total = len(self.s.criteria)
        parts.append(
            Rule(
                Text(_("position", lang, id=crit.id, pos=pos, total=total, done=self.s.done())),
                style="cyan",
                align="left",
            )
        )
        before = [
            c
            for c in section.criteria[: section.criteria.index(crit)]
            if c.kind == "portfolio" and c.id not in self.state.noted
        ]
        for c in before:
            parts.append(Wrapped(_("portfolio_skipped", lang, id=c.id, title=c.title(lang)), style="dim"))
            self.state.noted.add(c.id)
        parts.append(Text(f"{section.id}  {printable(section.title(lang))}", style="dim"))
        parts.append(self._head(crit))
        parts.append(Text(""))
        parts.append(self._evidence(crit))
        parts.append(Text(""))
        parts.append(self._guidance(crit))
        current = self.s.answer(crit.id)
        if current is not None and self.s.is_answered(crit.id):
            parts.append(
                Text(_("current_answer", lang, answer=answer_text(rubric, current, lang)), style="green")
            )
        parts.append(self._progress_line(crit))
        return Group(*parts)

    def _guidance(self, crit: Criterion) -> RenderableType:
        """The question and what each level of answer means (the ``g`` key on a compact screen)."""
        lang = self.lang
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(overflow="fold")
        for level in GUIDANCE_LEVELS[crit.kind]:
            grid.add_row(_(f"guidance_{level}", lang), Wrapped(crit.guidance[level](lang)))
        return Group(
            Text(_("question", lang), style="bold"),
            _indented(Wrapped(crit.question(lang))),
            Text(_("guidance", lang), style="bold"),
            _indented(grid),
        )

    def _head(self, crit: Criterion) -> Text:
        lang, rubric = self.lang, self.s.rubric
        head = Text(f"{crit.id}  ", style="bold cyan")
        head.append(printable(crit.title(lang)), style="bold")
        if crit.kind == "gate":
            kind = _("kind_gate_line", lang)
        else:
            na = _("na_possible", lang) if rubric.na_allowed_for(crit) else ""
            kind = _(
                "kind_score_line",
                lang,
                scale=f"{shown_number(rubric.scale.min)}–{shown_number(rubric.scale.max)}",
                na=na,
            )
        head.append(f"   [{kind}]", style="magenta")
        return head

    def _compact_screen(self, crit: Criterion) -> RenderableType:
        """A short terminal: the criterion, as much of the applicant's text as fits, the keys.

        The prompt follows at once, so the applicant's text for this criterion stays on screen
        with it; ``e`` pages through the rest of the evidence, ``g`` shows the guidance."""
        lang = self.lang
        rows = self._rows() or COMPACT_BELOW
        pos = self.s.index(crit.id) + 1
        top: list[RenderableType] = [
            Rule(
                Text(
                    _("position", lang, id=crit.id, pos=pos, total=len(self.s.criteria), done=self.s.done())
                ),
                style="cyan",
                align="left",
            ),
            wrapped_text(self._head(crit), self._columns()),
        ]
        current = self.s.answer(crit.id)
        if current is not None and self.s.is_answered(crit.id):
            top.append(
                Text(
                    _("current_answer", lang, answer=answer_text(self.s.rubric, current, lang)), style="green"
                )
            )
        used = len(self._laid_out(Group(*top)))
        lines = self._laid_out(self._evidence(crit, framed=False))
        room = max(rows - used - 1 - PROMPT_ROWS, 3)
        shown = lines[:room]
        self._page_offsets()[crit.id] = len(shown)
        rest = len(lines) - len(shown)
        note = _("compact_more", lang, n=rest) if rest > 0 else _("compact_keys", lang)
        return Group(*top, _Lines(shown), Text(note, style="magenta", no_wrap=True, overflow="ellipsis"))

    def _evidence_page(self, crit: Criterion) -> RenderableType:
        """The next page of the evidence (the ``e`` key); after the last page it starts again."""
        lang = self.lang
        lines = self._laid_out(self._evidence(crit, framed=False))
        rows = self._rows()
        size = max(rows - 1 - PROMPT_ROWS, 3) if rows is not None else max(len(lines), 1)
        offsets = self._page_offsets()
        start = offsets.get(crit.id, 0)
        if start >= len(lines):
            start = 0
        page = lines[start : start + size]
        offsets[crit.id] = start + len(page)
        end = start + len(page)
        note = (
            _("evidence_page", lang, first=start + 1, last=end, total=len(lines))
            if end < len(lines)
            else _("evidence_end", lang, first=start + 1, last=end, total=len(lines))
        )
        return Group(_Lines(page), Text(note, style="magenta", no_wrap=True, overflow="ellipsis"))

    def _evidence(self, crit: Criterion, *, framed: bool = True) -> RenderableType:
        lang, p = self.lang, self.s.proposal
        own = p.sections.get(crit.id)
        title = _("proposal_text", lang, id=crit.id)
        parts: list[RenderableType] = []
        if own and not framed:
            parts.append(Text(title, style="bold green"))
            parts.append(_indented(Wrapped(own.strip())))
        elif own:
            parts.append(
                Panel(
                    Wrapped(own.strip()),
                    title=title,
                    title_align="left",
                    box=box.ROUNDED,
                    border_style="green",
                )
            )
        else:
            parts.append(Text(_("no_proposal_text", lang, id=crit.id), style="yellow"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        section = self.s.rubric.section(crit.section)
        fields = list(crit.evidence)
        if section.objectives and "objectives" not in fields:
            fields.append("objectives")
        for name in fields:
            row = self._field(name, crit)
            if row is not None:
                grid.add_row(*row)
        if grid.rows:
            parts.append(grid)
        findings = self.s.job.findings_for(crit.id)
        if findings:
            marks = {"error": ("✗", "bold red"), "warning": ("!", "yellow"), "note": ("·", "dim")}
            checks = _grid()
            for f in findings:
                mark, style = marks.get(f.severity, ("·", ""))
                checks.add_row(Text(mark, style=style), Wrapped(f.message(lang), style=style))
            parts.append(Text(_("prechecks", lang), style="bold"))
            parts.append(_indented(checks))
        return Group(*parts)

    def _field(self, name: str, crit: Criterion) -> tuple[str, RenderableType] | None:
        lang, p, rubric = self.lang, self.s.proposal, self.s.rubric
        none = Text(_("field_none", lang), style="yellow")
        if name == "summary":
            summary = " ".join(p.summary.split())
            return _("field_summary", lang), Wrapped(summary, max_lines=SUMMARY_LINES) if summary else none
        if name == "objectives":
            section = rubric.section(crit.section)
            if section.objectives:
                ids = [o for o in p.objectives if o.startswith(f"{section.id}.")]
                label = _("field_objectives_section", lang, section=section.id)
            else:
                ids, label = list(p.objectives), _("field_objectives", lang)
            return label, self._objectives(ids) if ids else none
        if name == "kpis":
            grid = _grid()
            for k in p.kpis:
                target = f" → {k.target}" if k.target is not None and str(k.target).strip() else ""
                grid.add_row(Text(printable(k.objective), style="cyan"), Wrapped(f"{k.indicator}{target}"))
            without = [o for o in p.objectives if o not in {k.objective for k in p.kpis}]
            if without:
                grid.add_row(
                    Text("!", style="yellow"),
                    Wrapped(f"{_('field_kpis_missing', lang)}: {', '.join(without)}", style="yellow"),
                )
            return _("field_kpis", lang), grid if grid.rows else none
        if name == "risks":
            grid = _grid()
            for r in p.risks:
                grid.add_row(
                    Text(self.s.rubric.label("risk_areas", r.area, lang), style="cyan"),
                    Wrapped(r.description.strip()),
                )
                if r.mitigation.strip():
                    grid.add_row(
                        Text(f"  ↳ {_('mitigation', lang)}", style="dim"), Wrapped(r.mitigation.strip())
                    )
            return _("field_risks", lang), grid if grid.rows else none
        if name == "integrity":
            procs = [self.s.rubric.label("integrity_procedures", x, lang) for x in p.integrity.procedures]
            sep = _("list_sep", lang)
            parts: list[RenderableType] = [Wrapped(sep.join(procs)) if procs else none]
            if p.integrity.notes.strip():
                parts.append(Wrapped(p.integrity.notes.strip(), style="dim"))
            return _("field_integrity", lang), Group(*parts)
        if name == "partners":
            return _("field_partners", lang), _u(
                "\n".join(f"{x.country} {x.institution}".strip() for x in p.partners)
            )
        if name == "team":
            return _("field_team", lang), self._team(full=crit.evidence[:1] == ["team"]) if p.team else none
        if name == "lead":
            return _("field_lead", lang), _u(_person(p.lead.name, p.lead.institution)) if p.lead else none
        if name == "budget":
            return _("field_budget", lang), Text(f"{p.budget:,.0f}") if p.budget is not None else none
        return None

    def _team(self, *, full: bool) -> RenderableType:
        """The team's make-up; every member in full where the team is the criterion's main evidence."""
        lang, team = self.lang, self.s.proposal.team
        sep = _("sep_dot", lang)
        mix = Counter(m.discipline for m in team if m.discipline)
        stages = Counter(m.career_stage for m in team if m.career_stage)
        composition = sep.join(
            f"{self.s.rubric.label('disciplines', d, lang)} {n}" for d, n in mix.most_common()
        )
        if stages:
            composition += " / " + sep.join(
                f"{self.s.rubric.label('career_stages', x, lang)} {n}" for x, n in stages.most_common()
            )
        grid = _grid()
        if composition:
            grid.add_row(Text(_("field_team_mix", lang), style="dim"), Wrapped(composition, style="dim"))
        if not full:
            names = _("list_sep", lang).join(m.name for m in team)
            grid.add_row(
                Text(_("field_team_count", lang, n=len(team)), style="dim"), Wrapped(names, max_lines=2)
            )
            return grid
        for m in team:
            extra = _("list_sep", lang).join(x for x in (m.role, m.institution, m.country or "") if x)
            tags = [self.s.rubric.label("disciplines", m.discipline, lang)] if m.discipline else []
            if m.career_stage:
                tags.append(self.s.rubric.label("career_stages", m.career_stage, lang))
            if tags:
                extra += _("paren_note", lang, text=_("list_sep", lang).join(tags))
            grid.add_row(_u(m.name), Wrapped(extra))
        return grid

    def _help(self, crit: Criterion | None) -> RenderableType:
        lang, rubric = self.lang, self.s.rubric
        s = rubric.scale
        lines: list[RenderableType] = [Text(_("help_title", lang), style="bold")]
        if crit is None or crit.kind != "gate":
            lines.append(
                Wrapped(
                    _(
                        "help_scale",
                        lang,
                        lo=shown_number(s.min),
                        hi=shown_number(s.max),
                        step=shown_number(s.step),
                    )
                )
            )
            grid = Table.grid(padding=(0, 2))
            grid.add_column(justify="right", style="cyan")
            grid.add_column()
            for value in sorted(s.labels):
                grid.add_row(str(value), printable(s.labels[value](lang)))
            lines.append(_indented(grid))
            lines.append(Wrapped(_("help_half", lang)))
            if crit is None or rubric.na_allowed_for(crit):
                lines.append(Wrapped(_("help_na", lang)))
        if crit is None or crit.kind == "gate":
            lines.append(Wrapped(_("help_verdicts", lang)))
        rules = rubric.comments
        parts = []
        if rules.score_at_or_below is not None:
            parts.append(_("why_low_score", lang, limit=shown_number(rules.score_at_or_below)))
        parts += [_("why_verdict", lang, verdict=_(f"verdict_{v}", lang)) for v in rules.verdicts]
        if rules.na:
            parts.append(_("why_na", lang))
        if parts:
            lines.append(Wrapped(_("help_comments", lang, rules=_("list_sep", lang).join(parts))))
        lines.append(Wrapped(_("help_enter", lang)))
        lines.append(Wrapped(_("commands", lang), style="magenta"))
        return Panel(Group(*lines), box=box.ROUNDED, border_style="magenta")
