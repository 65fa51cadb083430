"""Start-up time of sti-review against two floors, as medians over repeated runs.

    python benchmarks/startup.py [--runs N]

Floors: bare ``python -c pass`` and ``python -c "import typer, rich.console, pydantic, yaml"``
(the libraries sti-review cannot avoid). Goals (issue 2): ``assess`` within 1.3x of the import
floor; ``--version`` within 3x of bare Python.
"""

from __future__ import annotations

import argparse
import os
import statistics
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


def median_ms(cmd: list[str], runs: int) -> float:
    env = {**ENV, "COLUMNS": "100", "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=env,
            cwd=ROOT,
        )
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import floor": [sys.executable, "-c", "import typer, rich.console, pydantic, yaml"],
        # typer's own cost for a command like assess that does nothing (see typer_floor.py).
        "typer command floor": [
            sys.executable,
            str(ROOT / "benchmarks" / "typer_floor.py"),
            "assess",
            str(EXAMPLE),
            "--lang",
            "ja",
        ],
        # pydantic imports lazily: the floor above never builds a model. This one does.
        "floor + pydantic.BaseModel": [
            sys.executable,
            "-c",
            "import typer, rich.console, yaml; from pydantic import BaseModel",
        ],
        "sti-review --version": [*CLI, "--version"],
        "sti-review --help": [*CLI, "--help"],
        "sti-review assess (terminal)": [*CLI, "assess", str(EXAMPLE), "--lang", "ja"],
        "sti-review assess (json)": [*CLI, "assess", str(EXAMPLE), "-f", "json"],
    }
    for cmd in cases.values():  # warm the file cache and .pyc files
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV, cwd=ROOT
        )
    results = {name: median_ms(cmd, args.runs) for name, cmd in cases.items()}
    bare, floor = results["python -c pass"], results["import floor"]
    print(f"median of {args.runs} runs, {sys.executable} (Python {sys.version.split()[0]})")
    print(f"{'command':<32}{'ms':>9}{'x bare':>9}{'x floor':>9}")
    for name, ms in results.items():
        print(f"{name:<32}{ms:9.1f}{ms / bare:9.2f}{ms / floor:9.2f}")
    version_ratio = results["sti-review --version"] / bare
    assess_ratio = results["sti-review assess (terminal)"] / floor
    print()
    print(
        f"--version: {version_ratio:.2f}x bare python (goal <= 3.0): "
        f"{'ok' if version_ratio <= 3.0 else 'MISSED'}"
    )
    print(
        f"assess:    {assess_ratio:.2f}x import floor (goal <= 1.3): "
        f"{'ok' if assess_ratio <= 1.3 else 'MISSED'}"
    )
    typer_ratio = results["sti-review assess (terminal)"] / results["typer command floor"]
    print(f"assess:    {typer_ratio:.2f}x a typer command that does nothing (for context)")


if __name__ == "__main__":
    main()
