"""Re-ranking after a few files changed (issue 17 item 2): the rows of unchanged proposals come
from the call's previous snapshot, only the changed proposals are computed again and only
their snapshot segments are written; the reports are byte for byte those of a cold run, in
every text format, whether the edit was made just now or long ago."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from sti_review import ranking
from sti_review.cache import FORMAT, SEGMENTS, segment_of
from sti_review.ranking import GroupResult, RankedProposal, _settle, rank_call
from sti_review.summaries import FileResult
from tests.calls import proposal_yaml, review_yaml, simple_call

SPEC = {
    f"P-{i}": (
        ("joint_research", "brain_circulation", "other")[i % 3],
        {"A": 2 + i % 4, "B": 3 + (i % 3) / 2, "C": 4, "X": 3 + i % 2, "JR": 4, "BC": 3},
        10.0 * i,
    )
    for i in range(1, 13)
}
OLD_NS = 1_600_000_000_000_000_000


@pytest.fixture
def call(tmp_path: Path) -> Path:
    folder = simple_call(tmp_path / "call", SPEC)
    for p in folder.rglob("*.yaml"):
        os.utime(p, ns=(OLD_NS, OLD_NS))
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"STI_REVIEW_CACHE": str(tmp_path / "cache")}


def run(invoke, call: Path, env, fmt: str, *extra: str) -> tuple[int, str]:
    r = invoke("rank", call, "--format", fmt, "--fund", "4", *extra, env=env)
    return r.exit_code, r.stdout


def review(call: Path, pid: str) -> Path:
    return sorted((call / "reviews" / pid).glob("*.yaml"))[0]


def rescore(call: Path, pid: str, score: float, *, aged: bool) -> None:
    path = review(call, pid)
    programme = SPEC[pid][0]
    path.write_text(review_yaml(pid, "審査員0", {"A": score, "B": score, "C": score, "X": score}, programme))
    if aged:
        os.utime(path, ns=(OLD_NS + 10**9, OLD_NS + 10**9))


EDITS = [
    ("score", lambda c: rescore(c, "P-3", 5, aged=False)),
    ("score_aged", lambda c: rescore(c, "P-5", 1, aged=True)),
    ("two_scores", lambda c: (rescore(c, "P-1", 4.5, aged=False), rescore(c, "P-7", 2, aged=False))),
    ("delete_review", lambda c: review(c, "P-2").unlink()),
    ("add_proposal", lambda c: (c / "proposals" / "P-99.yaml").write_text(proposal_yaml("P-99", "other"))),
    ("delete_proposal", lambda c: (c / "proposals" / "P-4.yaml").unlink()),
    ("corrupt_review", lambda c: review(c, "P-6").write_text("proposal: P-6\nanswers: [unclosed\n")),
    ("not_utf8", lambda c: review(c, "P-8").write_bytes("proposal: P-8\nreviewer: 審査員\n".encode("cp932"))),
    (
        "orphan_review",
        lambda c: (c / "reviews" / "P-77.review.yaml").write_text(review_yaml("P-77", "x", {}, "other")),
    ),
]


@pytest.mark.parametrize("fmt", ["csv", "json", "terminal", "markdown"])
def test_every_edit_in_turn_gives_the_cold_report(invoke, call, env, fmt):
    """One cache, edits one after another, each followed by a cached run (right after the
    edit: the snapshot is then kept without a listing) and a second one (the file aged)."""
    assert run(invoke, call, env, fmt) == run(invoke, call, env, fmt, "--no-cache")
    for name, edit in EDITS:
        edit(call)
        cold = run(invoke, call, env, fmt, "--no-cache")
        assert run(invoke, call, env, fmt) == cold, name
        for p in call.rglob("*.yaml"):
            os.utime(p, ns=(OLD_NS, OLD_NS))
        assert run(invoke, call, env, fmt) == cold, name
        assert run(invoke, call, env, fmt) == cold, name  # served whole


def test_only_the_edited_proposal_is_computed_again(call, env, monkeypatch):
    monkeypatch.setenv("STI_REVIEW_CACHE", env["STI_REVIEW_CACHE"])
    rank_call(call, fund=4, cache=True)
    computed: list[str] = []
    real = ranking.compute_group

    def counting(rubric, proposal_path, *args, **kwargs):
        computed.append(Path(proposal_path).name)
        return real(rubric, proposal_path, *args, **kwargs)

    monkeypatch.setattr(ranking, "compute_group", counting)
    looked_up: list[int] = []
    from sti_review.cache import CallCache

    real_rows = CallCache.load_rows
    monkeypatch.setattr(
        CallCache, "load_rows", lambda self, keys: looked_up.append(len(list(keys))) or real_rows(self, [])
    )
    rescore(call, "P-5", 1, aged=True)
    after = rank_call(call, fund=4, cache=True)
    assert computed == ["P-5.yaml"]
    assert looked_up == [0]  # every other row came from the snapshot
    monkeypatch.undo()
    cold = rank_call(call, fund=4)
    assert [(r.id, r.rank, r.status, r.weighted_percent) for r in after.rows] == [
        (r.id, r.rank, r.status, r.weighted_percent) for r in cold.rows
    ]


def _segments(env) -> dict[int, bytes]:
    db = sqlite3.connect(Path(env["STI_REVIEW_CACHE"]) / "calls.sqlite3")
    try:
        return dict(db.execute(f"SELECT segment, result FROM segments_{FORMAT}").fetchall())
    finally:
        db.close()


def test_only_the_edited_proposals_segment_is_written_again(call, env, monkeypatch):
    monkeypatch.setenv("STI_REVIEW_CACHE", env["STI_REVIEW_CACHE"])
    rank_call(call, fund=4, cache=True)
    before = _segments(env)
    assert 1 < len(before) <= SEGMENTS
    rescore(call, "P-5", 1, aged=True)
    rank_call(call, fund=4, cache=True)
    after = _segments(env)
    changed = {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
    assert changed == {segment_of(str(call / "proposals" / "P-5.yaml"))}


@pytest.mark.parametrize("damage", ["segment", "head", "generation"])
def test_a_damaged_or_raced_snapshot_still_gives_the_cold_result(invoke, call, env, damage):
    """A damaged segment or head is computed again; a snapshot another process wrote since this
    run read it (another generation) makes this run write every segment."""
    assert run(invoke, call, env, "csv") == run(invoke, call, env, "csv", "--no-cache")
    db = sqlite3.connect(Path(env["STI_REVIEW_CACHE"]) / "calls.sqlite3")
    if damage == "segment":
        db.execute(
            f"UPDATE segments_{FORMAT} SET result = x'00ff'"
            f" WHERE rowid IN (SELECT min(rowid) FROM segments_{FORMAT})"
        )
    elif damage == "head":
        db.execute(f"UPDATE calls_{FORMAT} SET result = x'00ff'")
    db.commit()
    rescore(call, "P-5", 1, aged=True)
    if damage == "generation":
        from sti_review import cache as cache_mod

        real = cache_mod.CallCache.base_rows

        def raced(self):
            out = real(self)
            # another process writes the call's snapshot between this run's read and write
            db.execute(f"UPDATE calls_{FORMAT} SET generation = generation + 1")
            db.execute(f"DELETE FROM segments_{FORMAT}")
            db.commit()
            return out

        cache_mod.CallCache.base_rows = raced  # type: ignore[method-assign]
        try:
            cached = run(invoke, call, env, "csv")
        finally:
            cache_mod.CallCache.base_rows = real  # type: ignore[method-assign]
    else:
        cached = run(invoke, call, env, "csv")
    db.close()
    cold = run(invoke, call, env, "csv", "--no-cache")
    assert cached == cold
    for p in call.rglob("*.yaml"):
        os.utime(p, ns=(OLD_NS, OLD_NS))
    assert run(invoke, call, env, "csv") == cold
    assert run(invoke, call, env, "csv") == cold


def test_settling_never_changes_a_row_read_for_its_own_files():
    """A broken proposal file that routing took elsewhere adds its problems to a copy of the
    row it names: the row itself is what its files gave, and the snapshot keeps it as such."""
    from sti_review.errors import Problem, Text
    from sti_review.rubric import load_rubric

    rubric = load_rubric(None)
    row = RankedProposal("P-1", "proposals/P-1.yaml", status="invalid")
    broken = FileResult(
        "reviews/P-1/odd.yaml",
        "proposal",
        None,
        None,
        [Problem("reviews/P-1/odd.yaml", 1, 1, "id", Text("err.not_a_call_folder"))],
        "P-1",
    )
    rows, _, _ = _settle(rubric, [GroupResult(row, [broken], 0)], [], False)
    assert row.problems == []
    assert [len(r.problems) for r in rows if r.id == "P-1"] == [1]
