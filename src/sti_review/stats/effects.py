"""Reviewer effects: how lenient or strict each reviewer is, estimated from the whole call.

The additive model ``grade = proposal effect + reviewer effect + noise`` is fitted by least
squares with fixed effects (numpy's ``lstsq``), one connected piece of the reviewer–proposal
graph at a time. The proposal effects are absorbed by centring each proposal's grades (the
within transformation, Frisch–Waugh–Lovell), so the least-squares problem has one column per
reviewer and stays small for large calls. Reviewer effects sum to zero within each piece: a
reviewer's effect is their leniency relative to the average reviewer of that piece, in scale
points (positive: lenient). Effects are not comparable across pieces; the pieces are named.

Standard errors are the classical OLS ones with the residual degrees of freedom of the full
model (grades - proposals - reviewers + 1); 95% intervals use Student's t (scipy when present,
else the normal 1.96).

A proposal's adjusted score is the mean of its grades after taking each reviewer's effect
off; it is reported beside the raw mean, never instead of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import Grade, check_grades, require

FLAT_SHARE = 0.25  # a reviewer whose grades' SD is under this share of the call's SD is flat
FLAT_MIN_GRADES = 3


@dataclass(frozen=True)
class ReviewerEffect:
    reviewer: str
    grades: int
    mean: float
    sd: float
    effect: float | None  # None: not estimable (alone in their piece)
    se: float | None
    ci: tuple[float, float] | None
    component: int
    flat: bool  # grades barely vary


@dataclass(frozen=True)
class AdjustedScore:
    proposal: str
    reviews: int
    raw: float
    adjusted: float
    se: float | None
    component: int


@dataclass(frozen=True)
class Component:
    index: int
    proposals: tuple[str, ...]
    reviewers: tuple[str, ...]


@dataclass(frozen=True)
class ReviewerEffects:
    reviewers: tuple[ReviewerEffect, ...]
    proposals: tuple[AdjustedScore, ...]
    components: tuple[Component, ...]
    sigma: float | None  # residual SD
    df: int
    tau_proposal: float | None  # variance components (SD) from the same fit
    tau_reviewer: float | None
    scale: tuple[float, float]

    @property
    def connected(self) -> bool:
        return len(self.components) <= 1

    @property
    def flat(self) -> list[ReviewerEffect]:
        return [r for r in self.reviewers if r.flat]


def components(grades: Sequence[Grade]) -> list[Component]:
    """The connected pieces of the reviewer–proposal graph, largest first."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g in grades:
        a, b = find(("p", g.proposal)), find(("r", g.reviewer))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for node in list(parent):
        ps, rs = groups.setdefault(find(node), (set(), set()))
        (ps if node[0] == "p" else rs).add(node[1])
    pieces = sorted(groups.values(), key=lambda pr: (-len(pr[0]) - len(pr[1]), min(pr[0] | pr[1])))
    return [Component(i + 1, tuple(sorted(ps)), tuple(sorted(rs))) for i, (ps, rs) in enumerate(pieces)]


def _t975(df: int) -> float:
    try:
        from scipy.special import stdtrit  # = scipy.stats.t.ppf, without importing scipy.stats (~1 s)

        return float(stdtrit(df, 0.975))
    except ImportError:  # pragma: no cover - scipy comes with the stats extra
        return 1.96


LARGE_PIECE = 64  # reviewers in one piece from which the fit goes through the Laplacian route


