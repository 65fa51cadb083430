"""`sti-review init proposal|review`: a commented YAML skeleton, every field explained in the
user's language, that validates once its <placeholders> are replaced."""

from __future__ import annotations

import json

from ..i18n import Lang, catalog, t
from ..rubric import Criterion, Rubric

T = catalog("forminit")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _criteria(rubric: Rubric, programme: str | None) -> list[Criterion]:
    sections = rubric.sections_for(programme) if programme else rubric.sections
    return [c for s in sections for c in s.criteria if c.kind != "portfolio"]


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in text.split("\n")]


def _values(rubric: Rubric, vocabulary: str, lang: Lang, field: str = "") -> list[str]:
    """One comment line per value a vocabulary of the rubric allows, with its label."""
    head = [f"#   {field}:"] if field else []
    terms = rubric.vocabulary(vocabulary) or {}
    return head + [f"#   {'  ' if field else ''}{v}: {rubric.label(vocabulary, v, lang)}" for v in terms]


def proposal_skeleton(rubric: Rubric, lang: Lang, programme: str | None = None) -> str:
    lines = _comment(T("proposal_head", lang))
    lines += [f"# {rubric.ref}", ""]
    lines += _comment(T("id", lang)) + ['id: "<id>"']
    lines += _comment(T("title", lang)) + ['title: "<title>"']
    lines += _comment(T("programme", lang)) + _values(rubric, "programmes", lang)
    lines += [f"programme: {programme or '<programme>'}"]
    lines += _comment(T("summary", lang)) + ["summary: |", "  <summary>"]
    lines += _comment(T("lead", lang)) + [
        "lead:",
        '  name: "<lead_name>"',
        '  institution: "<lead_institution>"',
    ]
    lines += _comment(T("budget", lang)) + ["budget: <budget>"]
    lines += _comment(T("partners", lang))
    lines += ["partners:", '  - country: "<country>"', '    institution: "<institution>"']
    lines += _comment(T("objectives", lang))
    for s in rubric.sections:
        for o in s.objectives:
            lines.append(f"#   {o.id}: {o.title(lang)}")
    lines += ["objectives:", "  - <objective>"]
    lines += _comment(T("team", lang))
    lines += _values(rubric, "disciplines", lang, "discipline")
    lines += _values(rubric, "career_stages", lang, "career_stage")
    lines += [
        "team:",
        '  - name: "<member_name>"',
        '    role: "<member_role>"',
        "    discipline: <discipline>",
        "    career_stage: <career_stage>",
        '    institution: "<member_institution>"',
        '    country: "<member_country>"',
    ]
    lines += _comment(T("kpis", lang))
    lines += [
        "kpis:",
        "  - objective: <kpi_objective>",
        '    indicator: "<indicator>"',
        '    target: "<target>"',
    ]
    lines += _comment(T("risks", lang)) + _values(rubric, "risk_areas", lang)
    lines += [
        "risks:",
        "  - area: <risk_area>",
        '    description: "<risk>"',
        '    mitigation: "<mitigation>"',
    ]
    lines += _comment(T("integrity", lang)) + _values(rubric, "integrity_procedures", lang)
    lines += ["integrity:", "  procedures:", "    - <procedure>", '  notes: "<integrity_notes>"']
    lines += _comment(T("sections", lang)) + ["sections:"]
    for c in _criteria(rubric, programme):
        lines += _comment(f"{c.id} {c.title(lang)}: {c.question(lang)}", "  ")
        lines += [f"  {c.id}: |", f"    <text_{c.id}>"]
    return "\n".join(lines) + "\n"


def review_skeleton(rubric: Rubric, lang: Lang, programme: str | None = None) -> str:
    lines = _comment(T("review_head", lang)) + [""]
    lines += _comment(T("proposal", lang)) + ['proposal: "<proposal_id>"']
    lines += _comment(T("reviewer", lang)) + ['reviewer: "<reviewer>"']
    lines += _comment(T("rubric", lang)) + [f"rubric: {rubric.ref}"]
    lines += _comment(T("role", lang)) + ["role: reviewer"]
    lines += _process_head(rubric, lang)
    lines += _comment(T("answers", lang)) + ["answers:"]
    for c in _criteria(rubric, programme):
        lines += _comment(f"{c.id} {c.title(lang)}: {c.question(lang)}", "  ")
        lines.append(f"  {c.id}:")
        if c.kind == "gate":
            lines += _comment(T("verdict", lang), "    ") + [f"    verdict: <verdict_{c.id}>"]
        else:
            labels = ", ".join(f"{k} {v(lang)}" for k, v in sorted(rubric.scale.labels.items()))
            scale = f"{rubric.scale.describe(lang)}" + (f" ({labels})" if labels else "")
            lines += _comment(T("score", lang, scale=scale), "    ") + [f"    score: <score_{c.id}>"]
        lines += _comment(T("comment", lang), "    ") + ['    comment: ""']
        lines += _comment(t("init.feedback", lang), "    ") + ['    feedback: ""']
    lines += _overall(rubric, lang)
    return "\n".join(lines) + "\n"


def _process_head(rubric: Rubric, lang: Lang) -> list[str]:
    """The stage and the declaration (confidentiality, conflict of interest) come first."""
    import datetime as dt

    lines: list[str] = []
    if rubric.stages:
        stages = ", ".join(f"{s.id} {s.label(lang)}" for s in rubric.stages)
        lines += _comment(t("init.stage", lang, stages=stages)) + [f"stage: {rubric.stages[0].id}"]
    categories = ", ".join(
        ["none", *(f"{k} {v.label(lang)}" for k, v in (rubric.conflict_categories or {}).items())]
    )
    lines += _comment(t("init.declaration", lang, categories=categories))
    lines += [
        "declaration:",
        "  confidential: true",
        "  conflict: none",
        '  note: ""',
        f"  date: {dt.date.today().isoformat()}",
    ]
    return lines


def _overall(rubric: Rubric, lang: Lang) -> list[str]:
    if rubric.overall is None:
        return []
    levels = ", ".join(f"{lv.value:g} {lv.label(lang)}" for lv in rubric.overall.levels)
    return _comment(t("init.overall", lang, levels=levels)) + [
        "# overall:",
        "#   grade: 3",
        '#   comment: ""',
        '#   feedback: ""',
    ]
