"""A call's own file, ``call.yaml`` in the call folder: which rubric the call is assessed
against, and the call's title (see docs/formats.md, "The call file").

    call:
      title: {ja: 2026年度 国際共同研究公募, en: 2026 international joint research call}
      rubric: mext-sti-call-2026        # an id, id@version, or a path relative to this folder

Commands that read a call (``rank``, ``portfolio``, ``feedback``, ``conflicts``, ``assign``, and
``check``/``consolidate`` on files inside a call folder) use the call's rubric when no
``--rubric`` is given; an explicit ``--rubric`` wins. Like ``reviewers.yaml`` and
``decisions.yaml`` the file is told apart by its content (a top-level ``call:``), so it is never
taken for a proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError, Text

if TYPE_CHECKING:
    from .yamlio import Document

CALL_FILE = "call.yaml"
# How far above a file ``call.yaml`` is looked for: a proposal (proposals/X.yaml) is 1 below
# its call folder, a review (reviews/<id>/<name>.yaml) 2.
SEARCH_UP = 3


class CallTitle(BaseModel):
    """The call's name, in both languages (shown where reports name the call)."""

    model_config = ConfigDict(extra="forbid")
    ja: str = Field(min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=500)


class CallInfo(BaseModel):
    """What the call says about itself."""

    model_config = ConfigDict(extra="forbid")
    rubric: str = Field(
        min_length=1,
        max_length=1000,
        description="the rubric the call is assessed against: a shipped rubric's id, id@version "
        "(checked), or a rubric folder relative to the call folder (name it with a leading _ so "
        "that the call folder's discovery skips it); --rubric overrides it",
    )
    title: CallTitle | None = None


class CallFile(BaseModel):
    """A call folder's call.yaml: the call's rubric and title."""

    model_config = ConfigDict(extra="forbid")
    call: CallInfo


@dataclass(frozen=True)
class Call:
    """What a call file says, with the rubric resolved to what ``load_rubric`` takes."""

    path: Path
    rubric: str  # a shipped rubric's id, or a path
    title: dict[str, str] | None


_VERSIONED = re.compile(r"^([A-Za-z0-9._-]+)@(\d+)$")


def load_call(call_dir: str | Path) -> Call | None:
    """The call file of a call folder, or None when the folder has none. Bad content, an
    unknown rubric or a rubric of another version raise InputError, located in the file."""
    from .yamlio import load_file

    path = Path(call_dir) / CALL_FILE
    if not path.exists() and not path.is_symlink():
        return None
    return call_from_document(load_file(path), Path(call_dir))  # a folder, a FIFO, a huge file: located


def call_from_document(doc: Document, call_dir: Path) -> Call:
    """A parsed call file, its rubric resolved against ``call_dir`` (see ``CallInfo.rubric``)."""
    from .rubric import load_rubric, shipped_rubric_dir
    from .validation import validate

    data = validate(CallFile, doc)
    value = data.call.rubric.strip()
    where = ("call", "rubric")
    m = _VERSIONED.match(value)
    name, version = (m.group(1), int(m.group(2))) if m else (value, None)
    local = call_dir / name
    if m is None and not Path(name).is_absolute() and local.exists():
        resolved = str(local)
    elif (Path(name).is_absolute() and Path(name).exists()) or shipped_rubric_dir(name) is not None:
        resolved = name
    else:
        raise InputError([doc.problem(where, Text("err.call_rubric_unknown", rubric=value))])
    if version is not None:
        rub = load_rubric(resolved)
        if rub.version != version:
            found = f"{rub.id}@{rub.version}"
            raise InputError([doc.problem(where, Text("err.call_rubric_version", rubric=value, found=found))])
    title = data.call.title.model_dump() if data.call.title is not None else None
    return Call(Path(doc.path), resolved, title)


def find_call_dir(path: str | Path) -> Path | None:
    """The call folder a path belongs to: a folder is its own call folder when it has a call
    file; a file's is the nearest of its parents (up to ``SEARCH_UP`` levels) that has one."""
    p = Path(path)
    try:
        if p.is_dir():
            return p if (p / CALL_FILE).exists() else None
        if not p.exists():
            return None
    except OSError:  # reported, located, by whatever reads the path next
        return None
    for folder in [p.parent, *p.parent.parents][:SEARCH_UP]:
        if (folder / CALL_FILE).exists():
            return folder
    return None


def call_rubric(where: str | Path, rubric: str | Path | None) -> tuple[str | Path | None, Call | None]:
    """The rubric to use for a call folder (or a file inside one): ``rubric`` when given (an
    explicit choice wins), else the call file's, else None (the default rubric). Also the call
    file, when there is one, so that a caller can say that the two differ."""
    folder = find_call_dir(where)
    call = load_call(folder) if folder is not None else None
    if rubric is not None:
        return rubric, call
    return (call.rubric if call is not None else None), call
