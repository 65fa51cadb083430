"""Bayesian expected rank and the lottery band (Heyard et al. 2022; R package ERforResearch).

The model is ERforResearch's current default (``R/jags_functions.R``, continuous grades,
homogeneous residuals, one panel)::

    grade[i, j] ~ Normal(m + theta[i] + a[i, j], sigma²)      i: proposal, j: reviewer
    theta[i]    ~ Normal(0, tau_p²)
    a[i, j]     ~ Normal(nu[j], tau_a²)
    nu[j]       ~ Normal(0, s_nu²)
    sigma, tau_p, tau_a ~ Uniform(1e-6, b)

with ``m`` fixed at the mean of the proposal means. On the package's 6-point scale
``s_nu = 0.5`` and ``b = 2``; on another scale both are multiplied by the scale's width over 5
(the 6-point scale's width), so the priors say the same thing in the rubric's units.

Each ``a[i, j]`` enters one grade only (a reviewer grades a proposal once), so it is integrated
out exactly: ``grade[i, j] ~ Normal(m + theta[i] + nu[j], sigma² + tau_a²)``. The posterior of
``theta``, ``nu``, ``sigma``, ``tau_p`` and ``tau_a`` is the same; the sampler has far fewer
parameters. ``theta`` is integrated out too: given the rest, each proposal's grades are
jointly Normal with covariance ``s² I + tau_p² J`` (``s² = sigma² + tau_a²``), so the sampler
sees only ``nu``, ``tau_p`` and ``noise = s`` (sampled under the exact prior that the two
uniforms put on it; sampling sigma and tau_a apart left a curved ridge the data cannot see,
and NUTS trees of 255 steps). The likelihood is computed from sufficient statistics grouped by
the number of grades per proposal, so one evaluation does not grow with the number of
proposals. After the fit each draw gets one exact draw of ``theta`` from its Normal conditional
(and of the sigma/tau_a split from its prior), which is the same joint posterior as sampling
everything. Sizes are padded to buckets and the compiled sampler is kept in the tool's cache
folder (JAX's persistent compilation cache), so only the first fit of a size compiles.

Per draw the proposals are ranked by ``theta`` (1 = best); the expected rank (ER) is the mean
rank over draws, ``PCER = 100 (ER - 0.5) / n`` and ``SUCRA = (n - ER) / (n - 1)``, as in the
package. Rank intervals are equal-tailed quantiles of the rank draws (bayesplot's
``mcmc_intervals_data``, which the package's plot uses).

Funding line (the package's ``plot_er_distributions``): at the ER of the N-th proposal by ER. A
proposal whose 50% interval lies wholly above it (better ranks) is ``selected``, wholly below
``not_selected``; one whose interval contains the line (or whose ER is the line) is in the
lottery ``band``. When the band and the selected together are exactly N, the band is selected.

The draw (:func:`draw_lottery`) uses numpy's PCG64 bit generator seeded with the seed; its raw
64-bit stream is fixed by the PCG64 definition (numpy guarantees it across versions and
machines). The band, ordered by ER then id, is shuffled by Fisher–Yates with unbiased rejection
sampling over that stream; the first free places' worth of the shuffled band are drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from . import Grade, require

Lottery = Literal["selected", "band", "not_selected"]
RHAT_LIMIT = 1.01
# Smaller steps than the default 0.8: calls whose grades fit the additive model almost exactly
# (tiny noise) leave a narrow ridge between theta and nu; 0.8 gave R-hat 1.016 on the example
# call, 0.95 gave 1.006.
TARGET_ACCEPT = 0.95
CHAIN_METHOD = "vectorized"  # one compilation for all chains: the cheapest here
CHAINS, WARMUP, DRAWS = 4, 1000, 1000
DENSE_MASS = False


@dataclass(frozen=True)
class ProposalRank:
    proposal: str
    mean_grade: float
    reviews: int
    expected_rank: float
    pcer: float
    sucra: float
    rank_interval: tuple[float, float]  # 50%
    rank_interval_90: tuple[float, float]
    theta: float  # posterior mean of the proposal effect
    lottery: Lottery | None = None
    line_in_90: bool = False  # the 90% interval contains the funding line
    drawn: bool | None = None  # None: no draw made


@dataclass(frozen=True)
class Draw:
    """The lottery among the band: who was drawn, in the order the generator put the band."""

    seed: int
    places: int
    order: tuple[str, ...]
    winners: tuple[str, ...]
    generator: str = "numpy PCG64 raw stream, Fisher-Yates with rejection sampling"


@dataclass(frozen=True)
class ExpectedRanking:
    proposals: tuple[ProposalRank, ...]  # ordered by expected rank
    scale: tuple[float, float]
    overall_mean: float
    rhat_max: float
    ess_min: float
    chains: int
    draws: int  # per chain
    seed: int  # the sampler's seed
    fund: int | None = None
    funding_line_er: float | None = None
    refused: bool = False  # R̂ above the limit: no funding line drawn
    lottery_seed: int | None = None
    draw: Draw | None = None
    sigma: float = 0.0
    tau_proposal: float = 0.0
    tau_assessor: float = 0.0

    @property
    def converged(self) -> bool:
        return self.rhat_max <= RHAT_LIMIT

    @property
    def band(self) -> list[ProposalRank]:
        return [p for p in self.proposals if p.lottery == "band"]


@dataclass(frozen=True)
class Priors:
    nu_sd: float
    bound: float


def priors_for(scale_min: float, scale_max: float) -> Priors:
    """The package's 6-point priors (nu sd 0.5, bounds 2) scaled to the rubric's scale."""
    width = float(scale_max) - float(scale_min)
    if not (math.isfinite(width) and width > 0):
        raise ValueError("the scale needs max > min")
    factor = width / 5.0
    return Priors(0.5 * factor, 2.0 * factor)


def _index(grades: Sequence[Grade]) -> tuple[list[str], list[str]]:
    proposals = sorted({g.proposal for g in grades})
    reviewers = sorted({g.reviewer for g in grades})
    return proposals, reviewers


def _bucket(n: int) -> int:
    """The padded size for ``n``: the next of 8, 12, 16, 24, 32, 48, ... (at most 50% waste), so
    calls of similar size share one compiled sampler in the persistent compilation cache."""
    b = 8
    while True:
        if n <= b:
            return b
        if n <= b * 3 // 2:
            return b * 3 // 2
        b *= 2


def _use_compilation_cache(jax: object) -> None:
    """Keep JAX's compiled programs in the tool's cache folder (``cache.cache_dir()/jax``), so
    only the first fit of a given padded size compiles. Never fails a fit: a folder that cannot
    be made, or a JAX without these options, leaves the cache off."""
    from ..cache import cache_dir

    try:
        folder = cache_dir() / "jax"
        folder.mkdir(parents=True, exist_ok=True)
        jax.config.update("jax_compilation_cache_dir", str(folder))  # type: ignore[attr-defined]
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)  # type: ignore[attr-defined]
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)  # type: ignore[attr-defined]
    except Exception:  # a cache must never fail the command
        return


def _noise(bound):  # type: ignore[no-untyped-def]
    """Sample ``noise = sqrt(sigma² + tau_a²)`` under its exact prior (sigma, tau_a independent
    Uniform(0, b)): density ∝ noise × (the length of the quarter arc of that radius inside the
    square) — ``π/2`` up to ``b``, ``π/2 - 2 arccos(b/noise)`` up to ``b√2``. The data see only
    this sum (one grade per reviewer and proposal); sampling sigma and tau_a themselves leaves a
    curved ridge that made NUTS trees hit depth 8. They are split again after the fit
    (:func:`_split_noise`)."""
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    noise = numpyro.sample("noise", dist.Uniform(1e-6, bound * jnp.sqrt(2.0)))
    outside = noise > bound
    # the branch not taken gets a harmless argument: arccos'(1) is infinite and would turn the
    # gradient into NaN through the where
    x = jnp.where(outside, bound / noise, 0.5)
    arc = jnp.where(outside, jnp.pi / 2 - 2.0 * jnp.arccos(x), jnp.pi / 2)
    numpyro.factor("noise_prior", jnp.log(noise) + jnp.log(jnp.maximum(arc, 1e-30)))
    return noise


def _split_noise(noise, bound, rng):  # type: ignore[no-untyped-def]
    """sigma and tau_a given their root sum of squares: the angle is uniform on the part of the
    quarter circle inside the prior's square (what the prior says; the data say nothing)."""
    import numpy as np

    edge = np.arccos(np.clip(bound / np.maximum(noise, 1e-300), 0.0, 1.0))
    phi = edge + (np.pi / 2 - 2 * edge) * rng.random(noise.shape)
    return noise * np.cos(phi), noise * np.sin(phi)


