"""Pre-check findings as JSON: `sti-review check --format json` and the assessment's findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...checks import Finding, counts
from ...errors import Problem
from ...errors import render as say
from ...i18n import Lang
from ...rubric import Rubric
from ...sanitize import json_text
from ..views.findings import finding_data

if TYPE_CHECKING:
    from ...api import CheckedProposal
    from ..views import FindingsView

SCHEMA = "sti-review/checks@1"


def findings_data(
    findings: Sequence[Finding] | None, rubric: Rubric, lang: Lang
) -> list[dict[str, Any]] | None:
    return None if findings is None else [finding_data(f, rubric, lang) for f in findings]


def problem_data(p: Problem, lang: Lang) -> dict[str, Any]:
    """A located problem for machines; its words (the message, a place described in words) are
    in ``lang`` like every text field of the report (docs/decisions.md, "Problems in the
    report's language")."""
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "field": say(p.field, lang) if p.field is not None else None,
        "message": say(p.message, lang),
    }


def to_data(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> dict[str, Any]:
    everything = [f for r in results for f in r.findings]
    failed = any(r.failed(strict) for r in results)
    return {
        "schema": SCHEMA,
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": rubric.ref},
        "strict": strict,
        "passed": not failed and not invalid,
        "counts": counts(everything),
        "proposals": [
            {
                "file": str(r.path),
                "id": r.proposal.proposal.id,
                "title": r.proposal.proposal.title,
                "programme": r.proposal.proposal.programme,
                "passed": not r.failed(strict),
                "counts": counts(r.findings),
                "findings": [finding_data(f, rubric, lang) for f in r.findings],
            }
            for r in results
        ],
        "invalid": [
            {"file": path, "problems": [problem_data(p, lang) for p in problems]}
            for path, problems in invalid
        ],
    }


def render_json(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> str:
    return json_text(to_data(results, invalid, rubric, lang, strict))


def render(view: FindingsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_json(view.results, view.invalid, view.rubric, lang, view.strict).encode()
