"""The results of `sti-review check` as one self-contained HTML page: a summary line per
proposal, then each proposal's findings (the same table as the assessment report's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...errors import Problem
from ...i18n import Lang
from ...rubric import Rubric
from ..html.common import findings_view, render_page
from ..views.findings import summary_text, t, verdict_text

if TYPE_CHECKING:
    from ...api import CheckedProposal
    from ..views import FindingsView


def render_text(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> str:
    heading = t("checks_title", lang)
    rows = []
    for r in results:
        p = r.proposal.proposal
        failed = r.failed(strict)
        rows.append(
            {
                "id": p.id,
                "title": p.title,
                "file": str(r.path),
                "programme": rubric.label("programmes", p.programme, lang),
                "failed": failed,
                "verdict": verdict_text(failed, strict, lang),
                "summary": summary_text(r.findings, lang),
                "findings": findings_view(r.findings, rubric, lang),
            }
        )
    return render_page(
        "checks.html.j2",
        lang,
        page_title=heading,
        heading=heading,
        rubric=rubric.ref,
        note=t("informs_note", lang),
        results=rows,
        invalid=[
            {"file": path, "problems": [p.render(lang) for p in problems]} for path, problems in invalid
        ],
        words={k: t(k, lang) for k in ("rubric", "id", "file", "result", "finding", "unreadable")},
    )


def render(view: FindingsView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.results, view.invalid, view.rubric, lang, view.strict).encode()
