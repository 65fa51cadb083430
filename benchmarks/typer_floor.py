"""A typer command with the same kinds of parameters as `sti-review assess` that does nothing.

Used by startup.py as a third reference: typer 0.2x builds a pydantic TypeAdapter for each
parameter on every invocation, which imports pydantic for real. The plain import floor
(``import typer, rich.console, pydantic, yaml``) never pays that, since pydantic imports lazily.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import rich.console  # noqa: F401 - the floor imports it too
import typer
import yaml  # noqa: F401

app = typer.Typer(add_completion=False, rich_markup_mode=None)


class Fmt(str, Enum):
    terminal = "terminal"
    json = "json"


@app.command()
def assess(
    proposal: Path,
    review: Annotated[Path | None, typer.Option("--review")] = None,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.terminal,
    output: Annotated[Path | None, typer.Option("-o")] = None,
    lang: Annotated[str | None, typer.Option("--lang")] = None,
    rubric: Annotated[Path | None, typer.Option("--rubric")] = None,
    no_input: Annotated[bool, typer.Option("--no-input")] = False,
    interactive: Annotated[bool, typer.Option("--interactive")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> None:
    """Do nothing."""


@app.command()
def other() -> None:
    """A second command, so that typer keeps sub-commands as sti-review does."""


if __name__ == "__main__":
    app()
