"""The ranking as CSV for spreadsheets: UTF-8 with a byte-order mark (so that Excel shows
Japanese correctly), CRLF line ends, one row per proposal, stable English column names
(Japanese headers under --lang ja)."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import TYPE_CHECKING

from ...i18n import Lang
from ...ranking import Ranking
from ...sanitize import printable
from ..views.ranking import outcome_label, reasons_text, status_text
from . import headings

if TYPE_CHECKING:
    from ..views import RankingView


BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """User text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    value = printable(value)
    return "'" + value if value.startswith(_FORMULA) else value


def _n(x: Fraction | float | None, places: int = 4) -> str:
    if x is None:
        return ""
    value = round(float(x), places)
    return f"{value:.{places}f}".rstrip("0").rstrip(".") or "0"


def _money(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def columns(ranking: Ranking) -> list[str]:
    sections = [s.id for s in ranking.rubric.sections]
    return [
        "rank",
        "position",
        "id",
        "title",
        "programme",
        "outcome",
        "outcome_label",
        "status",
        "status_label",
        "funded",
        "border_zone",
        "rereview",
        "marks",
        "weighted_percent",
        "weighted_total",
        "weighted_maximum",
        "unweighted_total",
        "maximum",
        *[f"section_{s}" for s in sections],
        *[f"tie_break_{i + 1}" for i in range(len(ranking.rubric.ranking.tie_breakers))],
        "budget",
        "cumulative_budget",
        "reviews",
        "reviewers",
        "consensus",
        "disagreements",
        "unresolved",
        "reasons",
        "problems",
        "file",
    ]


def render_text(ranking: Ranking, lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = columns(ranking)
    writer.writerow(headings(cols, lang))
    sections = [s.id for s in ranking.rubric.sections]
    for r in ranking.rows:
        row = {
            "rank": r.rank if r.rank is not None else "",
            "position": r.position if r.position is not None else "",
            "id": _text(r.id),
            "title": _text(r.title),
            "programme": r.programme,
            "outcome": r.outcome.key if r.outcome else "invalid",
            "outcome_label": outcome_label(r, lang),
            "status": r.status,
            "status_label": status_text(r, lang),
            "funded": "yes" if r.status == "funded" else "no",
            "border_zone": "yes" if r.border else "no",
            "rereview": "yes" if r.rereview else "no",
            "marks": " ".join(r.marks),
            "weighted_percent": _n(r.weighted_percent),
            "weighted_total": _n(r.weighted_total),
            "weighted_maximum": _n(r.weighted_maximum),
            "unweighted_total": _n(r.total),
            "maximum": _n(r.maximum),
            "budget": _money(r.budget),
            "cumulative_budget": _money(r.cumulative_budget),
            "reviews": len(r.reviewers),
            "reviewers": _text("; ".join(r.reviewers)),
            "consensus": _text(r.consensus or ""),
            "disagreements": " ".join(r.disagreements),
            "unresolved": " ".join(r.unresolved),
            "reasons": _text(reasons_text(r, ranking, lang)),
            "problems": _text("\n".join(str(p) for p in r.problems)),
            "file": _text(r.path),
        }
        for s in sections:
            row[f"section_{s}"] = _n(r.sections.get(s))
        for i, v in enumerate(r.tie_values):
            row[f"tie_break_{i + 1}"] = _n(v)
        writer.writerow([row.get(c, "") for c in cols])
    return BOM + out.getvalue()


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()
