"""The rank cache (issue 17): a re-ranked call gives byte for byte what a cold run gives, after
files change, appear, disappear or break, and whatever state the cache database is in."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sti_review import callfolder
from sti_review.cache import FORMAT, CallCache, cache_dir, rubric_fingerprint, scope
from sti_review.ranking import rank_call
from tests.calls import proposal_yaml, review_yaml, simple_call

SPEC = {
    "P-1": ("joint_research", {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}, 100.0),
    "P-2": ("brain_circulation", {"A": 3.5, "B": 3, "C": 4, "X": 3, "BC": 4}, 50.0),
    "P-3": ("other", {"A": 2, "B": 2, "C": 2, "X": 2}, 80.0),
    "P-4": ("joint_research", {"A": 3, "B": 4.5, "C": 3, "X": 3.5, "JR": 3}, 70.0),
}


@pytest.fixture
def call(tmp_path: Path) -> Path:
    return simple_call(tmp_path / "call", SPEC)


@pytest.fixture
def cache_env(tmp_path: Path) -> dict[str, str | None]:
    return {"STI_REVIEW_CACHE": str(tmp_path / "cache")}


def ranked(invoke, call: Path, env, *extra: str) -> tuple[int, str, str]:
    r = invoke("rank", call, "--format", "json", "--fund", "2", *extra, env=env)
    # the one-line summary a slow run adds ("rank: 12 files in 2.7 s") depends on the machine's
    # load, not on the cache: left out of the comparison
    err = "".join(line for line in r.stderr.splitlines(keepends=True) if not line.startswith("rank: "))
    return r.exit_code, r.stdout, err


def assert_same_as_cold(invoke, call: Path, env) -> str:
    """A cached run (twice: filling, then using the cache) gives what --no-cache gives."""
    cold = ranked(invoke, call, env, "--no-cache")
    first = ranked(invoke, call, env)
    again = ranked(invoke, call, env)
    assert first == cold
    assert again == cold
    return cold[1]


def test_warm_run_is_identical_and_uses_the_cache(invoke, call, cache_env):
    out = assert_same_as_cold(invoke, call, cache_env)
    assert [r["id"] for r in json.loads(out)["proposals"]][:2] == ["P-1", "P-4"]
    assert (Path(cache_env["STI_REVIEW_CACHE"]) / "calls.sqlite3").is_file()


def test_no_cache_writes_no_cache(invoke, call, cache_env):
    ranked(invoke, call, cache_env, "--no-cache")
    assert not (Path(cache_env["STI_REVIEW_CACHE"]) / "calls.sqlite3").exists()


def rewrite(path: Path, text: str) -> None:
    """Write and give the file an old time (later than before), so that the cache trusts its
    stamp next time: only a changed stamp or hash makes it read the file again."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1_650_000_000_000_000_000, 1_650_000_000_000_000_000))


