"""Words and shared views of the conflict, assignment and collection reports (issue 19)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ...assignment import Assignment, Shortfall
from ...conflicts import ConflictReport, Reason
from ...errors import render
from ...i18n import Lang, catalog
from ...packets import Collection
from ...sanitize import printable

# Words of this module: catalogue keys assignview.* (locales/*/LC_MESSAGES/sti_review.po)
t = catalog("assignview")


def reason_text(reason: Reason, lang: Lang) -> str:
    role = t(f"role_{reason.role}", lang) if reason.role else ""
    if reason.kind == "institution":
        until = t("until", lang, year=reason.year) if reason.year else ""
        return t("reason_institution", lang, mine=reason.mine, until=until, theirs=reason.theirs, role=role)
    if reason.kind == "collaborator":
        year = t("year_paren", lang, year=reason.year) if reason.year else ""
        return t("reason_collaborator", lang, mine=reason.mine, year=year, role=role)
    if reason.kind == "declared_proposal":
        return t("reason_declared_proposal", lang, note=f": {reason.mine}" if reason.mine else "")
    return t(f"reason_{reason.kind}", lang, mine=reason.mine, theirs=reason.theirs, role=role)


def conflict_rows(report: ConflictReport, lang: Lang) -> list[dict[str, Any]]:
    names = {r.id: r.name for r in report.reviewers}
    titles = {p.id: p.title for p in report.proposals}
    return [
        {
            "reviewer": c.reviewer,
            "reviewer_name": names.get(c.reviewer, ""),
            "proposal": c.proposal,
            "title": titles.get(c.proposal, ""),
            "reasons": [
                {
                    "kind": r.kind,
                    "reviewer_side": r.mine,
                    "proposal_side": r.theirs,
                    "role": r.role or None,
                    "year": r.year,
                    "text": reason_text(r, lang),
                }
                for r in c.reasons
            ],
        }
        for c in report.conflicts
    ]


def conflicts_summary(report: ConflictReport, lang: Lang) -> str:
    return t(
        "conflicts_summary",
        lang,
        reviewers=len(report.reviewers),
        proposals=len(report.proposals),
        n=len(report.conflicts),
        years=report.years,
        year=report.this_year,
    )


def shortfall_text(s: Shortfall, lang: Lang) -> str:
    if s.constraint in ("reviewers", "language", "outside_region", "capacity_max", "capacity_min") and (
        s.proposals or s.short
    ):
        return t(f"short_{s.constraint}", lang, short=s.short, detail=s.detail)
    if s.constraint == "combination":
        return t("short_combination", lang)
    return t(f"short_{s.constraint}_relax", lang)


def num(x: float, places: int = 3) -> str:
    return f"{x:.{places}f}"


def assignment_summary(a: Assignment, lang: Lang) -> str:
    return t(
        "assignment_summary",
        lang,
        proposals=len(a.proposals),
        k=a.options.per_proposal,
        reviewers=len(a.reviewers),
        objective=num(a.objective),
        weakest=num(a.weakest),
        conflicts=a.conflicts,
        fair=_fair_note(a, lang),
        outside=t("outside_note", lang) if a.options.outside_region else "",
    )


def _fair_note(a: Assignment, lang: Lang) -> str:
    if not a.options.fair:
        return ""
    if a.fair_status == "time_limit" and a.fair_bound is not None:
        return t("fair_time_limit", lang, bound=num(a.fair_bound))
    return t("fair_note", lang)


def proposal_rows(a: Assignment) -> list[dict[str, Any]]:
    per = a.proposal_affinity()
    by = a.by_proposal()
    return [
        {
            "id": p.id,
            "title": p.title,
            "language": a.languages[p.id],
            "reviewers": [x.reviewer for x in by[p.id]],
            "affinity": per[p.id],
        }
        for p in a.proposals
    ]


def load_rows(a: Assignment) -> list[dict[str, Any]]:
    loads = a.loads()
    return [
        {"id": r.id, "name": r.name, "load": loads[r.id], "min": r.min_load, "max": r.max_load}
        for r in a.reviewers
    ]


def weakest(a: Assignment, n: int = 5) -> list[dict[str, Any]]:
    return sorted(proposal_rows(a), key=lambda row: (row["affinity"], row["id"]))[:n]


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = printable("" if value is None else str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def collection_lines(c: Collection, lang: Lang) -> list[str]:
    lines = [f"# {t('collect_title', lang)}"]
    for f in c.files:
        extra = (
            f" — {render(f.message, lang)}"
            if f.message and f.status not in ("collected", "unchanged", "incomplete")
            else ""
        )
        dest = f" → {f.message}" if f.status in ("collected", "incomplete") else ""
        lines.append(f"{t('status_' + f.status, lang)}: {f.path}{dest}{extra}")
    lines.append(f"# {t('progress', lang)}")
    none = "—"
    for p in c.progress:
        lines.append(
            t(
                "progress_line",
                lang,
                name=p.name,
                id=p.reviewer,
                done=len(p.done),
                n=len(p.assigned),
                partial=", ".join(p.in_progress) or none,
                missing=", ".join(p.missing) or none,
            )
        )
    return [printable(line) for line in lines]
