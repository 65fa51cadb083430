"""Words and cell texts shared by the panel (consolidation) reports."""

from __future__ import annotations

from ...i18n import Lang, catalog
from ...panel import AnswerLike, Consolidation, CriterionPanel
from ...rubric import Criterion, Rubric
from ...scoring import Outcome
from ..views.common import num, value_range

OUTCOME_MARK = {
    Outcome.PASS: "✅",
    Outcome.CONDITIONAL: "⚠️",
    Outcome.BELOW_THRESHOLD: "❌",
    Outcome.GATE_FAILED: "⛔",
    Outcome.INCOMPLETE: "⏳",
}

T = catalog("panel")


def answer_text(a: AnswerLike | None, crit: Criterion, rubric: Rubric, lang: Lang) -> str:
    """One reviewer's answer in a table cell: a score, N/A, a verdict, or a dash."""
    if a is None:
        return "—"
    if a.na:
        return T("na", lang)
    if a.verdict is not None:
        return T(f"verdict_{a.verdict}", lang)
    if a.score is None:
        return "—"
    return num(a.score, 2)


def panel_text(cp: CriterionPanel, rubric: Rubric, lang: Lang) -> str:
    return answer_text(cp.outcome_answer, cp.criterion, rubric, lang)


def flag_text(cp: CriterionPanel, lang: Lang) -> str:
    flags = []
    if cp.unresolved:
        flags.append(T("flag_discuss", lang))
    elif cp.resolved:
        flags.append(T("flag_resolved", lang))
    if cp.mixed_na:
        flags.append(T("flag_mixed_na", lang))
    return ", ".join(flags)


def why_text(cp: CriterionPanel, rubric: Rubric, lang: Lang) -> str:
    if cp.disagreement == "spread":
        return T("why_spread", lang, spread=num(cp.spread), limit=num(rubric.panel.disagreement_spread))
    return T("why_verdicts", lang)


def settled_text(cp: CriterionPanel, rubric: Rubric, lang: Lang) -> str:
    if cp.consensus is None:
        return T("unresolved", lang)
    return T("resolved_by", lang, answer=panel_text(cp, rubric, lang))


def outcome_state(c: Consolidation, lang: Lang) -> str:
    return T("provisional_outcome" if c.provisional else "final_outcome", lang)


def basis_text(c: Consolidation, lang: Lang) -> str:
    return T(f"basis_{c.basis}", lang)


def reviewer_keys(c: Consolidation, lang: Lang) -> list[str]:
    return [T("reviewer_key", lang, n=i + 1) for i in range(len(c.reviews))]


def process_lines(c: Consolidation, lang: Lang) -> list[str]:
    """The review process in words (every format): the stage, reviews excluded for a declared
    conflict, a missing reviewer, the overall grades' distribution and split."""
    from ...i18n import t

    rubric = c.rubric
    out = []
    stage = rubric.stage(c.stage)
    if stage is not None:
        out.append(t("process.stage", lang, stage=stage.label(lang)))
    categories = rubric.conflict_categories or {}
    for r, category in c.excluded:
        term = categories.get(category)
        out.append(
            t("process.excluded", lang, reviewer=r.label, category=term.label(lang) if term else category)
        )
    for who, what in c.possible_conflicts:
        out.append(t("process.possible_conflict", lang, reviewer=who, what=what))
    if c.needs_reviewer:
        out.append(t("process.needs_reviewer", lang, n=len(c.reviews), min=rubric.panel.min_reviews))
    if rubric.overall is not None and c.grades:
        dist = t("list_sep", lang).join(
            f"{lv.label(lang)} × {c.grade_distribution.get(lv.value, 0)}" for lv in rubric.overall.levels
        )
        out.append(t("process.overall", lang, mean=num(c.overall_grade), distribution=dist))
        if c.split_grades:
            out.append(t("process.split_grades", lang))
    return out


# Agreement between the reviewers of one panel (stats.panel; docs/decisions.md, "Statistics,
# round 3"): computed once per consolidation, None without the [stats] extra or with fewer
# than two reviewers or two scored criteria.
_AGREEMENT: dict[int, object] = {}


def agreement(c: Consolidation):  # type: ignore[no-untyped-def]
    from ...stats.panel import panel_agreement

    key = id(c)
    if key not in _AGREEMENT:
        _AGREEMENT.clear()
        _AGREEMENT[key] = (c, panel_agreement(c))
    return _AGREEMENT[key][1]  # type: ignore[index]


def agreement_lines(c: Consolidation, lang: Lang) -> list[str]:
    """The agreement section as sentences (title first), or [] when there is none."""
    r = agreement(c)
    if r is None:
        return []

    def f(x: float | None) -> str:
        return T("agreement_none", lang) if x is None else f"{x:.2f}"

    ci = r.alpha_ci
    line = T(
        "agreement_line",
        lang,
        alpha=f(r.alpha),
        ci=T("agreement_none", lang) if ci is None else value_range(ci[0], ci[1], 2, lang),
        icc=f(r.icc),
        k=f"{r.k:.0f}",
        icc_k=f(r.icc_k),
        units=r.proposals,
        grades=r.grades,
    )
    return [T("agreement_title", lang), line, T("agreement_meaning", lang), T("agreement_scope", lang)]


def agreement_data(c: Consolidation) -> dict[str, object] | None:
    """The agreement for the JSON report (null without it)."""
    r = agreement(c)
    if r is None:
        return None
    return {
        "units": "criteria",
        "criteria": r.proposals,
        "scores": r.grades,
        "reviewers": r.k,
        "alpha": r.alpha,
        "alpha_ci": list(r.alpha_ci) if r.alpha_ci else None,
        "icc": r.icc,
        "icc_k": r.icc_k,
    }
