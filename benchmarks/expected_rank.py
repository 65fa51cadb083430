"""Cost of the Bayesian expected rank (issue 18) at 100, 1,000 and 10,000 proposals.

    python benchmarks/expected_rank.py [--sizes 100 1000 10000] [--reviews 3] [--reviewers-per 30]

For each size a synthetic call is made: every proposal gets ``--reviews`` grades on a 1-6
scale from reviewers drawn from a pool (one reviewer per ``--reviewers-per`` proposals, at
least 5), with true proposal effects, reviewer leniencies and noise. Each size is fitted in a
fresh subprocess (4 chains × 1,000 warm-up + 1,000 draws, as the CLI does) and the script
prints the wall time, the peak resident memory (getrusage of the child) and, as a floor
measured in the same run, the time of a fit of the smallest possible call (2 proposals).
Every size is run twice against one fresh, empty cache folder (``STI_REVIEW_CACHE``): *cold*
(JAX compiles the sampler and stores it in the persistent compilation cache) and *warm* (the
compiled sampler is loaded from it; what every later run of a call of that padded size pays).
Growth is shown as time per proposal.

Goal: 1,000 proposals in under 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
import numpy as np
from sti_review.stats import Grade
from sti_review.stats.expected_rank import expected_rank
n, k, per = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
pool = max(5, n // per)
theta = rng.normal(0, 0.6, n)
nu = rng.normal(0, 0.4, pool)
grades = []
for i in range(n):
    for j in rng.choice(pool, size=min(k, pool), replace=False):
        g = float(np.clip(np.round(3.5 + theta[i] + nu[j] + rng.normal(0, 0.7)), 1, 6))
        grades.append(Grade(f"P{i:05d}", f"R{j:04d}", g))
t = time.perf_counter()
res = expected_rank(grades, 1, 6, fund=max(1, n // 5))
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "wall": wall, "peak_mb": peak, "rhat": res.rhat_max, "ess": res.ess_min,
                  "band": len(res.band)}))
"""


def run(n: int, k: int, per: int, cache: str) -> dict[str, float]:
    t = time.perf_counter()
    env = dict(os.environ, STI_REVIEW_CACHE=cache)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(k), str(per)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["process"] = time.perf_counter() - t
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--reviews", type=int, default=3)
    ap.add_argument("--reviewers-per", type=int, default=30)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sti-review-bench-") as cache:
        run(2, 2, 1, cache)  # compile the floor's own size once
        floor = run(2, 2, 1, cache)
        print(f"floor (2 proposals, warm cache: start, tracing, 4 x 2,000 iterations): {floor['wall']:.1f} s")
        print(
            f"{'proposals':>10} {'cold s':>7} {'warm s':>7} {'warm-floor':>10} {'ms/proposal':>12} "
            f"{'peak MB':>8} {'R-hat':>6} {'min ESS':>8}"
        )
        for n in args.sizes:
            cold = run(n, args.reviews, args.reviewers_per, cache)
            warm = run(n, args.reviews, args.reviewers_per, cache)
            above = warm["wall"] - floor["wall"]
            per = 1000 * above / n
            print(
                f"{n:>10,} {cold['wall']:>7.1f} {warm['wall']:>7.1f} {above:>10.1f} {per:>12.2f} "
                f"{max(cold['peak_mb'], warm['peak_mb']):>8.0f} {warm['rhat']:>6.3f} {warm['ess']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
