"""Safe file reads and atomic file writes.

Every file sti-review reads goes through :func:`read_regular`: only a regular file is read,
and a named pipe, a device or a socket is refused without blocking (stat before open, open
with O_NONBLOCK, then fstat the descriptor actually opened).

Every file sti-review writes (reports, reviews) goes through :func:`atomic_write`: write
beside, flush to disk, then rename over the target, so a crash, a kill or a full disk leaves
either the old file or the new one, never half of one. A new file gets the permissions the
user's umask gives (``0666 & ~umask``, as ``open()`` would); a replaced file keeps its own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError, Problem, Text

# Why an OS call on a path failed, in the user's words: catalogue key err.reason.<NAME>.
_REASONS = {
    errno.ENOSPC: "ENOSPC",
    errno.EDQUOT: "EDQUOT",
    errno.EACCES: "EACCES",
    errno.EPERM: "EACCES",
    errno.EROFS: "EROFS",
    errno.ENOENT: "ENOENT",
    errno.ENOTDIR: "ENOTDIR",
    errno.EISDIR: "EISDIR",
    errno.ENAMETOOLONG: "ENAMETOOLONG",
    errno.ELOOP: "ELOOP",
}


def _reason(exc: OSError) -> str:
    name = _REASONS.get(exc.errno or 0)
    return Text(f"err.reason.{name}") if name else Text("err.reason.other", why=exc.strerror or str(exc))


def _not_regular(shown: str, mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return _error(shown, Text("err.read_directory"))
    if stat.S_ISFIFO(mode):
        return _error(shown, Text("err.read_fifo"))
    if stat.S_ISSOCK(mode):
        return _error(shown, Text("err.read_socket"))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _error(shown, Text("err.read_device"))
    return _error(shown, Text("err.read_not_regular"))


def read_reason(exc: OSError) -> str:
    """Why a file could not be read, in words (a Text)."""
    if isinstance(exc, FileNotFoundError):
        return Text("err.no_such_file")
    if isinstance(exc, PermissionError):
        return Text("err.permission_denied")
    return _reason(exc)


def read_regular(path: str | os.PathLike[str], limit: int, shown: str | None = None) -> bytes:
    """At most ``limit + 1`` bytes of a regular file (one more than the limit tells that it is
    over). Anything else (a folder, a named pipe, a device, a socket) and every OS error
    becomes an InputError naming the file, and nothing ever blocks."""
    shown = shown if shown is not None else os.fspath(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(shown, st.st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)  # what was opened, not what was looked at (it may have been swapped)
            if not stat.S_ISREG(st.st_mode):
                raise _not_regular(shown, st.st_mode)
            chunks = []
            left = limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        message = read_reason(exc)
        if getattr(message, "key", "") in ("err.no_such_file", "err.permission_denied", "err.reason.other"):
            raise _error(shown, message) from None
        raise _error(shown, Text("err.cannot_read", reason=message)) from None


def file_exists(path: str | os.PathLike[str]) -> bool:
    """Whether a file is at ``path``: False only when nothing is there (a file to create, such
    as a review not yet begun). A path that cannot be looked at (a symbolic-link loop, a part
    of it that is a file, a name too long) is an InputError naming it, never "not there"."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _error(os.fspath(path), Text("err.cannot_read", reason=read_reason(exc))) from None
    return True


def _error(shown: str, message: str) -> InputError:
    return InputError([Problem(shown, None, None, None, message)])


def _cannot_write(shown: str, exc: OSError) -> InputError:
    return _error(shown, Text("err.cannot_write", reason=_reason(exc)))


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
    if st is None and os.path.islink(path) and not force:
        target = os.readlink(path)
        raise _error(shown, Text("err.dangling_link", target=target))
    if st is None or _is_stream(st):
        return
    if stat.S_ISDIR(st.st_mode):
        raise _error(shown, Text("err.write_directory"))
    if not stat.S_ISREG(st.st_mode):
        raise _error(shown, Text("err.not_regular_written"))
    if not force:
        raise _error(shown, Text("err.exists"))


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_own_input(output: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Fail when ``output`` names one of the command's inputs, directly or through a symbolic
    link, whatever the flags: a report must never replace what it was made from. For an input
    folder (a call, a rubric), a YAML file inside it counts as an input."""
    shown = str(output)
    out = os.path.realpath(output)
    for given in inputs:
        if given is None:
            continue
        path = os.fspath(given)
        if os.path.isdir(path):
            inside = out.startswith(os.path.realpath(path).rstrip(os.sep) + os.sep)
            if inside and out.lower().endswith((".yaml", ".yml")):
                raise _error(shown, Text("err.inside_input", path=str(path)))
        elif _same(output, path) or out == os.path.realpath(path):
            raise _error(shown, Text("err.is_input", path=str(path)))


def atomic_write(path: str | Path, text: str | bytes | Iterable[bytes], *, force: bool = True) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.
    ``text`` may be an iterable of byte pieces (a large report made as it is written): an error
    while they are made leaves the old file too.

    With ``force=False`` an existing file is never replaced. A symbolic link is followed (the
    file it points to is replaced, the link stays). A terminal, /dev/null or a pipe is simply
    written to; anything else that is not a regular file is refused.
    """
    shown = str(path)
    refuse_existing(path, force)
    data: bytes | Iterable[bytes] = text.encode("utf-8") if isinstance(text, str) else text
    pieces = [data] if isinstance(data, bytes) else data
    target = Path(path)
    st = _existing(target, shown)
    if st is not None and _is_stream(st):
        try:
            with open(target, "wb") as fh:
                for piece in pieces:
                    fh.write(piece)
        except OSError as exc:
            raise _cannot_write(shown, exc) from None
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        clean_stale_temporaries(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file 0600: a new file gets what the umask gives, a replaced file
        # keeps its permissions (and owner, when we may)
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, st.st_mode & 0o7777 if st is not None else 0o666 & ~current_umask())
        if st is not None and hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
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


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux's
    /proc/self/status); elsewhere set and restored at once."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


STALE_AFTER = 60.0  # seconds: a save takes milliseconds, so an older temporary file is left over


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (one we may not signal counts)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_temporaries(target: Path) -> list[str]:
    """Remove ``.NAME.PID.XXXX.tmp`` files beside ``target`` left by a killed save: those whose
    process is dead, or older than a minute. Returns the names removed; never fails."""
    import time

    folder = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}."
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        pid_text = name[len(prefix) :].split(".", 1)[0]
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode):
                continue
            dead = pid_text.isdigit() and int(pid_text) != os.getpid() and not pid_alive(int(pid_text))
            if dead or now - st.st_mtime > STALE_AFTER:
                path.unlink()
                removed.append(name)
        except OSError:
            continue
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def refuse_folder_inside(folder: str | Path, inputs: Iterable[str | Path | None], message: str) -> None:
    """Fail when the folder a command writes many files into is one of its input folders or
    lies inside one (``message``: the catalogue key of the reason, with ``{path}``)."""
    out = os.path.realpath(folder)
    for given in inputs:
        if given is None or not os.path.isdir(given):
            continue
        root = os.path.realpath(given).rstrip(os.sep)
        if out == root or out.startswith(root + os.sep):
            raise _error(str(folder), Text(message, path=str(given)))
