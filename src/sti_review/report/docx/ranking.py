"""The ranking of a call as a Word document for the committee: the funding line and the border
zone first, then the ranking table with the funding line drawn as a row, what to look at again,
and what could not be ranked."""

from __future__ import annotations

from ... import __version__
from ...i18n import Lang
from ...ranking import Ranking
from ..views import RankingView
from ..views.common import num
from ..views.ranking import (
    T,
    call_name,
    counts_text,
    line_text,
    marks_text,
    money,
    order_text,
    outcome_label,
    programme_short,
    reasons_text,
    rereview_text,
    status_text,
    tie_text,
    zone_text,
)
from . import common as c

FILL = {"funded": "E2EFDA", "tie_at_line": "FCE4D6"}
ZONE = "FFF2CC"
LINE = "C00000"


def _render(ranking: Ranking, *, lang: Lang) -> bytes:
    budgets = any(r.budget is not None for r in ranking.rows)
    title = f"{T('rank_title', lang)}: {call_name(ranking, lang)}"
    doc = c.new_document(lang=lang, title=title, footer_ref=ranking.rubric.ref)
    c.heading(doc, title, 0)
    c.heading(doc, line_text(ranking, lang), 1)
    for text in (
        zone_text(ranking, lang),
        T("tie_at_line_note", lang) if ranking.line and ranking.line.tie_at_line else "",
        counts_text(ranking, lang),
        order_text(ranking, lang),
    ):
        if text:
            c.para(doc, text, style="List Bullet")

    head = [T("rank", lang), T("id", lang), T("title", lang), T("programme", lang), T("outcome", lang)]
    head += [T("weighted", lang), T("tie_break", lang)]
    widths = [12, 28, 45, 12, 20, 15, 20]
    if budgets:
        head += [T("budget", lang), T("cumulative", lang)]
        widths = [10, 25, 33, 9, 17, 13, 17, 18, 18]
    head += [T("status", lang), T("marks", lang)]
    widths += [15, 20]
    rows, fills = [], []
    line_drawn = False
    for r in ranking.ranked:
        if ranking.line is not None and not line_drawn and r.status != "funded":
            rows.append([f"―― {T('funding_line', lang)} ――"] + [""] * (len(head) - 1))
            fills.append(LINE)
            line_drawn = True
        cells = [
            str(r.rank) + ("=" if r.tied else ""),
            r.id,
            r.title,
            programme_short(ranking.rubric, r.programme),
            outcome_label(r, lang),
            num(r.weighted_percent, 2),
            tie_text(r, ranking, lang),
        ]
        if budgets:
            cells += [money(r.budget, lang), money(r.cumulative_budget, lang)]
        cells += [status_text(r, lang), marks_text(r, lang)]
        rows.append(cells)
        fills.append(ZONE if r.border else FILL.get(r.status))
    if ranking.line is not None and not line_drawn:
        rows.append([f"―― {T('funding_line', lang)} ――"] + [""] * (len(head) - 1))
        fills.append(LINE)
    section = doc.sections[0]
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    scale = 257 / sum(widths)
    tbl = c.table(doc, head, rows, widths_mm=[w * scale for w in widths], row_fills=fills)
    for row, fill in zip(tbl.rows[1:], fills, strict=True):
        if fill == LINE:
            cell = row.cells[0].merge(row.cells[-1])
            for extra in cell.paragraphs[1:]:  # merging keeps every cell's empty paragraph
                extra._p.getparent().remove(extra._p)
            for run in cell.paragraphs[0].runs:
                run.bold = True
                from docx.shared import RGBColor

                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    c.heading(doc, T("rereview", lang), 1)
    if not ranking.rereview:
        c.para(doc, T("rereview_none", lang))
    for r in ranking.rereview:
        c.para(doc, f"{r.id} {r.title}: {rereview_text(r, lang)}", style="List Bullet")

    others = [r for r in ranking.rows if r.status == "ineligible"]
    if others:
        c.heading(doc, T("ineligible", lang), 1)
        rows = [
            [r.id, r.title, outcome_label(r, lang), reasons_text(r, ranking, lang), marks_text(r, lang)]
            for r in others
        ]
        c.table(
            doc,
            [T("id", lang), T("title", lang), T("outcome", lang), T("reasons", lang), T("marks", lang)],
            rows,
            widths_mm=[30, 60, 25, 110, 32],
        )
    if ranking.problems:
        c.heading(doc, T("invalid", lang), 1)
        c.para(doc, T("invalid_note", lang))
        for r in ranking.invalid:
            c.para(doc, f"{r.id} ({r.path})", style="List Bullet")
        for p in ranking.problems:
            c.para(doc, p.render(lang), style="List Bullet")
    stats = getattr(ranking, "stats", None)  # expected rank, reviewer effects (report/docx/stats.py)
    if stats is not None:
        from .stats import add_section

        add_section(doc, stats, lang)
    c.closing(
        doc, f"{T('rubric', lang)}: {ranking.rubric.ref}　{T('generated_by', lang, version=__version__)}"
    )
    return c.to_bytes(doc)


def render(view: RankingView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.ranking, lang=lang)
