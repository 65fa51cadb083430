"""Words and cell texts shared by the panel (consolidation) reports."""

from __future__ import annotations

from ...i18n import Lang, catalog
from ...panel import AnswerLike, Consolidation, CriterionPanel
from ...rubric import Criterion, Rubric
from ...scoring import Outcome
from ..views.common import num

OUTCOME_MARK = {
    Outcome.PASS: "✅",
    Outcome.CONDITIONAL: "⚠️",
    Outcome.BELOW_THRESHOLD: "❌",
    Outcome.GATE_FAILED: "⛔",
    Outcome.INCOMPLETE: "⏳",
}

T = catalog(
    {
        "panel_title": ("審査の集約", "Panel consolidation"),
        "panel_outcome": ("パネルの結果", "Panel outcome"),
        "reviewers": ("審査者", "Reviewers"),
        "consensus": ("合議", "Consensus"),
        "consensus_review": ("合議による評価", "Consensus review"),
        "none_yet": ("なし", "none yet"),
        "basis_consensus": (
            "パネルの合議による評価を採用し、合議で扱っていない観点は個別評価から導出",
            "the panel's consensus review (role: panel); criteria it leaves out are derived "
            "from the individual reviews",
        ),
        "basis_derived": (
            "合議による評価がないため、個別評価から導出（評点は中央値、ゲートは最も厳しい判定）",
            "no consensus review yet: derived from the individual reviews (scores: median; "
            "gates: the strictest verdict)",
        ),
        "provisional_outcome": ("暫定", "provisional"),
        "final_outcome": ("確定", "final"),
        "min": ("最小", "min"),
        "median": ("中央値", "median"),
        "mean": ("平均", "mean"),
        "max": ("最大", "max"),
        "spread": ("幅", "spread"),
        "panel": ("パネル", "panel"),
        "flag": ("注記", "flag"),
        "flag_discuss": ("要議論", "discuss"),
        "flag_resolved": ("合議済", "resolved"),
        "flag_mixed_na": ("該当なし混在", "mixed N/A"),
        "source_consensus": ("合議", "consensus"),
        "source_derived": ("導出", "derived"),
        "disagreements": ("評価が分かれた観点", "Disagreements"),
        "no_disagreements": ("評価が大きく分かれた観点はありません。", "No disagreement."),
        "why_spread": (
            "評点の幅 {spread}（基準: {limit} 以上で要議論）",
            "scores spread by {spread} (discussed from {limit})",
        ),
        "why_verdicts": ("ゲートの判定が分かれています", "gate verdicts differ"),
        "resolved_by": ("合議で決定: {answer}", "settled by the panel: {answer}"),
        "unresolved": ("未解決: 合議の評価がまだありません", "unresolved: no consensus answer yet"),
        "panel_comment": ("合議コメント", "panel comment"),
        "each_reviewer": ("審査者ごとの結果", "Each reviewer's outcome"),
        "section_scores": ("区分評点", "Section scores"),
        "complete": ("完了", "complete"),
        "incomplete": ("未完了", "incomplete"),
        "reviewer_key": ("R{n}", "R{n}"),
        "weighted_percent": ("重み付き（%）", "weighted %"),
        "panel_conditions": ("パネルの条件", "Panel conditions"),
    }
)


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
