"""The assignment as JSON: every pair with its affinity, the objective value, loads, coverage."""

from __future__ import annotations

from ...assignment import Assignment
from ...i18n import Lang
from ...sanitize import json_text
from ..views import AssignmentView
from ..views.assignment import assignment_summary, load_rows, proposal_rows


def render_text(a: Assignment, lang: Lang) -> str:
    return json_text(
        {
            "objective": a.objective,
            "weakest": a.weakest,
            "per_proposal": a.options.per_proposal,
            "fair": a.options.fair,
            "fair_status": a.fair_status,
            "fair_bound": a.fair_bound,
            "outside_region": a.options.outside_region,
            "candidates": a.options.candidates,
            "candidates_used": a.candidates_used,
            "conflicts_excluded": a.conflicts,
            "variables": a.variables,
            "summary": assignment_summary(a, lang),
            "pairs": [
                {"proposal": p.proposal, "reviewer": p.reviewer, "affinity": p.affinity, "terms": p.terms}
                for p in a.pairs
            ],
            "proposals": proposal_rows(a),
            "loads": load_rows(a),
        }
    )


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assignment, lang).encode()
