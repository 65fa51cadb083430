"""The cache of a call's read files, so that a call ranked again after a few reviews changed
costs only the changed files (issue 17).

Where: ``$STI_REVIEW_CACHE``, else ``$XDG_CACHE_HOME/sti-review``, else ``~/.cache/sti-review``
(documented in docs/formats.md; deleting the folder is always safe). One SQLite database,
``calls.sqlite3``, holds

- per file: what reading it gave (a pickled ``FileResult``: its kind, the small summary the
  ranking keeps, or its located problems), keyed by the file's absolute path and the path as
  shown, and stamped with its size, modification and change times (ns) and SHA-256;
- per proposal: its computed row, keyed by a digest of its files' paths and SHA-256s;
- per call folder: a *snapshot* of what reading the whole call gave, keyed by a digest of the
  listing (every file's path, size, modification and change times and inode), so that an
  unchanged call is one read and one unpickling, with no per-file lookups at all.

Every key includes a *scope*: the tool's version, this cache's format version and a
fingerprint of the rubric (a hash of every rubric file), so a new version or a changed rubric
never reads an old entry. A file is trusted from its size and modification time only when both
are unchanged and it was not modified within two seconds of being cached (a file written twice
within the clock's resolution keeps its time: such entries are always confirmed by hash);
otherwise it is read and hashed, and an entry is used only when the hash is the same.

The cache must never fail a command: a database that is corrupt, locked, read-only or missing
gives one warning and the command runs without it. A database of another layout (its
``PRAGMA user_version`` is not ``FORMAT``: an older or newer sti-review) or larger than
``MAX_BYTES`` is emptied silently and refilled by that run.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .collector import no_gc

FORMAT = 4  # bump when what is pickled changes shape (the tables are named after it)
DB_NAME = "calls.sqlite3"
# An entry for a file changed this close to when it was cached is confirmed by hash.
RACY_NS = 2_000_000_000

Stamp = tuple[int, int, int]  # (size, mtime_ns, ctime_ns): a chmod or a rename changes ctime


class Hit(NamedTuple):
    """A file found unchanged in the cache: what it is, which proposal it concerns and its
    hash (its ``FileResult`` is fetched only when needed, see ``LazyResults``)."""

    kind: str
    about: str | None
    sha: bytes


_LATER = object()  # a cached result not fetched yet


class LazyResults(dict):  # type: ignore[type-arg]
    """path -> FileResult, where cached results are fetched and unpickled only when asked for
    with ``get`` (an unchanged proposal needs only its row, not its files); a missing or
    damaged entry is then dropped (the file is read again)."""

    def __init__(self, paths: Iterable[str], fetch: Callable[[str], bytes | None]):
        super().__init__((p, _LATER) for p in paths)
        self.fetch = fetch

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        if value is _LATER:
            try:
                blob = self.fetch(key)
                value = pickle.loads(blob) if blob is not None else None
            except Exception:
                value = None
            if value is None:
                del self[key]
                return default
            self[key] = value
        return value


def _fraction(numerator: int, denominator: int) -> Fraction:
    return Fraction(numerator, denominator)


def _reduce_fraction(x: Fraction) -> tuple[Any, tuple[int, int]]:
    # pickle's default for a Fraction goes through its text ("7/2"), parsed again by a regular
    # expression when loaded: a cached call holds hundreds of thousands of them
    return _fraction, (x.numerator, x.denominator)


_DISPATCH = {**copyreg.dispatch_table, Fraction: _reduce_fraction}


def dumps(obj: Any) -> bytes:
    """Pickle ``obj`` for the cache (fractions as two integers)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return out.getvalue()


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
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


