"""Who reviews what: an integer programme over affinities with a conflict mask, solved exactly.

Each proposal gets ``per_proposal`` reviewers; each reviewer's load stays within
[min_load, max_load]; no conflicted pair is ever a variable; each proposal gets at least one
reviewer who reads its language, and with ``outside_region`` at least one reviewer whose country
lies outside the regions of the proposal's partner countries. The total affinity is maximised
by scipy.optimize.milp (HiGHS). With ``fair``, the weakest proposal's affinity is maximised
first and the total second (lexicographically). With ``candidates=k`` only each proposal's k
best eligible reviewers (plus its best readers of its language and from outside its region) are
variables: how 10,000 proposals x 2,000 reviewers stays feasible in memory and time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .affinity import require
from .errors import StiReviewError
from .proposal import Proposal
from .reviewers import Reviewer

_JA = re.compile("[\u3040-\u30ff\u3400-\u9fff]")
_LATIN = re.compile("[A-Za-z]")


def proposal_language(p: Proposal) -> str:
    """ja when the title and summary are mostly in Japanese script, else en."""
    declared = getattr(p, "language", None)
    if isinstance(declared, str) and declared:
        return declared
    text = p.title + p.summary
    ja, latin = len(_JA.findall(text)), len(_LATIN.findall(text))
    # A Japanese character carries about as much as a short English word.
    return "ja" if ja * 3 >= latin and ja > 0 else "en"


def rubric_regions(rubric: Any = None) -> dict[str, str]:
    """Country -> partner region, as the rubric declares them (the default rubric's when none)."""
    from .portfolio import country_regions
    from .rubric import load_rubric

    return country_regions(rubric if rubric is not None else load_rubric())


def proposal_regions(p: Proposal, mapping: dict[str, str] | None = None) -> set[str]:
    mapping = rubric_regions() if mapping is None else mapping
    return {mapping[x.country] for x in p.partners if x.country in mapping}


def outside(r: Reviewer, regions: set[str], mapping: dict[str, str] | None = None) -> bool:
    mapping = rubric_regions() if mapping is None else mapping
    region = mapping.get(r.country or "")
    return region is not None and region not in regions


@dataclass
class Options:
    per_proposal: int = 3
    fair: bool = False
    outside_region: bool = False
    candidates: int | None = None  # sparsify: k best candidates per proposal
    regions: dict[str, str] | None = None  # country -> partner region (None: the default rubric's)
    time_limit: float = 60.0  # seconds per stage of --fair


@dataclass
class Shortfall:
    """One reason an assignment cannot exist.

    constraint: reviewers, language, outside_region, capacity_max, capacity_min, combination.
    """

    constraint: str
    proposals: list[str] = field(default_factory=list)
    short: int = 0
    detail: str = ""


class Infeasible(StiReviewError):
    exit_code = 2

    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = shortfalls
        super().__init__("; ".join(f"{s.constraint}: {s.detail}" for s in shortfalls))


@dataclass
class Pair:
    proposal: str
    reviewer: str
    affinity: float
    terms: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    proposals: list[Proposal]
    reviewers: list[Reviewer]
    pairs: list[Pair]
    objective: float
    options: Options
    languages: dict[str, str]
    conflicts: int
    weakest: float = 0.0  # the lowest per-proposal affinity (sum over its reviewers)
    variables: int = 0
    candidates_used: int | None = None  # --candidates, after any widening
    fair_status: str | None = None  # --fair: optimal, time_limit (best found) or not_found
    fair_bound: float | None = None  # --fair: the solver's bound on the weakest proposal's value

    def loads(self) -> dict[str, int]:
        out = {r.id: 0 for r in self.reviewers}
        for pair in self.pairs:
            out[pair.reviewer] += 1
        return out

    def by_proposal(self) -> dict[str, list[Pair]]:
        out: dict[str, list[Pair]] = {p.id: [] for p in self.proposals}
        for pair in self.pairs:
            out[pair.proposal].append(pair)
        return out

    def proposal_affinity(self) -> dict[str, float]:
        return {pid: sum(x.affinity for x in pairs) for pid, pairs in self.by_proposal().items()}


@dataclass
class _Problem:
    ii: Any  # proposal index per variable
    jj: Any  # reviewer index per variable
    a: Any  # affinity per variable
    reads: Any  # bool per variable: reviewer reads the proposal's language
    out: Any  # bool per variable: reviewer from outside the proposal's regions


def assign(
    proposals: Sequence[Proposal],
    reviewers: Sequence[Reviewer],
    scores: Any,
    conflicts: set[tuple[str, str]],
    options: Options,
) -> Assignment:
    np = require("numpy")
    n_p, n_r = len(proposals), len(reviewers)
    langs = [proposal_language(p) for p in proposals]
    mapping = options.regions if options.regions is not None else rubric_regions()
    regions = [proposal_regions(p, mapping) for p in proposals]
    rindex = {r.id: j for j, r in enumerate(reviewers)}
    pindex = {p.id: i for i, p in enumerate(proposals)}
    eligible = np.ones((n_p, n_r), dtype=bool)
    for rid, pid in conflicts:
        if rid in rindex and pid in pindex:
            eligible[pindex[pid], rindex[rid]] = False
    reads = np.array([[r.reads(lang) for r in reviewers] for lang in sorted(set(langs))], dtype=bool)
    lang_row = {lang: i for i, lang in enumerate(sorted(set(langs)))}
    reads_pr = reads[[lang_row[x] for x in langs]] if n_p else np.zeros((0, n_r), dtype=bool)
    out_pr = _outside_matrix(reviewers, regions, mapping)

    _precheck(proposals, reviewers, eligible, reads_pr, out_pr, langs, options)
    info: dict[str, Any] = {}
    candidates = options.candidates
    while True:
        keep = eligible
        if candidates is not None and candidates < n_r:
            keep = _sparsify(scores, eligible, reads_pr, out_pr, replace(options, candidates=candidates))
        ii, jj = np.nonzero(keep)
        prob = _Problem(ii, jj, scores[ii, jj].astype(float), reads_pr[ii, jj], out_pr[ii, jj])
        x = _solve(prob, n_p, reviewers, options, frozenset(), info)
        if x is not None or candidates is None or candidates >= n_r:
            break
        # Popular reviewers are in many proposals' short lists ("hubs"), and their loads may not
        # take them all: widen the lists rather than call the call infeasible.
        candidates *= 2
    if x is None:
        raise Infeasible(_diagnose(prob, proposals, reviewers, options))
    chosen = np.nonzero(x > 0.5)[0]
    pairs = [
        Pair(proposals[ii[e]].id, reviewers[jj[e]].id, float(prob.a[e]))
        for e in sorted(chosen, key=lambda e: (ii[e], -prob.a[e]))
    ]
    result = Assignment(
        list(proposals),
        list(reviewers),
        pairs,
        float(sum(p.affinity for p in pairs)),
        options,
        {p.id: lang for p, lang in zip(proposals, langs, strict=True)},
        len(conflicts),
        variables=len(ii),
    )
    result.candidates_used = candidates
    per = result.proposal_affinity()
    result.weakest = min(per.values()) if per else 0.0
    result.fair_status = info.get("fair")
    result.fair_bound = info.get("bound")
    return result


def _outside_matrix(reviewers: Sequence[Reviewer], regions: list[set[str]], mapping: dict[str, str]) -> Any:
    """out[i, j]: reviewer j's country lies outside proposal i's partner regions (vectorised)."""
    np = require("numpy")
    names = sorted(set(mapping.values()))
    code = {name: k for k, name in enumerate(names)}
    rr = np.array([code.get(mapping.get(r.country or ""), -1) for r in reviewers], dtype=int)
    member = np.zeros((len(regions), len(names) + 1), dtype=bool)  # last column: unknown region
    for i, rs in enumerate(regions):
        member[i, [code[x] for x in rs]] = True
    member[:, -1] = True  # a reviewer of unknown region is never counted as outside
    return ~member[:, rr]


def _precheck(proposals, reviewers, eligible, reads_pr, out_pr, langs, options) -> None:  # type: ignore[no-untyped-def]
    k = options.per_proposal
    found: list[Shortfall] = []
    counts = eligible.sum(axis=1)
    short = [(p.id, int(k - c)) for p, c in zip(proposals, counts, strict=True) if c < k]
    if short:
        found.append(
            Shortfall(
                "reviewers",
                [pid for pid, _ in short],
                sum(s for _, s in short),
                ", ".join(f"{pid} ({k - s} of {k} without a conflict)" for pid, s in short),
            )
        )
    no_reader = [p.id for i, p in enumerate(proposals) if not (eligible[i] & reads_pr[i]).any()]
    if no_reader:
        found.append(
            Shortfall(
                "language",
                no_reader,
                len(no_reader),
                ", ".join(
                    f"{pid} ({langs[i]})" for i, pid in enumerate(p.id for p in proposals) if pid in no_reader
                ),
            )
        )
    if options.outside_region:
        none_out = [p.id for i, p in enumerate(proposals) if not (eligible[i] & out_pr[i]).any()]
        if none_out:
            found.append(Shortfall("outside_region", none_out, len(none_out), ", ".join(none_out)))
    need = k * len(proposals)
    if all(r.max_load is not None for r in reviewers):
        cap = sum(r.max_load or 0 for r in reviewers)
        if cap < need:
            found.append(Shortfall("capacity_max", [], need - cap, f"{need} reviews needed, {cap} available"))
    floor = sum(r.min_load for r in reviewers)
    if floor > need:
        found.append(Shortfall("capacity_min", [], floor - need, f"{floor} reviews promised, {need} to give"))
    if found:
        raise Infeasible(found)


def _sparsify(scores, eligible, reads_pr, out_pr, options):  # type: ignore[no-untyped-def]
    np = require("numpy")
    n_p, n_r = eligible.shape
    keep = np.zeros_like(eligible)
    k = options.candidates
    # Ties (often many reviewers at 0) are broken by a fixed pseudo-random jitter, not by index:
    # otherwise every proposal without a match picks the same first reviewers, and their loads
    # cannot take them all.
    scores = scores + np.random.default_rng(0).random(scores.shape, dtype=np.float32) * 1e-6

    def top(mask, count):  # type: ignore[no-untyped-def]
        s = np.where(mask, scores, -np.inf)
        count = min(count, n_r)
        idx = np.argpartition(-s, count - 1, axis=1)[:, :count]
        rows = np.repeat(np.arange(n_p), count)
        cols = idx.ravel()
        ok = np.isfinite(s[rows, cols])
        keep[rows[ok], cols[ok]] = True

    top(eligible, k)
    # Each reviewer's own best proposals too: without them a reviewer whose expertise is
    # nobody's top choice has no variables, and the loads of the others may not add up.
    per_reviewer = max(3 * -(-options.per_proposal * n_p // max(n_r, 1)), 3)
    s = np.where(eligible, scores, -np.inf)
    count = min(per_reviewer, n_p)
    idx = np.argpartition(-s, count - 1, axis=0)[:count, :]
    cols = np.tile(np.arange(n_r), count)
    rows = idx.ravel()
    ok = np.isfinite(s[rows, cols])
    keep[rows[ok], cols[ok]] = True
    top(eligible & reads_pr, max(3, options.per_proposal))
    if options.outside_region:
        top(eligible & out_pr, max(3, options.per_proposal))
    return keep


def _solve(  # type: ignore[no-untyped-def]
    prob: _Problem,
    n_p: int,
    reviewers: Sequence[Reviewer],
    options: Options,
    relax: frozenset[str],
    info: dict[str, Any] | None = None,
):
    info = {} if info is None else info
    np = require("numpy")
    opt = require("scipy.optimize")
    sparse = require("scipy.sparse")
    n_v, n_r, k = len(prob.ii), len(reviewers), options.per_proposal
    rows, cols, lb, ub = [], [], [], []
    vals: list[Any] = []
    r0 = 0
    # every proposal: exactly k reviewers
    rows.append(prob.ii + r0), cols.append(np.arange(n_v)), vals.append(np.ones(n_v))
    lb += [k] * n_p
    ub += [k] * n_p
    r0 += n_p
    # every reviewer: within [min_load, max_load]
    rows.append(prob.jj + r0), cols.append(np.arange(n_v)), vals.append(np.ones(n_v))
    lb += [0 if "min_load" in relax else r.min_load for r in reviewers]
    ub += [np.inf if "max_load" in relax or r.max_load is None else r.max_load for r in reviewers]
    r0 += n_r
    for family, mask in (("language", prob.reads), ("outside_region", prob.out)):
        if family in relax or (family == "outside_region" and not options.outside_region):
            continue
        sel = np.nonzero(mask)[0]
        rows.append(prob.ii[sel] + r0), cols.append(sel), vals.append(np.ones(len(sel)))
        lb += [1] * n_p
        ub += [np.inf] * n_p
        r0 += n_p
    n_cols = n_v + (1 if options.fair else 0)
    if options.fair:
        # t - sum_j a_ij x_ij <= 0 for every proposal i
        rows.append(prob.ii + r0), cols.append(np.arange(n_v)), vals.append(-prob.a)
        rows.append(np.arange(n_p) + r0), cols.append(np.full(n_p, n_v)), vals.append(np.ones(n_p))
        lb += [-np.inf] * n_p
        ub += [0] * n_p
        r0 += n_p
    a_matrix = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, n_cols)
    )
    constraints = opt.LinearConstraint(a_matrix, np.array(lb, dtype=float), np.array(ub, dtype=float))
    integrality = np.ones(n_cols)
    lower, upper = np.zeros(n_cols), np.ones(n_cols)
    first = None
    limit = {"time_limit": options.time_limit} if options.fair else {}
    if options.fair:
        stage = _fair_floor(prob, n_p, reviewers, options, relax, constraints, n_cols, info)
        if stage is None:
            return None
        first, achieved, proven = stage
        if proven is not None:
            return proven  # the bound was reached: the total is already maximised at it
        integrality[-1] = 0
        upper[-1] = np.inf
        lower[-1] = achieved - _EPS  # keep the weakest proposal where it is, then maximise the total
    c = np.zeros(n_cols)
    c[:n_v] = -prob.a
    bounds = opt.Bounds(lower, upper)
    # Without --fair the programme is nearly a transportation problem: its LP relaxation is
    # usually integral already, and an integral LP optimum is the MILP optimum. Solve the LP
    # first (seconds), and the MILP only when the LP's answer is fractional.
    if not options.fair:
        lp = opt.milp(c, constraints=constraints, bounds=bounds)
        if lp.status == 2:
            return None
        if lp.status == 0 and lp.x is not None and np.all(np.abs(lp.x - np.round(lp.x)) < 1e-6):
            return np.round(lp.x[:n_v])
    res = opt.milp(c, constraints=constraints, integrality=integrality, bounds=bounds, options=limit)
    if res.x is None:
        return first  # --fair: the first stage's answer when the second finds nothing in time
    if res.status != 0 and not options.fair:
        return None
    x = np.round(res.x[:n_v])
    if options.fair and res.status != 0:
        info["fair"] = "time_limit"
        if first is not None and float(prob.a @ first) > float(prob.a @ x):
            return first  # the second stage's best in time is worse than the first's answer
    return x


_EPS = 1e-7  # tolerance on the weakest proposal's affinity (sums of float32 scores)


def _weakest(prob: _Problem, n_p: int, x: Any) -> float:
    np = require("numpy")
    return float(np.bincount(prob.ii, weights=prob.a * x, minlength=n_p).min())


def _own_best(prob: _Problem, n_p: int, k: int) -> float:
    """min over proposals of its k best affinities with at least one reader: a ceiling on --fair."""
    np = require("numpy")
    order = np.lexsort((-prob.a, prob.ii))  # by proposal, best first
    ii, a, reads = prob.ii[order], prob.a[order], prob.reads[order]
    starts = np.searchsorted(ii, np.arange(n_p + 1))
    best = np.inf
    for i in range(n_p):
        lo, hi = starts[i], starts[i + 1]
        if hi - lo < k:
            continue  # cannot be assigned at all; the solver says so
        top = float(a[lo : lo + k].sum())
        if not reads[lo : lo + k].any():
            readers = np.nonzero(reads[lo:hi])[0]
            top = top - float(a[lo + k - 1]) + float(a[lo + readers[0]]) if len(readers) else -np.inf
        best = min(best, top)
    return float(best)


def _fair_floor(  # type: ignore[no-untyped-def]
    prob: _Problem, n_p, reviewers, options: Options, relax, constraints, n_cols, info
):
    """The first stage of --fair: the highest weakest-proposal affinity, proven where possible.

    Returns None (no assignment at all) or (best answer so far, its weakest value, x) where x is
    the final answer when the bound was reached with the total already maximised, else None.

    1. The best total (plain assignment) gives a floor L: the fair answer never falls below it.
    2. A ceiling U: first each proposal's own best k reviewers (``_own_best``, milliseconds); if
       step 3 fails at it, the LP relaxation of "maximise t" (tighter, slower).
    3. If L reaches U, the plain answer is already lexicographically optimal. Otherwise one MILP
       "maximise the total with every proposal >= U" decides it: feasible means U is the
       optimum and its answer is the final one (stage 2 done in the same solve). Usually the
       weakest proposal is weak because few reviewers know its topic, and its own best reviewers
       set both bounds, so this settles almost every call in two LPs and one MILP.
    4. Else the MILP "maximise t" within [L, U] (time-limited; the report says if it was proven).
    """
    np = require("numpy")
    opt = require("scipy.optimize")
    n_v = n_cols - 1
    base = _solve(prob, n_p, reviewers, replace(options, fair=False), relax, {})
    if base is None:
        return None
    floor = _weakest(prob, n_p, base)
    lower, upper = np.zeros(n_cols), np.ones(n_cols)
    info["fair"], info["bound"] = "optimal", floor
    limit = {"time_limit": options.time_limit}
    integrality = np.ones(n_cols)
    integrality[-1] = 0
    # A ceiling in milliseconds first: each proposal alone with its best k reviewers (one of them
    # reading its language). When the weakest proposal is weak for want of experts, this is the
    # optimum, and the LP below (the slowest part on a dense call) is never needed.
    quick = _own_best(prob, n_p, options.per_proposal)
    if floor >= quick - _EPS:
        return base, floor, base
    c = np.zeros(n_cols)
    c[:n_v] = -prob.a
    lower[-1], upper[-1] = quick - _EPS, np.inf
    res = opt.milp(
        c, constraints=constraints, integrality=integrality, bounds=opt.Bounds(lower, upper), options=limit
    )
    if res.x is not None:
        x = np.round(res.x[:n_v])
        info["bound"] = _weakest(prob, n_p, x)
        if res.status != 0:
            info["fair"] = "time_limit"  # the weakest is proven, the total is the best found in time
        return x, info["bound"], x
    lower[-1], upper[-1] = floor - _EPS, np.inf
    c_t = np.zeros(n_cols)
    c_t[-1] = -1.0
    lp = opt.milp(c_t, constraints=constraints, bounds=opt.Bounds(lower, upper))
    ceiling = float(lp.x[-1]) if lp.status == 0 and lp.x is not None else np.inf
    if floor >= ceiling - _EPS:
        return base, floor, base
    if np.isfinite(ceiling) and ceiling < quick - _EPS:
        c = np.zeros(n_cols)
        c[:n_v] = -prob.a
        lower[-1] = ceiling - _EPS
        res = opt.milp(
            c,
            constraints=constraints,
            integrality=integrality,
            bounds=opt.Bounds(lower, upper),
            options=limit,
        )
        if res.x is not None:
            x = np.round(res.x[:n_v])
            info["bound"] = _weakest(prob, n_p, x)
            if res.status == 0:
                return x, info["bound"], x
            info["fair"] = "time_limit"  # the weakest is proven, the total is the best found in time
            return x, info["bound"], x
        if res.status != 2:  # neither an answer nor a proof that the ceiling is out of reach
            info["fair"] = "time_limit"
            info["bound"] = ceiling
            return base, floor, None
        upper[-1] = ceiling
    lower[-1] = floor - _EPS
    res = opt.milp(
        c_t, constraints=constraints, integrality=integrality, bounds=opt.Bounds(lower, upper), options=limit
    )
    first, achieved = base, floor
    if res.x is not None:
        x1 = np.round(res.x[:n_v])
        value = _weakest(prob, n_p, x1)
        if value > floor:
            first, achieved = x1, value
    info["fair"] = "optimal" if res.status == 0 else "time_limit"
    dual = getattr(res, "mip_dual_bound", None)
    info["bound"] = achieved if res.status == 0 else (float(-dual) if dual is not None else ceiling)
    return first, achieved, None


def _diagnose(prob: _Problem, proposals, reviewers, options: Options) -> list[Shortfall]:  # type: ignore[no-untyped-def]
    """Drop one family of constraints at a time: the ones whose removal helps are the cause."""
    families = ["language", "min_load", "max_load"] + (["outside_region"] if options.outside_region else [])
    found = []
    for family in families:
        relaxed = replace(options, fair=False)
        if _solve(prob, len(proposals), reviewers, relaxed, frozenset({family})) is not None:
            found.append(
                Shortfall(
                    family,
                    [],
                    0,
                    f"without the {family.replace('_', ' ')} constraints an assignment exists",
                )
            )
    if not found:
        found.append(
            Shortfall(
                "combination",
                [],
                0,
                "no single family of constraints is to blame; loads, conflicts and languages together "
                "leave no assignment" + (" (or --candidates is too small)" if options.candidates else ""),
            )
        )
    return found


def assign_call(call: Any, report: Any, options: Options, terms: int = 5) -> Assignment:
    """Affinities, the assignment and each assigned pair's matching terms, for a read call."""
    from .affinity import compute

    aff = compute(call.proposals, call.reviewers)
    if options.regions is None:
        options.regions = rubric_regions(call.rubric)
    result = assign(call.proposals, call.reviewers, aff.scores, report.pairs(), options)
    pi = {p.id: i for i, p in enumerate(call.proposals)}
    ri = {r.id: j for j, r in enumerate(call.reviewers)}
    for pair in result.pairs:
        pair.terms = aff.top_terms(pi[pair.proposal], ri[pair.reviewer], terms)
    return result
