"""The assignment as a workbook: a summary, every assigned pair with its affinity and the
terms that made it, each proposal's coverage and each reviewer's load against its limits."""

from __future__ import annotations

from ... import __version__
from ...assignment import Assignment
from ...i18n import Lang
from ...i18n import t as words
from ..views import AssignmentView
from ..views.assignment import assignment_summary, load_rows, proposal_rows, t
from . import common as x

AFFINITY = "0.000"


def _render(a: Assignment, *, lang: Lang) -> bytes:
    wb = x.workbook()
    x.key_values(
        wb.create_sheet(x.sheet_title(x.W("summary", lang))),
        [
            (t("assignment_title", lang), assignment_summary(a, lang)),
            ("", words("generated_by", lang, version=__version__)),
        ],
    )
    names = {r.id: r.name for r in a.reviewers}
    titles = {p.id: p.title for p in a.proposals}
    ws = wb.create_sheet(x.sheet_title(t("assignment_title", lang)))
    head = [
        t(k, lang) for k in ("proposal", "title", "language", "reviewer", "reviewers", "affinity", "terms")
    ]
    x.header(ws, head, widths=[18, 50, 8, 14, 20, 10, 40])
    for row, p in enumerate(a.pairs, start=2):
        values = [p.proposal, titles[p.proposal], a.languages[p.proposal], p.reviewer, names[p.reviewer]]
        for col, v in enumerate(values, start=1):
            x.put(ws, row, col, v)
        x.put(ws, row, 6, round(p.affinity, 6), fmt=AFFINITY)
        x.put(ws, row, 7, " ".join(p.terms))
    x.autofilter(ws, len(head), len(a.pairs) + 1)

    ws = wb.create_sheet(x.sheet_title(t("reviewers", lang)))
    x.header(
        ws,
        [t("proposal", lang), t("title", lang), t("reviewers", lang), t("affinity", lang)],
        widths=[18, 50, 40, 10],
    )
    for row, p in enumerate(proposal_rows(a), start=2):
        x.put(ws, row, 1, p["id"])
        x.put(ws, row, 2, p["title"])
        x.put(ws, row, 3, ", ".join(p["reviewers"]))
        x.put(ws, row, 4, round(p["affinity"], 6), fmt=AFFINITY)
    x.autofilter(ws, 4, len(a.proposals) + 1)

    ws = wb.create_sheet(x.sheet_title(t("loads", lang)))
    x.header(
        ws,
        [t("reviewer", lang), "", t("load", lang), t("min", lang), t("max", lang)],
        widths=[14, 24, 8, 8, 8],
    )
    for row, r in enumerate(load_rows(a), start=2):
        for col, v in enumerate(
            [r["id"], r["name"], r["load"], r["min"], r["max"] if r["max"] is not None else "—"], 1
        ):
            x.put(ws, row, col, v)
    return x.to_bytes(wb)


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.assignment, lang=lang)
