"""Words and cell texts shared by the ranking reports."""

from __future__ import annotations

from ...i18n import Lang, catalog
from ...i18n import t as _t
from ...money import MAX_YEN, format_yen
from ...ranking import RankedProposal, Ranking
from ...rubric import Rubric
from ...scoring import Reason
from ..views.common import num, rubric_reason_text, section_label

T = catalog("ranking")


def programme_short(rubric: Rubric, programme: str) -> str:
    """A programme in a table column: its programme section's id (JR), or — when it has none."""
    if programme not in rubric.programme_terms:
        return programme
    section = rubric.programme_section(programme)
    return section.id if section else "—"


def money(x: float | None, lang: Lang | None = None) -> str:
    """An amount for people: 「4億5,000万円」 / "¥450 million" with ``lang``, else exact yen."""
    if x is None:
        return "—"
    if lang is not None and float(x).is_integer() and 0 <= x <= MAX_YEN:
        return format_yen(int(x), lang)
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def rule_text(rule: str, lang: Lang, rubric: Rubric | None = None) -> str:
    if rule in ("programme_weighted_section", "programme_section", "unweighted_total"):
        return T(f"rule_{rule}", lang)
    section = section_label(rubric, rule, lang) if rubric is not None else rule
    return T("rule_section", lang, id=rule, section=section)


def order_text(ranking: Ranking, lang: Lang) -> str:
    sep = _t("list_sep", lang)
    rules = sep.join(rule_text(r, lang, ranking.rubric) for r in ranking.rubric.ranking.tie_breakers)
    text = T("order", lang, rules=rules)
    return process_text(ranking, lang) + text


def process_text(ranking: Ranking, lang: Lang) -> str:
    """The stage ranked, the order by overall grade and the interview count, before the order."""
    parts = []
    stage = ranking.rubric.stage(ranking.stage)
    if stage is not None:
        parts.append(_t("process.stage", lang, stage=stage.label(lang)))
    if ranking.by == "overall":
        parts.append(_t("process.by_overall", lang))
    if ranking.interview is not None:
        parts.append(_t("process.interview_candidates", lang, n=ranking.interview))
    return "".join(_t("sentence_lead", lang, text=p) for p in parts)


def counts_text(ranking: Ranking, lang: Lang) -> str:
    rows = ranking.rows
    return T(
        "counts",
        lang,
        proposals=len(rows),
        reviews=ranking.review_count,
        eligible=sum(1 for r in rows if r.position is not None),
        ineligible=sum(1 for r in rows if r.status == "ineligible"),
        invalid=sum(1 for r in rows if r.status == "invalid"),
    )


def line_text(ranking: Ranking, lang: Lang) -> str:
    line = ranking.line
    if line is None:
        return T("line_none", lang)
    if line.mode == "count":
        return T("line_count", lang, limit=int(line.limit), funded=line.funded)
    return T(
        "line_budget",
        lang,
        limit=money(line.limit, lang),
        funded=line.funded,
        used=money(line.funded_budget, lang),
        remainder=money(line.remainder, lang),
    )


def zone_text(ranking: Ranking, lang: Lang) -> str:
    line = ranking.line
    if line is None:
        return ""
    lo, hi = ranking.rubric.ranking.border_zone
    pct = {"lo": f"{lo * 100:g}", "hi": f"{hi * 100:g}"}
    if line.mode == "count":
        import math

        start = math.floor(line.zone[0]) + 1
        end = math.ceil(line.zone[1])
        return T("zone_count", lang, start=start, end=end, **pct)
    return T("zone_budget", lang, start=money(line.zone[0], lang), end=money(line.zone[1], lang), **pct)


def status_text(row: RankedProposal, lang: Lang) -> str:
    return T(f"status_{row.status}", lang)


def marks_text(row: RankedProposal, lang: Lang) -> str:
    sep = _t("list_sep", lang)
    return sep.join(T(f"mark_{m}", lang) for m in row.marks)


def rereview_text(row: RankedProposal, lang: Lang) -> str:
    sep = _t("list_sep", lang)
    why = []
    if row.border:
        why.append(T("why_border", lang))
    if row.status == "tie_at_line":
        why.append(T("why_tie", lang))
    if row.unresolved:
        why.append(T("why_disagreement", lang, items=sep.join(row.unresolved)))
    return sep.join(why)


def tie_label(rule: str, ranking: Ranking, programme: str, lang: Lang) -> str:
    """A tie-breaker's short name in a cell: the section id it compares, 「重点B」 / "wtd B" for the
    programme's weighted section, "total" for the unweighted total (issue 16: labelled values)."""
    rubric = ranking.rubric
    if rule == "programme_weighted_section":
        from ...ranking import weighted_section

        sid = weighted_section(rubric, programme) if programme in rubric.programme_terms else None
        return T("tie_short_weighted", lang, id=sid or "").strip()
    if rule == "programme_section":
        sec = rubric.programmes.get(programme)
        return T("tie_short_programme", lang, id=sec.id if sec else "").strip()
    if rule == "unweighted_total":
        return T("tie_short_total", lang)
    return rule


def tie_pairs(row: RankedProposal, ranking: Ranking, lang: Lang) -> list[tuple[str, str]]:
    """(short name, value) of every tie-breaker of the row, in the rubric's order."""
    rules = ranking.rubric.ranking.tie_breakers
    return [
        (tie_label(rule, ranking, row.programme, lang), num(v))
        for rule, v in zip(rules, row.tie_values, strict=False)
    ]


def tie_text(row: RankedProposal, ranking: Ranking | None = None, lang: Lang | None = None) -> str:
    """The tie-break values; each labelled with its tie-breaker's short name when ``ranking`` and
    ``lang`` are given (「重点B 4.75 · B 4 · A 4.75」), bare otherwise (for machines)."""
    if ranking is None or lang is None:
        return " · ".join(num(v) for v in row.tie_values)
    return " · ".join(f"{label} {value}" for label, value in tie_pairs(row, ranking, lang))


def call_name(ranking: Ranking, lang: Lang | None = None) -> str:
    """The call's name for a title: its folder's name, never a path (issue 16); with ``lang``,
    the call's own title (call.yaml) before it."""
    folder = folder_name(ranking.call_dir)
    title = getattr(ranking, "title", None)
    if lang is None or not title:
        return folder
    from ...texts import pick

    name = pick(dict(title), lang)
    return _t("ranking.call_title", lang, title=name, folder=folder) if name else folder


def folder_name(path: str | object) -> str:
    import os

    text = os.fspath(path)  # type: ignore[call-overload]
    name = os.path.basename(os.path.normpath(os.path.abspath(text)))
    return name or text


def outcome_label(row: RankedProposal, lang: Lang) -> str:
    if row.outcome is None:
        return T("status_invalid", lang)
    return T(f"outcome_{row.outcome.key}", lang)


def reason_line(reason: Reason, ranking: Ranking, lang: Lang) -> str:
    """A reason as the assessment report words it."""
    return rubric_reason_text(reason, ranking.rubric, lang)


def reasons_text(row: RankedProposal, ranking: Ranking, lang: Lang) -> str:
    sep = T("reason_sep", lang)
    parts = []
    for r in row.reasons:
        text = reason_line(r, ranking, lang)
        if r.code == "conditions" and r.items:
            text += " " + " / ".join(r.items)
        parts.append(text)
    return sep.join(parts)
