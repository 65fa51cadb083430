"""Ranking a whole call from files on disk, at 1,000, 10,000 and 100,000 proposals.

    python benchmarks/rank_scale.py [--sizes 1000 10000 100000] [--reviews 3] [--jobs 1 2] [--keep DIR]

For each size the script generates a synthetic call into a temporary folder (or DIR):
``proposals/P-NNNNNN.yaml`` and ``reviews/P-NNNNNN/rK.yaml``, with realistic sizes: a proposal
of 9-16 KB (Japanese text in every criterion's section, partners, KPIs, risks, team,
budget) and reviews of 2-7 KB (scores, verdicts, comments). Then it runs
``sti-review rank CALL --fund N --format csv`` in a subprocess and reports the wall time and
the peak memory: the sum of the resident sizes of the command and its worker processes,
sampled every 20 ms from /proc, and the largest single process (getrusage).

Printed beside each other (issue 17): the parse floor (every file merely parsed with PyYAML's C
loader, in one and in two processes), the cold rank (``--no-cache``) and its ratio to the
two-process floor, the first cached run (filling the cache), the warm re-rank of the unchanged
call, and the re-rank after 10 reviews changed. Goals: cold within 1.3x the two-process floor,
warm under 1.5 s, after 10 edits under 2 s for 10,000 proposals; 100,000 proposals under 600 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_REF = "mext-sti-international-2021@1"

SENTENCES = [
    "日本側が強みを持つ計測技術と、相手国側が長年蓄積してきた観測データを組み合わせる。",
    "両国の研究者が役割を分担し、年2回の対面ワークショップで進捗と課題を共有する。",
    "若手研究者を3か月以上相手国に派遣し、共同研究の現場で指導を受ける機会を設ける。",
    "成果は査読付き国際共著論文とオープンデータとして公開し、他地域への展開を図る。",
    "自治体や企業など社会実装の担い手を初年度から計画に参画させる。",
    "外為法に基づく該非判定を全ての提供技術について実施し、記録を保存する。",
    "利益相反と外国資金の受入状況は所属機関の規程に従って申告済みである。",
    "データ管理計画は初年度中に相手機関と合意し、個人データは匿名化して扱う。",
    "現地の法規制や文化的な慣習を踏まえ、住民の意見を聞く場を定期的に設ける。",
    "オンライン会議は月2回とし、実験や現地調査は対面で実施する。",
    "相手国の研究設備を遠隔で利用できるよう、予約と操作の手順を整備する。",
    "大学のURAが契約、輸出管理、安全管理を支援し、専任のプロジェクトマネージャーを置く。",
    "事業終了後も共同運営委員会を年1回以上開催し、人的ネットワークを維持する。",
    "過去の二国間交流事業で得たデータとモデルを引き継ぎ、初年度から試験計算を行う。",
    "相手国の博士課程学生を受け入れ、共同指導によって学位取得を支援する。",
    "環境や人権への影響を事前に評価し、必要な対策を計画に組み込む。",
    "成果指標は宣言した全ての目的に対応させ、ベースラインと測定時期を明示する。",
    "人文・社会科学の研究者と産業界の参画者がチームに加わり、制度面の分析を担う。",
]
COMMENTS = [
    "具体的で実現可能性が高い。",
    "記述はあるが、実施体制がやや不明確である。",
    "相手国側の役割が明確で、相互補完的な設計になっている。",
    "指標の測定方法とベースラインが示されておらず、評価が難しい。",
    "過去の成果の活用が具体的に示されている。",
    "リスクの把握は十分だが、対策の責任分担が曖昧である。",
    "若手研究者の育成計画が具体的で評価できる。",
    "社会実装の道筋が段階的に示されている点を評価する。",
    "The plan is concrete and the partners' roles are clear.",
    "Indicators are listed but lack baselines and a measurement plan.",
]
COUNTRIES = ["TH", "VN", "ID", "PH", "MY", "IN", "KE", "BR", "DE", "FR", "US", "GB", "AU", "FI", "KR"]
OBJECTIVES = [
    "A.quality",
    "A.strategic_tech",
    "A.complementarity",
    "A.diversity",
    "A.networks",
    "A.talent",
    "B.public_goods",
    "B.sdgs",
    "B.implementation",
    "B.field_sites",
    "B.crisis",
    "C.shared_vision",
    "C.like_minded",
    "C.presence",
    "C.friendship",
    "C.rule_making",
]
STAGES = ["doctoral", "postdoc", "faculty", "faculty", "staff", "student"]
COMMON = ["A1", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6"]
GATES = ["A2", "X7"]
PROGRAMME_ITEMS = {
    "joint_research": [f"JR{i}" for i in range(1, 8)],
    "brain_circulation": [f"BC{i}" for i in range(1, 6)],
    "other": [],
}


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(pad + text[i : i + 60] for i in range(0, len(text), 60))


def _para(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SENTENCES) for _ in range(n))


def proposal_text(rng: random.Random, pid: str, programme: str) -> str:
    objectives = sorted(rng.sample(OBJECTIVES, rng.randint(3, 7)))
    countries = rng.sample(COUNTRIES, rng.randint(1, 3))
    lines = [
        "# synthetic proposal (benchmarks/rank_scale.py)",
        f"id: {pid}",
        f"title: 国際共同研究課題 {pid} 持続可能な社会に向けた共同研究と人材交流",
        f"programme: {programme}",
        f"summary: {_block(_para(rng, 6), 2)}",
        "lead: {name: 研究 太郎, institution: 架空大学 研究科}",
        "partners:",
        *[f"  - {{country: {c}, institution: Partner University {c}}}" for c in countries],
        "objectives: [" + ", ".join(objectives) + "]",
        "kpis:",
    ]
    for o in objectives:
        lines += [
            f"  - objective: {o}",
            f"    indicator: {_block(_para(rng, 1), 6)}",
            "    target: 5年間で20件以上（ベースライン2025年度）",
        ]
    lines.append("risks:")
    for area in rng.sample(["environment", "human_rights", "safety_security", "legal", "culture"], 3):
        lines += [
            f"  - area: {area}",
            f"    description: {_block(_para(rng, 1), 6)}",
            f"    mitigation: {_block(_para(rng, 1), 6)}",
        ]
    lines += [
        "integrity:",
        "  procedures: [export_control, conflict_of_interest, foreign_funding_disclosure, data_management]",
        f"  notes: {_block(_para(rng, 2), 4)}",
        "sections:",
    ]
    for cid in COMMON[:3] + GATES + COMMON[3:] + PROGRAMME_ITEMS[programme]:
        lines.append(f"  {cid}: {_block(_para(rng, rng.randint(2, 5)), 4)}")
    lines.append("team:")
    for k in range(rng.randint(4, 9)):
        stage = rng.choice(STAGES)
        lines.append(
            f"  - {{name: 研究者 {k}, role: 分担者, discipline: natural_sciences, career_stage: {stage}}}"
        )
    lines.append(f"budget: {rng.randrange(10, 200) * 1_000_000}")
    return "\n".join(lines) + "\n"


def review_text(rng: random.Random, pid: str, programme: str, k: int, level: float) -> str:
    lines = [
        f"proposal: {pid}",
        f"reviewer: 審査員 {k:02d}",
        f"rubric: {RUBRIC_REF}",
        "answers:",
    ]
    for cid in COMMON[:3] + GATES + COMMON[3:] + PROGRAMME_ITEMS[programme]:
        if cid in GATES:
            roll = rng.random()
            if roll < 0.9:
                lines += [f"  {cid}:", "    verdict: pass", f"    comment: {_block(_para(rng, 1), 6)}"]
            elif roll < 0.98:
                lines += [
                    f"  {cid}:",
                    "    verdict: conditional",
                    "    conditions: [採択後3か月以内に該非判定を完了すること]",
                    f"    comment: {_block(_para(rng, 1), 6)}",
                ]
            else:
                lines += [f"  {cid}:", "    verdict: fail", f"    comment: {_block(_para(rng, 2), 6)}"]
            continue
        score = min(5.0, max(0.0, round((level + rng.gauss(0, 0.6)) * 2) / 2))
        shown = int(score) if score.is_integer() else score
        comment = "".join(rng.choice(COMMENTS) for _ in range(rng.randint(2, 4)))
        if score <= 2 or rng.random() < 0.85:
            lines += [f"  {cid}:", f"    score: {shown}", f"    comment: {_block(comment, 6)}"]
        else:
            lines.append(f"  {cid}: {{score: {shown}}}")
    return "\n".join(lines) + "\n"


def generate(root: Path, n: int, reviews: int, seed: int = 2026) -> tuple[int, int]:
    """Write a synthetic call of n proposals; return (files, bytes)."""
    rng = random.Random(seed)
    (root / "proposals").mkdir(parents=True, exist_ok=True)
    files = size = 0
    for i in range(1, n + 1):
        pid = f"P-{i:06d}"
        programme = rng.choices(list(PROGRAMME_ITEMS), weights=[5, 3, 2])[0]
        text = proposal_text(rng, pid, programme)
        data = text.encode("utf-8")
        (root / "proposals" / f"{pid}.yaml").write_bytes(data)
        files += 1
        size += len(data)
        folder = root / "reviews" / pid
        folder.mkdir(parents=True, exist_ok=True)
        level = rng.uniform(2.2, 4.6)
        for k in range(1, reviews + 1):
            data = review_text(rng, pid, programme, k, level).encode("utf-8")
            (folder / f"r{k}.yaml").write_bytes(data)
            files += 1
            size += len(data)
    return files, size


def _tree_rss_kb(pid: int, field: str = "VmRSS:", combine: Any = sum) -> int:
    """Resident size of a process and all its descendants, in KiB (Linux /proc): their sum, or
    with ``combine=max`` the largest; ``field="VmHWM:"`` for each one's peak so far."""
    sizes = [0]
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith(field):
                        sizes.append(int(line.split()[1]))
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
    return int(combine(sizes))