def _collapsed_model(n_p: int, n_r: int):  # type: ignore[no-untyped-def]
    """The model with theta integrated out (see the module's docstring). The sizes are padded
    buckets; every number of the call is an argument, not a constant of the compiled program,
    so the compiled sampler is reused for any call of the same padded size."""
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    def model(p_idx, r_idx, y, weight, counts, m, nu_sd, bound):  # type: ignore[no-untyped-def]
        tau_p = numpyro.sample("tau_proposal", dist.Uniform(1e-6, bound))
        nu = numpyro.sample("nu", dist.Normal(0.0, nu_sd).expand([n_r]))
        s2 = _noise(bound) ** 2
        t2 = tau_p**2
        e = (y - m - nu[r_idx]) * weight  # padded grades have weight 0
        total = jax.ops.segment_sum(e, p_idx, num_segments=n_p)
        squares = jax.ops.segment_sum(e * e, p_idx, num_segments=n_p)
        d = s2 + counts * t2
        quad = (squares - t2 / d * total**2) / s2
        logdet = (counts - 1.0) * jnp.log(s2) + jnp.log(d)  # 0 for a padded proposal
        numpyro.factor("grades", -0.5 * jnp.sum(quad + logdet + counts * jnp.log(2 * jnp.pi)))

    return model


