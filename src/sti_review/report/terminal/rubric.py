"""The rubric as a reader sees it: every criterion listed, or one criterion in full."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from ...i18n import Lang, t
from ...rubric import GUIDANCE_LEVELS, Criterion, Rubric
from ...sanitize import printable
from .layout import emit

if TYPE_CHECKING:
    from ..views import RubricView

KIND_STYLE = {"score": "green", "gate": "bold red", "portfolio": "magenta"}


def _text(text: str, style: str = "") -> Text:
    """A rubric from elsewhere is untrusted text too: shown literally, controls made visible."""
    return Text(printable(text), style=style)


def print_tree(rubric: Rubric, lang: Lang, console: Console) -> None:
    """All criteria, section by section; questions in both languages, never wrapped mid-text."""
    emit(console, _text(f"{rubric.title(lang)}  ({rubric.ref})", style="bold"))
    emit(console, _text(f"{t('scale', lang)}: {rubric.scale.describe(lang)}", style="dim"))
    for key in ("context", "policy_note"):
        note = getattr(rubric, key)
        if note is not None:
            console.print()
            console.print(Text(t(key, lang), style="bold"))
            emit(console, _text(f"  {note(lang)}"))
    for section in rubric.sections:
        console.print()
        head = _text(f"{section.id}  {section.title(lang)}", style="bold cyan")
        if section.programme:
            head.append(f"  [{rubric.label('programmes', section.programme, lang)}]", style="cyan")
        emit(console, head)
        for o in section.objectives:
            emit(console, _text(f"    ◦ {o.id}  {o.title(lang)}", style="dim"))
        for c in section.criteria:
            line = _text(f"  {c.id:<4} ")
            line.append(f"{t('kind_' + c.kind, lang):<6}", style=KIND_STYLE[c.kind])
            line.append(printable(f" {c.title(lang)}"), style="bold")
            if c.reading:
                line.append(f"  [{t('reading_' + c.reading, lang)}]", style="yellow")
            emit(console, line)
            emit(console, _text(f"         {c.question(lang)}"))
            other = c.question.other(lang)  # the question in a second language, dimmed
            if other:
                emit(console, _text(f"         {other}", style="dim"))


def print_criterion(rubric: Rubric, crit: Criterion, lang: Lang, console: Console) -> None:
    section = rubric.section(crit.section)
    emit(console, _text(f"{crit.id}  {crit.title(lang)}", style="bold"))
    emit(console, _text(f"{t('section', lang)}: {section.id} {section.title(lang)}"))
    kind = _text(f"{t('kind', lang)}: ")
    kind.append(t("kind_" + crit.kind, lang), style=KIND_STYLE[crit.kind])
    if crit.kind == "score":
        kind.append(f" · {t('scale', lang)} {rubric.scale.describe(lang)}")
        if rubric.na_allowed_for(crit):
            kind.append(f" · {t('na_allowed', lang)}")
    emit(console, kind)
    if crit.reading:
        reading = _text(f"{t('reading_' + crit.reading, lang)}: ", style="yellow")
        reading.append(t(f"reading_{crit.reading}_note", lang))
        emit(console, reading)
    console.print()
    console.print(Text(t("question", lang), style="bold"))
    emit(console, _text(f"  {crit.question(lang)}"))
    other = crit.question.other(lang)
    if other:
        emit(console, _text(f"  {other}", style="dim"))
    console.print()
    console.print(Text(t("guidance", lang), style="bold"))
    for level in GUIDANCE_LEVELS[crit.kind]:
        console.print(_text(f"  {t('guidance_' + level, lang)}", style="cyan"))
        emit(console, _text(f"    {crit.guidance[level](lang)}"))
    if crit.pass_line is not None:
        console.print(_text(f"  {t('pass_line', lang)}", style="bold cyan"))
        emit(console, _text(f"    {crit.pass_line(lang)}"))
    if crit.objectives:
        console.print()
        console.print(Text(t("objectives", lang), style="bold"))
        for o in crit.objectives:
            emit(console, _text(f"  {o}  {rubric.objectives[o].title(lang)}"))
    console.print()
    fields = ", ".join([f"sections.{crit.id}", *crit.evidence])
    emit(console, _text(f"{t('evidence', lang)}: {fields}"))


def render(view: RubricView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    from .console import capture

    if view.criterion is None:
        return capture(lambda c: print_tree(view.rubric, lang, c), width=width or 100, color=color)
    crit = view.criterion
    return capture(lambda c: print_criterion(view.rubric, crit, lang, c), width=width or 100, color=color)
