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
parameters (this is what makes 1,000 proposals cheap). ``theta`` is sampled non-centred.

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


def fit(
    grades: Sequence[Grade],
    scale_min: float,
    scale_max: float,
    *,
    chains: int = 4,
    warmup: int = 1000,
    draws: int = 1000,
    seed: int = 0,
) -> tuple[ExpectedRanking, object]:
    """Fit the model and summarise ranks (no funding line). Returns the summary and the raw
    rank draws (a numpy int32 array, draws × proposals, in the summary's proposal order)."""
    require("numpy", "jax", "numpyro")
    import os

    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp
    import numpy as np
    import numpyro
    import numpyro.distributions as dist
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
    counts = np.bincount(p_idx, minlength=len(proposals))
    means = np.bincount(p_idx, weights=y, minlength=len(proposals)) / counts
    m = float(means.mean())
    pr = priors_for(scale_min, scale_max)
    n_p, n_r = len(proposals), len(reviewers)

    def model(p_idx, r_idx, y):  # type: ignore[no-untyped-def]
        sigma = numpyro.sample("sigma", dist.Uniform(1e-6, pr.bound))
        tau_p = numpyro.sample("tau_proposal", dist.Uniform(1e-6, pr.bound))
        tau_a = numpyro.sample("tau_assessor", dist.Uniform(1e-6, pr.bound))
        nu = numpyro.sample("nu", dist.Normal(0.0, pr.nu_sd).expand([n_r]))
        z = numpyro.sample("z", dist.Normal(0.0, 1.0).expand([n_p]))
        theta = numpyro.deterministic("theta", tau_p * z)
        scale = jnp.sqrt(sigma**2 + tau_a**2)
        numpyro.sample("grade", dist.Normal(m + theta[p_idx] + nu[r_idx], scale), obs=y)

    jax.config.update("jax_enable_x64", False)
    mcmc = MCMC(
        NUTS(model, target_accept_prob=TARGET_ACCEPT),
        num_warmup=warmup,
        num_samples=draws,
        num_chains=chains,
        chain_method=CHAIN_METHOD,
        progress_bar=False,
    )
    mcmc.run(jax.random.PRNGKey(seed), jnp.asarray(p_idx), jnp.asarray(r_idx), jnp.asarray(y, jnp.float32))
    samples = mcmc.get_samples(group_by_chain=True)
    rhat_max, ess_min = 1.0, float("inf")
    # sigma and tau_assessor are told apart by their priors only (one grade per pair): the
    # data identify sigma² + tau_assessor², which is what is checked, with everything ranked on.
    checked = {
        "noise": np.sqrt(np.asarray(samples["sigma"]) ** 2 + np.asarray(samples["tau_assessor"]) ** 2),
        "tau_proposal": samples["tau_proposal"],
        "nu": samples["nu"],
        "theta": samples["theta"],
    }
    for name in checked:
        s = np.asarray(checked[name], dtype=np.float64)
        if s.ndim == 2:
            s = s[..., None]
        if chains > 1:
            rh = np.asarray(split_gelman_rubin(s))
            rhat_max = max(rhat_max, float(np.nanmax(rh)))
        ess_min = min(ess_min, float(np.nanmin(np.asarray(effective_sample_size(s)))))
    theta = np.asarray(samples["theta"], dtype=np.float32).reshape(-1, n_p)
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
    hyper = {k: float(np.mean(np.asarray(samples[k]))) for k in ("sigma", "tau_proposal", "tau_assessor")}
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


def _ranks(theta: object) -> object:
    """Rank 1 = the largest theta, per draw (rows), as int32; in chunks to bound memory."""
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
    chains: int = 4,
    warmup: int = 1000,
    draws: int = 1000,
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