def _summary_model(n_r: int):  # type: ignore[no-untyped-def]
    """The same collapsed likelihood from sufficient statistics: proposals grouped by their
    number of grades ``k`` (the weight ``t²/(s² + k t²)`` depends on ``k`` only), so each
    evaluation costs O(groups × reviewers²) whatever the number of proposals. Per group:
    ``C = Σ c_i²``, ``B = Σ c_i a_i``, ``M = Σ a_i a_iᵀ`` with ``c_i = Σ_j (y_ij - m)`` and
    ``a_i`` the proposal's 0/1 row of reviewers; ``Σ_ij (y_ij - m - nu_j)² = q0 - 2 bᵀnu +
    Σ_j N_j nu_j²``."""
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    def model(q0, b, n_j, c, bb, mm, k, n_k, n_grades, n_props, nu_sd, bound):  # type: ignore[no-untyped-def]
        tau_p = numpyro.sample("tau_proposal", dist.Uniform(1e-6, bound))
        nu = numpyro.sample("nu", dist.Normal(0.0, nu_sd).expand([n_r]))
        s2 = _noise(bound) ** 2
        t2 = tau_p**2
        squares = q0 - 2.0 * jnp.dot(b, nu) + jnp.dot(n_j, nu * nu)
        w = t2 / (s2 + k * t2)  # per group; padded groups have c = bb = mm = n_k = 0
        sums = c - 2.0 * (bb @ nu) + jnp.einsum("gr,gr->g", mm @ nu, jnp.broadcast_to(nu, bb.shape))
        quad = (squares - jnp.dot(w, sums)) / s2
        logdet = (n_grades - n_props) * jnp.log(s2) + jnp.dot(n_k, jnp.log(s2 + k * t2))
        numpyro.factor("grades", -0.5 * (quad + logdet + n_grades * jnp.log(2 * jnp.pi)))

    return model


# Above this many numbers in the per-group reviewer × reviewer matrices the per-grade form is
# cheaper (many reviewers with few proposals each).
SUMMARY_LIMIT = 1 << 21


def _grade_args(p_idx, r_idx, y, counts, m, bp, bg, pr):  # type: ignore[no-untyped-def]
    import jax.numpy as jnp
    import numpy as np

    pad = bg - len(y)
    return (
        jnp.asarray(np.concatenate([p_idx, np.zeros(pad, np.int32)])),
        jnp.asarray(np.concatenate([r_idx, np.zeros(pad, np.int32)])),
        jnp.asarray(np.concatenate([y, np.zeros(pad)]), jnp.float32),
        jnp.asarray(np.concatenate([np.ones(len(y)), np.zeros(pad)]), jnp.float32),
        jnp.asarray(np.concatenate([counts, np.zeros(bp - len(counts))]), jnp.float32),
        jnp.float32(m),
        jnp.float32(pr.nu_sd),
        jnp.float32(pr.bound),
    )


