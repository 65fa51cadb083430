"""Words and numbers shared by every report format."""

from __future__ import annotations

from fractions import Fraction

from ...i18n import Lang, t
from ...i18n import t as _t
from ...rubric import Rubric
from ...scoring import Assessment, CriterionResult, Reason


def num(x: Fraction | float | None, places: int = 2) -> str:
    """3.8333 -> '3.83'; 4.5 -> '4.5'; 4 -> '4'."""
    if x is None:
        return "–"
    value = round(float(x), places)
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def signed(x: float, places: int = 2) -> str:
    """A number with a real minus sign (U+2212), so that a range of negatives reads clearly."""
    text = f"{x:.{places}f}"
    return "\u2212" + text[1:] if text.startswith("-") else text


def number_range(low: float, high: float, lang: Lang, places: int = 2) -> str:
    """An interval in words of the language ("−0.53 to −0.11", 「−0.53 〜 −0.11」): an en dash
    between two negative numbers reads as a subtraction."""
    return _t("common.range", lang, low=signed(low, places), high=signed(high, places))


def score_text(r: CriterionResult, rubric: Rubric, lang: Lang) -> str:
    if r.status == "na":
        return t("na", lang)
    if r.status == "missing":
        return t("not_answered", lang)
    if r.status == "portfolio":
        return "—"
    if r.criterion.kind == "gate" and r.answer is not None and r.answer.verdict:
        return t(f"verdict_{r.answer.verdict}", lang)
    if r.answer is None or r.answer.score is None:
        return "—"
    label = rubric.scale.label(float(r.answer.score))
    shown = num(r.answer.score, 1)
    return f"{shown} {label(lang)}" if label else shown


def reason_text(reason: Reason, assessment: Assessment, lang: Lang) -> str:
    return rubric_reason_text(reason, assessment.rubric, lang)


def rubric_reason_text(reason: Reason, rubric: Rubric, lang: Lang) -> str:
    """A reason for an outcome, in words, with the rubric's title for its criterion."""
    title = ""
    if reason.criterion and reason.criterion in rubric.criteria:
        title = rubric.criteria[reason.criterion].title(lang)
    sep = _t("list_sep", lang)
    return t(
        f"reason_{reason.code}",
        lang,
        criterion=reason.criterion or "",
        title=title,
        section=section_label(rubric, reason.section, lang) if reason.section else "",
        value=num(reason.value),
        required=num(reason.required),
        items=sep.join(reason.items),
    )


def section_label(rubric: Rubric, section: str, lang: Lang) -> str:
    """A section as a reason names it: a purpose as 「目的 A」, any other (cross-cutting,
    programme, plan) as 「大項目 X」: X, BC or P are not purposes (docs/ja-wording-review.md R3)."""
    kind = next((s.kind for s in rubric.sections if s.id == section), "purpose")
    return t("section_label_purpose" if kind == "purpose" else "section_label_other", lang, id=section)


def grade_text(assessment: Assessment, lang: Lang) -> str | None:
    """The reviewer's overall grade (総合評価) in words, "3 A（優れている）"; None when the rubric
    defines none or the review has not given it."""
    grade, given = assessment.rubric.overall, assessment.review.overall
    if grade is None or given is None:
        return None
    level = grade.level(given.grade)
    shown = num(given.grade)
    return f"{shown} {level.label(lang)}" if level is not None else shown


def outcome_text(assessment: Assessment, lang: Lang) -> str:
    return t(f"outcome_{assessment.outcome.key}", lang)


def programme_text(rubric: Rubric, programme: str, lang: Lang) -> str:
    return rubric.label("programmes", programme, lang)


def proposal_rows(a: Assessment, lang: Lang) -> list[tuple[str, str, str | list[str]]]:
    """The proposal at the head of every assessment report: (key, label, value or lines)."""
    from ...countries import partner_text
    from ...rubric import objective_title

    p = a.proposal
    rows: list[tuple[str, str, str | list[str]]] = [
        ("id", t("id", lang), p.id),
        ("title", t("title", lang), p.title),
        ("programme", t("programme", lang), programme_text(a.rubric, p.programme, lang)),
    ]
    if p.lead:
        lead = p.lead.name + (f" ({p.lead.institution})" if p.lead.institution else "")
        rows.append(("lead", t("lead", lang), lead))
    rows.append(
        ("partners", t("partners", lang), [partner_text(x.country, x.institution, lang) for x in p.partners])
    )
    if p.objectives:
        objectives = [objective_title(a.rubric, o, lang) for o in p.objectives]  # words, not ids
        rows.append(("objectives", t("objectives", lang), objectives))
    rows.append(("reviewer", t("reviewer", lang), a.review.reviewer or "—"))
    rows.append(("rubric", t("rubric", lang), a.rubric.ref))
    return rows
