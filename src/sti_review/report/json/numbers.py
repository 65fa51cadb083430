"""The JSON format's one number helper: every JSON report rounds the same way."""

from __future__ import annotations

import math
from fractions import Fraction


def number(x: Fraction | float | None) -> float | None:
    """A score or total as a JSON number, rounded to 4 places; null when there is none.

    JSON (RFC 8259) has no NaN or infinity: refused here, where numbers enter a report (a
    ranking's rows are written by orjson, which would write them as null)."""
    if x is None:
        return None
    # a Fraction's float is its numerator over its denominator (exactly what float() does, without
    # the generic number protocol's properties: a 10,000-row report converts ~170,000 of them)
    value = round(x.numerator / x.denominator if type(x) is Fraction else float(x), 4)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return value
