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
are unchanged and it was not modified just before being cached (a file written twice within
the clock's resolution keeps its time: such entries are always confirmed by hash; "just before"
is 100 ms where the file system keeps sub-second times, two seconds where it keeps whole
seconds, see ``racy``);
otherwise it is read and hashed, and an entry is used only when the hash is the same.

The cache must never fail a command: a database that is corrupt, locked, read-only or missing
gives one warning and the command runs without it.

Upgrades and size. The database carries its layout's version in ``PRAGMA user_version``
(``FORMAT``); a database written by another build (an older layout, or none recorded) is
emptied and rebuilt silently when opened, never reported. Its size is bounded: the entries
of at most ``KEEP_SCOPES`` scopes (a scope: one tool version and rubric) are kept, the
least recently written going first; and when a call is written, its entries of files no
longer in the folder and rows of proposals whose files changed are dropped. Space freed that
way is handed back to the file system (incremental vacuum) once it is a quarter of the file.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .collector import no_gc

FORMAT = 8  # bump when what is pickled or the tables change shape (kept in PRAGMA user_version)
DB_NAME = "calls.sqlite3"
KEEP_SCOPES = 3  # scopes (tool version x rubric) whose entries are kept
# An entry for a file changed this close to when it was cached is confirmed by hash: two
# seconds on a file system that keeps whole seconds (FAT keeps even seconds; HFS+ and some
# network file systems whole ones), 100 ms on one that keeps finer times (the kernel stamps a
# file from a clock that moves one tick, 1-10 ms, at a time).
RACY_NS = 2_000_000_000
FINE_RACY_NS = 100_000_000


def racy(mtime_ns: int, now_ns: int) -> bool:
    """Whether a file modified at ``mtime_ns`` could still be modified again, as seen at
    ``now_ns``, without its modification time changing. A time on a whole second is taken to
    come from a coarse file system (on a fine one that happens once in a billion files, and
    then only costs a hash)."""
    window = RACY_NS if mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS
    return now_ns - mtime_ns <= window


FEW_ROWS = 500  # up to this many cached rows are looked up one by one, more by one scan
FLUSH_EVERY = 4000  # files learnt (a quarter as many rows) written at a time, see _flush

Stamp = tuple[int, int, int]  # (size, mtime_ns, ctime_ns): a chmod or a rename changes ctime


class Hit(NamedTuple):
    """A file found unchanged in the cache: what it is, which proposal it concerns and its
    hash (its ``FileResult`` is fetched only when needed, see ``LazyResults``)."""

    kind: str
    about: str | None
    sha: bytes


class PackedResult(NamedTuple):
    """A file's ``FileResult`` pickled for the cache where it was read (a worker process), with
    what the cache indexes it by: the main process then never unpickles it only to pickle it
    again (issue 17: 400,000 files' results made and freed between the rows it keeps)."""

    kind: str
    about: str | None
    blob: bytes


class CacheTrouble(NamedTuple):
    """Why the cache is not used in this run, for the warning: ``reason`` is one of corrupt,
    locked, read_only, unwritable, other (the CLI words each from its catalogue); ``detail``
    is the system's own message (shown only for ``other``); ``folder`` the cache folder."""

    reason: str
    detail: str
    folder: str


