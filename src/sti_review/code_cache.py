"""Compiled source snippets kept on disk for the command-line process (issue 17, start-up).

Two standard-library modules compile source text at import time, on every run:
``dataclasses`` writes ``__init__``, ``__repr__``, ``__eq__``… as text and ``exec``-s it for
each of the ~90 dataclasses a command defines (sti-review's, pydantic's, typer's), and
``typing.ForwardRef`` compiles each string annotation (pydantic resolves ~1,300 of them). That
is ~400 compilations of text that is the same from one run to the next. Here, ``exec`` and
``compile`` as those two modules see them (their module globals; the built-ins stay untouched)
look the text up in a table of marshalled code objects loaded from
``<cache folder>/code/``; a miss compiles as before and the table is written back at exit.

A code object depends only on its text, the mode and the interpreter, so the file is named by
the interpreter (``sys.implementation.cache_tag`` and ``sys.hexversion``) and holds nothing
else; text is always compiled with no inherited ``__future__`` flags, exactly as the stdlib's
own call would. A corrupt, truncated or unreadable file is ignored (and rewritten); a folder
that cannot be written costs only the speed-up. ``STI_REVIEW_NO_CACHE=1`` bypasses it. Standard
library only; a library user never gets it (only ``sti-review``'s ``main()`` calls
:func:`enable`).
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["enable", "path"]

_MAGIC = b"sti-review-code-1\n"
_LIMIT = 20_000  # entries; beyond this new text is compiled but not kept

# (mode, text) -> the marshalled code object, unmarshalled only when the text is met (the file
# holds what every command met; one command meets a part of it)
_table: dict[tuple[str, str], bytes] = {}
_state = {"dirty": False}


def path() -> Path:
    from . import rubric_cache

    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}"
    return rubric_cache.folder().parent / "code" / f"{tag}.marshal"


def _compiled(source: str, mode: str) -> Any:
    key = (mode, source)
    code = _table.get(key)
    if code is not None:
        try:
            return marshal.loads(code)
        except Exception:  # a damaged entry: compile it again
            pass
    # dont_inherit: the flags of the caller (dataclasses, typing) are none, and this module's
    # `from __future__ import annotations` must not leak into their code.
    compiled = builtins.compile(source, "<string>", mode, dont_inherit=True)
    if len(_table) < _LIMIT:
        _table[key] = marshal.dumps(compiled)
        _state["dirty"] = True
    return compiled


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    if isinstance(source, str):
        source = _compiled(source, "exec")
    builtins.exec(source, globals, locals)


def _compile(
    source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False, *a: Any, **k: Any
) -> Any:
    if isinstance(source, str) and filename == "<string>" and not flags and not a and not k:
        return _compiled(source, mode)
    return builtins.compile(source, filename, mode, flags, dont_inherit, *a, **k)


def _load(file: Path) -> None:
    try:
        data = file.read_bytes()
        if not data.startswith(_MAGIC):
            return
        table = marshal.loads(data[len(_MAGIC) :])
        if not isinstance(table, dict):
            return
        for key, code in table.items():
            if isinstance(key, tuple) and len(key) == 2 and isinstance(code, bytes):
                _table[key] = code
    except Exception:  # corrupt, truncated, unreadable, another interpreter's: compile again
        _table.clear()


def _save(file: Path) -> None:
    if not _state["dirty"]:
        return
    tmp: Path | None = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_MAGIC + marshal.dumps(_table))
        os.replace(tmp, file)
    except Exception:  # a read-only or full disk costs only the speed-up
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def enable() -> None:
    """Install the table for ``dataclasses`` and ``typing`` (call before importing anything
    that defines dataclasses). Does nothing when the cache is switched off."""
    if os.environ.get("STI_REVIEW_NO_CACHE", "").strip() in ("1", "true", "yes"):
        return
    import atexit
    import dataclasses
    import typing

    file = path()
    _load(file)
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    typing.compile = _compile  # type: ignore[attr-defined]
    atexit.register(_save, file)
