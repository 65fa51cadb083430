"""Start-up time of sti-review against its floors, as the minimum of paired runs.

    python benchmarks/startup.py [--runs N]

Floors: bare ``python -c pass`` and ``python -c "import typer, rich.console, pydantic, yaml"``
(the libraries sti-review cannot avoid), and an empty typer command with assess's options
(typer_floor.py). Goals (issue 17): every single-file command within 1.2x the typer floor and
2.0x the import floor; ``--version`` within 3x of bare Python. Runs are paired (round-robin)
and the minimum of each is reported. The warm-up run also fills the CLI's disk caches (the
validated rubric, ``rubric_cache``; the code ``dataclasses`` and ``typing`` compile,
``code_cache``; the parsed catalogues; the line breaks, ``text/memo.py``), so the figures are
those of a user's second and later runs; set ``STI_REVIEW_NO_CACHE=1`` to measure a run that
reads and compiles everything again (the floors never use these caches). The load average
before and after is printed: on a shared machine, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "satreps-flood-ews-th.yaml"
CLI = [sys.executable, "-m", "sti_review"]


# The warm-up run writes the .pyc files; PYTHONDONTWRITEBYTECODE=1 would stop it, and every
# run would compile the modules changed since they were last written (tens of ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_ms(cmd: list[str]) -> float:
    env = {**ENV, "COLUMNS": "100", "NO_COLOR": "1"}
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env, cwd=ROOT)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    ex = str(EXAMPLE)
    review = str(EXAMPLE.with_suffix("")) + ".review.yaml"
    floors = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import floor": [sys.executable, "-c", "import typer, rich.console, pydantic, yaml"],
        # typer's own cost for a command like assess that does nothing (see typer_floor.py).
        "typer command floor": [
            sys.executable,
            str(ROOT / "benchmarks" / "typer_floor.py"),
            "assess",
            ex,
            "--lang",
            "ja",
        ],
    }
    commands = {
        "sti-review --version": [*CLI, "--version"],
        "sti-review --help": [*CLI, "--help"],
        "assess (terminal)": [*CLI, "assess", ex, "--review", review, "--lang", "ja"],
        "assess -f json": [*CLI, "assess", ex, "--review", review, "-f", "json"],
        "assess -f markdown": [*CLI, "assess", ex, "--review", review, "-f", "markdown"],
        "assess -f html": [*CLI, "assess", ex, "--review", review, "-f", "html"],
        "check": [*CLI, "check", ex],
        "validate": [*CLI, "validate", ex, review],
        "criteria": [*CLI, "criteria"],
    }
    cases = {**floors, **commands}
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for cmd in cases.values():  # warm the file cache, .pyc files and compiled templates
        run_ms(cmd)
    # Paired runs: every round runs each case once, so a burst of load from elsewhere hits all
    # of them alike; the minimum of each is the figure least disturbed by a shared machine.
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            times[name].append(run_ms(cmd))
    results = {name: min(ts) for name, ts in times.items()}
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    bare, floor, typer_floor = (results[k] for k in floors)
    print(f"min of {args.runs} paired runs, {sys.executable} (Python {sys.version.split()[0]})")
    cached = "off (STI_REVIEW_NO_CACHE)" if os.environ.get("STI_REVIEW_NO_CACHE") else "warm"
    print(f"load average {load_before:.2f} before, {load_after:.2f} after; CLI disk caches {cached}")
    print(f"{'command':<28}{'ms':>8}{'x bare':>8}{'x import':>10}{'x typer':>9}  goal")
    for name, ms in results.items():
        goal = ""
        if name == "sti-review --version":
            goal = "<= 3.0x bare: " + ("ok" if ms / bare <= 3.0 else "MISSED")
        elif name in commands and name != "sti-review --help":
            ok = ms / typer_floor <= 1.2 and ms / floor <= 2.0
            goal = "<= 1.2x typer, <= 2.0x import: " + ("ok" if ok else "MISSED")
        print(f"{name:<28}{ms:8.1f}{ms / bare:8.2f}{ms / floor:10.2f}{ms / typer_floor:9.2f}  {goal}")


if __name__ == "__main__":
    main()
