"""The rubric as a reader sees it: every criterion listed, or one criterion in full."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...i18n import Lang, t
from ...rubric import GUIDANCE_LEVELS, Criterion, Rubric
from ...sanitize import printable
from .blocks import Block, Hanging, Text, draw
from .blocks import untrusted as _text  # a rubric from elsewhere is untrusted text too

if TYPE_CHECKING:
    from ..views import RubricView

KIND_STYLE = {"score": "green", "gate": "bold red", "portfolio": "magenta"}


def tree(rubric: Rubric, lang: Lang) -> list[Block]:
    """All criteria, section by section; questions in both languages, never wrapped mid-text."""
    out: list[Block] = []
    emit = out.append
    emit(Hanging(_text(f"{rubric.title(lang)}  ({rubric.ref})", style="bold")))
    emit(Hanging(_text(f"{t('scale', lang)}: {rubric.scale.describe(lang)}", style="dim")))
    for key in ("context", "policy_note"):
        note = getattr(rubric, key)
        if note is not None:
            emit(Text(""))
            emit(Text(t(key, lang), style="bold"))
            emit(Hanging(_text(f"  {note(lang)}")))
    for section in rubric.sections:
        emit(Text(""))
        head = _text(f"{section.id}  {section.title(lang)}", style="bold cyan")
        if section.programme:
            head.append(f"  [{rubric.label('programmes', section.programme, lang)}]", style="cyan")
        emit(Hanging(head))
        for o in section.objectives:
            emit(Hanging(_text(f"    ◦ {o.id}  {o.title(lang)}", style="dim")))
        for c in section.criteria:
            line = _text(f"  {c.id:<4} ")
            line.append(f"{t('kind_' + c.kind, lang):<6}", style=KIND_STYLE[c.kind])
            line.append(printable(f" {c.title(lang)}"), style="bold")
            if c.reading:
                line.append(f"  [{t('reading_' + c.reading, lang)}]", style="yellow")
            emit(Hanging(line))
            emit(Hanging(_text(f"         {c.question(lang)}")))
            other = c.question.other(lang)  # the question in a second language, dimmed
            if other:
                emit(Hanging(_text(f"         {other}", style="dim")))
    return out


def criterion(rubric: Rubric, crit: Criterion, lang: Lang) -> list[Block]:
    """One criterion in full: question in both languages, guidance per level, evidence."""
    out: list[Block] = []
    emit = out.append
    section = rubric.section(crit.section)
    emit(Hanging(_text(f"{crit.id}  {crit.title(lang)}", style="bold")))
    emit(Hanging(_text(f"{t('section', lang)}: {section.id} {section.title(lang)}")))
    kind = _text(f"{t('kind', lang)}: ")
    kind.append(t("kind_" + crit.kind, lang), style=KIND_STYLE[crit.kind])
    if crit.kind == "score":
        kind.append(f" · {t('scale', lang)} {rubric.scale.describe(lang)}")
        if rubric.na_allowed_for(crit):
            kind.append(f" · {t('na_allowed', lang)}")
    emit(Hanging(kind))
    if crit.reading:
        reading = _text(f"{t('reading_' + crit.reading, lang)}: ", style="yellow")
        reading.append(t(f"reading_{crit.reading}_note", lang))
        emit(Hanging(reading))
    emit(Text(""))
    emit(Text(t("question", lang), style="bold"))
    emit(Hanging(_text(f"  {crit.question(lang)}")))
    other = crit.question.other(lang)
    if other:
        emit(Hanging(_text(f"  {other}", style="dim")))
    emit(Text(""))
    emit(Text(t("guidance", lang), style="bold"))
    for level in GUIDANCE_LEVELS[crit.kind]:
        emit(_text(f"  {t('guidance_' + level, lang)}", style="cyan"))
        emit(Hanging(_text(f"    {crit.guidance[level](lang)}")))
    if crit.pass_line is not None:
        emit(_text(f"  {t('pass_line', lang)}", style="bold cyan"))
        emit(Hanging(_text(f"    {crit.pass_line(lang)}")))
    if crit.objectives:
        emit(Text(""))
        emit(Text(t("objectives", lang), style="bold"))
        for o in crit.objectives:
            emit(Hanging(_text(f"  {o}  {rubric.objectives[o].title(lang)}")))
    emit(Text(""))
    fields = ", ".join([f"sections.{crit.id}", *crit.evidence])
    emit(Hanging(_text(f"{t('evidence', lang)}: {fields}")))
    return out


def render(view: RubricView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """Without colour drawn by the plain writer (rich's layout to the byte, see ``blocks``)."""
    width = width or 100
    items = (
        tree(view.rubric, lang) if view.criterion is None else criterion(view.rubric, view.criterion, lang)
    )
    if not color:
        text = draw(items, width)
        if text is not None:
            return text.encode("utf-8")
    from .blocks import to_rich
    from .console import capture

    def show(console):  # type: ignore[no-untyped-def]
        for item in items:
            console.print(to_rich(item))

    return capture(show, width=width, color=color)