def stamps_and_listing(paths: Iterable[str], *extra: str) -> tuple[dict[str, Stamp | None], bytes | None]:
    """Each file's stamp, and a digest of the whole listing for the call snapshot: the working
    folder, ``extra``, and every file's path, size, modification and change times and inode.
    The digest is None when a file cannot be stat'ed or was modified within RACY_NS of now
    (such a call is never served from, nor stored as, a snapshot). The change time is compared,
    not checked for being recent: it moves on a chmod, a rename, or an edit whose old
    modification time was put back."""
    stamps: dict[str, Stamp | None] = {}
    h: Any = hashlib.sha256(f"{os.getcwd()}\0{chr(0).join(extra)}\0".encode("utf-8", "surrogatepass"))
    recent = time.time_ns() - RACY_NS
    parts: list[str] = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            stamps[p] = None
            h = None
            continue
        stamps[p] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if h is not None:
            if st.st_mtime_ns > recent:
                h = None
                continue
            parts.append(f"{p}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}\0")
    if h is None:
        return stamps, None
    h.update("".join(parts).encode("utf-8", "surrogatepass"))
    return stamps, h.digest()


# The database is emptied when it passes this size: entries of other sti-review versions, other
# rubrics and call folders ranked long ago are never read again, and one cold run refills what
# is still in use.
MAX_BYTES = 512 * 1024 * 1024


