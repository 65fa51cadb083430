"""Reviewer assignment at scale: conflicts, affinities and the exact MILP.

    python benchmarks/assign_scale.py [--small 1000 300] [--large 10000 2000] [--k 3] [--top 30]

Synthetic, in-process (no files): proposals and reviewers with Japanese or English texts built
from a shared vocabulary of research topics, institutions from a list of 200 (so each reviewer
is in conflict with about 0.5% of the proposals), languages (a third of the reviewers read
only English) and loads (max 1.5 x proposals x k / reviewers, rounded up).

Figures printed for each size:
- conflicts, affinity (TF-IDF + cosine) and solve times;
- the floor, measured in the same run: the greedy choice of each proposal's k best eligible
  reviewers, ignoring loads and languages (numpy argpartition). Its affinity is an upper bound
  on any assignment's, so "gap to bound" says how much the constraints cost;
- for the small case, the exact solution and the sparsified one (--top best candidates per
  proposal): the objective lost by sparsifying;
- for the large case, only the sparsified solution (the exact programme has 20 million
  variables), with the peak memory of the process.

Goals (issue 19): 1,000 x 300 x 3 exact in under 30 s on this machine; 10,000 x 2,000 feasible.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sti_review.affinity import compute
from sti_review.assignment import Options, assign
from sti_review.conflicts import find_conflicts
from sti_review.proposal import Partner, Person, Proposal, TeamMember
from sti_review.reviewers import Reviewer

TOPICS_JA = [
    "洪水予測",
    "塩害",
    "水田水管理",
    "火山灰",
    "降灰予測",
    "薬剤耐性菌",
    "感染症",
    "ゲノム解析",
    "パワー半導体",
    "結晶成長",
    "電気化学",
    "触媒",
    "水素",
    "材料インフォマティクス",
    "機械学習",
    "生物多様性",
    "海洋プラスチック",
    "市民科学",
    "気候変動適応",
    "森林火災",
    "地震防災",
    "津波",
    "量子計算",
    "量子通信",
    "ロボット",
    "自動運転",
    "医療画像",
    "創薬",
    "ワクチン",
    "栄養",
]
TOPICS_EN = [
    "flood forecasting",
    "salinity",
    "paddy water management",
    "volcanic ash",
    "ash fall",
    "antimicrobial resistance",
    "infectious disease",
    "genomics",
    "power semiconductors",
    "crystal growth",
    "electrochemistry",
    "catalysis",
    "hydrogen",
    "materials informatics",
    "machine learning",
    "biodiversity",
    "ocean plastics",
    "citizen science",
    "climate adaptation",
    "wildfire",
    "earthquake engineering",
    "tsunami",
    "quantum computing",
    "quantum communication",
    "robotics",
    "autonomous driving",
    "medical imaging",
    "drug discovery",
    "vaccines",
    "nutrition",
]
INSTITUTIONS = [f"研究機関{i:03d}" for i in range(200)]
COUNTRIES = ["TH", "VN", "ID", "PH", "KE", "BR", "DE", "FR", "US", "IN"]


def synthesize(n_p: int, n_r: int, k: int, seed: int = 1) -> tuple[list[Proposal], list[Reviewer]]:
    rng = random.Random(seed)
    proposals = []
    for i in range(n_p):
        topics = rng.sample(range(len(TOPICS_JA)), 3)
        ja = rng.random() < 0.7
        words = [(TOPICS_JA if ja else TOPICS_EN)[t] for t in topics]
        sep = "と" if ja else " and "
        title = sep.join(words[:2]) + ("に関する国際共同研究" if ja else ": an international project")
        summary = (
            ("本研究は" if ja else "This project studies ") + sep.join(words) + ("を扱う。" if ja else ".")
        )
        proposals.append(
            Proposal.model_construct(
                id=f"P{i:05d}",
                title=title,
                programme="joint_research",
                summary=summary * 3,
                lead=Person.model_construct(name=f"代表者{i}", institution=rng.choice(INSTITUTIONS)),
                partners=[Partner.model_construct(country=rng.choice(COUNTRIES), institution="")],
                objectives=[],
                kpis=[],
                risks=[],
                sections={},
                team=[TeamMember.model_construct(name=f"研究者{rng.randrange(n_p * 3)}", institution="")],
                budget=None,
            )
        )
    max_load = -(-3 * n_p * k // (2 * n_r))  # 1.5 times the average load, rounded up
    reviewers = []
    for j in range(n_r):
        topics = rng.sample(range(len(TOPICS_JA)), 4)
        en_only = rng.random() < 0.33
        keywords = (
            [TOPICS_EN[t] for t in topics]
            if en_only
            else [TOPICS_JA[t] for t in topics[:2]] + [TOPICS_EN[t] for t in topics[2:]]
        )
        reviewers.append(
            Reviewer.model_construct(
                id=f"R{j:05d}",
                name=f"審査員{j}",
                institution=rng.choice(INSTITUTIONS),
                affiliations=[],
                researcher_number=None,
                country=rng.choice(["JP", "JP", "JP", *COUNTRIES]),
                keywords=keywords,
                expertise="",
                languages=["en"] if en_only else ["ja", "en"],
                min_load=0,
                max_load=max_load,
                conflicts=[],
                collaborators=[],
            )
        )
    return proposals, reviewers


def greedy_bound(scores, conflicts, proposals, reviewers, k):  # type: ignore[no-untyped-def]
    import numpy as np

    s = scores.copy()
    pi = {p.id: i for i, p in enumerate(proposals)}
    rj = {r.id: j for j, r in enumerate(reviewers)}
    for rid, pid in conflicts:
        s[pi[pid], rj[rid]] = -np.inf
    top = np.argpartition(-s, k - 1, axis=1)[:, :k]
    return float(np.take_along_axis(s, top, axis=1).sum())


def run(n_p: int, n_r: int, k: int, top: int, exact: bool) -> None:
    print(f"\n== {n_p:,} proposals x {n_r:,} reviewers, {k} per proposal")
    proposals, reviewers = synthesize(n_p, n_r, k)
    t0 = time.perf_counter()
    report = find_conflicts(reviewers, proposals, this_year=2026)
    t1 = time.perf_counter()
    aff = compute(proposals, reviewers)
    t2 = time.perf_counter()
    pairs = report.pairs()
    bound = greedy_bound(aff.scores, pairs, proposals, reviewers, k)
    t3 = time.perf_counter()
    print(f"conflicts   {t1 - t0:7.2f} s  ({len(pairs):,} conflicted pairs)")
    print(f"affinity    {t2 - t1:7.2f} s  (TF-IDF char 2-4 grams, cosine)")
    print(f"floor       {t3 - t2:7.2f} s  greedy top-{k}, no loads: affinity {bound:.3f} (an upper bound)")
    exact_obj = None
    if exact:
        t = time.perf_counter()
        a = assign(proposals, reviewers, aff.scores, pairs, Options(k))
        el = time.perf_counter() - t
        exact_obj = a.objective
        print(
            f"exact       {el:7.2f} s  affinity {a.objective:.3f}, gap to bound "
            f"{100 * (bound - a.objective) / bound:.3f}%, {a.variables:,} variables"
        )
        print(
            f"total       {t1 - t0 + t2 - t1 + el:7.2f} s  (conflicts + affinity + exact solve; goal < 30 s)"
        )
        t = time.perf_counter()
        f = assign(proposals, reviewers, aff.scores, pairs, Options(k, fair=True, time_limit=60))
        print(
            f"exact fair  {time.perf_counter() - t:7.2f} s  weakest {f.weakest:.3f} "
            f"(vs {a.weakest:.3f} without --fair; {f.fair_status}, bound {f.fair_bound:.3f}), "
            f"affinity {f.objective:.3f}"
        )
    t = time.perf_counter()
    a = assign(proposals, reviewers, aff.scores, pairs, Options(k, candidates=top))
    el = time.perf_counter() - t
    loss = f", loss vs exact {100 * (exact_obj - a.objective) / exact_obj:.4f}%" if exact_obj else ""
    print(
        f"top-{top:<3}     {el:7.2f} s  affinity {a.objective:.3f}{loss}, gap to bound "
        f"{100 * (bound - a.objective) / bound:.3f}%, {a.variables:,} variables"
        f" (candidates used: {a.candidates_used})"
    )
    t = time.perf_counter()
    f = assign(proposals, reviewers, aff.scores, pairs, Options(k, candidates=top, fair=True, time_limit=20))
    bound = f"{f.fair_bound:.3f}" if f.fair_bound is not None else "?"
    print(
        f"top-{top} fair {time.perf_counter() - t:7.2f} s  weakest {f.weakest:.3f} "
        f"(vs {a.weakest:.3f} without --fair; {f.fair_status}, bound {bound}), affinity {f.objective:.3f}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:7.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", nargs=2, type=int, default=[1000, 300])
    ap.add_argument("--large", nargs=2, type=int, default=[10000, 2000])
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-small", action="store_true")
    args = ap.parse_args()
    if not args.skip_small:
        run(*args.small, args.k, args.top, exact=True)
    if not args.skip_large:
        run(*args.large, args.k, args.top, exact=False)


if __name__ == "__main__":
    main()
