"""Cost of the shared Japanese line breaker, beside floors measured in the same run.

    python benchmarks/linebreak.py [--runs N]

Prints: the import of budoux and the load of its Japanese model (in a fresh interpreter,
against ``python -c pass``), and the time to wrap one report-sized Japanese paragraph at 40
columns with ``sti_review.text.linebreak.wrap`` (uncached and cached) against rich's own
``Text.wrap`` of the same text (the floor: what tables cost today) and the questionnaire's old
character-level breaker.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PARAGRAPH = (
    "タイの防災法（2007年）では警報の発令権限は県知事・DDPMにあり、研究チームが発令主体となることはない。"
    "リスク領域（export_control）について、輸出管理の事前確認（2026-11-28まで）を条件とする。"
    "申請額は4億5000万円（400,000千円の上限内）で、評点尺度：0〜5（0.5刻み）、達成率は87.5%である。"
)


def _subprocess_ms(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _per_call_us(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    bare = _subprocess_ms("pass", 10)
    budoux_ms = _subprocess_ms("import budoux; budoux.load_default_japanese_parser()", 10)
    print(f"python -c pass               {bare:8.1f} ms (floor)")
    print(f"import budoux + ja model     {budoux_ms:8.1f} ms (+{budoux_ms - bare:.1f} ms, paid once, lazily)")

    from rich.console import Console
    from rich.text import Text

    from sti_review.questionnaire import wrap as old_wrap
    from sti_review.text import linebreak

    linebreak.wrap(PARAGRAPH, 40)  # load the model
    console = Console(width=40)
    # A different paragraph each call defeats the caches (the text differs by its last digits).
    rich_us = _per_call_us(lambda i: Text(PARAGRAPH + str(i)).wrap(console, 40), runs)
    old_us = _per_call_us(lambda i: old_wrap(PARAGRAPH + str(i), 40), runs)
    new_us = _per_call_us(lambda i: linebreak.wrap(PARAGRAPH + str(i), 40), runs)
    cached_us = _per_call_us(lambda i: linebreak.wrap(PARAGRAPH, 40), runs)
    print(f"paragraph: {len(PARAGRAPH)} characters, width 40")
    print(f"rich Text.wrap               {rich_us:8.0f} µs (floor)")
    print(f"questionnaire.wrap (old)     {old_us:8.0f} µs")
    print(f"linebreak.wrap, uncached     {new_us:8.0f} µs ({new_us / rich_us:.1f}x the floor)")
    print(f"linebreak.wrap, cached       {cached_us:8.0f} µs")


if __name__ == "__main__":
    main()
