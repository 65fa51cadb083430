"""The decision first: what every report (HTML, Markdown, Word) puts at its top, whatever the format.

A committee member reads the outcome, why (in words, with the reviewer's own words for a failed
gate), the total against what a pass needs and, for a panel, how the reviewers split and what is
still open, before any table. The formats lay these out; they choose no words of their own here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ...i18n import Lang, catalog
from ...i18n import t as _t
from ...limits import MAX_CONDITIONS, MAX_REVIEWERS, MAX_TEXT, capped_lines, clip, more_text
from ...panel import Consolidation, CriterionPanel
from ...scoring import Assessment, Outcome
from .common import grade_text, num, outcome_text, reason_text

T = catalog("lead")


@dataclass(frozen=True)
class LeadReason:
    """One reason for the outcome; ``details`` are conditions or the reviewer's own words."""

    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Voice:
    """One reviewer on an open point: who, what they answered, their words. ``who`` is empty on
    the line that counts the reviewers left out ("… and N more"), which renderers print alone."""

    who: str
    answer: str
    comment: str = ""


@dataclass(frozen=True)
class OpenPoint:
    """A disagreement the panel has not settled yet."""

    id: str
    title: str
    why: str
    voices: tuple[Voice, ...]


@dataclass(frozen=True)
class Lead:
    outcome: Outcome
    heading: str
    reasons: tuple[LeadReason, ...]
    total: str
    split: tuple[str, ...] = field(default=())
    open: tuple[OpenPoint, ...] = field(default=())
    open_title: str = ""
    split_title: str = ""


def sentences(parts: list[str], lang: Lang) -> str:
    """Parts joined as sentences: 「…。…。」 or "…. …."."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    # a sentence with another after it, then the last one (the catalogue knows the spacing)
    return "".join(_t("sentence_lead", lang, text=p) for p in parts[:-1]) + _t(
        "sentence", lang, text=parts[-1]
    )


def total_text(a: Assessment, lang: Lang) -> str:
    """The total against what a pass needs, in one or two sentences."""
    percent = num(a.weighted_percent, 1) if a.weighted_percent is not None else "–"
    if a.outcome is Outcome.INCOMPLETE:
        # a total over part of the criteria meets or misses nothing yet: say what it is
        if not a.maximum:
            parts = [T("total_none", lang)]
        else:
            parts = [T("total_so_far", lang, total=num(a.total), maximum=num(a.maximum), percent=percent)]
    else:
        parts = [T("total", lang, total=num(a.total), maximum=num(a.maximum), percent=percent)]
    if a.required_total is not None and a.outcome is not Outcome.INCOMPLETE:
        key = "total_met" if a.total >= a.required_total else "total_below"
        parts.append(T(key, lang, required=num(a.required_total)))
    smin = a.rubric.thresholds.section_min
    if smin is not None:
        parts.append(T("section_min", lang, value=num(smin)))
    grade = grade_text(a, lang)
    if grade is not None:
        parts.append(T("overall_given", lang, grade=grade))
    return sentences(parts, lang)


def _reasons(a: Assessment, lang: Lang) -> tuple[LeadReason, ...]:
    gates = {g.criterion.id: g for g in a.gates}
    out = []
    for reason in a.reasons:
        details: tuple[str, ...] = ()
        if reason.code == "conditions":
            details = tuple(clip(x, MAX_TEXT, lang) for x in capped_lines(reason.items, MAX_CONDITIONS, lang))
        elif reason.code == "gate_failed" and reason.criterion in gates:
            answer = gates[reason.criterion].answer
            if answer is not None and answer.comment:
                details = (clip(answer.comment, MAX_TEXT, lang),)
        out.append(LeadReason(reason_text(reason, a, lang), details))
    return tuple(out)


def assessment_lead(a: Assessment, lang: Lang, heading: str | None = None) -> Lead:
    return Lead(
        outcome=a.outcome,
        heading=heading or f"{_t('outcome', lang)}: {outcome_text(a, lang)}",
        reasons=_reasons(a, lang),
        total=total_text(a, lang),
    )


def _counted(items: list[str], lang: Lang) -> str:
    sep = _t("list_sep", lang)
    counts = Counter(items)
    return sep.join(T("count", lang, label=label, n=n) for label, n in counts.items())


def split_lines(c: Consolidation, lang: Lang) -> list[str]:
    """How the reviewers split: their own outcomes, then every gate they did not judge alike."""
    from .panel import T as PT
    from .panel import reviewer_keys

    keys = reviewer_keys(c, lang)
    n = len(c.individual)
    lines = [
        T("split_outcomes", lang, n=n, items=_counted([outcome_text(x, lang) for x in c.individual], lang))
    ]
    sep = _t("list_sep", lang)
    for cp in c.criteria:
        if cp.criterion.kind != "gate":
            continue
        verdicts = [a.verdict if a is not None and a.verdict else None for a in cp.answers]
        given = [v for v in verdicts if v]
        if len(set(given)) <= 1 and "fail" not in given:
            continue
        groups: dict[str, list[str]] = {}
        for key, v in zip(keys, verdicts, strict=True):
            label = PT(f"verdict_{v}", lang) if v else _t("not_answered", lang)
            groups.setdefault(label, []).append(key)
        items = sep.join(
            T("count_who", lang, label=label, n=len(who), who=sep.join(who)) for label, who in groups.items()
        )
        lines.append(
            T("split_gate", lang, criterion=cp.criterion.id, title=cp.criterion.title(lang), items=items)
        )
    return lines


def open_points(c: Consolidation, lang: Lang) -> tuple[OpenPoint, ...]:
    from .panel import answer_text, reviewer_keys, why_text

    keys = reviewer_keys(c, lang)
    points = []
    for cp in c.unresolved:
        voices = tuple(
            Voice(
                who=f"{key} {r.label}",
                answer=answer_text(ans, cp.criterion, c.rubric, lang),
                comment=clip(ans.comment, MAX_TEXT, lang) if ans is not None else "",
            )
            for key, r, ans in list(zip(keys, c.reviews, cp.answers, strict=True))[:MAX_REVIEWERS]
        )
        if len(c.reviews) > MAX_REVIEWERS:  # every format shows the same first reviewers, then the count
            more = more_text(len(c.reviews) - MAX_REVIEWERS, lang)
            voices += (Voice(who="", answer=more),)  # "… and N more" alone: no "who:" before it
        points.append(
            OpenPoint(cp.criterion.id, cp.criterion.title(lang), why_text(cp, c.rubric, lang), voices)
        )
    return tuple(points)


def panel_lead(c: Consolidation, lang: Lang) -> Lead:
    from .panel import T as PT
    from .panel import outcome_state

    a = c.assessment
    state = _t("paren_note", lang, text=outcome_state(c, lang))
    heading = f"{PT('panel_outcome', lang)}: {outcome_text(a, lang)}{state}"
    points = open_points(c, lang)
    return Lead(
        outcome=a.outcome,
        heading=heading,
        reasons=_reasons(a, lang),
        total=total_text(a, lang),
        split=tuple(split_lines(c, lang)),
        open=points,
        open_title=T("open_title", lang, n=len(points)) if points else T("open_none", lang),
        split_title=T("split_title", lang),
    )


__all__ = ["CriterionPanel", "Lead", "LeadReason", "OpenPoint", "Voice", "assessment_lead", "panel_lead"]
