"""Atomic file writes: write beside, flush to disk, then rename over the target."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from .errors import InputError, Problem


def atomic_write(path: str | Path, text: str, *, force: bool = True) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.

    With ``force=False`` an existing file is never replaced.
    """
    target = Path(path)
    shown = str(path)
    if target.is_dir():
        raise InputError([Problem(shown, None, None, None, "is a directory")])
    if not force and target.exists():
        raise InputError([Problem(shown, None, None, None, "already exists; use --force to overwrite it")])
    folder = target.parent if str(target.parent) else Path(".")
    data = text.encode("utf-8")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, target.stat().st_mode & 0o7777)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        reason = {
            errno.ENOSPC: "the disk is full",
            errno.EACCES: "permission denied",
            errno.EROFS: "the file system is read-only",
            errno.ENOENT: "the folder does not exist",
        }.get(exc.errno, exc.strerror or str(exc))
        raise InputError(
            [Problem(shown, None, None, None, f"cannot be written: {reason}; nothing was changed")]
        ) from None
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
