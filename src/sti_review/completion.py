"""Shell completion: the values offered for --lang and --rubric, and installing or showing the
completion script (issue 12). Nothing here is imported on the command path: the functions are
called only when the shell asks for completions or the user asks for the script.

--format and the other choices complete from their Enum (typer does it); paths complete from
the shell's own file completion.
"""

from __future__ import annotations

import os
from pathlib import Path

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def languages(incomplete: str) -> list[str]:
    """The languages with a catalogue (en, ja, …) that start with what was typed."""
    from .i18n import languages as known

    return [lang for lang in known() if lang.startswith(incomplete)]


def _shipped_dirs() -> list[Path]:
    # the same places as rubric.criteria_dirs(), without importing the rubric model (pydantic)
    here = Path(__file__).resolve().parent
    return [here / "criteria", here.parent.parent / "criteria"]


def rubrics(incomplete: str) -> list[str]:
    """The ids of the shipped rubrics, then the folders under what was typed (a rubric is a
    folder holding rubric.yaml; other folders are offered to walk into)."""
    out: list[str] = []
    if "/" not in incomplete and not incomplete.startswith("."):
        for base in _shipped_dirs():
            try:
                out += [p.name for p in sorted(base.iterdir()) if (p / "rubric.yaml").is_file()]
            except OSError:
                continue
    head, _, tail = incomplete.rpartition("/")
    folder = Path(head or ".") if head or not incomplete.startswith("/") else Path("/")
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        entries = []
    for entry in entries[:500]:
        if not entry.name.startswith(tail) or (entry.name.startswith(".") and not tail.startswith(".")):
            continue
        with_head = f"{head}/{entry.name}" if head else entry.name
        if entry.is_dir():
            out.append(with_head + "/")
        elif entry.name == "rubric.yaml":
            out.append(with_head)
    return [x for x in dict.fromkeys(out) if x.startswith(incomplete)]


def detect_shell() -> str | None:
    """The shell this runs in: as typer detects it (shellingham), else $SHELL's name."""
    from typer._completion_shared import _get_shell_name

    name = _get_shell_name()
    if name not in SHELLS:
        name = os.path.basename(os.environ.get("SHELL", "")) or None
    return name if name in SHELLS else None


def script(shell: str, prog_name: str = "sti-review") -> str:
    """The completion script for a shell (what --show-completion prints)."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    return get_completion_script(prog_name=prog_name, complete_var=complete_var(prog_name), shell=shell)


def install(shell: str, prog_name: str = "sti-review") -> Path:
    """Install the completion script in the shell's start-up files; the file written."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import install as typer_install

    completion_init()
    return typer_install(shell=shell, prog_name=prog_name, complete_var=complete_var(prog_name))[1]


def complete_var(prog_name: str = "sti-review") -> str:
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def init_if_completing(prog_name: str = "sti-review") -> None:
    """When the shell asks for completions, register typer's completion classes (the scripts
    typer writes speak their protocol); otherwise do nothing, at no cost."""
    if os.environ.get(complete_var(prog_name)):
        from typer._completion_classes import completion_init

        completion_init()
