"""The Markdown report for committees: GitHub-flavoured tables, Japanese intact, user text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ... import __version__
from ...checks import Finding
from ...i18n import Lang, t
from ...i18n import t as _t
from ...limits import MAX_TEXT, clip
from ...sanitize import markdown_inline as esc
from ...scoring import Assessment, Outcome
from ..views.common import num, outcome_text, proposal_rows, score_text
from ..views.lead import assessment_lead
from .lead import lead_lines
from .table import row as _row

if TYPE_CHECKING:
    from ..views import AssessmentView


_OUTCOME_MARK = {
    Outcome.PASS: "✅",
    Outcome.CONDITIONAL: "⚠️",
    Outcome.BELOW_THRESHOLD: "❌",
    Outcome.GATE_FAILED: "⛔",
    Outcome.INCOMPLETE: "⏳",
}


def render_text(assessment: Assessment, lang: Lang, findings: Sequence[Finding] | None = None) -> str:
    """The report; with ``findings`` (the pre-checks of the proposal) a section of its own."""
    a = assessment
    p = a.proposal
    rubric = a.rubric
    lines: list[str] = [f"# {t('report_title', lang)}: {esc(p.title)}", ""]
    heading = f"{t('outcome', lang)}: {_OUTCOME_MARK[a.outcome]} **{outcome_text(a, lang)}**"
    lines += lead_lines(assessment_lead(a, lang), heading)  # the decision first

    lines += [_row(t("proposal", lang), ""), "|---|---|"]
    for key, label, value in proposal_rows(a, lang):
        if key == "title":
            continue  # the heading says it
        cell = esc(value) if isinstance(value, str) else "<br>".join(esc(v) for v in value)
        lines.append(_row(label, cell))
    lines.append("")

    smin = rubric.thresholds.section_min
    for s in a.sections:
        weight = f" ({t('weight', lang)} ×{num(s.weight)})" if s.weight != 1 else ""
        lines.append(f"## {esc(s.section.id)} {esc(s.section.title(lang))}{weight}")
        lines.append("")
        lines += [
            _row(t("id", lang), t("criterion", lang), t("score", lang), t("comment", lang)),
            "|---|---|---|---|",
        ]
        for r in s.results:
            comment = clip(r.answer.comment, MAX_TEXT, lang) if r.answer else ""
            lines.append(
                _row(
                    r.criterion.id,
                    esc(r.criterion.title(lang)),
                    esc(score_text(r, rubric, lang)),
                    esc(comment),
                )
            )
        lines.append("")
        if s.score is None:
            lines.append(f"**{t('section_score', lang)}:** {t('not_scored', lang)}")
        else:
            mark = "" if s.meets_threshold is None else (" ✅" if s.meets_threshold else " ❌")
            provisional = t("provisional", lang) if s.count("missing") else ""
            thr = (
                _t("paren_note", lang, text=f"{t('threshold', lang)} {num(smin)}") if smin is not None else ""
            )
            lines.append(
                f"**{t('section_score', lang)}:** {num(s.score)} / "
                f"{num(rubric.scale.max)}{thr}{mark}{provisional}"
            )
        lines.append("")

    if a.gates:
        lines += [f"## {t('gates', lang)}", ""]
        lines += [
            _row(
                t("id", lang),
                t("criterion", lang),
                t("verdict", lang),
                t("conditions", lang),
                t("comment", lang),
            ),
            "|---|---|---|---|---|",
        ]
        for g in a.gates:
            conditions = "<br>".join(esc(c) for c in g.answer.conditions) if g.answer else ""
            comment = clip(g.answer.comment, MAX_TEXT, lang) if g.answer else ""
            lines.append(
                _row(
                    g.criterion.id,
                    esc(g.criterion.title(lang)),
                    esc(score_text(g, rubric, lang)),
                    conditions,
                    esc(comment),
                )
            )
        lines.append("")

    lines += [f"## {t('totals', lang)}", ""]
    lines += [_row("", t("score", lang), t("required", lang)), "|---|---|---|"]
    required = num(a.required_total) if a.required_total is not None else "—"
    lines.append(_row(t("total_unweighted", lang), f"{num(a.total)} / {num(a.maximum)}", required))
    lines.append(_row(t("total_weighted", lang), f"{num(a.weighted_total)} / {num(a.weighted_maximum)}", "—"))
    lines.append("")

    if findings is not None:
        from ..views.findings import t as findings_t
        from .findings import markdown_table

        lines += [f"## {findings_t('findings_title', lang)}", ""]
        lines += markdown_table(findings, rubric, lang)
        lines.append("")

    lines.append(f"<sub>{t('generated_by', lang, version=__version__)}</sub>")
    return "\n".join(lines) + "\n"


def render(view: AssessmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assessment, lang, view.findings).encode()