def _fit_piece(rows: Sequence[Grade], revs: list[str], props: Sequence[str]) -> tuple[Any, float, Any, Any]:
    """Effects of a piece with many reviewers, from the reduced normal equations, vectorised.

    With the proposal effects absorbed, the normal equations for the full vector ``b`` of
    reviewer effects are ``M b = Zᵀy_c``, where ``M = D_r - Nᵀ D_p⁻¹ N`` (``N``: proposals ×
    reviewers counts) is the Laplacian of a connected weighted graph, whose null space is the
    constant vector. Its pseudo-inverse ``G = (M + J/n)⁻¹ - J/n`` gives the minimum-norm
    (sum-to-zero) solution ``b = G Zᵀy_c`` and the covariance ``σ²G`` of the effects: the same
    numbers as the sum-to-zero coded least squares (``C(CᵀMC)⁻¹Cᵀ = M⁺`` when the columns of
    ``C`` span the constants' complement), with no Python loop over grades. ``M + J/n = D_r +
    V E Vᵀ`` with ``V = [Nᵀ 1]`` and ``E = diag(-1/c_p, 1/n)``, so when there are fewer
    proposals than reviewers (one panel: the criteria are the proposals) the Woodbury identity
    needs only a (proposals + 1)² inverse; otherwise ``G`` is formed by one LU.

    Returns ``(b, rss, diag G, q)``, ``q[p] = w_p G w_pᵀ`` for each proposal's reviewer weights
    ``w_p`` (its row of ``N`` divided by its count of grades).
    """
    import numpy as np

    col = {r: i for i, r in enumerate(revs)}
    prow = {p: i for i, p in enumerate(props)}
    r_idx = np.fromiter((col[g.reviewer] for g in rows), dtype=np.intp, count=len(rows))
    p_idx = np.fromiter((prow[g.proposal] for g in rows), dtype=np.intp, count=len(rows))
    y = np.fromiter((g.grade for g in rows), dtype=float, count=len(rows))
    n_r, n_p = len(revs), len(props)
    cnt_p = np.bincount(p_idx, minlength=n_p).astype(float)
    y_c = y - (np.bincount(p_idx, weights=y, minlength=n_p) / cnt_p)[p_idx]
    counts = np.bincount(p_idx * n_r + r_idx, minlength=n_p * n_r).astype(float).reshape(n_p, n_r)
    w = counts / cnt_p[:, None]
    rhs = np.bincount(r_idx, weights=y_c, minlength=n_r)
    d = counts.sum(axis=0)
    if n_p + 1 < n_r // 2:
        v = np.hstack([counts.T, np.ones((n_r, 1))])
        h = v / d[:, None]
        k_inv = np.linalg.inv(np.diag(np.append(-cnt_p, float(n_r))) + v.T @ h)
        b = rhs / d - h @ (k_inv @ (h.T @ rhs)) - rhs.sum() / n_r
        diag = 1.0 / d - ((h @ k_inv) * h).sum(axis=1) - 1.0 / n_r
        wh = w @ h
        quad = (w * w / d).sum(axis=1) - ((wh @ k_inv) * wh).sum(axis=1) - w.sum(axis=1) ** 2 / n_r
    else:
        m = np.diag(d) - counts.T @ w
        j = np.full((n_r, n_r), 1.0 / n_r)
        g = np.linalg.inv(m + j) - j
        b = g @ rhs
        diag = np.diag(g)
        quad = ((w @ g) * w).sum(axis=1)
    fit = b[r_idx]
    fit -= (np.bincount(p_idx, weights=fit, minlength=n_p) / cnt_p)[p_idx]
    resid = y_c - fit
    return b, float(resid @ resid), diag, quad


