"""Line-break classes kept on disk between runs of the command-line process (issue 17, start-up).

Finding where a Japanese paragraph may break asks BudouX (importing it and loading its model
costs ~10 ms, segmenting a report's paragraphs as much again), yet the answer depends only on the
paragraph's text: a rubric's titles and guidance are the same in every report, and a reviewer
runs ``assess`` on the same proposal again and again. The classes of the paragraphs a run met
are kept in ``<cache folder>/breaks/`` (one file, named by sti-review's and BudouX's versions and
the size and modification time of ``linebreak.py``), the paragraphs used last first, at most
:data:`LIMIT` of them. The file is read when the first paragraph is broken, not before.

Used when the command-line process's disk caches are on (``rubric_cache.enable()``, which
``sti-review`` calls and a library user does not; ``STI_REVIEW_NO_CACHE=1`` turns them off). A
corrupt, truncated or unreadable file is ignored (and rewritten); a folder that cannot be
written costs only the speed-up. Standard library only.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path

__all__ = ["LIMIT", "DiskMemo", "disk_memo"]

_MAGIC = b"sti-review-breaks-1\n"
LIMIT = 4096
"""Paragraphs kept in the file."""
_LONGEST = 4000
"""Characters; a longer paragraph is computed every time (it would bloat the file)."""


class DiskMemo:
    def __init__(self, file: Path) -> None:
        self.file = file
        self._old: dict[str, bytes] | None = None
        self._used: dict[str, bytes] = {}
        self._dirty = False

    def _stored(self) -> dict[str, bytes]:
        if self._old is None:
            self._old = {}
            import atexit

            atexit.register(self.save)
            with contextlib.suppress(Exception):  # unreadable or damaged: compute again
                data = self.file.read_bytes()
                if data.startswith(_MAGIC):
                    table = marshal.loads(data[len(_MAGIC) :])
                    if isinstance(table, dict):
                        self._old = {
                            k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, bytes)
                        }
        return self._old

    def get(self, para: str) -> bytes | None:
        found = self._stored().get(para)
        if found is not None:
            self._used[para] = found
        return found

    def put(self, para: str, classes: bytes) -> None:
        if len(para) <= _LONGEST:
            self._stored()
            self._used[para] = classes
            self._dirty = True

    def save(self) -> None:
        """Write what this run used first, then what the file held, up to LIMIT. Never raises."""
        if not self._dirty:
            return
        table = dict(list(self._used.items())[-LIMIT:])
        for para, classes in (self._old or {}).items():
            if len(table) >= LIMIT:
                break
            table.setdefault(para, classes)
        tmp: Path | None = None
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
            tmp.write_bytes(_MAGIC + marshal.dumps(table))
            os.replace(tmp, self.file)
            # files of another linebreak.py or BudouX are never read again
            for other in self.file.parent.glob("*.marshal"):
                if other.name != self.file.name:
                    other.unlink(missing_ok=True)
        except Exception:  # a read-only or full disk costs only the speed-up
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
        self._dirty = False


def _stamp(path: str | None) -> str:
    try:
        st = os.stat(path or "")
    except OSError:
        return "?"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _file() -> Path:
    """Named by what the classes depend on: sti-review's version, linebreak.py, and BudouX's
    parser and Japanese model (found, not imported: the point is not to import it)."""
    import hashlib
    from importlib.util import find_spec

    from .. import __version__, rubric_cache

    parts = [__version__, _stamp(os.path.join(os.path.dirname(__file__), "linebreak.py"))]
    try:
        spec = find_spec("budoux")
        origin = spec.origin if spec is not None else None
    except (ImportError, ValueError):
        origin = None
    if origin:
        folder = os.path.dirname(origin)
        parts += [
            _stamp(os.path.join(folder, "parser.py")),
            _stamp(os.path.join(folder, "models", "ja.json")),
        ]
    else:
        parts.append("no budoux")
    h = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return rubric_cache.folder().parent / "breaks" / f"{h}.marshal"


def disk_memo() -> DiskMemo:
    """The memo of this interpreter's cache folder (the file is read on the first look-up)."""
    return DiskMemo(_file())
