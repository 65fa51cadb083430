"""How the walk talks: a terminal (``ConsolePrompter``) or a script (``ScriptedPrompter``)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from typing import Protocol

from rich.console import Console, RenderableType
from rich.text import Text

from .screens import WIDTH_MAX

# --------------------------------------------------------------------------- prompters


class Prompter(Protocol):
    """How the walk talks: ``ask`` raises EOFError at end of input, KeyboardInterrupt on Ctrl-C."""

    def ask(self, prompt: str) -> str: ...

    def show(self, item: RenderableType | str) -> None: ...


class ConsolePrompter:
    """A terminal: rich output, ``input()`` with line editing (readline) when available."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(highlight=False)
        # Line editing (arrows, history) for input(); readline is absent on some platforms.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401

    @property
    def width(self) -> int:
        return min(self.console.width, WIDTH_MAX)

    @property
    def height(self) -> int:
        return self.console.height

    def show(self, item: RenderableType | str) -> None:
        if isinstance(item, str):
            item = Text(item)
        self.console.print(item, width=self.width)

    def ask(self, prompt: str) -> str:
        self.console.print(Text(prompt, style="bold cyan"), width=self.width)
        # A plain prompt, so that readline knows its width and redraws the line correctly.
        return input("> ")


class ScriptedPrompter:
    """Answers from a list, for tests; everything shown is kept as plain text in ``transcript``.

    When the answers run out, ``ask`` raises EOFError (as at the end of piped input); an answer
    that is the KeyboardInterrupt class raises it (as Ctrl-C would).
    """

    def __init__(
        self,
        answers: Iterable[str | type[KeyboardInterrupt]],
        width: int = 100,
        height: int | None = None,  # None: a tall terminal (the full screens)
    ):
        self.answers = list(answers)
        self.height = height
        self.prompts: list[str] = []
        self._console = Console(
            record=True, width=width, color_system=None, highlight=False, file=io.StringIO()
        )
        self.width = width

    def show(self, item: RenderableType | str) -> None:
        self._console.print(Text(item) if isinstance(item, str) else item)

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        self._console.print(Text(prompt))
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        self._console.print(Text(f"> {answer}"))
        return str(answer)

    @property
    def transcript(self) -> str:
        return self._console.export_text(clear=False)
