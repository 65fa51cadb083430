"""A disk cache of validated rubrics for the command-line process (issue 17, start-up).

Reading the shipped rubric means parsing and validating about ten YAML files on every run; an
unpickled ``Rubric`` costs a tenth of that. Entries live in ``<cache folder>/rubrics/`` (the
folder of :func:`sti_review.cache.cache_dir`: ``$STI_REVIEW_CACHE``, else
``$XDG_CACHE_HOME/sti-review``, else ``~/.cache/sti-review``), one file per rubric, named by
a hash of the rubric's path, the tool's version, Python's and pydantic's versions and the size
and modification time of sti-review's own modules.

An entry is used only when every file of the rubric (its base rubrics' included) has the size
and modification time it had when the entry was written; otherwise the rubric is read again
and the entry rewritten. A corrupt, truncated or unreadable entry is ignored (and rewritten);
a cache folder that cannot be written is ignored too. ``STI_REVIEW_NO_CACHE=1`` bypasses it.

Off unless :func:`enable` is called: ``sti-review`` (``__main__``) enables it; a library user
or a test that wants it calls ``enable()`` too. Standard library only, imported cheaply.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

__all__ = ["enable", "enabled", "folder", "load", "store"]

_enabled = False
_MAGIC = b"sti-review-rubric-1\n"


def enable(on: bool = True) -> None:
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled and os.environ.get("STI_REVIEW_NO_CACHE", "").strip() not in ("1", "true", "yes")


def folder() -> Path:
    """``rubrics/`` in the cache folder (same rules as ``sti_review.cache.cache_dir``, which
    is not imported here: it brings sqlite3 with it)."""
    env = os.environ.get("STI_REVIEW_CACHE", "").strip()
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = (
            Path(xdg) / "sti-review" if xdg and os.path.isabs(xdg) else Path.home() / ".cache" / "sti-review"
        )
    return base / "rubrics"


def _code_stamp() -> str:
    """sti-review's version and its modules' sizes and times: a changed model class (even in an
    editable install whose version did not move) never meets an old pickle."""
    from . import __version__

    package = Path(__file__).parent
    parts = [__version__, sys.version, _pydantic_version()]
    try:
        with os.scandir(package) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        parts.append("?")
    return "\n".join(parts)


def _pydantic_version() -> str:
    try:
        from pydantic.version import VERSION
    except Exception:  # pragma: no cover - pydantic is a dependency
        return "?"
    return str(VERSION)


def _entry(key: tuple[str, bool]) -> Path:
    import hashlib

    h = hashlib.sha256(f"{key[0]}\n{key[1]}\n{_code_stamp()}".encode("utf-8", "surrogatepass"))
    return folder() / f"{h.hexdigest()[:32]}.pickle"


def load(key: tuple[str, bool], stamps_now: Any) -> Any:
    """The cached rubric for ``key`` if the entry is sound and ``stamps_now(rubric)`` equals the
    stamps stored with it; else None. Never raises."""
    if not enabled():
        return None
    try:
        data = _entry(key).read_bytes()
        if not data.startswith(_MAGIC):
            return None
        stored_key, stamps, rubric = pickle.loads(data[len(_MAGIC) :])
        if stored_key != key or stamps != stamps_now(rubric):
            return None
        return rubric
    except Exception:  # corrupt, truncated, written by other code, unreadable: read the rubric again
        return None


def store(key: tuple[str, bool], stamps: Any, rubric: Any) -> None:
    """Write the entry (atomically: a temporary file renamed into place). Never raises."""
    if not enabled():
        return
    tmp: Path | None = None
    try:
        path = _entry(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_MAGIC + pickle.dumps((key, stamps, rubric), pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except Exception:  # a read-only or full disk costs only the speed-up
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
