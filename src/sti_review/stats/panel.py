"""Agreement within one proposal's panel (``sti-review consolidate``).

With one proposal there is no spread of proposals for reviewers to agree on, so the call-level
quantities (alpha per criterion over proposals, the ICC of a proposal's grade) do not exist.
What a single panel does have is a profile: each reviewer's scores across the rubric's scored
criteria. :func:`panel_agreement` treats the criteria as the units: Krippendorff's alpha
(interval) on the reviewers × criteria table, with its bootstrap interval over criteria, and
the ICC of the additive model ``score = criterion effect + reviewer effect + noise`` with its
Spearman–Brown value for the number of reviewers. Near 1: the reviewers agree on where this
proposal is strong and weak; near 0: they do not. It is one number (no per-criterion values:
one criterion of one proposal is a single unit). ``None`` when the extra is missing, or with
fewer than two reviewers or two scored criteria.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from . import Grade
from .reliability import Reliability, reliability

NEEDED = ("numpy", "scipy", "krippendorff")


def panel_agreement(consolidation: Any, *, seed: int = 0) -> Reliability | None:
    """Agreement across one proposal's criterion profile (see the module's docstring)."""
    if any(importlib.util.find_spec(m) is None for m in NEEDED):
        return None
    grades: list[Grade] = []
    for cp in consolidation.criteria:
        for i, a in enumerate(cp.answers):
            if a is None or a.na or a.score is None or a.verdict is not None:
                continue
            grades.append(Grade(cp.criterion.id, f"#{i}", float(a.score)))
    units = {g.proposal for g in grades}
    raters = {g.reviewer for g in grades}
    if len(units) < 2 or len(raters) < 2:
        return None
    scale = consolidation.rubric.scale
    return reliability(grades, float(scale.min), float(scale.max), label="criteria", seed=seed)
