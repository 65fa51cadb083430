"""The JSON format's one number helper: every JSON report rounds the same way."""

from __future__ import annotations

from fractions import Fraction


def number(x: Fraction | float | None) -> float | None:
    """A score or total as a JSON number, rounded to 4 places; null when there is none."""
    return None if x is None else round(float(x), 4)