def _children_cpu() -> float:
    """CPU seconds (user + system) of the waited-for child processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_rank(
    call: Path, fund: int, *extra: str, cache: Path | None = None, fmt: str = "csv"
) -> tuple[float, float, float, int, float]:
    """Run the ranking command; (seconds, peak total MB, largest process MB, exit code, CPU
    seconds of the command and its workers). The largest process is this run's own (the
    script's other runs are not counted): /proc's VmHWM of each process, read while it runs."""
    cmd = [sys.executable, "-m", "sti_review", "rank", str(call), "--fund", str(fund), "--format", fmt]
    cmd += extra
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if cache is not None:
        env["STI_REVIEW_CACHE"] = str(cache)
    peak = 0
    largest = 0
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, largest
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            largest = max(largest, _tree_rss_kb(proc.pid, "VmHWM:", max))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in (0,):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return elapsed, peak / 1024, largest / 1024, proc.returncode, _children_cpu() - cpu


FLOOR = """
import sys, os, yaml
from multiprocessing import Pool
L = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
def one(p):
    with open(p, "rb") as fh:
        yaml.load(fh.read().decode("utf-8"), Loader=L)
root, n = sys.argv[1], int(sys.argv[2])
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".yaml"))
if n == 1:
    for p in paths: one(p)