def _summary_args(p_idx, r_idx, y, counts, m, ks, bk, br, pr):  # type: ignore[no-untyped-def]
    """The sufficient statistics of :func:`_summary_model`, in float64 then float32."""
    import jax.numpy as jnp
    import numpy as np

    n_p = len(counts)
    e = y - m
    b = np.bincount(r_idx, weights=e, minlength=br)
    n_j = np.bincount(r_idx, minlength=br).astype(np.float64)
    c_i = np.bincount(p_idx, weights=e, minlength=n_p)
    group = np.searchsorted(ks, counts)  # each proposal's group
    c = np.zeros(bk)
    np.add.at(c, group, c_i**2)
    bb = np.zeros((bk, br))
    np.add.at(bb, (group[p_idx], r_idx), c_i[p_idx])
    mm = np.zeros((bk, br, br))
    # a_i a_iᵀ: every ordered pair of reviewers of the same proposal (self-pairs included)
    order = np.argsort(p_idx, kind="stable")
    ps, rs = p_idx[order], r_idx[order]
    starts = np.flatnonzero(np.r_[True, ps[1:] != ps[:-1]])
    ends = np.r_[starts[1:], len(ps)]
    for s0, s1 in zip(starts, ends, strict=True):
        members = rs[s0:s1]
        mm[group[ps[s0]]][np.ix_(members, members)] += 1.0
    k = np.ones(bk)
    k[: len(ks)] = ks
    n_k = np.zeros(bk)
    n_k[: len(ks)] = np.bincount(group, minlength=len(ks))
    f = jnp.float32
    return (
        f(np.sum(e * e)),
        jnp.asarray(b, f),
        jnp.asarray(n_j, f),
        jnp.asarray(c, f),
        jnp.asarray(bb, f),
        jnp.asarray(mm, f),
        jnp.asarray(k, f),
        jnp.asarray(n_k, f),
        f(len(y)),
        f(n_p),
        f(pr.nu_sd),
        f(pr.bound),
    )


