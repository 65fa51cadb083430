"""Statistics over a call's grades: reviewer effects, reliability, Bayesian expected rank.

Pure functions over plain records (:class:`Grade`: proposal id, reviewer id, grade) and the
scale's bounds, returning frozen dataclasses. Heavy libraries (numpy, statsmodels,
krippendorff, NumPyro/JAX) are optional (``pip install 'sti-review[stats]'``) and imported
inside the functions that need them; :func:`require` turns a missing one into a bilingual
:class:`~sti_review.errors.UsageError` (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grade:
    """One reviewer's grade for one proposal (higher is better)."""

    proposal: str
    reviewer: str
    grade: float


MISSING = (
    "この機能には統計用の追加パッケージが必要です: pip install 'sti-review[stats]' "
    "/ this needs the statistics extra: pip install 'sti-review[stats]' (missing: {name})"
)


def require(*modules: str) -> None:
    """Import-check optional modules; a bilingual UsageError (exit 2) names the missing one."""
    import importlib.util

    from ..errors import UsageError

    for name in modules:
        if importlib.util.find_spec(name) is None:
            raise UsageError(MISSING.format(name=name))


def check_grades(grades: list[Grade] | tuple[Grade, ...]) -> None:
    """ValueError for no grades or a grade that is not a finite number."""
    import math

    if not grades:
        raise ValueError("no grades")
    for g in grades:
        if isinstance(g.grade, bool) or not math.isfinite(float(g.grade)):
            raise ValueError(f"grade {g.grade!r} of {g.reviewer!r} for {g.proposal!r} is not a finite number")
