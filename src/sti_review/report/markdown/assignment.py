"""The assignment as Markdown: summary, each proposal's reviewers, loads, the weakest matches."""

from __future__ import annotations

from ...assignment import Assignment
from ...i18n import Lang
from ...sanitize import markdown_inline as md
from ..views import AssignmentView
from ..views.assignment import assignment_summary, load_rows, num, proposal_rows, t, weakest


def sections(a: Assignment, lang: Lang) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) of each table; shared with the HTML page."""
    names = {r.id: r.name for r in a.reviewers}
    terms = {(p.proposal, p.reviewer): p.terms for p in a.pairs}
    aff = {(p.proposal, p.reviewer): p.affinity for p in a.pairs}
    props = [
        [
            row["id"],
            row["title"],
            row["language"],
            "; ".join(
                f"{names[r]} ({num(aff[row['id'], r], 2)}: {', '.join(terms[row['id'], r][:3])})"
                for r in row["reviewers"]
            ),
            num(row["affinity"]),
        ]
        for row in proposal_rows(a)
    ]
    loads = [
        [
            f"{r['name']} ({r['id']})",
            str(r["load"]),
            str(r["min"]),
            "—" if r["max"] is None else str(r["max"]),
        ]
        for r in load_rows(a)
    ]
    weak = [[row["id"], row["title"], num(row["affinity"])] for row in weakest(a)]
    return [
        (
            t("assignment_title", lang),
            [
                t("proposal", lang),
                t("title", lang),
                t("language", lang),
                t("reviewers", lang),
                t("affinity", lang),
            ],
            props,
        ),
        (t("loads", lang), [t("reviewer", lang), t("load", lang), t("min", lang), t("max", lang)], loads),
        (t("weakest_title", lang), [t("proposal", lang), t("title", lang), t("affinity", lang)], weak),
    ]


def render_text(a: Assignment, lang: Lang) -> str:
    lines = [f"# {t('assignment_title', lang)}", "", assignment_summary(a, lang), ""]
    for heading, header, rows in sections(a, lang):
        lines += [f"## {heading}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assignment, lang).encode()
