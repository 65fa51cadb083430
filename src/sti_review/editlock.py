"""Who is editing a file: an advisory lock file beside it, and the content hash of what was
last read or written.

``EditLock`` creates ``.NAME.lock`` beside the file (atomically, ``O_CREAT | O_EXCL``) holding
the user, host, process id and start time. A second editor is told who holds it and since when.
A lock whose process is dead on this same host is stale and taken over; a lock from another
host is never taken over (its process cannot be checked from here).

Locks are advisory: a text editor does not know them. So, independently, whoever saves checks
with ``content_hash`` that the file on disk is still the one it last read or wrote.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .fileio import pid_alive

MAX_LOCK_BYTES = 4096


def content_hash(path: str | os.PathLike[str]) -> str | None:
    """SHA-256 of the file's bytes, or None when there is no file."""
    try:
        with _open_regular(path) as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        return None
    except _NotRegular as exc:  # a pipe or a folder where the file was: differs from any hash
        return f"not a regular file ({exc.mode:o})"


class _NotRegular(OSError):
    def __init__(self, mode: int):
        super().__init__(f"not a regular file ({mode:o})")
        self.mode = mode


def _open_regular(path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
    """``open(path, "rb")`` that never blocks: a named pipe or device put where a review or its
    lock should be is refused (_NotRegular) instead of waiting for a writer forever."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _NotRegular(mode)
    return os.fdopen(fd, "rb")


def lock_path(target: str | os.PathLike[str]) -> Path:
    t = Path(target)
    return t.with_name(f".{t.name}.lock")


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    started: str  # ISO 8601, UTC

    @classmethod
    def mine(cls) -> LockInfo:
        try:
            user = getpass.getuser()
        except Exception:
            user = str(os.getuid()) if hasattr(os, "getuid") else "?"
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        return cls(user, socket.gethostname(), os.getpid(), started)

    @property
    def since(self) -> str:
        """The start time in local time, for people."""
        try:
            return datetime.fromisoformat(self.started).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.started


class Locked(Exception):
    """Someone else is editing the file."""

    def __init__(self, path: Path, holder: LockInfo | None):
        super().__init__(str(path))
        self.path = path
        self.holder = holder


def _read(path: Path) -> LockInfo | None:
    """The holder named in a lock file, or None when it cannot be read as one."""
    try:
        with _open_regular(path) as fh:
            data = json.loads(fh.read(MAX_LOCK_BYTES).decode("utf-8"))
        return LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class EditLock:
    """``with EditLock(path):`` or ``acquire()``/``release()``; raises Locked when held."""

    def __init__(self, target: str | os.PathLike[str]):
        self.target = Path(target)
        self.path = lock_path(target)
        self.info: LockInfo | None = None

    def stale(self, holder: LockInfo | None) -> bool:
        if holder is None:
            return False  # being written this instant, or not ours to judge: never taken over
        return holder.host == socket.gethostname() and not pid_alive(holder.pid)

    def acquire(self) -> LockInfo | None:
        """Take the lock (None: it cannot be created, e.g. the folder is missing or read-only;
        then nothing can be saved there either, and saving says so)."""
        info = LockInfo.mine()
        payload = json.dumps(asdict(info), ensure_ascii=False).encode("utf-8")
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = _read(self.path)
                if holder is not None and holder.pid == os.getpid() and holder.host == info.host:
                    self.info = holder  # this process already holds it
                    return holder
                if self.stale(holder):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
                    continue
                raise Locked(self.path, holder) from None
            except OSError:
                return None
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            self.info = info
            return info
        raise Locked(self.path, _read(self.path))

    def release(self) -> None:
        if self.info is None:
            return
        holder = _read(self.path)
        if holder == self.info:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        self.info = None

    def __enter__(self) -> EditLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
