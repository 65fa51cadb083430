"""`sti-review init proposal|review`: a commented YAML skeleton, every field explained in the
user's language, that validates once its <placeholders> are replaced."""

from __future__ import annotations

import json

from ..i18n import Lang, catalog, t
from ..rubric import Criterion, Rubric

T = catalog(
    {
        "proposal_head": (
            "提案ファイル（sti-review）。<…> の箇所を書き換えてください。"
            "書式の詳細: sti-review schema proposal。確認: sti-review validate このファイル",
            "A proposal file for sti-review. Replace every <…>. The format: sti-review schema proposal. "
            "Check it with: sti-review validate THIS_FILE",
        ),
        "review_head": (
            "評価ファイル（sti-review）。<…> の箇所を書き換えてください。"
            "確認: sti-review validate このファイル",
            "A review file for sti-review. Replace every <…>. Check it with: sti-review validate THIS_FILE",
        ),
        "id": (
            "提案ID: 英数字と . _ - のみ（例: SATREPS-2026-017）",
            "Proposal id: letters, digits, . _ - (e.g. SATREPS-2026-017)",
        ),
        "title": ("課題名", "Title of the proposal"),
        "programme": ("事業区分（使える値）:", "Programme (values):"),
        "summary": ("概要（複数行可）", "Summary (several lines allowed)"),
        "lead": ("研究代表者の氏名と所属機関", "The lead researcher's name and institution"),
        "budget": (
            "申請額（円、数字のみ。例: 150000000）。採択ラインの予算計算に使います",
            "Requested amount in yen, digits only (e.g. 150000000); used for budget funding lines",
        ),
        "partners": (
            "相手国（ISO 3166-1 の2文字コード、大文字。例: TH）と機関。1件以上",
            "Partner countries (ISO 3166-1 two capital letters, e.g. TH) and institutions; at least one",
        ),
        "objectives": (
            "該当する目的のID（1行に1つ）。使えるID:",
            "The ids of the objectives the proposal serves, one per line. Ids:",
        ),
        "team": (
            "研究体制。discipline（分野）と career_stage（職階、省略可）に使える値:",
            "The team. Values of discipline and of career_stage (optional):",
        ),
        "kpis": (
            "成果指標: 目的ID、指標、目標値（数値または文章）",
            "KPIs: objective id, indicator, target (a number or a text)",
        ),
        "risks": ("リスク。area に使える値:", "Risks. Values of area:"),
        "integrity": (
            "研究インテグリティ: 実施している手続（使える値は下記）と備考",
            "Research integrity: the procedures in place (values below) and notes",
        ),
        "sections": (
            "評価項目ごとの記載（評価項目IDごとに、評価の観点への答えを書く）",
            "Text per criterion: answer each criterion's question under its id",
        ),
        "proposal": (
            "評価する提案のID（提案ファイルの id）",
            "The id of the proposal reviewed (its file's id)",
        ),
        "reviewer": ("審査委員の氏名またはID", "The reviewer's name or id"),
        "rubric": ("評価基準の id@version（変更しない）", "The rubric's id@version (leave as it is)"),
        "role": (
            "reviewer（個別評価）または panel（パネルの合議）",
            "reviewer (one reviewer) or panel (the panel's consensus)",
        ),
        "answers": (
            "評価項目ごとの回答。評点を付ける評価項目は score、要件は verdict、該当しない評価項目は na: true",
            "One answer per criterion: score for scored criteria, verdict for gates, or na: true",
        ),
        "score": ("評点 {scale}", "score {scale}"),
        "verdict": (
            "判定: pass / conditional / fail（conditional のときは conditions: に条件を列挙）",
            "verdict: pass, conditional or fail (conditional: list the conditions: too)",
        ),
        "comment": ("コメント", "comment"),
    }
)


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