def reviewer_effects(
    grades: Sequence[Grade], scale_min: float, scale_max: float, *, intervals: bool = True
) -> ReviewerEffects:
    """Fit the additive model and return effects, adjusted scores and the graph's pieces.

    ``intervals=False`` leaves the reviewers' 95% intervals out (``ci`` None), which spares
    importing scipy when only the variance components are wanted (:mod:`.reliability`).
    """
    require("numpy")
    import numpy as np

    check_grades(list(grades))
    all_y = [float(g.grade) for g in grades]
    call_mean = sum(all_y) / len(all_y)
    call_sd = math.sqrt(sum((v - call_mean) ** 2 for v in all_y) / max(1, len(all_y) - 1))
    comps = components(grades)
    comp_of_p = {p: c.index for c in comps for p in c.proposals}
    by_reviewer: dict[str, list[float]] = {}
    by_proposal: dict[str, list[Grade]] = {}
    for g in grades:
        by_reviewer.setdefault(g.reviewer, []).append(float(g.grade))
        by_proposal.setdefault(g.proposal, []).append(g)
    n, n_p, n_r = len(grades), len(by_proposal), len(by_reviewer)
    df = n - n_p - n_r + len(comps)
    effect: dict[str, float] = {}
    cov_of: dict[int, tuple[list[str], object]] = {}
    rss = 0.0
    quad: dict[str, float] = {}  # w G w of each proposal of a piece fitted by _fit_piece
    for c in comps:
        rows = [g for p in c.proposals for g in by_proposal[p]]
        revs = list(c.reviewers)
        if len(revs) > LARGE_PIECE:
            b, piece_rss, var_diag, q = _fit_piece(rows, revs, c.proposals)
            rss += piece_rss
            effect.update(zip(revs, b.tolist(), strict=True))
            cov_of[c.index] = (revs, ("laplacian", var_diag))
            quad.update(zip(c.proposals, q.tolist(), strict=True))
            continue
        if len(revs) == 1:
            effect[revs[0]] = 0.0
            cov_of[c.index] = (revs, None)
            for p in c.proposals:
                ys = np.array([g.grade for g in by_proposal[p]], dtype=float)
                rss += float(((ys - ys.mean()) ** 2).sum())
            continue
        col = {r: i for i, r in enumerate(revs)}
        k = len(revs) - 1
        x = np.zeros((len(rows), k))
        y = np.empty(len(rows))
        for i, g in enumerate(rows):
            y[i] = g.grade
            j = col[g.reviewer]
            if j < k:
                x[i, j] = 1.0
            else:
                x[i, :] = -1.0  # sum-to-zero coding: the last reviewer is minus the others
        start = 0
        for p in c.proposals:  # within transformation: centre each proposal's rows
            m = len(by_proposal[p])
            sl = slice(start, start + m)
            y[sl] -= y[sl].mean()
            x[sl] -= x[sl].mean(axis=0)
            start += m
        # The normal equations through the pseudo-inverse that the standard errors need anyway:
        # pinv(XᵀX)Xᵀy is lstsq's minimum-norm solution, at a fraction of its cost when a panel
        # of a thousand reviewers makes X tall and wide.
        xtx_inv = np.linalg.pinv(x.T @ x)
        beta = xtx_inv @ (x.T @ y)
        resid = y - x @ beta
        rss += float(resid @ resid)
        full = np.append(beta, -beta.sum())
        for r, v in zip(revs, full, strict=True):
            effect[r] = float(v)
        cov_of[c.index] = (revs, xtx_inv)
    sigma2 = rss / df if df > 0 else None
    crit = _t975(df) if df > 0 and intervals else None
    comp_of_r = {r: c.index for c in comps for r in c.reviewers}
    comp_by_index = {c.index: c for c in comps}
    se_of: dict[str, float | None] = {}
    for _, (revs, xtx_inv) in cov_of.items():
        if xtx_inv is None or sigma2 is None:
            se_of.update({r: None for r in revs})
            continue
        if isinstance(xtx_inv, tuple):
            var_r = np.clip(xtx_inv[1], 0.0, None) * sigma2
            se_of.update(zip(revs, np.sqrt(var_r).tolist(), strict=True))
            continue
        a = np.asarray(xtx_inv)
        k = a.shape[0]
        for i, r in enumerate(revs):
            var = a[i, i] if i < k else a.sum()
            se_of[r] = math.sqrt(max(0.0, float(var)) * sigma2)
    reviewers = []
    for r in sorted(by_reviewer):
        ys = by_reviewer[r]
        mean = sum(ys) / len(ys)
        sd = math.sqrt(sum((v - mean) ** 2 for v in ys) / (len(ys) - 1)) if len(ys) > 1 else 0.0
        comp = comp_by_index[comp_of_r[r]]
        alone = len(comp.reviewers) == 1
        se = se_of.get(r)
        eff = None if alone else effect[r]
        ci = (eff - crit * se, eff + crit * se) if eff is not None and se is not None and crit else None
        flat = len(ys) >= FLAT_MIN_GRADES and sd < FLAT_SHARE * call_sd
        reviewers.append(ReviewerEffect(r, len(ys), mean, sd, eff, se, ci, comp_of_r[r], flat))
    adjusted = []
    ests, variances = [], []
    for p in sorted(by_proposal):
        gs = by_proposal[p]
        raw = sum(g.grade for g in gs) / len(gs)
        adj = sum(g.grade - effect[g.reviewer] for g in gs) / len(gs)
        se = None
        revs, xtx_inv = cov_of[comp_of_p[p]]
        if sigma2 is not None:
            var = sigma2 / len(gs)
            if isinstance(xtx_inv, tuple):
                var += quad[p] * sigma2
            elif xtx_inv is not None:
                a = np.asarray(xtx_inv)
                w = np.zeros(a.shape[0])
                idx = {r: i for i, r in enumerate(revs)}
                for g in gs:
                    i = idx[g.reviewer]
                    if i < a.shape[0]:
                        w[i] += 1.0 / len(gs)
                    else:
                        w -= 1.0 / len(gs)
                var += float(w @ a @ w) * sigma2
            se = math.sqrt(var)
            ests.append(adj)
            variances.append(var)
        adjusted.append(AdjustedScore(p, len(gs), raw, adj, se, comp_of_p[p]))
    tau_p = None
    if sigma2 is not None and len(ests) > 1:
        e = np.array(ests)
        tau_p = math.sqrt(max(0.0, float(e.var(ddof=1)) - float(np.mean(variances))))
    tau_r = None
    known = [(x.effect, x.se) for x in reviewers if x.effect is not None and x.se is not None]
    if len(known) > 1:
        eff_arr = np.array([k[0] for k in known])
        tau_r = math.sqrt(
            max(
                0.0, float((eff_arr**2).sum() / (len(known) - 1)) - float(np.mean([k[1] ** 2 for k in known]))
            )
        )
    return ReviewerEffects(
        tuple(reviewers),
        tuple(adjusted),
        tuple(comps),
        math.sqrt(sigma2) if sigma2 is not None else None,
        df,
        tau_p,
        tau_r,
        (float(scale_min), float(scale_max)),
    )