@pytest.mark.parametrize(
    "change",
    [
        "score",
        "same_size_new_time",
        "add_review",
        "delete_review",
        "add_proposal",
        "delete_proposal",
        "corrupt_review",
        "corrupt_proposal",
        "review_moves",
        "not_utf8",
    ],
)
def test_changes_between_runs(invoke, call, cache_env, change):
    for p in call.rglob("*.yaml"):
        os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = assert_same_as_cold(invoke, call, cache_env)
    review = call / "reviews" / "P-3" / "r0.yaml"
    if change == "score":
        rewrite(review, review_yaml("P-3", "審査員0", {"A": 5, "B": 5, "C": 5, "X": 5}, "other"))
    elif change == "same_size_new_time":
        # same length, other score: only the hash can tell
        text = review.read_text(encoding="utf-8").replace("score: 2,", "score: 5,", 1)
        rewrite(review, text)
        os.utime(review, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    elif change == "add_review":
        rewrite(call / "reviews" / "P-3" / "r9.yaml", review_yaml("P-3", "追加", {"A": 5}, "other"))
    elif change == "delete_review":
        (call / "reviews" / "P-1" / "r1.yaml").unlink()
    elif change == "add_proposal":
        rewrite(call / "proposals" / "P-9.yaml", proposal_yaml("P-9", "other", budget=10))
    elif change == "delete_proposal":
        (call / "proposals" / "P-2.yaml").unlink()
    elif change == "corrupt_review":
        rewrite(review, "proposal: P-3\nanswers: [unclosed\n")
    elif change == "corrupt_proposal":
        rewrite(call / "proposals" / "P-1.yaml", "id: P-1\ntitle: : :\n\tbad")
    elif change == "review_moves":
        text = review.read_text(encoding="utf-8").replace("proposal: P-3", "proposal: P-4")
        rewrite(review, text)
    elif change == "not_utf8":
        review.write_bytes("proposal: P-3\nreviewer: 審査員\n".encode("cp932"))
    after = assert_same_as_cold(invoke, call, cache_env)
    assert after != before


def test_changed_rubric_is_never_served_from_the_cache(tmp_path, examples):
    import shutil

    from sti_review.rubric import default_rubric_dir

    rubric = tmp_path / "rubric"
    shutil.copytree(default_rubric_dir(), rubric)
    before = rubric_fingerprint(rubric)
    section = next((rubric / "sections").glob("*.yaml"))
    section.write_text(section.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert rubric_fingerprint(rubric) != before
    assert scope(rubric, "rank") != scope(None, "rank")


def test_new_version_is_a_new_scope(monkeypatch):
    old = scope(None, "rank")
    monkeypatch.setattr("sti_review.cache.__version__", "999.0")
    assert scope(None, "rank") != old


@pytest.mark.parametrize("state", ["garbage", "empty_file", "folder_is_a_file", "read_only"])
def test_broken_cache_never_fails_the_command(invoke, call, tmp_path, state):
    folder = tmp_path / "cache"
    env = {"STI_REVIEW_CACHE": str(folder)}
    cold = ranked(invoke, call, env, "--no-cache")
    if state == "garbage":
        folder.mkdir()
        (folder / "calls.sqlite3").write_bytes(b"this is not a database" * 100)
    elif state == "empty_file":
        folder.mkdir()
        (folder / "calls.sqlite3").write_bytes(b"")
    elif state == "folder_is_a_file":
        folder.write_text("not a folder")
    elif state == "read_only":
        ranked(invoke, call, env)  # fill it
        (call / "reviews" / "P-3" / "r0.yaml").write_text(
            review_yaml("P-3", "審査員0", {"A": 5, "B": 5, "C": 5, "X": 5}, "other"), encoding="utf-8"
        )
        cold = ranked(invoke, call, env, "--no-cache")
        for f in folder.iterdir():
            f.chmod(0o444)
        folder.chmod(0o555)
    try:
        code, out, err = ranked(invoke, call, env)
    finally:
        if folder.is_dir():
            folder.chmod(0o755)
    assert (code, out) == cold[:2]
    assert err.count("warning:") <= 1
    assert "Traceback" not in err


def test_damaged_entries_are_misses(call, tmp_path, monkeypatch):
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    _age(call)  # old files: the call's snapshot is kept too
    cold = rank_call(call, fund=2)
    rank_call(call, fund=2, cache=True)
    import sqlite3

    db = sqlite3.connect(cache_dir() / "calls.sqlite3")
    db.execute(f"UPDATE files_{FORMAT} SET result = x'00ff'")
    db.execute(f"UPDATE rows_{FORMAT} SET result = x'00ff'")
    assert db.execute(f"UPDATE calls_{FORMAT} SET result = x'00ff'").rowcount == 1
    db.commit()
    db.close()
    warm = rank_call(call, fund=2, cache=True)
    assert [(r.id, r.rank, r.status) for r in warm.rows] == [(r.id, r.rank, r.status) for r in cold.rows]


def test_worker_pool_with_cache_gives_the_cold_result(call, tmp_path, monkeypatch):
    """The pool path: files read by workers are cached by the main process."""
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(callfolder, "PARALLEL_FROM", 1)

    def summary(r):
        return [(x.id, x.rank, x.status, x.weighted_percent, x.review_files) for x in r.rows]

    cold = summary(rank_call(call, fund=2, workers=2))
    assert summary(rank_call(call, fund=2, workers=2, cache=True)) == cold
    (call / "reviews" / "P-2" / "r0.yaml").unlink()
    cold2 = summary(rank_call(call, fund=2, workers=2))
    assert cold2 != cold
    assert summary(rank_call(call, fund=2, workers=2, cache=True)) == cold2
    assert summary(rank_call(call, fund=2, workers=1, cache=True)) == cold2


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "a"))
    assert cache_dir() == tmp_path / "a"
    monkeypatch.delenv("STI_REVIEW_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "sti-review"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "sti-review"


def test_one_warning_only(tmp_path):
    warnings: list[str] = []
    (tmp_path / "f").write_text("x")
    c = CallCache(tmp_path / "f", b"s", warnings.append)
    c.load_files(["a"], {"a": (1, 1, 1)})
    c.load_rows([b"k"])
    c.commit()
    assert len(warnings) == 1


def test_jobs_option(invoke, call, cache_env):
    one = ranked(invoke, call, cache_env, "--jobs", "1", "--no-cache")
    assert one == ranked(invoke, call, cache_env, "--jobs", "2")
    bad = invoke("rank", call, "--jobs", "0", env=cache_env)
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output


def _age(call: Path) -> None:
    for p in call.rglob("*.yaml"):
        os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def test_unchanged_call_is_served_whole_without_reading_a_file(invoke, call, cache_env, monkeypatch):
    """The call snapshot: an unchanged call folder is not read at all, and gives the cold result."""
    _age(call)
    cold = assert_same_as_cold(invoke, call, cache_env)

    def no_reading(*args, **kwargs):
        raise AssertionError("a file was read although the call did not change")

    monkeypatch.setattr(callfolder, "read_call_file", no_reading)
    monkeypatch.setattr("sti_review.ranking.read_call_file", no_reading)
    monkeypatch.setattr("sti_review.cache.CallCache.load_files", no_reading)
    assert ranked(invoke, call, cache_env) == (0, cold, "")


def test_edit_that_puts_the_old_time_back_is_seen(invoke, call, cache_env):
    """Same size and the old modification time restored (as some tools do): the change time
    still tells, so the edit is not hidden by the cache."""
    _age(call)
    before = assert_same_as_cold(invoke, call, cache_env)
    review = call / "reviews" / "P-3" / "r0.yaml"
    text = review.read_text(encoding="utf-8")
    new = text.replace("score: 2,", "score: 5,", 1)
    assert new != text and len(new) == len(text)
    review.write_text(new, encoding="utf-8")
    os.utime(review, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    after = assert_same_as_cold(invoke, call, cache_env)
    assert after != before


def test_two_calls_keep_their_own_snapshots(invoke, tmp_path, cache_env):
    a = simple_call(tmp_path / "a", SPEC)
    b = simple_call(tmp_path / "b", {k: v for k, v in SPEC.items() if k != "P-1"})
    _age(a)
    _age(b)
    cold_a = assert_same_as_cold(invoke, a, cache_env)
    cold_b = assert_same_as_cold(invoke, b, cache_env)
    assert cold_a != cold_b
    assert ranked(invoke, a, cache_env)[1] == cold_a
    assert ranked(invoke, b, cache_env)[1] == cold_b


def test_options_that_change_rows_are_not_served_from_another_snapshot(invoke, call, cache_env):
    _age(call)
    for extra in [(), ("--budget", "150")]:
        cold = invoke("rank", call, "--format", "json", *extra, "--no-cache", env=cache_env)
        for _ in range(2):
            warm = invoke("rank", call, "--format", "json", *extra, env=cache_env)
            assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


def test_fractions_survive_the_cache_exactly():
    import pickle
    from fractions import Fraction

    from sti_review.cache import dumps

    values = [Fraction(1, 3), Fraction(-7, 2), Fraction(10**40 + 1, 3**30), Fraction(0)]
    back = pickle.loads(dumps(values))
    assert back == values
    assert all(type(x) is Fraction for x in back)


def _old_layout(folder: Path) -> None:
    """A calls.sqlite3 as an earlier build wrote it: format-4 tables without the change time
    and no user_version (the case that made every run warn 'no such column: ctime')."""
    import sqlite3

    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "calls.sqlite3")
    db.execute(
        "CREATE TABLE files_4 (scope BLOB, path TEXT, size INTEGER, mtime INTEGER, sha BLOB,"
        " kind TEXT, about TEXT, result BLOB, PRIMARY KEY (scope, path))"
    )
    db.execute("CREATE TABLE rows_4 (scope BLOB, key BLOB, result BLOB, PRIMARY KEY (scope, key))")
    db.execute("CREATE TABLE files_3 (scope BLOB, path TEXT, result BLOB)")
    db.executemany("INSERT INTO files_3 VALUES (?, ?, ?)", ((b"s", f"p{i}", b"x" * 4000) for i in range(500)))
    db.commit()
    db.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_cache_from_an_older_build_is_rebuilt_silently(invoke, call, tmp_path, lang):
    folder = tmp_path / "cache"
    env = {"STI_REVIEW_CACHE": str(folder)}
    _age(call)
    cold = ranked(invoke, call, env, "--no-cache", "--lang", lang)
    _old_layout(folder)
    big = (folder / "calls.sqlite3").stat().st_size
    for _ in range(3):
        assert ranked(invoke, call, env, "--lang", lang) == cold  # no warning: stderr the same
    import sqlite3

    db = sqlite3.connect(folder / "calls.sqlite3")
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
    db.close()
    assert not tables & {"files_3", "files_4", "rows_4"}
    assert (folder / "calls.sqlite3").stat().st_size < big  # the old tables' space is given back


def test_a_cache_from_a_newer_build_is_rebuilt_too(call, tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    rank_call(call, fund=2, cache=True)
    db = sqlite3.connect(tmp_path / "cache" / "calls.sqlite3")
    db.execute(f"PRAGMA user_version = {FORMAT + 1}")
    db.commit()
    db.close()
    warnings: list[object] = []
    cold = rank_call(call, fund=2)
    warm = rank_call(call, fund=2, cache=True, warn=warnings.append)
    assert warnings == []
    assert [(r.id, r.rank) for r in warm.rows] == [(r.id, r.rank) for r in cold.rows]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("state", ["garbage", "folder_is_a_file"])
def test_the_cache_warning_is_wholly_in_the_run_language(invoke, call, tmp_path, lang, state):
    folder = tmp_path / "cache"
    if state == "garbage":
        folder.mkdir()
        (folder / "calls.sqlite3").write_bytes(b"this is not a database" * 100)
    else:
        folder.write_text("not a folder")
    r = invoke("rank", call, "--format", "json", "--lang", lang, env={"STI_REVIEW_CACHE": str(folder)})
    assert r.exit_code == 0
    lines = [line for line in r.stderr.splitlines() if line.strip() and not line.startswith("rank: ")]
    assert len(lines) == 1
    (line,) = lines
    assert str(folder) in line
    rest = line.replace(str(folder), "")
    if lang == "ja":
        assert line.startswith("警告")
        # nothing in English beyond the folder and the variable's name
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"STI_REVIEW_CACHE|SQLite", "", rest))
    else:
        assert line.startswith("warning:") and "continuing without the cache" in line