def trouble(exc: BaseException, folder: Path) -> CacheTrouble:
    """Classify what made the cache unusable."""
    text = str(exc)
    low = text.lower()
    if isinstance(exc, OSError):
        reason = "unwritable"
    elif "not a database" in low or "malformed" in low or "corrupt" in low:
        reason = "corrupt"
    elif "locked" in low or "busy" in low:
        reason = "locked"
    elif "readonly" in low or "read-only" in low or "unable to open" in low:
        reason = "read_only"
    else:
        reason = "other"
    return CacheTrouble(reason, text, os.fspath(folder))


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
    The digest is None when a file cannot be stat'ed or was modified just before now (``racy``)
    (such a call is never served from, nor stored as, a snapshot). The change time is compared,
    not checked for being recent: it moves on a chmod, a rename, or an edit whose old
    modification time was put back."""
    stamps: dict[str, Stamp | None] = {}
    h: Any = hashlib.sha256(f"{os.getcwd()}\0{chr(0).join(extra)}\0".encode("utf-8", "surrogatepass"))
    now = time.time_ns()
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
            if racy(st.st_mtime_ns, now):
                h = None
                continue
            parts.append(f"{p}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}\0")
            if len(parts) == 4096:  # hashed as it goes: 400,000 files' lines are ~50 MB of text
                h.update("".join(parts).encode("utf-8", "surrogatepass"))
                parts.clear()
    if h is None:
        return stamps, None
    h.update("".join(parts).encode("utf-8", "surrogatepass"))
    return stamps, h.digest()


class CallCache:
    """The cache database, opened for one run. Every method swallows database errors: the first
    one is reported through ``warn`` and the cache is then off for the rest of the run."""

    def __init__(self, folder: Path, scope_key: bytes, warn: Callable[[CacheTrouble], None] | None = None):
        self.scope = scope_key
        self.folder = folder
        self.warn = warn
        self.db: sqlite3.Connection | None = None
        self._pending_files: list[tuple[Any, ...]] = []
        self._pending_rows: list[tuple[Any, ...]] = []
        self._pending_call: tuple[Any, ...] | None = None
        self.flushed = False  # files or rows were written before ``commit`` (see ``_flush``)
        self._restamped: list[tuple[Any, ...]] = []
        self._live: list[bytes] | None = None  # the rows the call has now (see keep_only)
        self._stale_files: list[str] = []  # cached files of the call it no longer lists
        self.call = ""  # the call folder the files and rows added belong to ("" when unknown)
        self.listing: bytes | None = None  # the digest of the call's listing, when it has one
        self.listed = False  # the call was served from, or stored as, a snapshot
        # the call's previous snapshot, when its listing differs: its segments as stored, then
        # (``base_rows``) the keys each held, and the generation of the snapshot read
        self._base: list[tuple[int, bytes]] | None = None
        self._base_keys: dict[int, tuple[bytes, ...]] = {}
        self._generation: int | None = None
        self.cwd = os.getcwd()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(os.fspath(folder / DB_NAME), timeout=0.5, isolation_level=None)
            self.db = db
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                self._rebuild(db)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)

    @staticmethod
    def _rebuild(db: sqlite3.Connection) -> None:
        """Empty a database of another layout (or a new one) and create this layout's tables."""
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
                db.execute("ROLLBACK")  # another process rebuilt it meanwhile
                return
            tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            for (name,) in tables:
                if not name.startswith("sqlite_"):
                    db.execute(f'DROP TABLE IF EXISTS "{name}"')
            db.execute(
                f"CREATE TABLE files_{FORMAT} (scope BLOB, path TEXT, call TEXT, size INTEGER,"
                " mtime INTEGER, ctime INTEGER, sha BLOB, kind TEXT, about TEXT, result BLOB,"
                " PRIMARY KEY (scope, path))"
            )
            db.execute(
                f"CREATE TABLE rows_{FORMAT} (scope BLOB, key BLOB, call TEXT, result BLOB,"
                " PRIMARY KEY (scope, key))"
            )
            db.execute(
                f"CREATE TABLE calls_{FORMAT} (scope BLOB, call TEXT, listing BLOB,"
                " result BLOB, generation INTEGER, PRIMARY KEY (scope, call))"
            )
            db.execute(
                f"CREATE TABLE segments_{FORMAT} (scope BLOB, call TEXT, segment INTEGER,"
                " result BLOB, PRIMARY KEY (scope, call, segment))"
            )
            db.execute(f"CREATE TABLE scopes_{FORMAT} (scope BLOB PRIMARY KEY, written INTEGER)")
            db.execute(
                f"CREATE TABLE reports_{FORMAT} (call TEXT, ranking BLOB, key BLOB, written INTEGER,"
                " data BLOB, PRIMARY KEY (call, key))"
            )
            db.execute(f"PRAGMA user_version = {FORMAT}")
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        # what the old tables held goes back to the file system; from now on freed pages can be
        # given back a few at a time (auto_vacuum takes effect with this VACUUM)
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("VACUUM")
        db.execute("PRAGMA journal_mode=WAL")

    def _fail(self, exc: BaseException) -> None:
        if self.warn is not None:
            self.warn(trouble(exc, self.folder))
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
        wanted = list(paths)
        # entries whose stamp differs (or was stored as racy): confirmed by hash below
        doubtful: list[tuple[str, str, Stamp, bytes, str, str | None]] = []
        stale: list[str] = []  # entries of this call for files it no longer lists
        if self.db is not None:
            try:
                cur = self.db.execute(
                    f"SELECT path, call, size, mtime, ctime, sha, kind, about FROM files_{FORMAT}"
                    " WHERE scope = ?",
                    (self.scope,),
                )
                isabs, relative = os.path.isabs, self.cwd + "\0"
                keys = {(p if isabs(p) else relative + p): p for p in wanted}
                call = self.call
                for key, of, size, mtime, ctime, sha, kind, about in cur:
                    p = keys.get(key)
                    if p is None:
                        if call and of == call:
                            stale.append(key)
                        continue
                    st = stamps.get(p)
                    if st is None:
                        continue
                    if mtime >= 0 and st == (size, mtime, ctime):
                        hits[p] = Hit(kind, about, sha)
                    else:
                        doubtful.append((p, key, st, sha, kind, about))
            except sqlite3.Error as exc:
                self._fail(exc)
                hits, doubtful, stale = {}, [], []
        for p, key, st, sha, kind, about in doubtful:
            if file_digest(p) == sha:
                self._restamped.append((*self._trusted(st), self.scope, key))
                hits[p] = Hit(kind, about, sha)
        self._stale_files = stale
        return hits, [p for p in wanted if p not in hits]

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

    def load_call(self, call: str, listing: bytes | None, on_hit: Callable[[], None] | None = None) -> Any:
        """What reading the call gave last time, when its listing is the same (else None).

        A snapshot is a *head* (the loose problems, the count of reviews and the rows that are
        not the row of their own files alone) and up to ``SEGMENTS`` segments holding the other
        rows by their row key, each proposal in the segment its path hashes to: after a few
        files changed, only the segments of their proposals are pickled and written again.

        When the listing differs (files changed, added or deleted), the previous snapshot is
        kept as the *base* of this run: its rows whose files are unchanged are taken from it
        (``base_rows``) instead of one cached row at a time. ``on_hit`` is called before a
        snapshot is loaded (the caller lets go of what it then no longer needs)."""
        if self.db is None:
            return None
        db = self.db
        query = f"SELECT segment, result FROM segments_{FORMAT} WHERE scope = ? AND call = ?"
        try:
            db.execute("BEGIN")  # the head and its segments as one writer left them
            try:
                found = db.execute(
                    f"SELECT listing, result, generation FROM calls_{FORMAT} WHERE scope = ? AND call = ?",
                    (self.scope, call),
                ).fetchone()
                if found is None:
                    return None
                self._generation = found[2]
                if listing is None or found[0] != listing:
                    self._base = db.execute(query, (self.scope, call)).fetchall()
                    return None
                if on_hit is not None:
                    on_hit()
                # the segments one at a time, each let go once read (100,000 rows: ~65 MB)
                result = _load_snapshot(found[1], db.execute(query, (self.scope, call)))
            finally:
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        if result is not None:
            self.listed = True
        return result

    def base_rows(self) -> dict[bytes, Any]:
        """The rows of the call's previous snapshot (see ``load_call``) by their row key: those
        that are exactly what their files gave (no routing repaired, no duplicate merged)."""
        segments, self._base = self._base, None
        out: dict[bytes, Any] = {}
        with no_gc(keep=True):
            for segment, blob in segments or ():
                try:
                    pairs = pickle.loads(blob)
                except Exception:
                    continue  # a damaged segment: its rows are computed and it is written again
                self._base_keys[segment] = tuple(k for k, _ in pairs)
                out.update(pairs)
        return out

    def add_call(self, call: str, listing: bytes | None, result: Any, keys: list[bytes | None]) -> None:
        """Keep ``result`` as the call's snapshot (one per call folder and scope), with each
        row's key (None: not a row of its files alone). A call whose listing could not be
        digested (a file changed just now) is kept too, never served whole (its listing is
        NULL), but its rows are the base of the next run. A segment holding the same rows as
        the base's is not pickled again."""
        if self.db is None:
            return
        rows, loose, reviews = result
        others: list[Any] = []
        segments: dict[int, list[tuple[bytes, Any]]] = {}
        for row, key in zip(rows, keys, strict=True):
            if key is None:
                others.append(row)
            else:
                segments.setdefault(segment_of(row.path), []).append((key, row))
        # which segments hold the same rows as the base's; the others are pickled when written,
        # one at a time (100,000 rows: ~65 MB of pickles never held at once)
        same: set[int] = set()
        for segment, pairs in segments.items():
            pairs.sort(key=_first)
            if self._base_keys.get(segment) == tuple(k for k, _ in pairs):
                same.add(segment)
        head = dumps((loose, reviews, others))
        self._pending_call = (call, listing, head, same, segments)

    def _write_call(self) -> None:
        """Inside the write: the pending snapshot's head and its changed segments. When another
        process wrote the call's snapshot since this run read it, every segment is written."""
        assert self.db is not None and self._pending_call is not None
        db = self.db
        call, listing, head, same, segments = self._pending_call
        found = db.execute(
            f"SELECT generation FROM calls_{FORMAT} WHERE scope = ? AND call = ?", (self.scope, call)
        ).fetchone()
        now = found[0] if found is not None else None
        if now is None or now != self._generation:
            same = set()
        db.execute(
            f"INSERT OR REPLACE INTO calls_{FORMAT} VALUES (?, ?, ?, ?, ?)",
            (self.scope, call, listing, head, (now or 0) + 1),
        )
        insert = f"INSERT OR REPLACE INTO segments_{FORMAT} VALUES (?, ?, ?, ?)"
        for segment, pairs in segments.items():
            if segment not in same:
                db.execute(insert, (self.scope, call, segment, dumps(pairs)))
        kept = ",".join(str(int(s)) for s in segments) or "-1"
        db.execute(
            f"DELETE FROM segments_{FORMAT} WHERE scope = ? AND call = ? AND segment NOT IN ({kept})",
            (self.scope, call),
        )

    @staticmethod
    def _trusted(st: Stamp) -> Stamp:
        """The stamp to store: a file changed just before now (``racy``) is always re-hashed."""
        size, mtime, ctime = st
        return (size, -1, ctime) if racy(mtime, time.time_ns()) else (size, mtime, ctime)

    def add_file(self, path: str, st: Stamp | None, sha: bytes | None, result: Any) -> None:
        """Keep what reading a file gave: a ``FileResult``, or a ``PackedResult`` pickled
        already (by the worker process that read it)."""
        if self.db is None or st is None or sha is None:
            return
        blob = result.blob if type(result) is PackedResult else dumps(result)
        key = self._path_key(path)
        self._pending_files.append(
            (self.scope, key, self.call, *self._trusted(st), sha, result.kind, result.about, blob)
        )
        if len(self._pending_files) >= FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        """Write the files and rows learnt so far in a short transaction of their own, so that a
        large call's first run does not hold them all until ``commit`` (issue 17: 400,000
        pickled files). Each entry stands alone (a file's result, a row by its files' hashes),
        so one written before the run ends is as true as one written at its end."""
        if self.db is None:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self._insert_pending()
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self._fail(exc)
            self._pending_files.clear()
            self._pending_rows.clear()

    def _insert_pending(self) -> None:
        assert self.db is not None
        insert = f"INSERT OR REPLACE INTO files_{FORMAT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        self.db.executemany(insert, self._pending_files)
        insert = f"INSERT OR REPLACE INTO rows_{FORMAT} VALUES (?, ?, ?, ?)"
        self.db.executemany(insert, self._pending_rows)
        self._pending_files.clear()
        self._pending_rows.clear()
        self.flushed = True

    def load_rows(self, keys: Iterable[bytes]) -> dict[bytes, Any]:
        if self.db is None:
            return {}
        wanted = set(keys)
        out: dict[bytes, Any] = {}
        if not wanted:
            return out
        try:
            if len(wanted) <= FEW_ROWS:  # one lookup each, not a scan of the scope's rows
                query = f"SELECT key, result FROM rows_{FORMAT} WHERE scope = ? AND key = ?"
                found = [x for k in wanted for x in self.db.execute(query, (self.scope, k))]
            else:
                query = f"SELECT key, result FROM rows_{FORMAT} WHERE scope = ?"
                found = self.db.execute(query, (self.scope,))  # type: ignore[assignment]
            for key, blob in found:
                if key in wanted:
                    try:
                        out[key] = pickle.loads(blob)
                    except Exception:
                        continue
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return out

    def add_row(self, key: bytes, result: Any, blob: bytes | None = None) -> None:
        """A proposal's row by its files' key; ``blob``: the row pickled already (by a worker)."""
        if self.db is None:
            return
        self._pending_rows.append((self.scope, key, self.call, dumps(result) if blob is None else blob))
        if len(self._pending_rows) >= FLUSH_EVERY // 4:
            self._flush()

    def keep_only(self, keys: Iterable[bytes]) -> None:
        """The rows the call (``self.call``) has now: when this run writes, entries of this
        call and scope for other rows (their files changed) go, and so do those for files
        ``load_files`` found the call no longer lists."""
        if self.call:
            self._live = list(keys)

    def commit(self) -> None:
        """Write what this run learnt; drop what the call no longer has (``keep_only``) and
        the oldest scopes (see the module's note on size)."""
        if self.db is None:
            return
        learnt = self._pending_files or self._pending_rows or self._restamped or self._pending_call
        if not (learnt or self.flushed):
            return  # nothing learnt (an unchanged call): no write, no lock
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self._insert_pending()
            restamp = f"UPDATE files_{FORMAT} SET size = ?, mtime = ?, ctime = ? WHERE scope = ? AND path = ?"
            self.db.executemany(restamp, self._restamped)
            if self._pending_call is not None:
                self._write_call()
                self.listed = True
            freed = self._evict()
            self.db.execute("COMMIT")
            if freed:
                self._give_back()
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self._fail(exc)
        self._live = None
        self._stale_files = []
        self._pending_files.clear()
        self._pending_rows.clear()
        self._restamped.clear()
        self._pending_call = None

    def _evict(self) -> int:
        """Inside the write: drop what this call no longer has and the scopes beyond
        KEEP_SCOPES (least recently written first). Returns the number of entries dropped."""
        assert self.db is not None
        db = self.db
        dropped = 0
        if self._live is not None:
            live = set(self._live)
            gone = [
                (self.scope, k)
                for (k,) in db.execute(
                    f"SELECT key FROM rows_{FORMAT} WHERE scope = ? AND call = ?", (self.scope, self.call)
                )
                if k not in live
            ]
            stale = [(self.scope, self.call, p) for p in self._stale_files]
            # one by one by primary key: a few entries change per run, the call has thousands
            if gone:
                cur = db.executemany(f"DELETE FROM rows_{FORMAT} WHERE scope = ? AND key = ?", gone)
                dropped += max(0, cur.rowcount)
            if stale:
                where = "scope = ? AND call = ? AND path = ?"
                dropped += max(0, db.executemany(f"DELETE FROM files_{FORMAT} WHERE {where}", stale).rowcount)
        db.execute(f"INSERT OR REPLACE INTO scopes_{FORMAT} VALUES (?, ?)", (self.scope, time.time_ns()))
        old = [
            s
            for (s,) in db.execute(
                f"SELECT scope FROM scopes_{FORMAT} ORDER BY written DESC LIMIT -1 OFFSET ?", (KEEP_SCOPES,)
            )
        ]
        for s in old:
            for table in ("files", "rows", "calls", "segments", "scopes"):
                dropped += db.execute(f"DELETE FROM {table}_{FORMAT} WHERE scope = ?", (s,)).rowcount
        return dropped

    def _give_back(self) -> None:
        """Return free pages to the file system once they are a quarter of the file."""
        assert self.db is not None
        free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
        total = self.db.execute("PRAGMA page_count").fetchone()[0]
        if free * 4 > total:
            self.db.execute("PRAGMA incremental_vacuum")

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


