"""The ranking as CSV for spreadsheets: UTF-8 with a byte-order mark (so that Excel shows
Japanese correctly), CRLF line ends, one row per proposal, stable English column names
(Japanese headers under --lang ja)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from ...i18n import Lang
from ...ranking import Ranking
from ...sanitize import printable
from ...scoring import Reason
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


def _number_cell() -> Callable[[Fraction | float | None], str]:
    """``_n`` with four places, remembered by value: a call's 150,000 number cells hold a few
    thousand distinct values. ``float(Fraction)`` is numerator / denominator (true division,
    correctly rounded), done here without the property and ``numbers`` calls."""
    seen: dict[float, str] = {}

    def cell(x: Fraction | float | None) -> str:
        if x is None:
            return ""
        f = x.numerator / x.denominator if type(x) is Fraction else float(x)
        text = seen.get(f)
        if text is None:
            text = seen[f] = _n(f)
        return text

    return cell


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
    n = _number_cell()
    reasons: dict[tuple[Reason, ...], str] = {}  # rows share a few combinations of reasons
    for r in ranking.rows:
        key = tuple(r.reasons)
        why = reasons.get(key)
        if why is None:
            why = reasons[key] = _text(reasons_text(r, ranking, lang))
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
            "weighted_percent": n(r.weighted_percent),
            "weighted_total": n(r.weighted_total),
            "weighted_maximum": n(r.weighted_maximum),
            "unweighted_total": n(r.total),
            "maximum": n(r.maximum),
            "budget": _money(r.budget),
            "cumulative_budget": _money(r.cumulative_budget),
            "reviews": len(r.reviewers),
            "reviewers": _text("; ".join(r.reviewers)),
            "consensus": _text(r.consensus or ""),
            "disagreements": " ".join(r.disagreements),
            "unresolved": " ".join(r.unresolved),
            "reasons": why,
            "problems": _text("\n".join(str(p) for p in r.problems)),
            "file": _text(r.path),
        }
        for s in sections:
            row[f"section_{s}"] = n(r.sections.get(s))
        for i, v in enumerate(r.tie_values):
            row[f"tie_break_{i + 1}"] = n(v)
        writer.writerow([row.get(c, "") for c in cols])
    return BOM + out.getvalue()


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()