def test_the_cache_stays_bounded(call, tmp_path, monkeypatch):
    """Entries of files and rows a call no longer has go when it is written again, and only
    the last KEEP_SCOPES scopes (rubrics, versions) are kept."""
    import sqlite3

    from sti_review import cache as cache_mod

    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    _age(call)
    rank_call(call, fund=2, cache=True)
    path = tmp_path / "cache" / "calls.sqlite3"

    def count(table: str) -> int:
        db = sqlite3.connect(path)
        try:
            return db.execute(f"SELECT count(*) FROM {table}_{FORMAT}").fetchone()[0]
        finally:
            db.close()

    files, rows = count("files"), count("rows")
    # edit one review many times and delete one proposal: no more entries than files and rows
    review = call / "reviews" / "P-3" / "r0.yaml"
    for score in (1, 2, 3, 4, 5, 1, 2):
        rewrite(review, review_yaml("P-3", "審査員0", {"A": score, "B": 5, "C": 5, "X": 5}, "other"))
        rank_call(call, fund=2, cache=True)
    assert (count("files"), count("rows")) == (files, rows)
    gone = sorted((call / "reviews" / "P-2").glob("*.yaml"))
    for f in gone:
        f.unlink()
    (call / "proposals" / "P-2.yaml").unlink()
    rank_call(call, fund=2, cache=True)
    assert count("files") == files - 1 - len(gone)
    assert count("rows") == rows - 1
    # new versions of the tool: only the last KEEP_SCOPES stay
    for i in range(cache_mod.KEEP_SCOPES + 3):
        monkeypatch.setattr("sti_review.cache.__version__", f"999.{i}")
        rank_call(call, fund=2, cache=True)
    db = sqlite3.connect(path)
    scopes = {s for (s,) in db.execute(f"SELECT DISTINCT scope FROM files_{FORMAT}")}
    db.close()
    assert len(scopes) == cache_mod.KEEP_SCOPES