SEGMENTS = 64  # a call snapshot's rows are kept in this many segments (see load_call)


def _load_snapshot(head: bytes, segments: Iterable[tuple[int, bytes]]) -> Any:
    """A call's snapshot from its head and segments (None when one cannot be read)."""
    try:
        with no_gc(keep=True):  # a million objects, no cycles: collections would only cost
            loose, reviews, rows = pickle.loads(head)
            for _, blob in segments:
                rows += [row for _, row in pickle.loads(blob)]
                del blob
    except sqlite3.Error:
        raise
    except Exception:
        return None
    return rows, loose, reviews


def segment_of(path: str) -> int:
    """The snapshot segment of a proposal's row: from its path, so it stays put when it changes."""
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SEGMENTS


def _first(pair: tuple[bytes, Any]) -> bytes:
    return pair[0]


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


# Reports drawn from a ranking the cache knew whole: the text formats and HTML (the office formats
# carry the day's date), at most KEEP_REPORTS per call folder.
REPORT_FORMATS = frozenset({"terminal", "csv", "json", "markdown", "html"})
KEEP_REPORTS = 8


def _build_stamp() -> str:
    """The package's files' count and latest modification time: in an editable install, a
    changed module or catalogue is a new build even under the same version number."""
    root = os.path.dirname(os.path.abspath(__file__))
    latest, count = 0, 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith((".py", ".po", ".j2", ".html", ".css", ".yaml", ".json")):
                    latest = max(latest, entry.stat().st_mtime_ns)
                    count += 1
    return f"{count}:{latest}"


