"""Words and shared views of the conflict, assignment and collection reports (issue 19)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ...assignment import Assignment, Shortfall
from ...conflicts import ConflictReport, Reason
from ...i18n import Lang, catalog
from ...packets import Collection
from ...sanitize import printable

MESSAGES: dict[str, tuple[str, str]] = {
    "conflicts_title": ("利益相反の候補", "Conflicts of interest"),
    "conflicts_summary": (
        "審査員 {reviewers} 名 × 提案 {proposals} 件: 利益相反 {n} 組"
        "（所属の判定期間 {years} 年、基準年 {year}）",
        "{reviewers} reviewers × {proposals} proposals: {n} conflicts "
        "(institutions within {years} years of {year})",
    ),
    "no_conflicts": ("利益相反は見つかりませんでした。", "No conflicts found."),
    "reason_institution": (
        "所属機関が同じ: {mine}{until} ↔ {theirs}（{role}）",
        "same institution: {mine}{until} ↔ {theirs} ({role})",
    ),
    "until": ("（{year}年まで）", " (until {year})"),
    "reason_researcher_number": (
        "研究者番号が一致: {mine}（{role} {theirs}）",
        "same researcher number {mine} ({role} {theirs})",
    ),
    "reason_collaborator": ("共同研究者 {mine}{year} が{role}", "collaborator {mine}{year} is the {role}"),
    "year_paren": ("（{year}年）", " ({year})"),
    "reason_declared_proposal": ("本人が申告{note}", "declared by the reviewer{note}"),
    "reason_declared_person": ("申告された人物 {mine} が{role}", "declared person {mine} is the {role}"),
    "role_lead": ("研究代表者", "lead"),
    "role_partner": ("相手機関", "partner"),
    "role_team": ("参加者", "team member"),
    "reviewer": ("審査員", "Reviewer"),
    "proposal": ("提案", "Proposal"),
    "reasons": ("理由", "Reasons"),
    "assignment_title": ("審査員の割当て", "Reviewer assignment"),
    "assignment_summary": (
        "提案 {proposals} 件 × 各 {k} 名、審査員 {reviewers} 名: 適合度の合計 {objective}、"
        "最も低い提案 {weakest}（利益相反 {conflicts} 組を除外{fair}{outside}）",
        "{proposals} proposals × {k} reviewers each, {reviewers} reviewers: total affinity {objective}, "
        "weakest proposal {weakest} ({conflicts} conflicts excluded{fair}{outside})",
    ),
    "fair_note": ("、公平性優先", "; fairness first"),
    "fair_time_limit": (
        "、公平性優先: 制限時間内の最良解（最も低い提案の上限 {bound}）",
        "; fairness first: the best found in the time limit (the weakest could reach at most {bound})",
    ),
    "outside_note": ("、地域外の審査員1名以上", "; at least one reviewer from outside the region"),
    "language": ("言語", "Language"),
    "title": ("課題名", "Title"),
    "reviewers": ("審査員", "Reviewers"),
    "affinity": ("適合度", "Affinity"),
    "terms": ("一致した語", "Matching terms"),
    "loads": ("審査員ごとの件数", "Loads"),
    "load": ("件数", "Load"),
    "min": ("最小", "Min"),
    "max": ("最大", "Max"),
    "weakest_title": ("専門性の適合が最も低い提案", "Proposals with the weakest expertise"),
    "infeasible": ("割当てができません:", "No assignment is possible:"),
    "short_reviewers": (
        "利益相反のない審査員が足りない提案（計 {short} 名不足）: {detail}",
        "proposals with too few reviewers free of conflicts ({short} short in all): {detail}",
    ),
    "short_language": (
        "提案の言語を読める審査員（利益相反なし）がいない提案: {detail}",
        "proposals with no reviewer free of conflicts who reads their language: {detail}",
    ),
    "short_outside_region": (
        "相手国の地域外の審査員（利益相反なし）がいない提案: {detail}",
        "proposals with no reviewer free of conflicts from outside their partners' regions: {detail}",
    ),
    "short_capacity_max": (
        "審査員の最大件数の合計が足りません（{short} 件不足）: {detail}",
        "the reviewers' maximum loads fall short by {short}: {detail}",
    ),
    "short_capacity_min": (
        "最小件数の合計が必要な件数を {short} 件上回ります: {detail}",
        "the reviewers' minimum loads exceed the reviews to give by {short}: {detail}",
    ),
    "short_language_relax": (
        "言語の条件が他の条件と両立しません",
        "the language constraints cannot hold with the others",
    ),
    "short_min_load_relax": (
        "最小件数の条件が他の条件と両立しません",
        "the minimum loads cannot hold with the others",
    ),
    "short_max_load_relax": (
        "最大件数の条件が他の条件と両立しません",
        "the maximum loads cannot hold with the others",
    ),
    "short_outside_region_relax": (
        "地域外の審査員の条件が他の条件と両立しません",
        "the outside-region constraints cannot hold with the others",
    ),
    "short_combination": (
        "単独で原因となる条件はなく、件数・利益相反・言語の組合せで割当てができません",
        "no single family of constraints is to blame: loads, conflicts and languages together leave none",
    ),
    "collect_title": ("審査ファイルの回収", "Collected reviews"),
    "status_collected": ("回収", "collected"),
    "status_unchanged": ("回収済み（変更なし）", "already collected (unchanged)"),
    "status_incomplete": ("回収（未完了）", "collected (incomplete)"),
    "status_not_started": ("未記入", "not started"),
    "status_refused": ("拒否", "refused"),
    "status_invalid": ("不正な審査ファイル", "invalid review file"),
    "status_exists": ("別の審査が既にあります", "a different review is already there"),
    "progress": ("進捗", "Progress"),
    "progress_line": (
        "{name}（{id}）: 完了 {done}/{n}、途中 {partial}、未提出 {missing}",
        "{name} ({id}): {done}/{n} done, {partial} in progress, missing {missing}",
    ),
}
t = catalog(MESSAGES)


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
            f" — {f.message}"
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