def _reset_if_stale(db: sqlite3.Connection, path: Path) -> None:
    """A database written by another layout of this cache (an older or newer sti-review: its
    ``user_version`` differs from ``FORMAT``), or grown past ``MAX_BYTES``, is emptied without a
    word: an upgrade costs one cold run, never a warning on every run."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if version == FORMAT and size <= MAX_BYTES:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            db.execute(f'DROP TABLE IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
        db.execute(f"PRAGMA user_version = {FORMAT}")
        db.execute("COMMIT")
    except sqlite3.Error:
        db.execute("ROLLBACK")
        raise
    with contextlib.suppress(sqlite3.Error):
        db.execute("VACUUM")  # give the space back


class CallCache:
    """The cache database, opened for one run. Every method swallows database errors: the first
    one is reported through ``warn`` and the cache is then off for the rest of the run."""

    def __init__(self, folder: Path, scope_key: bytes, warn: Callable[[str], None] | None = None):
        self.scope = scope_key
        self.warn = warn
        self.db: sqlite3.Connection | None = None
        self._pending_files: list[tuple[Any, ...]] = []
        self._pending_rows: list[tuple[Any, ...]] = []
        self._pending_call: tuple[Any, ...] | None = None
        self._restamped: list[tuple[Any, ...]] = []
        self.cwd = os.getcwd()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(os.fspath(folder / DB_NAME), timeout=0.5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            _reset_if_stale(db, folder / DB_NAME)
            db.execute(
                f"CREATE TABLE IF NOT EXISTS files_{FORMAT} (scope BLOB, path TEXT, size INTEGER,"
                " mtime INTEGER, ctime INTEGER, sha BLOB, kind TEXT, about TEXT, result BLOB,"
                " PRIMARY KEY (scope, path))"
            )
            db.execute(
                f"CREATE TABLE IF NOT EXISTS rows_{FORMAT} (scope BLOB, key BLOB, result BLOB,"
                " PRIMARY KEY (scope, key))"
            )
            db.execute(
                f"CREATE TABLE IF NOT EXISTS calls_{FORMAT} (scope BLOB, call TEXT, listing BLOB,"
                " result BLOB, PRIMARY KEY (scope, call))"
            )
            self.db = db
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if self.warn is not None:
            from .errors import Text

            self.warn(Text("cache.unused", reason=str(exc), folder=str(cache_dir())))
            self.warn = None
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def _path_key(self, path: str) -> str:
        # the shown path is part of what is cached (problems name it), so it is in the key too;
        # a relative path is keyed with the working folder (cheaper than os.path.abspath)
        return path if os.path.isabs(path) else self.cwd + "\0" + path

    def load_files(
        self, paths: Iterable[str], stamps: dict[str, Stamp | None]
    ) -> tuple[dict[str, Hit], list[str]]:
        """(hits, misses) for the files of one call. A hit's result is not read here (see
        ``LazyResults`` and ``file_result``): an unchanged proposal needs only its row."""
        hits: dict[str, Hit] = {}
        misses: list[str] = []
        wanted = list(paths)
        stored: dict[str, tuple[int, int, int, bytes, str, str | None]] = {}
        if self.db is not None:
            try:
                cur = self.db.execute(
                    f"SELECT path, size, mtime, ctime, sha, kind, about FROM files_{FORMAT} WHERE scope = ?",
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
            size, mtime, ctime, sha, kind, about = entry
            if (size, mtime, ctime) != st or mtime < 0:
                now = file_digest(p)
                if now != sha:
                    misses.append(p)
                    continue
                self._restamped.append((*self._trusted(st), self.scope, self._path_key(p)))
            hits[p] = Hit(kind, about, sha)
        return hits, misses

    def file_result(self, path: str) -> bytes | None:
        """The pickled ``FileResult`` of a file found by ``load_files`` (None: not there)."""
        if self.db is None:
            return None
        try:
            found = self.db.execute(
                f"SELECT result FROM files_{FORMAT} WHERE scope = ? AND path = ?",
                (self.scope, self._path_key(path)),
            ).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return found[0] if found else None

    def load_call(self, call: str, listing: bytes | None) -> Any:
        """What reading the call gave last time, when its listing is the same (else None)."""
        if self.db is None or listing is None:
            return None
        try:
            found = self.db.execute(
                f"SELECT listing, result FROM calls_{FORMAT} WHERE scope = ? AND call = ?",
                (self.scope, call),
            ).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        if found is None or found[0] != listing:
            return None
        try:
            with no_gc():  # a million objects, no cycles: collections would only cost
                return pickle.loads(found[1])
        except Exception:
            return None

    def add_call(self, call: str, listing: bytes | None, result: Any) -> None:
        """Keep ``result`` as the call's snapshot (one per call folder and scope)."""
        if self.db is None or listing is None:
            return
        self._pending_call = (self.scope, call, listing, dumps(result))

    @staticmethod
    def _trusted(st: Stamp) -> Stamp:
        """The stamp to store: a file changed within RACY_NS of now is always re-hashed."""
        size, mtime, ctime = st
        return (size, mtime, ctime) if time.time_ns() - mtime > RACY_NS else (size, -1, ctime)

    def add_file(self, path: str, st: Stamp | None, sha: bytes | None, result: Any) -> None:
        if self.db is None or st is None or sha is None:
            return
        blob = dumps(result)
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
        self._pending_rows.append((self.scope, key, dumps(result)))

    def commit(self, live_paths: Iterable[str] | None = None) -> None:
        """Write what this run learnt; drop this scope's entries of files no longer there."""
        if self.db is None:
            return
        if not (self._pending_files or self._pending_rows or self._restamped or self._pending_call):
            return  # nothing learnt (an unchanged call): no write, no lock
        try:
            self.db.execute("BEGIN IMMEDIATE")
            insert = f"INSERT OR REPLACE INTO files_{FORMAT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            self.db.executemany(insert, self._pending_files)
            self.db.executemany(f"INSERT OR REPLACE INTO rows_{FORMAT} VALUES (?, ?, ?)", self._pending_rows)
            restamp = f"UPDATE files_{FORMAT} SET size = ?, mtime = ?, ctime = ? WHERE scope = ? AND path = ?"
            self.db.executemany(restamp, self._restamped)
            if self._pending_call is not None:
                insert = f"INSERT OR REPLACE INTO calls_{FORMAT} VALUES (?, ?, ?, ?)"
                self.db.execute(insert, self._pending_call)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self._fail(exc)
        self._pending_files.clear()
        self._pending_rows.clear()
        self._restamped.clear()
        self._pending_call = None

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


def row_key(
    proposal: tuple[str, bytes],
    reviews: Iterable[tuple[str, bytes]],
    need_budget: bool,
    cwd: str | None = None,
) -> bytes:
    """The key of one proposal's row: the working folder, its files' paths and hashes, and the
    options that matter."""
    h = hashlib.sha256(b"budget\0" if need_budget else b"count\0")
    h.update((cwd if cwd is not None else os.getcwd()).encode("utf-8", "surrogatepass") + b"\0")
    for path, sha in (proposal, *sorted(reviews)):
        h.update(path.encode("utf-8", "surrogatepass") + b"\0" + sha)
    return h.digest()
