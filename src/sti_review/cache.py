"""The cache of a call's read files, so that a call ranked again after a few reviews changed
costs only the changed files (issue 17).

Where: ``$STI_REVIEW_CACHE``, else ``$XDG_CACHE_HOME/sti-review``, else ``~/.cache/sti-review``
(documented in docs/formats.md; deleting the folder is always safe). One SQLite database,
``calls.sqlite3``, holds

- per file: what reading it gave (a pickled ``FileResult``: its kind, the small summary the
  ranking keeps, or its located problems), keyed by the file's absolute path and the path as
  shown, and stamped with its size, modification time (ns) and SHA-256;
- per proposal: its computed row, keyed by a digest of its files' paths and SHA-256s.

Every key includes a *scope*: the tool's version, this cache's format version and a
fingerprint of the rubric (a hash of every rubric file), so a new version or a changed rubric
never reads an old entry. A file is trusted from its size and modification time only when both
are unchanged and it was not modified within two seconds of being cached (a file written twice
within the clock's resolution keeps its time: such entries are always confirmed by hash);
otherwise it is read and hashed, and an entry is used only when the hash is the same.

The cache must never fail a command: a database that is corrupt, locked, read-only or missing
gives one warning and the command runs without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__

FORMAT = 3  # bump when what is pickled changes shape (the tables are named after it)
DB_NAME = "calls.sqlite3"
# An entry for a file changed this close to when it was cached is confirmed by hash.
RACY_NS = 2_000_000_000

Stamp = tuple[int, int]  # (size, mtime_ns)


class Hit(NamedTuple):
    """A file found unchanged in the cache: what it is, which proposal it concerns, its hash
    and its pickled ``FileResult``."""

    kind: str
    about: str | None
    sha: bytes
    blob: bytes


class LazyResults(dict):  # type: ignore[type-arg]
    """path -> FileResult, where cached results are unpickled only when asked for with
    ``get``; a damaged entry is then dropped (the file is read again)."""

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        if isinstance(value, bytes):
            try:
                value = pickle.loads(value)
            except Exception:
                del self[key]
                return default
            self[key] = value
        return value


def cache_dir() -> Path:
    """The cache folder: $STI_REVIEW_CACHE, else $XDG_CACHE_HOME/sti-review, else ~/.cache."""
    env = os.environ.get("STI_REVIEW_CACHE", "").strip()
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "sti-review"
    return Path.home() / ".cache" / "sti-review"


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def file_digest(path: str) -> bytes | None:
    """SHA-256 of a file's bytes, or None when it cannot be read (then it is never trusted)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").digest()
    except (OSError, ValueError):
        return None


def rubric_fingerprint(rubric_path: str | os.PathLike[str] | None) -> bytes:
    """A hash of the rubric's files: rubric.yaml, the YAML beside it and sections/."""
    from .rubric import rubric_file

    main = rubric_file(rubric_path)
    folder = main.parent
    h = hashlib.sha256(os.fsencode(os.path.abspath(main)) + b"\0")
    # what a rubric is made of: its folder's YAML files and everything under sections/ (not a
    # whole tree: a rubric.yaml may sit in a folder with much else below it)
    try:
        found = sorted(
            {main, *folder.glob("*.y*ml"), *(x for x in (folder / "sections").rglob("*") if x.is_file())}
        )
    except OSError:
        found = [main]
    for f in found:
        h.update(os.fsencode(os.path.relpath(f, folder)) + b"\0")
        h.update(file_digest(str(f)) or b"unreadable")
    return h.digest()


def scope(rubric_path: str | os.PathLike[str] | None, *extra: str) -> bytes:
    """What every key of one run includes: tool version, cache format, rubric, options."""
    h = hashlib.sha256(f"{__version__}\0{FORMAT}\0{chr(0).join(extra)}\0".encode())
    h.update(rubric_fingerprint(rubric_path))
    return h.digest()


def stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class CallCache:
    """The cache database, opened for one run. Every method swallows database errors: the first
    one is reported through ``warn`` and the cache is then off for the rest of the run."""

    def __init__(self, folder: Path, scope_key: bytes, warn: Callable[[str], None] | None = None):
        self.scope = scope_key
        self.warn = warn
        self.db: sqlite3.Connection | None = None
        self._pending_files: list[tuple[Any, ...]] = []
        self._pending_rows: list[tuple[Any, ...]] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(os.fspath(folder / DB_NAME), timeout=0.5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                f"CREATE TABLE IF NOT EXISTS files_{FORMAT} (scope BLOB, path TEXT, size INTEGER,"
                " mtime INTEGER, sha BLOB, kind TEXT, about TEXT, result BLOB, PRIMARY KEY (scope, path))"
            )
            db.execute(
                f"CREATE TABLE IF NOT EXISTS rows_{FORMAT} (scope BLOB, key BLOB, result BLOB,"
                " PRIMARY KEY (scope, key))"
            )
            self.db = db
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if self.warn is not None:
            self.warn(f"the cache is not used ({exc}); delete {cache_dir()} if this persists")
            self.warn = None
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    @staticmethod
    def _path_key(path: str) -> str:
        # the shown path is part of what is cached (problems name it), so it is in the key too
        return os.path.abspath(path) + "\0" + path

    def load_files(
        self, paths: Iterable[str], stamps: dict[str, Stamp | None]
    ) -> tuple[dict[str, Hit], list[str]]:
        """(hits, misses) for the files of one call. A hit's result stays pickled until it is
        needed (see ``LazyResults``): an unchanged proposal needs only its row."""
        hits: dict[str, Hit] = {}
        misses: list[str] = []
        wanted = list(paths)
        stored: dict[str, tuple[int, int, bytes, str, str | None, bytes]] = {}
        if self.db is not None:
            try:
                cur = self.db.execute(
                    f"SELECT path, size, mtime, sha, kind, about, result FROM files_{FORMAT} WHERE scope = ?",
                    (self.scope,),
                )
                keys = {self._path_key(p): p for p in wanted}
                for key, *entry in cur:
                    p = keys.get(key)
                    if p is not None:
                        stored[p] = tuple(entry)  # type: ignore[assignment]
            except sqlite3.Error as exc:
                self._fail(exc)
                stored = {}
        for p in wanted:
            entry = stored.get(p)
            st = stamps.get(p)
            if entry is None or st is None:
                misses.append(p)
                continue
            size, mtime, sha, kind, about, blob = entry
            if (size, mtime) != st or mtime < 0:
                now = file_digest(p)
                if now != sha:
                    misses.append(p)
                    continue
                self._pending_files.append(
                    (self.scope, self._path_key(p), *self._trusted(st), sha, kind, about, blob)
                )
            hits[p] = Hit(kind, about, sha, blob)
        return hits, misses

    @staticmethod
    def _trusted(st: Stamp) -> Stamp:
        """The stamp to store: a file changed within RACY_NS of now is always re-hashed."""
        size, mtime = st
        return (size, mtime) if time.time_ns() - mtime > RACY_NS else (size, -1)

    def add_file(self, path: str, st: Stamp | None, sha: bytes | None, result: Any) -> None:
        if self.db is None or st is None or sha is None:
            return
        blob = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        self._pending_files.append(
            (self.scope, self._path_key(path), *self._trusted(st), sha, result.kind, result.about, blob)
        )

    def load_rows(self, keys: Iterable[bytes]) -> dict[bytes, Any]:
        if self.db is None:
            return {}
        wanted = set(keys)
        out: dict[bytes, Any] = {}
        try:
            query = f"SELECT key, result FROM rows_{FORMAT} WHERE scope = ?"
            for key, blob in self.db.execute(query, (self.scope,)):
                if key in wanted:
                    try:
                        out[key] = pickle.loads(blob)
                    except Exception:
                        continue
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return out

    def add_row(self, key: bytes, result: Any) -> None:
        if self.db is None:
            return
        self._pending_rows.append((self.scope, key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL)))

    def commit(self, live_paths: Iterable[str] | None = None) -> None:
        """Write what this run learnt; drop this scope's entries of files no longer there."""
        if self.db is None:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            insert = f"INSERT OR REPLACE INTO files_{FORMAT} VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            self.db.executemany(insert, self._pending_files)
            self.db.executemany(f"INSERT OR REPLACE INTO rows_{FORMAT} VALUES (?, ?, ?)", self._pending_rows)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self._fail(exc)
        self._pending_files.clear()
        self._pending_rows.clear()

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


def row_key(proposal: tuple[str, bytes], reviews: Iterable[tuple[str, bytes]], need_budget: bool) -> bytes:
    """The key of one proposal's row: its files' paths and hashes, and the options that matter."""
    h = hashlib.sha256(b"budget\0" if need_budget else b"count\0")
    for path, sha in (proposal, *sorted(reviews)):
        h.update(os.fsencode(os.path.abspath(path)) + b"\0" + path.encode("utf-8", "surrogatepass"))
        h.update(b"\0" + sha)
    return h.digest()