def fit(
    grades: Sequence[Grade],
    scale_min: float,
    scale_max: float,
    *,
    chains: int = CHAINS,
    warmup: int = WARMUP,
    draws: int = DRAWS,
    seed: int = 0,
) -> tuple[ExpectedRanking, object]:
    """Fit the model and summarise ranks (no funding line). Returns the summary and the raw
    rank draws (a numpy int32 array, draws × proposals, in the summary's proposal order)."""
    require("numpy", "jax", "numpyro")
    import os

    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import numpy as np
    from numpyro.diagnostics import effective_sample_size, split_gelman_rubin
    from numpyro.infer import MCMC, NUTS

    if not grades:
        raise ValueError("no grades to rank")
    proposals, reviewers = _index(grades)
    if len(proposals) < 2:
        raise ValueError("expected ranks need at least two proposals")
    pi = {p: i for i, p in enumerate(proposals)}
    ri = {r: i for i, r in enumerate(reviewers)}
    p_idx = np.array([pi[g.proposal] for g in grades], dtype=np.int32)
    r_idx = np.array([ri[g.reviewer] for g in grades], dtype=np.int32)
    y = np.array([float(g.grade) for g in grades], dtype=np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("a grade is not a finite number")
    n_p, n_r, n_g = len(proposals), len(reviewers), len(grades)
    counts = np.bincount(p_idx, minlength=n_p).astype(np.float64)
    sums = np.bincount(p_idx, weights=y, minlength=n_p)
    means = sums / counts
    m = float(means.mean())
    pr = priors_for(scale_min, scale_max)

    # Pad to buckets (padded grades weigh 0, padded proposals have no grades, padded reviewers
    # are free draws from their prior): the compiled sampler depends on the padded sizes only.
    bp, br, bg = _bucket(n_p), _bucket(n_r), _bucket(n_g)
    ks = np.unique(counts)
    bk = 1 << (len(ks) - 1).bit_length()  # groups: 1, 2, 4, 8, ... (usually one or two)
    if bk * br * br <= SUMMARY_LIMIT:
        model = _summary_model(br)
        args = _summary_args(p_idx, r_idx, y, counts, m, ks, bk, br, pr)
    else:
        model = _collapsed_model(bp, br)
        args = _grade_args(p_idx, r_idx, y, counts, m, bp, bg, pr)
    jax.config.update("jax_enable_x64", False)
    _use_compilation_cache(jax)
    mcmc = MCMC(
        NUTS(model, target_accept_prob=TARGET_ACCEPT, dense_mass=DENSE_MASS),
        num_warmup=warmup,
        num_samples=draws,
        num_chains=chains,
        chain_method=CHAIN_METHOD,
        progress_bar=False,
    )
    mcmc.run(jax.random.PRNGKey(seed), *args)
    samples = {k: np.asarray(v, dtype=np.float64) for k, v in mcmc.get_samples(group_by_chain=True).items()}
    nu = samples["nu"][..., :n_r]  # chains × draws × reviewers
    s2 = samples["noise"] ** 2
    t2 = samples["tau_proposal"] ** 2
    split = np.random.Generator(np.random.PCG64([seed, 1]))
    samples["sigma"], samples["tau_assessor"] = _split_noise(samples["noise"], pr.bound, split)
    theta = _theta_draws(nu, s2, t2, p_idx, r_idx, y, counts, m, seed)  # chains × draws × proposals

    rhat_max, ess_min = 1.0, float("inf")
    # sigma and tau_assessor are told apart by their priors only (one grade per pair): the
    # data identify sigma² + tau_assessor², which is what is checked, with everything ranked on.
    checked = {"noise": np.sqrt(s2), "tau_proposal": samples["tau_proposal"], "nu": nu, "theta": theta}
    for name in checked:
        whole = checked[name]
        if whole.ndim == 2:
            whole = whole[..., None]
        for start in range(0, whole.shape[2], 500):  # in blocks: the FFT of ESS is 8× the draws
            s = np.asarray(whole[..., start : start + 500], dtype=np.float64)
            if chains > 1:
                rh = np.asarray(split_gelman_rubin(s))
                rhat_max = max(rhat_max, float(np.nanmax(rh)))
            ess_min = min(ess_min, float(np.nanmin(np.asarray(effective_sample_size(s)))))
    theta = theta.reshape(-1, n_p)
    ranks = _ranks(theta)
    er = ranks.mean(axis=0, dtype=np.float64)
    q = np.quantile(ranks, [0.25, 0.75, 0.05, 0.95], axis=0)
    theta_mean = theta.mean(axis=0, dtype=np.float64)
    rows = []
    for i, pid in enumerate(proposals):
        rows.append(
            ProposalRank(
                pid,
                float(means[i]),
                int(counts[i]),
                float(er[i]),
                100.0 * (float(er[i]) - 0.5) / n_p,
                (n_p - float(er[i])) / (n_p - 1),
                (float(q[0, i]), float(q[1, i])),
                (float(q[2, i]), float(q[3, i])),
                float(theta_mean[i]),
            )
        )
    order = sorted(range(n_p), key=lambda i: (rows[i].expected_rank, rows[i].proposal))
    hyper = {k: float(np.mean(samples[k])) for k in ("sigma", "tau_proposal", "tau_assessor")}
    result = ExpectedRanking(
        tuple(rows[i] for i in order),
        (float(scale_min), float(scale_max)),
        m,
        rhat_max,
        ess_min,
        chains,
        draws,
        seed,
        sigma=hyper["sigma"],
        tau_proposal=hyper["tau_proposal"],
        tau_assessor=hyper["tau_assessor"],
    )
    return result, ranks[:, order]


def _theta_draws(nu, s2, t2, p_idx, r_idx, y, counts, m, seed):  # type: ignore[no-untyped-def]
    """One draw of theta from its exact conditional posterior per draw of the rest (Normal:
    precision ``1/tau_p² + n_i/s²``, mean ``(sum_j (y_ij - m - nu_j) / s²) / precision``), with
    numpy's PCG64 seeded from the sampler's seed. Shapes: nu (C, D, R), s2 and t2 (C, D)."""
    import numpy as np

    n_p = counts.shape[0]
    c, d, n_r = nu.shape
    # incidence: how many grades each proposal got from each reviewer (0 or 1), proposals × reviewers
    try:
        from scipy.sparse import csr_matrix

        inc = csr_matrix((np.ones(len(p_idx)), (p_idx, r_idx)), shape=(n_p, n_r))
    except ImportError:  # scipy is in the extra; dense is the same numbers
        inc = np.zeros((n_p, n_r))
        np.add.at(inc, (p_idx, r_idx), 1.0)
    ysum = np.bincount(p_idx, weights=y, minlength=n_p) - counts * m
    flat_nu = nu.reshape(-1, n_r)
    # float32 and in place: at 10,000 proposals × 4,000 draws one array is 160 MB
    theta = np.asarray((inc @ flat_nu.T).T, dtype=np.float32)  # (C·D) × proposals
    np.subtract(ysum[None, :].astype(np.float32), theta, out=theta)  # the residual sums
    s2f, t2f = s2.reshape(-1, 1).astype(np.float32), t2.reshape(-1, 1).astype(np.float32)
    precision = 1.0 / t2f + counts[None, :].astype(np.float32) / s2f
    theta /= s2f
    theta /= precision
    rng = np.random.Generator(np.random.PCG64(seed))
    noise = rng.standard_normal(theta.shape, dtype=np.float32)
    np.sqrt(precision, out=precision)
    noise /= precision
    del precision
    theta += noise
    return theta.reshape(c, d, n_p)


def _ranks(theta: object) -> object:
    """Rank 1 = the largest theta, per draw (rows), as int32; vectorised argsort in chunks of
    draws to bound memory."""
    import numpy as np

    th = np.asarray(theta)
    out = np.empty(th.shape, dtype=np.int32)
    step = max(1, 4_000_000 // max(1, th.shape[1]))
    cols = np.arange(1, th.shape[1] + 1, dtype=np.int32)
    for s in range(0, th.shape[0], step):
        block = th[s : s + step]
        order = np.argsort(-block, axis=1, kind="stable")
        np.put_along_axis(out[s : s + step], order, np.broadcast_to(cols, block.shape), axis=1)
    return out


def funding_line(result: ExpectedRanking, fund: int) -> ExpectedRanking:
    """Draw the funding line after ``fund`` proposals and sort each into selected, band or not
    selected; refused (``refused=True``, no line) when R̂ exceeds 1.01."""
    from dataclasses import replace

    if fund < 1:
        raise ValueError("the number to fund must be 1 or more")
    if not result.converged:
        return replace(result, fund=fund, refused=True)
    rows = list(result.proposals)
    if fund >= len(rows):
        marked = [replace(p, lottery="selected") for p in rows]
        return replace(result, proposals=tuple(marked), fund=fund, funding_line_er=rows[-1].expected_rank)
    line = rows[fund - 1].expected_rank
    marked = []
    for p in rows:
        lo, hi = p.rank_interval
        if (lo <= line <= hi) or p.expected_rank == line:
            status: Lottery = "band"
        elif hi < line:
            status = "selected"
        else:
            status = "not_selected"
        lo90, hi90 = p.rank_interval_90
        marked.append(replace(p, lottery=status, line_in_90=lo90 <= line <= hi90))
    if sum(1 for p in marked if p.lottery != "not_selected") == fund:
        marked = [replace(p, lottery="selected") if p.lottery == "band" else p for p in marked]
    return replace(result, proposals=tuple(marked), fund=fund, funding_line_er=line)


def _below(bitgen: object, n: int) -> int:
    """A uniform integer in [0, n) from the raw 64-bit stream, without modulo bias."""
    limit = (1 << 64) - ((1 << 64) % n)
    while True:
        x = int(bitgen.random_raw())  # type: ignore[attr-defined]
        if x < limit:
            return x % n


def draw_lottery(result: ExpectedRanking, seed: int) -> ExpectedRanking:
    """Draw the free places among the band (see the module's docstring for the generator)."""
    from dataclasses import replace

    require("numpy")
    import numpy as np

    if result.fund is None or result.funding_line_er is None:
        return replace(result, lottery_seed=seed)
    band = sorted(result.band, key=lambda p: (p.expected_rank, p.proposal))
    selected = sum(1 for p in result.proposals if p.lottery == "selected")
    places = max(0, min(len(band), result.fund - selected))
    order = [p.proposal for p in band]
    bitgen = np.random.PCG64(seed)
    for i in range(len(order) - 1, 0, -1):
        j = _below(bitgen, i + 1)
        order[i], order[j] = order[j], order[i]
    winners = set(order[:places])
    rows = tuple(
        replace(p, drawn=p.proposal in winners) if p.lottery == "band" else p for p in result.proposals
    )
    draw = Draw(seed, places, tuple(order), tuple(order[:places]))
    return replace(result, proposals=rows, lottery_seed=seed, draw=draw)


def expected_rank(
    grades: Sequence[Grade],
    scale_min: float,
    scale_max: float,
    *,
    fund: int | None = None,
    lottery_seed: int | None = None,
    chains: int = CHAINS,
    warmup: int = WARMUP,
    draws: int = DRAWS,
    seed: int = 0,
) -> ExpectedRanking:
    """The front door: fit, draw the funding line when ``fund`` is given, draw lots when a
    lottery seed is given (without one, no draw: the band is reported)."""
    result, _ = fit(grades, scale_min, scale_max, chains=chains, warmup=warmup, draws=draws, seed=seed)
    if fund is not None:
        result = funding_line(result, fund)
        if lottery_seed is not None and not result.refused:
            result = draw_lottery(result, lottery_seed)
    return result