else:
    with Pool(n) as pool: pool.map(one, paths, chunksize=256)
"""


def parse_floor(call: Path, procs: int) -> tuple[float, float]:
    """Whole-process time of merely parsing every file with PyYAML's C loader: (wall seconds,
    CPU seconds of the process and its workers)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(call), str(procs)], check=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def edit_reviews(call: Path, count: int) -> None:
    """Change a score in ``count`` reviews, as a panel would between two runs."""
    done = 0
    for path in sorted((call / "reviews").rglob("r1.yaml"))[:: max(1, 97)]:
        text = path.read_text(encoding="utf-8")
        new = text.replace("score: 3\n", "score: 4\n", 1).replace("score: 2\n", "score: 3\n", 1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            done += 1
        if done == count:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[0], help="--jobs values (0: default)")
    parser.add_argument("--keep", type=Path, help="generate into DIR/<size> and keep the files")
    parser.add_argument("--cold-only", action="store_true", help="no cached runs (fill, warm, edit10)")
    parser.add_argument(
        "--formats",
        nargs="+",
        default=["csv"],
        choices=["csv", "json", "terminal", "markdown", "html"],
        help="report formats, each ranked cold; cached runs in the first only, then a warm run in each",
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the parse floor (0 in the table)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    print(
        f"{'proposals':>10} {'files':>8} {'MB':>5} {'jobs':>4} {'floor1':>7} {'floor2':>7} "
        f"{'cold':>7} {'c/f2':>5} {'f2 cpu':>7} {'cold cpu':>8} {'cpu c/f2':>8} {'fill':>6} {'warm':>6} "
        f"{'edit10':>6} {'peak MB':>8} {'max proc MB':>11}"
    )
    for n in args.sizes:
        base = Path(tempfile.mkdtemp(prefix=f"sti-call-{n}-")) if args.keep is None else args.keep / str(n)
        cache = Path(tempfile.mkdtemp(prefix="sti-cache-"))
        try:
            if args.keep is not None and (base / "proposals").is_dir():
                files = sum(1 for _ in base.rglob("*.yaml"))
                size = sum(p.stat().st_size for p in base.rglob("*.yaml"))
            else:
                files, size = generate(base, n, args.reviews)
            fund = max(1, n // 10)
            floor1, _, floor2, floor2_cpu = (
                (float("nan"),) * 4 if args.no_floor else (*parse_floor(base, 1), *parse_floor(base, 2))
            )
            memory: list[str] = []
            for jobs in args.jobs:
                extra = ("--jobs", str(jobs)) if jobs else ()
                for fmt in args.formats:
                    cold, peak, largest, code, cold_cpu = time_rank(base, fund, "--no-cache", *extra, fmt=fmt)
                    memory.append(
                        f"cold {fmt} (jobs {jobs or 'all'}): {peak:.0f} MB, largest {largest:.0f} MB"
                    )
                    if fmt != args.formats[0]:
                        continue
                    shutil.rmtree(cache, ignore_errors=True)
                    fill = warm = edited = float("nan")
                    if not args.cold_only:
                        fill, fpeak, flargest, *_ = time_rank(base, fund, *extra, cache=cache, fmt=fmt)
                        memory.append(f"first cached {fmt}: {fpeak:.0f} MB, largest {flargest:.0f} MB")
                        warm, *_ = time_rank(base, fund, *extra, cache=cache, fmt=fmt)
                        for other in args.formats:  # the report drawn from the warm call
                            _, wpeak, wlargest, *_ = time_rank(base, fund, *extra, cache=cache, fmt=other)
                            memory.append(f"warm {other}: {wpeak:.0f} MB, largest {wlargest:.0f} MB")
                        edit_reviews(base, 10)
                        edited, *_ = time_rank(base, fund, *extra, cache=cache, fmt=fmt)
                    print(
                        f"{n:>10,} {files:>8,} {size / 1e6:>5.0f} {jobs or 'all':>4} {floor1:>7.2f} "
                        f"{floor2:>7.2f} {cold:>7.2f} {cold / floor2:>5.2f} {floor2_cpu:>7.2f} "
                        f"{cold_cpu:>8.2f} "
                        f"{cold_cpu / floor2_cpu:>8.2f} {fill:>6.2f} {warm:>6.2f} "
                        f"{edited:>6.2f} {peak:>8.0f} {largest:>11.0f}"
                        + ("" if code == 0 else f"  (exit {code})"),
                        flush=True,
                    )
            for line in memory:  # peak: the sum over the process tree; largest: one process
                print(f"    {n:,} proposals, {line}", flush=True)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            if args.keep is None:
                shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
