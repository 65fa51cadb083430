"""Every format of ``rank`` stays byte-identical while the ranking's memory layout changes
(issue 17, mem6): goldens drawn by the code before the change, compared with today's output.

Regenerate (only when a report's look is meant to change):
    STI_REGEN_RANK_GOLDEN=1 python -m pytest tests/test_rank_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.calls import proposal_yaml, review_yaml, write_call
from tests.conftest import Invoke

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "data" / "rank_golden"
REGEN = bool(os.environ.get("STI_REGEN_RANK_GOLDEN"))
FORMATS = ["terminal", "json", "markdown", "csv", "html"]


def generated_call(root: Path) -> Path:
    """Ties, a funding line through a tie, budgets, an ineligible proposal, an invalid file, a
    review of a missing proposal, a review filed under another proposal's folder, a proposal
    without reviews, a duplicate id and a review with a comment in Japanese."""
    files: dict[str, str] = {}
    scores = {
        "P-01": ({"A": 5, "B": 4, "C": 4, "X": 4, "JR": 4}, 30_000_000),
        "P-02": ({"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}, 25_000_000),
        "P-03": ({"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}, 12_500_000.5),
        "P-04": ({"A": 3, "B": 3.5, "C": 3, "X": 3, "JR": 3}, 40_000_000),
        "P-05": ({"A": 2, "B": 2, "C": 2, "X": 2, "JR": 2}, None),
        "P-06": ({"A": 3, "B": 3, "C": 3, "X": 3, "JR": 4}, 9_000_000),
    }
    for pid, (sc, budget) in scores.items():
        files[f"proposals/{pid}.yaml"] = proposal_yaml(pid, budget=budget)
        for k in range(3):
            extra = {"B1": sc["B"] - 1} if k == 2 and pid == "P-04" else None
            files[f"reviews/{pid}/r{k}.yaml"] = review_yaml(pid, f"審査員{k}", sc, criteria=extra)
    files["proposals/B-01.yaml"] = proposal_yaml("B-01", "brain_circulation", budget=8_000_000)
    for k in range(2):
        files[f"reviews/B-01/r{k}.yaml"] = review_yaml(
            "B-01", f"Reviewer {k}", {"A": 4, "B": 3, "C": 5, "X": 4, "BC": 4}, "brain_circulation"
        )
    files["proposals/O-01.yaml"] = proposal_yaml("O-01", "other", budget=5_000_000)
    files["reviews/O-01/r0.yaml"] = review_yaml(
        "O-01", "審査員0", {"A": 4, "B": 4, "C": 4, "X": 4}, "other", gates={"A2": "fail"}
    )
    files["proposals/N-01.yaml"] = proposal_yaml("N-01", budget=1_000_000)  # no reviews
    files["proposals/D-01.yaml"] = proposal_yaml("D-01", budget=2_000_000)
    files["proposals/D-01-copy.yaml"] = proposal_yaml("D-01", budget=2_000_000)
    files["proposals/BAD.yaml"] = "id: BAD-1\ntitle: [壊れた\nprogramme: joint_research\n"
    files["reviews/P-06/r9.yaml"] = review_yaml("P-99", "審査員9", {"A": 3})  # no such proposal
    files["reviews/P-01/x.yaml"] = review_yaml(  # filed under P-01, about P-02
        "P-02", "審査員7", {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}
    )
    files["stray.yaml"] = "note: 何でもないファイル\n"
    return write_call(root, files)


CASES = {
    "gen-fund": ("gen", ["--fund", "3"]),
    "gen-budget": ("gen", ["--budget", "70000000"]),
    "gen-plain": ("gen", []),
    "call2026-fund": ("examples/call-2026", ["--fund", "2"]),
    "horizon": ("examples/horizon-europe/call", []),
}


def _run(invoke: Invoke, call: str, options: list[str], fmt: str, out: Path | None) -> bytes:
    args = ["rank", call, *options, "--format", fmt, "--lang", "ja", "--no-cache"]
    if out is not None:
        args += ["-o", str(out)]
    res = invoke(*args, env={"COLUMNS": "100"})
    assert res.exit_code in (0, 2), res.output
    return out.read_bytes() if out is not None else res.stdout_bytes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_rank_output_unchanged(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str
) -> None:
    call, options = CASES[case]
    if call == "gen":
        generated_call(tmp_path / "gen")
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(ROOT)
    shown = _run(invoke, call, options, fmt, None)
    written = _run(invoke, call, options, fmt, tmp_path / f"out.{fmt}")
    golden = GOLDEN / f"{case}.{fmt}"
    if REGEN:
        golden.write_bytes(shown)
        golden.with_suffix(golden.suffix + ".file").write_bytes(written)
    assert shown == golden.read_bytes()
    assert written == golden.with_suffix(golden.suffix + ".file").read_bytes()


def test_cached_runs_match_uncached(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cold (no cache), first cached run, warm run and a run after an edit: the same bytes."""
    generated_call(tmp_path / "gen")
    monkeypatch.chdir(tmp_path)
    env = {"STI_REVIEW_CACHE": str(tmp_path / "cache"), "COLUMNS": "100"}
    for fmt in ("json", "csv", "terminal"):
        base = ["rank", "gen", "--fund", "3", "--format", fmt, "--lang", "en"]
        cold = invoke(*base, "--no-cache", env=env).stdout_bytes
        first = invoke(*base, env=env).stdout_bytes
        warm = invoke(*base, env=env).stdout_bytes
        assert cold == first == warm
    shutil.copy(tmp_path / "gen/reviews/P-02/r1.yaml", tmp_path / "gen/reviews/P-02/r1.bak")
    text = (tmp_path / "gen/reviews/P-02/r1.yaml").read_text(encoding="utf-8")
    (tmp_path / "gen/reviews/P-02/r1.yaml").write_text(
        text.replace("score: 4", "score: 5", 1), encoding="utf-8"
    )
    (tmp_path / "gen/reviews/P-02/r1.bak").unlink()
    base = ["rank", "gen", "--fund", "3", "--format", "json", "--lang", "en"]
    assert invoke(*base, env=env).stdout_bytes == invoke(*base, "--no-cache", env=env).stdout_bytes


def test_pieces_that_fail_leave_the_old_file(tmp_path: Path) -> None:
    """A report written in pieces (-o) goes through a temporary file: an error while the
    pieces are made leaves the old file as it was, and no temporary file behind."""
    from sti_review.fileio import atomic_write

    target = tmp_path / "ranking.csv"
    target.write_bytes(b"old report\n")

    def pieces():  # type: ignore[no-untyped-def]
        yield "順位,ID\r\n".encode()
        raise RuntimeError("made while writing")

    with pytest.raises(RuntimeError):
        atomic_write(target, pieces())
    assert target.read_bytes() == b"old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranking.csv"]
    atomic_write(target, iter([b"a,", "日本\r\n".encode()]))
    assert target.read_bytes() == "a,日本\r\n".encode()
