"""The ranking as CSV for spreadsheets: UTF-8 with a byte-order mark (so that Excel shows
Japanese correctly), CRLF line ends, one row per proposal, stable English column names
(Japanese headers under --lang ja)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
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
    return "".join(text_chunks(ranking, lang))


CHUNK_ROWS = 512  # rows handed on at a time (see text_chunks)


def text_chunks(ranking: Ranking, lang: Lang) -> Iterator[str]:
    """The report's text, ``CHUNK_ROWS`` rows at a time (issue 17: a 100,000-row report is
    ~80 MB, never held whole when it is written)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    cols = columns(ranking)
    writer.writerow(headings(cols, lang))
    sections = [s.id for s in ranking.rubric.sections]
    ties = len(ranking.rubric.ranking.tie_breakers)
    n = _number_cell()
    # what many rows share is worded once: combinations of reasons (by the reasons' identity
    # first, then by value), outcome and status labels
    reasons: dict[tuple[Reason, ...], str] = {}
    reasons_by_id: dict[tuple[int, ...], str] = {}
    outcomes: dict[object, tuple[str, str]] = {}
    statuses: dict[str, str] = {}
    write = writer.writerow
    for i, r in enumerate(ranking.rows):
        if i % CHUNK_ROWS == CHUNK_ROWS - 1:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        ids = tuple(map(id, r.reasons))
        why = reasons_by_id.get(ids)
        if why is None:
            key = tuple(r.reasons)
            why = reasons.get(key)
            if why is None:
                why = reasons[key] = _text(reasons_text(r, ranking, lang))
            reasons_by_id[ids] = why
        outcome = outcomes.get(r.outcome)
        if outcome is None:
            outcome = outcomes[r.outcome] = (
                r.outcome.key if r.outcome else "invalid",
                outcome_label(r, lang),
            )
        status = r.status
        status_label = statuses.get(status)
        if status_label is None:
            status_label = statuses[status] = status_text(r, lang)
        sections_of = r.sections
        tie_values = r.tie_values
        write(
            [
                r.rank if r.rank is not None else "",
                r.position if r.position is not None else "",
                _text(r.id),
                _text(r.title),
                r.programme,
                *outcome,
                status,
                status_label,
                "yes" if status == "funded" else "no",
                "yes" if r.border else "no",
                "yes" if r.rereview else "no",
                " ".join(r.marks),
                n(r.weighted_percent),
                n(r.weighted_total),
                n(r.weighted_maximum),
                n(r.total),
                n(r.maximum),
                *[n(sections_of.get(s)) for s in sections],
                *[n(tie_values[i]) if i < len(tie_values) else "" for i in range(ties)],
                _money(r.budget),
                _money(r.cumulative_budget),
                len(r.reviewers),
                _text("; ".join(r.reviewers)),
                _text(r.consensus or ""),
                " ".join(r.disagreements),
                " ".join(r.unresolved),
                why,
                _text("\n".join(p.render(lang) for p in r.problems)),
                _text(r.path),
            ]
        )
    yield out.getvalue()


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()


def render_chunks(
    view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False
) -> Iterator[bytes]:
    """``render`` in pieces of ``CHUNK_ROWS`` rows."""
    for text in text_chunks(view.ranking, lang):
        yield text.encode()
