"""How far reviewers agree: Krippendorff's alpha and the intraclass correlation.

- Krippendorff's alpha at the interval level, computed by the ``krippendorff`` package on the
  reviewers × proposals table (missing where a reviewer did not grade a proposal), with a
  percentile bootstrap interval over proposals: ``B`` resamples of the proposals (columns)
  with replacement, drawn by numpy's PCG64 generator seeded with ``seed`` (same seed, same
  interval).
- The intraclass correlation of one review from the variance components of the additive model
  (:mod:`.effects`): ``ICC = tau_p² / (tau_p² + tau_r² + sigma²)`` (agreement on absolute
  grades: a reviewer's leniency counts as disagreement), and its Spearman–Brown value for the
  mean number of reviews per proposal ``k``: ``k ICC / (1 + (k - 1) ICC)``, the reliability of
  a proposal's mean grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import Grade, require
from .effects import reviewer_effects

BOOTSTRAP = 200


@dataclass(frozen=True)
class Reliability:
    label: str  # "overall" or a criterion id
    proposals: int
    grades: int
    alpha: float | None  # None: not computable (no proposal with two grades, or no variation)
    alpha_ci: tuple[float, float] | None
    icc: float | None
    icc_k: float | None  # Spearman–Brown for k reviews
    k: float


def _alpha(table: object) -> float | None:
    import krippendorff
    import numpy as np

    t = np.asarray(table, dtype=float)
    if t.shape[1] == 0 or np.sum(np.sum(~np.isnan(t), axis=0) >= 2) == 0:
        return None
    values = t[~np.isnan(t)]
    if values.size == 0 or np.all(values == values[0]):
        return None
    try:
        a = float(krippendorff.alpha(reliability_data=t, level_of_measurement="interval"))
    except (ValueError, ZeroDivisionError):
        return None
    return a if np.isfinite(a) else None


LARGE_TABLE = 64  # reviewers from which alpha and its bootstrap use the closed form below


def _unit_sums(t: Any) -> tuple[Any, Any, Any]:
    """Per unit (column): how many values, their sum and their sum of squares; units with
    fewer than two values (not pairable) count as empty."""
    import numpy as np

    seen = ~np.isnan(t)
    m = seen.sum(axis=0).astype(float)
    v = np.where(seen, t, 0.0)
    s1, s2 = v.sum(axis=0), (v * v).sum(axis=0)
    pairable = m >= 2
    return np.where(pairable, m, 0.0), np.where(pairable, s1, 0.0), np.where(pairable, s2, 0.0)


def _alpha_closed(m: Any, s1: Any, s2: Any) -> Any:
    """Krippendorff's interval alpha from per-unit sums, for each row of ``m``, ``s1``, ``s2``
    (units along the last axis); NaN where it is not computable.

    With squared differences, the pairs of a unit sum to ``2(m S2 - S1²)`` and the pairs of all
    pairable values to ``2(n T2 - T1²)``, so ``alpha = 1 - (n - 1) Σ_u (m_u S2_u - S1_u²) /
    (m_u - 1) / (n T2 - T1²)``: the coincidence-matrix formula of the ``krippendorff``
    package, in O(units) instead of a table of value pairs (same figures to rounding).
    """
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        within = np.where(m >= 2, (m * s2 - s1 * s1) / np.where(m >= 2, m - 1, 1.0), 0.0).sum(axis=-1)
        n = m.sum(axis=-1)
        expected = n * s2.sum(axis=-1) - s1.sum(axis=-1) ** 2
        a = 1.0 - (n - 1) * within / expected
    ok = (n >= 2) & (expected > 1e-12 * np.maximum(1.0, n * s2.sum(axis=-1))) & np.isfinite(a)
    return np.where(ok, a, np.nan)


def reliability(
    grades: Sequence[Grade],
    scale_min: float,
    scale_max: float,
    *,
    label: str = "overall",
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> Reliability:
    """Alpha with its bootstrap interval, ICC and Spearman–Brown for one set of grades."""
    require("numpy", "krippendorff")
    import numpy as np

    proposals = sorted({g.proposal for g in grades})
    reviewers = sorted({g.reviewer for g in grades})
    k = len(grades) / len(proposals) if proposals else 0.0
    if not grades:
        return Reliability(label, 0, 0, None, None, None, None, 0.0)
    pi = {p: i for i, p in enumerate(proposals)}
    ri = {r: i for i, r in enumerate(reviewers)}
    table = np.full((len(reviewers), len(proposals)), np.nan)
    for g in grades:
        table[ri[g.reviewer], pi[g.proposal]] = g.grade
    if len(reviewers) > LARGE_TABLE:
        alpha, ci = _alpha_large(table, bootstrap, seed)
    else:
        alpha, ci = _alpha_small(table, bootstrap, seed)
    icc = icc_k = None
    fx = reviewer_effects(grades, scale_min, scale_max, intervals=False)
    if fx.sigma is not None and fx.tau_proposal is not None:
        tr = fx.tau_reviewer or 0.0
        total = fx.tau_proposal**2 + tr**2 + fx.sigma**2
        if total > 0:
            icc = fx.tau_proposal**2 / total
            icc_k = k * icc / (1 + (k - 1) * icc) if icc > 0 else 0.0
    return Reliability(label, len(proposals), len(grades), alpha, ci, icc, icc_k, k)


def _alpha_small(table: Any, bootstrap: int, seed: int) -> tuple[float | None, tuple[float, float] | None]:
    """Alpha by the ``krippendorff`` package, with its bootstrap interval over units."""
    import numpy as np

    alpha = _alpha(table)
    ci = None
    if alpha is not None and bootstrap > 0 and table.shape[1] > 1:
        rng = np.random.Generator(np.random.PCG64(seed))
        boots = []
        for _ in range(bootstrap):
            cols = rng.integers(0, table.shape[1], table.shape[1])
            a = _alpha(table[:, cols])
            if a is not None:
                boots.append(a)
        if boots:
            lo, hi = np.quantile(boots, [0.025, 0.975])
            ci = (float(lo), float(hi))
    return alpha, ci


def _alpha_large(table: Any, bootstrap: int, seed: int) -> tuple[float | None, tuple[float, float] | None]:
    """The same as :func:`_alpha_small` through the closed form, every resample at once: the
    resamples are the same draws (one (B, units) array from the same generator fills in the
    order of B draws of one row each)."""
    import numpy as np

    m, s1, s2 = _unit_sums(table)
    a = float(_alpha_closed(m, s1, s2))
    if not np.isfinite(a):
        return None, None
    units = table.shape[1]
    if bootstrap <= 0 or units <= 1:
        return a, None
    rng = np.random.Generator(np.random.PCG64(seed))
    cols = rng.integers(0, units, (bootstrap, units))
    boots = _alpha_closed(m[cols], s1[cols], s2[cols])
    boots = boots[np.isfinite(boots)]
    if boots.size == 0:
        return a, None
    lo, hi = np.quantile(boots, [0.025, 0.975])
    return a, (float(lo), float(hi))


def reliabilities(
    overall: Sequence[Grade],
    by_criterion: Mapping[str, Sequence[Grade]],
    scale_min: float,
    scale_max: float,
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> list[Reliability]:
    """Overall first, then each criterion in the order given."""
    out = [reliability(overall, scale_min, scale_max, bootstrap=bootstrap, seed=seed)]
    for cid, gs in by_criterion.items():
        out.append(reliability(gs, scale_min, scale_max, label=cid, bootstrap=bootstrap, seed=seed))
    return out