@pytest.mark.parametrize("fmt", ["terminal", "csv", "json", "markdown", "html"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_text_format_is_the_same_warm_and_after_an_edit(invoke, call, cache_env, fmt, lang):
    """The reports of an unchanged call are kept (see cache.Reports): byte for byte the cold
    report, in each format and language, and a new one after a review changed."""
    _age(call)

    def run(*extra: str) -> tuple[int, str]:
        # (stderr is left out: under load a slow run adds its "rank: N files in T s" line)
        r = invoke("rank", call, "--format", fmt, "--fund", "2", "--lang", lang, *extra, env=cache_env)
        return r.exit_code, r.stdout

    cold = run("--no-cache")
    assert run() == cold  # fills the cache
    assert run() == cold  # served from the snapshot, the report drawn and kept
    assert run() == cold  # the kept report
    rewrite(
        call / "reviews" / "P-3" / "r0.yaml",
        review_yaml("P-3", "審査員0", {"A": 5, "B": 5, "C": 5, "X": 5}, "other"),
    )
    cold2 = run("--no-cache")
    assert cold2 != cold
    assert run() == cold2
    assert run() == cold2


def test_a_kept_report_is_not_drawn_again(invoke, call, cache_env, monkeypatch):
    _age(call)
    cold = invoke("rank", call, "--format", "csv", "--no-cache", env=cache_env).stdout
    for _ in range(2):
        assert invoke("rank", call, "--format", "csv", env=cache_env).stdout == cold

    def no_drawing(*args, **kwargs):
        raise AssertionError("the report was drawn again")

    monkeypatch.setattr("sti_review.report.csv.ranking.render_text", no_drawing)
    assert invoke("rank", call, "--format", "csv", env=cache_env).stdout == cold
    # another option is another ranking: drawn (and here refused by the stub)
    r = invoke("rank", call, "--format", "csv", "--fund", "1", env=cache_env)
    assert r.exit_code != 0 or r.stdout != cold


def test_racy_window_follows_the_file_systems_resolution():
    """A file changed just before it is cached is confirmed by hash next time: within 100 ms
    where times have sub-second digits, within two seconds where they are whole seconds."""
    from sti_review.cache import racy

    now = 1_700_000_000_123_456_789
    assert racy(now - 50_000_000, now)  # fine times, 50 ms ago
    assert not racy(now - 150_000_000, now)
    whole = 1_700_000_000_000_000_000
    assert racy(whole, whole + 1_500_000_000)  # whole seconds, 1.5 s ago
    assert not racy(whole, whole + 2_500_000_000)
    assert racy(now + 10_000_000_000, now)  # a time in the future is never trusted


def test_call_edited_moments_ago_is_snapshotted_on_a_fine_grained_file_system(
    invoke, call, cache_env, monkeypatch
):
    """Ranked a moment after an edit (as a panel does), the call is stored whole, so the next
    run reads no file; on a file system with whole-second times the wait would be two seconds."""
    import time

    _age(call)
    review = call / "reviews" / "P-3" / "r0.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace("score: 2,", "score: 5,", 1), encoding="utf-8"
    )
    if os.stat(review).st_mtime_ns % 1_000_000_000 == 0:
        pytest.skip("this file system keeps whole seconds")
    time.sleep(0.2)  # past the 100 ms in which the file could change again unseen
    cold = assert_same_as_cold(invoke, call, cache_env)

    def no_reading(*args, **kwargs):
        raise AssertionError("a file was read although the call did not change")

    monkeypatch.setattr(callfolder, "read_call_file", no_reading)
    monkeypatch.setattr("sti_review.ranking.read_call_file", no_reading)
    monkeypatch.setattr("sti_review.cache.CallCache.load_files", no_reading)
    assert ranked(invoke, call, cache_env) == (0, cold, "")
