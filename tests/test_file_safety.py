"""Nothing saved is ever lost: every write is atomic, no report or review is replaced without
--force, a read-only folder or a full disk gives a clear error and leaves existing files as
they were, and a process killed (SIGKILL) while saving leaves the old or the new review.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sti_review import fileio
from sti_review.review import Answer, Review, dump_review, read_review, save_review
from sti_review.rubric import load_rubric

from .conftest import BASE_ENV, EXAMPLES, ROOT

PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"
CALL = EXAMPLES / "call-2026"
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"
CONSOLIDATE = [CALL / "proposals" / "CALL26-JR-01.yaml", CALL / "reviews" / "CALL26-JR-01"]
OLD = "old report — must survive\n"

# Every command that writes with -o, in every format it has.
WRITERS = [
    ("assess", [PROPOSAL], ["terminal", "markdown", "json", "html"]),
    ("check", [PROPOSAL], ["terminal", "markdown", "json", "html"]),
    ("consolidate", CONSOLIDATE, ["terminal", "markdown", "json", "html"]),
    ("rank", [CALL], ["terminal", "markdown", "csv", "json", "html"]),
    ("portfolio", ["--programmes", PROGRAMMES], ["terminal", "markdown", "json", "html"]),
]
CASES = [(cmd, args, fmt) for cmd, args, fmts in WRITERS for fmt in fmts]


def supported(invoke, command: str, fmt: str) -> bool:
    """Whether the command offers this format (html is being added alongside)."""
    return fmt in invoke(command, "--help", env={"COLUMNS": "300"}).stdout


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("command", "args", "fmt"), CASES, ids=[f"{c}-{f}" for c, _, f in CASES])
def test_output_is_never_replaced_without_force(invoke, tmp_path, command, args, fmt):
    if not supported(invoke, command, fmt):
        pytest.skip(f"{command} has no --format {fmt}")
    out = tmp_path / "report.out"
    out.write_text(OLD, encoding="utf-8")
    result = invoke(command, *args, "-f", fmt, "-o", out)
    assert result.exit_code == 2
    assert f"error: {out}: already exists; use --force to overwrite it" in result.stderr
    assert out.read_text(encoding="utf-8") == OLD
    assert files_in(tmp_path) == ["report.out"]
    result = invoke(command, *args, "-f", fmt, "-o", out, "--force")
    assert result.exit_code in (0, 1), result.stderr  # check exits 1 when a pre-check fails
    assert out.read_text(encoding="utf-8") != OLD
    assert files_in(tmp_path) == ["report.out"]  # no temporary file left behind


def test_the_refusal_comes_before_the_questionnaire(invoke, tmp_path):
    """An existing -o file is refused before any question is asked, not after the last one."""
    out = tmp_path / "report.md"
    out.write_text(OLD, encoding="utf-8")
    review = tmp_path / "new.review.yaml"
    result = invoke("assess", PROPOSAL, "--review", review, "--interactive", "-o", out, input="名前\n4\n")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert not review.exists() and out.read_text(encoding="utf-8") == OLD


# --- failures while writing -------------------------------------------------------------------


def _fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("where", "code", "reason"),
    [
        ("tempfile.mkstemp", errno.EACCES, "permission denied"),  # a read-only folder
        ("tempfile.mkstemp", errno.EROFS, "the file system is read-only"),
        ("os.fsync", errno.ENOSPC, "the disk is full"),  # the data did not fit
        ("os.fsync", errno.EDQUOT, "the disk quota is used up"),
        ("os.replace", errno.EACCES, "permission denied"),
    ],
)
def test_a_failed_write_changes_nothing(invoke, tmp_path, monkeypatch, where, code, reason):
    out = tmp_path / "report.md"
    out.write_text(OLD, encoding="utf-8")
    module, name = where.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, _fail_with(code))
    result = invoke("assess", PROPOSAL, "-f", "markdown", "-o", out, "--force")
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    assert f"error: {out}: cannot be written: {reason}; nothing was changed" in result.stderr
    assert out.read_text(encoding="utf-8") == OLD
    assert files_in(tmp_path) == ["report.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; simulated above")
def test_a_read_only_folder(invoke, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "report.md"
    out.write_text(OLD, encoding="utf-8")
    folder.chmod(0o555)
    try:
        result = invoke("assess", PROPOSAL, "-f", "markdown", "-o", out, "--force")
        assert result.exit_code == 2 and "permission denied; nothing was changed" in result.stderr
        assert out.read_text(encoding="utf-8") == OLD
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_really_full_disk(invoke):
    """/dev/full answers every write with ENOSPC; and a device is written to, never replaced."""
    result = invoke("assess", PROPOSAL, "-f", "markdown", "-o", "/dev/full", "--force")
    assert result.exit_code == 2 and "error: /dev/full: cannot be written: the disk is full" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_null_and_pipes_are_written_to_not_replaced(invoke):
    result = invoke("assess", PROPOSAL, "-f", "json", "-o", os.devnull)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_fifo_is_written_to(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    fileio.atomic_write(fifo, "through the pipe\n", force=False)
    assert reader.communicate(timeout=10)[0] == b"through the pipe\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symbolic_link_is_followed(invoke, tmp_path):
    real = tmp_path / "real.md"
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert invoke("assess", PROPOSAL, "-f", "markdown", "-o", link).exit_code == 2  # exists: no --force
    result = invoke("assess", PROPOSAL, "-f", "markdown", "-o", link, "--force")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# ")


def test_a_directory_or_a_socket_is_refused(invoke, tmp_path):
    result = invoke("assess", PROPOSAL, "-o", tmp_path, "--force")
    assert result.exit_code == 2 and f"error: {tmp_path}: is a directory" in result.stderr
    import socket

    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        result = invoke("rank", CALL, "-o", path, "--force")
    assert result.exit_code == 2 and "is not a regular file" in result.stderr


def test_permissions_of_a_replaced_file_are_kept(tmp_path):
    path = tmp_path / "review.yaml"
    path.write_text("proposal: x\n", encoding="utf-8")
    path.chmod(0o640)
    fileio.atomic_write(path, "proposal: y\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8") == "proposal: y\n"


def test_the_questionnaire_stops_cleanly_on_a_full_disk(invoke, tmp_path, monkeypatch):
    """The disk fills up after two answers: a clear error, and the saved answers are intact."""
    review = tmp_path / "my.review.yaml"
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) > 6:  # declaration, name, A1 (each save also syncs the folder): fail the 4th
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = invoke(
        "assess", PROPOSAL, "--review", review, "--interactive", "--lang", "en", input="y\n0\nAya\n4\n\n4\n\n"
    )
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "the disk is full; nothing was changed" in result.stderr and "Traceback" not in result.stderr
    loaded, problems = read_review(review, load_rubric(), None)
    assert problems == [] and loaded is not None
    assert loaded.review.reviewer == "Aya" and list(loaded.review.answers) == ["A1"]
    assert files_in(tmp_path) == ["my.review.yaml"]


# --- killed while saving ----------------------------------------------------------------------


def two_versions() -> tuple[Review, Review]:
    rubric = load_rubric()
    loaded, problems = read_review(REVIEW, rubric, None)
    assert loaded is not None and not problems
    old = loaded.review
    new = old.model_copy(
        update={"answers": {**old.answers, "A1": Answer(score=2, comment="見直しの結果、" + "理由。" * 2000)}}
    )
    return old, new


def check_after_kill(path: Path, texts: set[str], rubric) -> None:
    text = path.read_text(encoding="utf-8")
    assert text in texts, "the review file is neither the old nor the new version"
    loaded, problems = read_review(path, rubric, None)
    assert loaded is not None and problems == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killed_while_saving_leaves_the_old_or_the_new_review(tmp_path):
    """A child saves two versions in turn, as fast as it can; it is killed at a random moment,
    100 times. Each time the file is exactly one of the two versions and reads as a review.
    What a kill can leave is a hidden temporary file, which nothing reads (names starting with
    '.' are skipped) and the next save does not mind."""
    rubric = load_rubric()
    old, new = two_versions()
    texts = {dump_review(old), dump_review(new)}
    path = tmp_path / "panel.review.yaml"
    save_review(path, old)
    rnd = random.Random(20260601)
    for _ in range(100):
        pid = os.fork()
        if pid == 0:  # the child: save, save, save… until killed
            try:
                while True:
                    save_review(path, new)
                    save_review(path, old)
            finally:
                os._exit(1)
        time.sleep(rnd.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        check_after_kill(path, texts, rubric)
    leftovers = [name for name in files_in(tmp_path) if name != path.name]
    print(f"{len(leftovers)} of 100 kills landed while a temporary file was being written")
    assert all(name.startswith(".panel.review.yaml.") and name.endswith(".tmp") for name in leftovers)
    save_review(path, new)  # the next save works whatever was left, and cleans it up
    assert path.read_text(encoding="utf-8") == dump_review(new)
    assert [name for name in files_in(tmp_path) if name != path.name] == []


KILL_CHILD = """
import sys
from pathlib import Path
from sti_review.review import Answer, read_review, save_review
from sti_review.rubric import load_rubric
path = Path(sys.argv[1])
old, _ = read_review(sys.argv[2], load_rubric(), None)
old = old.review
a1 = Answer(score=2, comment="見直しの結果、" + "理由。" * 2000)
new = old.model_copy(update={"answers": {**old.answers, "A1": a1}})
print("ready", flush=True)
while True:
    save_review(path, new)
    save_review(path, old)
"""


def test_killed_while_saving_in_a_real_process(tmp_path):
    """The same with separate interpreters (no fork): start, let it save, SIGKILL."""
    rubric = load_rubric()
    old, new = two_versions()
    texts = {dump_review(old), dump_review(new)}
    path = tmp_path / "r.review.yaml"
    save_review(path, old)
    env = {k: v for k, v in BASE_ENV.items() if v is not None}
    env["PYTHONPATH"] = str(ROOT / "src")
    rnd = random.Random(7)
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(path), str(REVIEW)], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rnd.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        check_after_kill(path, texts, rubric)
