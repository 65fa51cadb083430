"""The ranking as JSON: one object, schema ``sti-review/ranking@1`` (docs/formats.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...i18n import Lang
from ...ranking import RankedProposal, Ranking
from ...sanitize import Streamed, json_chunks, json_text
from ..views.ranking import outcome_label, reason_line, status_text
from .findings import problem_data
from .numbers import number as _n

if TYPE_CHECKING:
    from ..views import RankingView


SCHEMA = "sti-review/ranking@1"


def _row(r: RankedProposal, ranking: Ranking, lang: Lang) -> dict[str, Any]:
    return {
        "rank": r.rank,
        "position": r.position,
        "tied": r.tied,
        "id": r.id,
        "title": r.title,
        "programme": r.programme or None,
        "file": r.path,
        "outcome": r.outcome.value if r.outcome else None,
        "outcome_key": r.outcome.key if r.outcome else None,
        "outcome_label": outcome_label(r, lang),
        "reasons": [
            {
                "code": x.code,
                "text": reason_line(x, ranking, lang),
                "criterion": x.criterion,
                "section": x.section,
                "items": list(x.items),
            }
            for x in r.reasons
        ],
        "eligible": r.eligible,
        "status": r.status,
        "status_label": status_text(r, lang),
        "funded": r.status == "funded",
        "border_zone": r.border,
        "rereview": r.rereview,
        "marks": r.marks,
        "scores": {
            "weighted_percent": _n(r.weighted_percent),
            "weighted": _n(r.weighted_total),
            "weighted_maximum": _n(r.weighted_maximum),
            "unweighted": _n(r.total),
            "maximum": _n(r.maximum),
            "sections": {k: _n(v) for k, v in r.sections.items()},
        },
        "tie_breakers": [_n(v) for v in r.tie_values],
        "budget": r.budget,
        "cumulative_budget": r.cumulative_budget,
        "reviews": {
            "count": len(r.reviewers),
            "reviewers": r.reviewers,
            "files": r.review_files,
            "consensus": r.consensus,
            "basis": r.basis,
            "incomplete": r.incomplete_reviews,
        },
        "disagreements": r.disagreements,
        "unresolved": r.unresolved,
        "problems": [problem_data(p, lang) for p in r.problems],
        # the review process (additive): stage, exclusions, flags, overall grade, advisories
        "stage": r.stage,
        "excluded": [{"reviewer": who, "conflict": why} for who, why in r.excluded],
        "needs_reviewer": r.needs_reviewer,
        "possible_conflicts": [{"reviewer": who, "matches": what} for who, what in r.conflict_flags],
        "overall": _n(r.overall),
        "split_grades": r.split_grades,
        "advisories": [a.code for a in r.advisories],
        "document_percent": _n(r.document_percent),
        "interview_candidate": r.interview_candidate,
    }


def to_data(ranking: Ranking, lang: Lang, *, streamed: bool = False) -> dict[str, Any]:
    """The report as data; with ``streamed`` its proposals are a ``Streamed`` list, each row
    made when it is written (see ``render_chunks``)."""
    line = ranking.line
    rubric = ranking.rubric
    return {
        "schema": SCHEMA,
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": rubric.ref},
        "call": {
            "folder": ranking.call_dir,
            "files": ranking.files,
            "proposals": len(ranking.rows),
            "reviews": ranking.review_count,
            "eligible": len(ranking.ranked),
            "invalid": len(ranking.invalid),
        },
        "order": {"by": "weighted_percent", "tie_breakers": list(rubric.ranking.tie_breakers)},
        "funding_line": (
            None
            if line is None
            else {
                "mode": line.mode,
                "limit": line.limit,
                "funded": line.funded,
                "funded_budget": line.funded_budget,
                "remainder": line.remainder,
                "tie_at_line": line.tie_at_line,
                "border_zone": {
                    "from": line.zone[0],
                    "to": line.zone[1],
                    "fractions": list(rubric.ranking.border_zone),
                },
            }
        ),
        "proposals": (
            Streamed(_row(r, ranking, lang) for r in ranking.rows)
            if streamed
            else [_row(r, ranking, lang) for r in ranking.rows]
        ),
        "problems": [problem_data(p, lang) for p in ranking.problems],
    }


def render_text(ranking: Ranking, lang: Lang) -> str:
    data = to_data(ranking, lang)
    stats = getattr(ranking, "stats", None)
    if stats is not None:  # issue 18: expected rank, reviewer effects, reliability
        from ..views.stats import add_to_json

        add_to_json(data, stats)
    return json_text(data)


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.ranking, lang).encode()


def render_chunks(
    view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False
) -> Iterator[bytes]:
    """``render`` in pieces, one batch of proposals at a time (issue 17: 100,000 proposals are
    written without the whole report, its text or its data, in memory)."""
    ranking = view.ranking
    if getattr(ranking, "stats", None) is not None:  # the statistics go into every row
        yield render(view, lang=lang, width=width, color=color)
        return
    for text in json_chunks(to_data(ranking, lang, streamed=True)):
        yield text.encode()
