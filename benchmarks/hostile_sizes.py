"""How long huge but valid inputs take (issue 11, item 7), beside a floor measured in the same run.

    python benchmarks/hostile_sizes.py [--runs N] [--only TEXT]

Cases: a 4.5 MB comment (terminal report), consolidate of 1,000 reviews (terminal and HTML), a
gate with 45,000 conditions, 6,900 KPIs. The floor is ``sti-review assess`` of the example
proposal with its complete review, in a fresh process. Goal: every case under 2 s.

Linearity: each case also runs at half its size. Every figure is the minimum of N runs (the
least disturbed by other work on the machine). What a size costs beyond the floor (its
marginal) is printed for the full and the half size; their ratio is ~2 when the cost is linear
and ~4 when quadratic, and is printed only when the half size's marginal is clearly above the
noise (the spread of the floor's runs, and at least 50 ms); else "below noise": the input then
costs about what the floor does, whatever its size. Tests bound the work and output instead
(tests/test_hostile_sizes.py, tests/test_attack_round5.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.calls import proposal_yaml, review_yaml  # noqa: E402

EXAMPLES = ROOT / "examples"
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"
CLI = [sys.executable, "-m", "sti_review"]
GOAL_S = 2.0
TIMEOUT_S = 120
SCORES = {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}


NOISE_FLOOR_S = 0.05  # below this a marginal cost is not told apart from the machine's jitter


def times_s(args: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` fresh runs (``[inf]`` when one runs over TIMEOUT_S)."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            subprocess.run([*CLI, *args], capture_output=True, check=False, env=env, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return [float("inf")]  # printed as "> TIMEOUT_S"; the benchmark goes on with the next case
        times.append(time.perf_counter() - start)
    return times


def min_s(args: list[str], runs: int) -> float:
    return min(times_s(args, runs))


def with_format(make: Callable[[Path, int], list[str]], fmt: str) -> Callable[[Path, int], list[str]]:
    def made(d: Path, n: int) -> list[str]:
        args = make(d, n)
        return [*args, "--format", fmt] + (["-o", str(d / f"out.{fmt}")] if fmt in ("docx", "xlsx") else [])

    return made


def huge_comment(d: Path, n: int) -> list[str]:
    text = REVIEW.read_text(encoding="utf-8")
    comment = "長い講評。" * (n // 5)
    review = d / "r.review.yaml"
    lines = text.splitlines()
    out = []
    for line in lines:
        if line.strip().startswith("comment:") and not out_has(out):
            out.append(line.split("comment:")[0] + f"comment: {comment}")
        else:
            out.append(line)
    review.write_text("\n".join(out) + "\n", encoding="utf-8")
    return ["assess", str(PROPOSAL), "--review", str(review), "--no-input"]


def out_has(out: list[str]) -> bool:
    return any("長い講評" in x for x in out)


def many_reviews(fmt: str) -> Callable[[Path, int], list[str]]:
    def make(d: Path, n: int) -> list[str]:
        (d / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
        folder = d / "reviews"
        folder.mkdir()
        for i in range(n):
            (folder / f"r{i}.yaml").write_text(review_yaml("P-1", f"審査員{i}", SCORES), encoding="utf-8")
        return ["consolidate", str(d / "P-1.yaml"), str(folder), "--format", fmt]

    return make


def many_conditions(d: Path, n: int) -> list[str]:
    (d / "P-1.yaml").write_text(proposal_yaml("P-1"), encoding="utf-8")
    text = review_yaml("P-1", "審査員", SCORES, gates={"A2": "pass"})
    conds = ", ".join(f"条件{i}" for i in range(n))
    text = text.replace(
        "A2: {verdict: pass, comment: 判定の理由}",
        f"A2: {{verdict: conditional, conditions: [{conds}], comment: c}}",
    )
    (d / "P-1.review.yaml").write_text(text, encoding="utf-8")
    return ["assess", str(d / "P-1.yaml"), "--review", str(d / "P-1.review.yaml"), "--no-input"]


def many_kpis(d: Path, n: int) -> list[str]:
    kpis = "".join(f"  - {{objective: A.quality, indicator: 指標{i}, target: 目標{i}}}\n" for i in range(n))
    (d / "P-1.yaml").write_text(proposal_yaml("P-1") + "kpis:\n" + kpis, encoding="utf-8")
    (d / "P-1.review.yaml").write_text(review_yaml("P-1", "審査員", SCORES), encoding="utf-8")
    return ["assess", str(d / "P-1.yaml"), "--review", str(d / "P-1.review.yaml"), "--no-input"]


FORMATS = ["terminal", "markdown", "json", "html", "docx"]
CASES: list[tuple[str, Callable[[Path, int], list[str]], int]] = [
    *[(f"4.5 MB comment, {f}", with_format(huge_comment, f), 4_500_000 // 3) for f in FORMATS],
    *[
        (f"consolidate 1,000 reviews, {f}", many_reviews(f), 1000)
        for f in ["terminal", "markdown", "json", "html"]
    ],
    *[(f"gate with 45,000 conditions, {f}", with_format(many_conditions, f), 45_000) for f in FORMATS],
    *[(f"6,900 KPIs, {f}", with_format(many_kpis, f), 6_900) for f in FORMATS],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure; the minimum is kept")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    runs = max(1, args.runs)
    floors = times_s(["assess", str(PROPOSAL), "--review", str(REVIEW), "--no-input"], max(runs, 3))
    floor = min(floors)
    noise = max(NOISE_FLOOR_S, statistics.pstdev(floors) * 3, max(floors) - floor)
    print(f"{'floor: assess of the example':<40} {floor * 1000:8.0f} ms  (noise {noise * 1000:.0f} ms)")
    print(f"{'':<40} {'full':>8}     {'marginal: full / half':>24}")
    for name, make, size in [c for c in CASES if args.only in c[0]]:
        took = {}
        for n in (size // 2, size):
            with tempfile.TemporaryDirectory() as tmp:
                took[n] = min_s(make(Path(tmp), n), runs)
        full = took[size]
        if full == float("inf"):
            print(f"{name:<40} > {TIMEOUT_S} s   over the goal")
            continue
        flag = "" if full < GOAL_S else "   over the goal"
        m_full, m_half = full - floor, took[size // 2] - floor
        ratio = f"{m_full / m_half:4.1f}x (2x linear)" if m_half > noise else "below noise"
        print(
            f"{name:<40} {full * 1000:8.0f} ms  {m_full * 1000:7.0f} / {m_half * 1000:5.0f} ms  {ratio}{flag}"
        )


if __name__ == "__main__":
    main()
