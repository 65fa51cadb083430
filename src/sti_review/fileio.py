"""Atomic file writes: write beside, flush to disk, then rename over the target.

Every file sti-review writes (reports, reviews) goes through :func:`atomic_write`, so a crash,
a kill or a full disk leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError, Problem

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a directory",
    errno.ENAMETOOLONG: "the name is too long",
}


def _error(shown: str, message: str) -> InputError:
    return InputError([Problem(shown, None, None, None, message)])


def _cannot_write(shown: str, exc: OSError) -> InputError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return _error(shown, f"cannot be written: {reason}; nothing was changed")


def _existing(path: Path, shown: str) -> os.stat_result | None:
    """What is at ``path`` now (symbolic links followed), or None when nothing is."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise _cannot_write(shown, exc) from None
        return None  # e.g. a path under a folder we may not list: the write itself will tell


def _is_stream(st: os.stat_result) -> bool:
    """A terminal, /dev/null, /dev/stdout or a pipe: written to as it is, never replaced."""
    return stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)


def refuse_existing(path: str | Path, force: bool) -> None:
    """Fail, before any work is done, when writing ``path`` would replace something it must not:
    a directory or a device, or without ``force`` an existing file."""
    shown = str(path)
    st = _existing(Path(path), shown)
    if st is None or _is_stream(st):
        return
    if stat.S_ISDIR(st.st_mode):
        raise _error(shown, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise _error(shown, "is not a regular file; nothing was written")
    if not force:
        raise _error(shown, "already exists; use --force to overwrite it")


def atomic_write(path: str | Path, text: str | bytes, *, force: bool = True) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.

    With ``force=False`` an existing file is never replaced. A symbolic link is followed (the
    file it points to is replaced, the link stays). A terminal, /dev/null or a pipe is simply
    written to; anything else that is not a regular file is refused.
    """
    shown = str(path)
    refuse_existing(path, force)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    target = Path(path)
    st = _existing(target, shown)
    if st is not None and _is_stream(st):
        try:
            with open(target, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _cannot_write(shown, exc) from None
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:  # keep the file's permissions (and owner, when we may)
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, st.st_mode & 0o7777)
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):
                    os.chown(tmp_name, st.st_uid, st.st_gid)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
