"""``consolidate`` of 1,000 reviews of one proposal in every format (issue 11: under 2 s and 500 MB).

    python benchmarks/consolidate_scale.py [--runs N] [--reviews N] [--keep DIR]

The reviews are made from the example reviews of CALL26-BC-01 (examples/call-2026): review i is
example i mod 4 under the name "Reviewer i", with a few scores moved by half a point so that the
panel's statistics have something to measure. Each format runs in a fresh process (whole
process: start-up, reading, statistics, rendering, writing), its wall time the median of the
runs and its peak memory (max RSS) that of the slowest; beside them two floors measured in the
same run: the import floor (``sti-review --version``) and ``consolidate`` of the example's own
four reviews. Goal: every format under 2 s and 500 MB on the project's loaded 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL = ROOT / "examples" / "call-2026"
PROPOSAL = CALL / "proposals" / "CALL26-BC-01.yaml"
EXAMPLE_REVIEWS = CALL / "reviews" / "CALL26-BC-01"
CLI = [sys.executable, "-m", "sti_review"]
GOAL_S = 2.0
GOAL_MB = 500
FORMATS = ["terminal", "markdown", "json", "html", "docx", "xlsx"]  # consolidate has no CSV


def make_reviews(folder: Path, n: int) -> None:
    """``n`` reviews of CALL26-BC-01 from the example ones, deterministic."""
    sources = sorted(p for p in EXAMPLE_REVIEWS.glob("*.yaml"))
    texts = []
    for p in sources:
        text = p.read_text(encoding="utf-8")
        if re.search(r"^role:\s*panel", text, re.M):
            continue  # the consensus review: one panel only
        texts.append(text)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = re.sub(
            r"^reviewer:.*$", f"reviewer: Reviewer {i:04d}", texts[i % len(texts)], count=1, flags=re.M
        )
        step = [0, 0.5, -0.5][i % 3]

        def moved(m: re.Match[str], step: float = step) -> str:
            value = min(5.0, max(1.0, float(m.group(2)) + step))
            return f"{m.group(1)}{value:g}"

        text = re.sub(r"^(\s+score: )(\d+(?:\.\d+)?)$", moved, text, flags=re.M)
        (folder / f"r{i:04d}.yaml").write_text(text, encoding="utf-8")


def run(args: list[str], runs: int) -> tuple[float, float, float, int]:
    """(median wall s, median CPU s, peak RSS MB, exit code) of ``sti-review ARGS``, each run
    in a fresh process. The CPU time (user + system) is what the process itself cost: on a
    loaded machine the wall time also holds the time it waited for a core."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    times, cpu, peak, code = [], [], 0.0, 0
    for _ in range(runs):
        start = time.perf_counter()
        with open(os.devnull, "wb") as null:
            proc = subprocess.Popen([*CLI, *args], stdout=null, stderr=subprocess.PIPE, env=env)
            assert proc.stderr is not None
            proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        times.append(time.perf_counter() - start)
        cpu.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
        code = proc.returncode
    return statistics.median(times), statistics.median(cpu), peak, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--only", default="", help="run the formats whose name contains this")
    parser.add_argument("--keep", type=Path, help="make the reviews in this folder and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "reviews"
        if not folder.is_dir() or not any(folder.glob("*.yaml")):
            make_reviews(folder, args.reviews)
        print(f"{'':<44} {'wall':>9} {'CPU':>9} {'memory':>9}")
        floors = [
            ("floor: consolidate --help (imports)", ["consolidate", "--help"]),
            (
                "floor: consolidate of the 4 example reviews",
                ["consolidate", str(PROPOSAL), str(EXAMPLE_REVIEWS)],
            ),
        ]
        for name, floor_args in floors:
            small, cpu, mb, _ = run(floor_args, args.runs)
            print(f"{name:<44} {small * 1000:6.0f} ms {cpu * 1000:6.0f} ms {mb:6.0f} MB")
        n = len(list(folder.glob("*.yaml")))
        for fmt in [f for f in FORMATS if args.only in f]:
            out = ["-o", str(Path(tmp) / f"out.{fmt}"), "--force"] if fmt in ("docx", "xlsx") else []
            took, cpu, mb, code = run(
                ["consolidate", str(PROPOSAL), str(folder), "--format", fmt, *out], args.runs
            )
            over = "" if took < GOAL_S and mb < GOAL_MB else "   over the goal"
            name = f"consolidate {n:,} reviews, {fmt}"
            print(
                f"{name:<44} {took * 1000:6.0f} ms {cpu * 1000:6.0f} ms {mb:6.0f} MB"
                f"  ({took / small:4.1f}x the small panel, exit {code}){over}"
            )


if __name__ == "__main__":
    main()
