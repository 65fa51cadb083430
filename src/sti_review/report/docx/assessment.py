"""The assessment of one proposal as a Word document. Page 1 opens the way an Evaluation
Summary Report does: the outcome, its reasons and the total against its threshold; then the
proposal, each section's criteria with scores and comments, the gates and the pre-checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import __version__
from ...checks import Finding
from ...countries import partner_text
from ...i18n import Lang, t
from ...limits import MAX_CONDITIONS, MAX_TEXT, capped_lines, clip
from ...rubric import objective_title
from ...scoring import Assessment
from ..views import AssessmentView
from ..views.common import num, outcome_text, programme_text, score_text
from ..views.lead import assessment_lead
from . import common as c


def outcome_block(doc: Any, a: Assessment, lang: Lang) -> None:
    """The outcome in words, its reasons as a list, and the totals against their thresholds."""
    c.heading(doc, f"{t('outcome', lang)}: {outcome_text(a, lang)}", 1)
    for reason in assessment_lead(a, lang).reasons:  # a failed gate comes with the reviewer's words
        p = c.para(doc, reason.text, style="List Bullet")
        for item in reason.details:
            c.add_text(p, "\n" + t("bullet_item", lang, text=item))
    required = num(a.required_total) if a.required_total is not None else "—"
    rows = [
        [t("total_unweighted", lang), f"{num(a.total)} / {num(a.maximum)}", required, ""],
        [t("total_weighted", lang), f"{num(a.weighted_total)} / {num(a.weighted_maximum)}", "—", ""],
    ]
    tbl = c.table(doc, ["", t("score", lang), t("required", lang), ""], rows, widths_mm=[60, 35, 25, 50])
    c.bar(tbl.rows[1].cells[3], a.total, a.maximum)
    c.bar(tbl.rows[2].cells[3], a.weighted_total, a.weighted_maximum)


def _render(assessment: Assessment, *, lang: Lang, findings: Sequence[Finding] | None = None) -> bytes:
    a = assessment
    p = a.proposal
    rubric = a.rubric
    title = f"{t('report_title', lang)}: {p.title}"
    doc = c.new_document(lang=lang, title=title, footer_ref=f"{rubric.ref}　{p.id}")
    c.heading(doc, title, 0)
    programme = programme_text(rubric, p.programme, lang)
    c.para(doc, f"{t('id', lang)}: {p.id}　{t('programme', lang)}: {programme}")
    outcome_block(doc, a, lang)

    smin = rubric.thresholds.section_min
    head = [t("section", lang), t("section_score", lang), t("threshold", lang), ""]
    rows = []
    for s in a.sections:
        score = t("not_scored", lang) if s.score is None else f"{num(s.score)} / {num(rubric.scale.max)}"
        if s.score is not None and s.count("missing"):
            score += t("provisional", lang)
        rows.append([f"{s.section.id} {s.section.title(lang)}", score, num(smin) if smin else "—", ""])
    tbl = c.table(doc, head, rows, widths_mm=[75, 35, 20, 45])
    for row, s in zip(tbl.rows[1:], a.sections, strict=True):
        c.bar(row.cells[3], s.score, rubric.scale.max)

    c.heading(doc, t("proposal", lang), 1)
    info = [[t("id", lang), p.id], [t("title", lang), p.title]]
    info.append([t("programme", lang), programme_text(rubric, p.programme, lang)])
    if p.lead:
        info.append(
            [t("lead", lang), p.lead.name + (f" ({p.lead.institution})" if p.lead.institution else "")]
        )
    partners = "\n".join(partner_text(x.country, x.institution, lang) for x in p.partners)
    info.append([t("partners", lang), partners])
    if p.objectives:
        objs = "\n".join(objective_title(rubric, o, lang) for o in p.objectives)
        info.append([t("objectives", lang), objs])
    info.append([t("reviewer", lang), a.review.reviewer or "—"])
    info.append([t("rubric", lang), rubric.ref])
    c.table(doc, [t("proposal", lang), ""], info, widths_mm=[40, 130])

    for s in a.sections:
        weight = t("paren_note", lang, text=f"{t('weight', lang)} ×{num(s.weight)}") if s.weight != 1 else ""
        c.heading(doc, f"{s.section.id} {s.section.title(lang)}{weight}", 2)
        rows = []
        for r in s.results:
            comment = clip(r.answer.comment, MAX_TEXT, lang) if r.answer else ""
            rows.append([r.criterion.id, r.criterion.title(lang), score_text(r, rubric, lang), comment])
        if rows:
            tbl = c.table(
                doc,
                [t("id", lang), t("criterion", lang), t("score", lang), t("comment", lang)],
                rows,
                widths_mm=[15, 55, 30, 70],
            )
            c.keep_row_together(tbl)  # a criterion's comment is not split over two pages

    if a.gates:
        c.heading(doc, t("gates", lang), 2)
        rows = []
        for g in a.gates:
            conditions = (
                "\n".join(capped_lines(g.answer.conditions, MAX_CONDITIONS, lang)) if g.answer else ""
            )
            comment = clip(g.answer.comment, MAX_TEXT, lang) if g.answer else ""
            rows.append(
                [g.criterion.id, g.criterion.title(lang), score_text(g, rubric, lang), conditions, comment]
            )
        tbl = c.table(
            doc,
            [
                t("id", lang),
                t("criterion", lang),
                t("verdict", lang),
                t("conditions", lang),
                t("comment", lang),
            ],
            rows,
            widths_mm=[10, 28, 22, 50, 60],  # the comment and the conditions are the long texts
        )
        c.keep_row_together(tbl)

    if findings is not None:
        from ..views.findings import t as findings_t
        from .findings import findings_table

        c.heading(doc, findings_t("findings_title", lang), 2)
        findings_table(doc, findings, rubric, lang)

    c.closing(doc, t("generated_by", lang, version=__version__))
    return c.to_bytes(doc)


def render(view: AssessmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.assessment, lang=lang, findings=view.findings)