def ranking_fingerprint(store: CallCache, options: str) -> bytes | None:
    """What a ranking was made from: the cache's scope (version, rubric), the call's listing
    (every file's path, size and times), the build and the options of the run."""
    if store.listing is None or not store.listed:
        return None
    h = hashlib.sha256(store.scope + store.listing)
    h.update(f"{_build_stamp()}\0{store.call}\0{options}".encode("utf-8", "surrogatepass"))
    return h.digest()


class Reports:
    """The reports of rankings made from an unchanged call: drawn once, then read back."""

    def __init__(self, ranking: Any, fmt: str, render: Callable[..., bytes]):
        self.ranking = ranking
        self.fmt = fmt
        self.render = render

    @staticmethod
    def wrap(view: Any, fmt: str, render: Callable[..., bytes]) -> Callable[..., bytes]:
        """``render`` itself, or one that keeps its reports when ``view`` is a ranking the
        cache knew whole (and no statistics were added to it)."""
        ranking = getattr(view, "ranking", None)
        if (
            fmt not in REPORT_FORMATS
            or getattr(ranking, "fingerprint", None) is None
            or getattr(ranking, "stats", None) is not None
        ):
            return render
        return Reports(ranking, fmt, render)

    @staticmethod
    def wrap_chunks(
        view: Any, fmt: str, chunks: Callable[..., Iterable[bytes]]
    ) -> Callable[..., Iterable[bytes]]:
        """``wrap`` for a renderer that hands its report on in pieces (``render_chunks``): a
        kept report is read back, and a new one kept, a piece at a time (issue 17: the report
        of 100,000 proposals is never whole in memory)."""
        plain = Reports.wrap(view, fmt, chunks)  # type: ignore[arg-type]
        return plain if plain is chunks else plain.pieces  # type: ignore[union-attr]

    def _key(self, lang: str, width: int | None, color: bool) -> bytes:
        fp = self.ranking.fingerprint
        # with colours, what the terminal says it can show picks the colour codes
        shown = [os.environ.get(v) for v in ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR")] if color else []
        return digest(fp + f"\0{self.fmt}\0{lang}\0{width}\0{color}\0{shown}".encode())

    def pieces(
        self, view: Any, *, lang: str, width: int | None = None, color: bool = False
    ) -> Iterator[bytes]:
        """The report in pieces: read back when kept, else drawn (``self.render`` gives pieces),
        passed on and copied to a temporary file, then kept from it."""
        key = self._key(lang, width, color)
        call = os.path.abspath(self.ranking.call_dir)
        path = os.fspath(cache_dir() / DB_NAME)
        try:
            db = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        except sqlite3.Error:
            yield from self.render(view, lang=lang, width=width, color=color)
            return
        try:
            found = None
            with contextlib.suppress(sqlite3.Error):
                if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
                    found = db.execute(
                        f"SELECT rowid FROM reports_{FORMAT} WHERE call = ? AND key = ?", (call, key)
                    ).fetchone()
            blob = None
            if found is not None:
                with contextlib.suppress(sqlite3.Error):
                    blob = db.blobopen(f"reports_{FORMAT}", "data", found[0], readonly=True)
            if blob is not None:
                with blob:
                    while piece := blob.read(BLOB_PIECE):
                        yield piece
                return
            with tempfile.TemporaryFile(dir=cache_dir()) as copy:
                size = 0
                for piece in self.render(view, lang=lang, width=width, color=color):
                    copy.write(piece)
                    size += len(piece)
                    yield piece
                self._keep(db, call, key, copy, size)
        finally:
            db.close()

    def _keep(self, db: sqlite3.Connection, call: str, key: bytes, copy: Any, size: int) -> None:
        """Keep the report written to ``copy`` (``size`` bytes), as ``__call__`` keeps one."""
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                return
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute(
                f"INSERT OR REPLACE INTO reports_{FORMAT} VALUES (?, ?, ?, ?, zeroblob(?))",
                (call, self.ranking.fingerprint, key, time.time_ns(), size),
            )
            copy.seek(0)
            with db.blobopen(f"reports_{FORMAT}", "data", cur.lastrowid) as blob:
                while piece := copy.read(BLOB_PIECE):
                    blob.write(piece)
            self._trim(db, call)
            db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def _trim(self, db: sqlite3.Connection, call: str) -> None:
        # reports of what the call was before, and all but the latest few of what it is
        fp = self.ranking.fingerprint
        db.execute(f"DELETE FROM reports_{FORMAT} WHERE call = ? AND ranking != ?", (call, fp))
        db.execute(
            f"DELETE FROM reports_{FORMAT} WHERE call = ? AND key NOT IN (SELECT key FROM"
            f" reports_{FORMAT} WHERE call = ? ORDER BY written DESC LIMIT ?)",
            (call, call, KEEP_REPORTS),
        )

    def __call__(self, view: Any, *, lang: str, width: int | None = None, color: bool = False) -> bytes:
        fp = self.ranking.fingerprint
        key = self._key(lang, width, color)
        call = os.path.abspath(self.ranking.call_dir)
        db = None
        try:
            db = sqlite3.connect(os.fspath(cache_dir() / DB_NAME), timeout=0.5, isolation_level=None)
            if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
                found = db.execute(
                    f"SELECT data FROM reports_{FORMAT} WHERE call = ? AND key = ?", (call, key)
                ).fetchone()
                if found is not None:
                    return bytes(found[0])
            else:
                db.close()
                db = None
        except sqlite3.Error:
            if db is not None:
                db.close()
            db = None
        data = self.render(view, lang=lang, width=width, color=color)
        if db is None:
            return data
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                f"INSERT OR REPLACE INTO reports_{FORMAT} VALUES (?, ?, ?, ?, ?)",
                (call, fp, key, time.time_ns(), data),
            )
            self._trim(db, call)
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        finally:
            db.close()
        return data


BLOB_PIECE = 1 << 20  # a kept report is read and written this many bytes at a time
