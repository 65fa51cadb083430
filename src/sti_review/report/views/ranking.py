"""Words and cell texts shared by the ranking reports."""

from __future__ import annotations

from ...i18n import Lang, catalog
from ...ranking import RankedProposal, Ranking
from ...scoring import Reason
from ..views.common import num, rubric_reason_text

T = catalog(
    {
        "rank_title": ("採択順位", "Ranking"),
        "call": ("公募", "Call"),
        "counts": (
            "提案 {proposals} 件・評価 {reviews} 件"
            "（採択候補 {eligible} 件、対象外 {ineligible} 件、無効 {invalid} 件）",
            "{proposals} proposals, {reviews} reviews ({eligible} eligible, {ineligible} not "
            "eligible, {invalid} invalid)",
        ),
        "order": (
            "順位: 重み付き評点（満点に対する%）の高い順。同点のときは {rules} の順に比較",
            "Order: weighted score (as % of its maximum), highest first; ties broken by {rules}",
        ),
        "rule_programme_weighted_section": (
            "事業区分で重み付けされた区分の評点",
            "the score of the programme's weighted section",
        ),
        "rule_programme_section": ("事業区分の区分（BC/JR）の評点", "the programme section's score"),
        "rule_unweighted_total": ("重みなし合計", "the unweighted total"),
        "rule_section": ("区分 {id} の評点", "section {id}"),
        "line_count": (
            "採択ライン: 上位 {limit} 件（採択 {funded} 件）",
            "Funding line: {limit} proposals ({funded} funded)",
        ),
        "line_budget": (
            "採択ライン: 予算 {limit}（採択 {funded} 件、計 {used}、残額 {remainder}）",
            "Funding line: budget {limit} ({funded} funded, {used} committed, {remainder} left)",
        ),
        "line_none": (
            "採択ライン: なし（--fund N または --budget AMOUNT で指定）",
            "Funding line: none (give --fund N or --budget AMOUNT)",
        ),
        "zone_count": (
            "境界域（再審査）: 採択件数の {lo}–{hi}%、{start}–{end} 位に当たる提案",
            "Border zone (re-review): {lo}–{hi}% of the funded count, places {start}–{end}",
        ),
        "zone_budget": (
            "境界域（再審査）: 予算の {lo}–{hi}%、累積申請額 {start}–{end} にかかる提案",
            "Border zone (re-review): {lo}–{hi}% of the budget, proposals whose cumulative "
            "request overlaps {start}–{end}",
        ),
        "tie_at_line_note": (
            "採択ラインが同点の提案の間にあります: どれを採択するかはパネルが決めます",
            "The funding line falls inside a tie: the panel decides which of the tied proposals to fund",
        ),
        "rank": ("順位", "rank"),
        "weighted": ("重み付き%", "weighted %"),
        "tie_break": ("同点時比較", "tie-break"),
        "budget": ("申請額", "budget"),
        "cumulative": ("累積", "cumulative"),
        "status": ("採否", "status"),
        "marks": ("注記", "marks"),
        "reviews_n": ("評価数", "reviews"),
        "status_funded": ("採択", "funded"),
        "status_tie_at_line": ("ライン上の同点", "tie at the line"),
        "status_not_funded": ("不採択", "not funded"),
        "status_eligible": ("採択候補", "eligible"),
        "status_ineligible": ("対象外", "not eligible"),
        "status_invalid": ("無効", "invalid"),
        "mark_border_zone": ("境界域", "border zone"),
        "mark_tie_at_line": ("ライン上の同点", "tie at the line"),
        "mark_disagreement": ("評価の不一致", "disagreement"),
        "mark_tied": ("同点", "tied"),
        "mark_no_reviews": ("評価なし", "no reviews"),
        "mark_incomplete_reviews": ("未完了の評価あり", "incomplete reviews"),
        "funding_line": ("採択ライン", "funding line"),
        "rereview": ("再審査の対象", "Marked for re-review"),
        "rereview_none": ("再審査の対象はありません。", "Nothing is marked for re-review."),
        "why_border": ("境界域", "in the border zone"),
        "why_tie": ("採択ライン上の同点", "tied at the funding line"),
        "why_disagreement": ("評価の不一致が未解決: {items}", "unresolved disagreement on {items}"),
        "ineligible": ("対象外の提案", "Not eligible"),
        "invalid": ("無効の提案と問題のあるファイル", "Invalid proposals and files with problems"),
        "invalid_note": (
            "次のファイルに問題があり、該当する提案は順位付けしていません。修正して再実行してください。",
            "These files have problems; the proposals they concern are not ranked. Fix them and run again.",
        ),
        "consensus_short": ("合議", "consensus"),
        "more_rows": (
            "…ほか {n} 件（全件は --format markdown / csv / json で出力）",
            "… {n} more (the full list: --format markdown, csv or json)",
        ),
    }
)

PROGRAMME_SHORT = {"joint_research": "JR", "brain_circulation": "BC", "other": "—"}


def money(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def rule_text(rule: str, lang: Lang) -> str:
    if rule in ("programme_weighted_section", "programme_section", "unweighted_total"):
        return T(f"rule_{rule}", lang)
    return T("rule_section", lang, id=rule)


def order_text(ranking: Ranking, lang: Lang) -> str:
    sep = "、" if lang == "ja" else ", "
    rules = sep.join(rule_text(r, lang) for r in ranking.rubric.ranking.tie_breakers)
    return T("order", lang, rules=rules)


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
        limit=money(line.limit),
        funded=line.funded,
        used=money(line.funded_budget),
        remainder=money(line.remainder),
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
    return T("zone_budget", lang, start=money(line.zone[0]), end=money(line.zone[1]), **pct)


def status_text(row: RankedProposal, lang: Lang) -> str:
    return T(f"status_{row.status}", lang)


def marks_text(row: RankedProposal, lang: Lang) -> str:
    sep = "、" if lang == "ja" else ", "
    return sep.join(T(f"mark_{m}", lang) for m in row.marks)


def rereview_text(row: RankedProposal, lang: Lang) -> str:
    sep = "、" if lang == "ja" else ", "
    why = []
    if row.border:
        why.append(T("why_border", lang))
    if row.status == "tie_at_line":
        why.append(T("why_tie", lang))
    if row.unresolved:
        why.append(T("why_disagreement", lang, items=sep.join(row.unresolved)))
    return sep.join(why)


def tie_text(row: RankedProposal) -> str:
    return " · ".join(num(v) for v in row.tie_values)


def outcome_label(row: RankedProposal, lang: Lang) -> str:
    if row.outcome is None:
        return T("status_invalid", lang)
    return T(f"outcome_{row.outcome.key}", lang)


def reason_line(reason: Reason, ranking: Ranking, lang: Lang) -> str:
    """A reason as the assessment report words it."""
    return rubric_reason_text(reason, ranking.rubric, lang)


def reasons_text(row: RankedProposal, ranking: Ranking, lang: Lang) -> str:
    sep = "；" if lang == "ja" else "; "
    parts = []
    for r in row.reasons:
        text = reason_line(r, ranking, lang)
        if r.code == "conditions" and r.items:
            text += " " + " / ".join(r.items)
        parts.append(text)
    return sep.join(parts)
