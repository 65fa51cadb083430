"""The consolidation of one proposal's reviews as a Word document: the panel's outcome and its
reasons first, then disagreements, every reviewer's answer side by side, each reviewer's outcome."""

from __future__ import annotations

from ... import __version__
from ...i18n import Lang, t
from ...i18n import t as _t
from ...limits import MAX_REVIEWERS, more_text
from ...panel import Consolidation
from ..views import PanelView
from ..views.common import num, outcome_text, programme_text, reason_text
from ..views.lead import panel_lead
from ..views.panel import (
    T,
    answer_text,
    basis_text,
    flag_text,
    outcome_state,
    panel_text,
    reviewer_keys,
    settled_text,
    why_text,
)
from . import common as c

FLAG_FILL = "FFE699"
# Reviewers as columns of a Word table: a page has room for about twenty (the lists of reviewers
# by name keep MAX_REVIEWERS); with more, the note after the lists says where the others are.
WORD_COLUMNS = 20


def _paren(text: str, lang: Lang) -> str:
    """A note in brackets after a word: 「（…）」 or " (…)" (the catalogue's ``paren_note``)."""
    return _t("paren_note", lang, text=text)


def _render(con: Consolidation, *, lang: Lang) -> bytes:
    a = con.assessment
    p = con.proposal
    rubric = con.rubric
    keys = reviewer_keys(con, lang)
    more = len(keys) - MAX_REVIEWERS  # reviewers past the cap: named in no table, counted
    title = f"{T('panel_title', lang)}: {p.title}"
    doc = c.new_document(lang=lang, title=title, footer_ref=f"{rubric.ref}　{p.id}")
    c.heading(doc, title, 0)
    programme = programme_text(rubric, p.programme, lang)
    c.para(doc, f"{T('id', lang)}: {p.id}　{T('programme', lang)}: {programme}")
    c.heading(
        doc, f"{T('panel_outcome', lang)}: {outcome_text(a, lang)}{_paren(outcome_state(con, lang), lang)}", 1
    )
    c.para(doc, basis_text(con, lang))
    for reason in a.reasons:
        para = c.para(doc, reason_text(reason, a, lang), style="List Bullet")
        if reason.code == "conditions":
            for item in reason.items:
                c.add_text(para, "\n" + _t("bullet_item", lang, text=item))
    required = num(a.required_total) if a.required_total is not None else "—"
    tbl = c.table(
        doc,
        ["", T("score", lang), T("required", lang), ""],
        [[T("total_unweighted", lang), f"{num(a.total)} / {num(a.maximum)}", required, ""]],
        widths_mm=[60, 35, 25, 50],
    )
    c.bar(tbl.rows[1].cells[3], a.total, a.maximum)
    lead = panel_lead(con, lang)  # how the reviewers split, and what is still open, on page 1
    c.heading(doc, lead.split_title, 2)
    for line in lead.split:
        c.para(doc, line, style="List Bullet")
    c.heading(doc, lead.open_title, 2)
    for point in lead.open:
        c.para(doc, f"{point.id} {point.title} — {point.why}", bold=True)
        for v in point.voices:
            para = c.para(doc, f"{v.who}: {v.answer}" if v.who else v.answer, style="List Bullet")
            if v.comment:
                c.add_text(para, "\n" + v.comment)

    head = ["", T("outcome", lang), T("total_unweighted", lang), T("weighted_percent", lang)]
    rows = []
    for key, r, ind in list(zip(keys, con.reviews, con.individual, strict=True))[:MAX_REVIEWERS]:
        state = T("complete" if ind.complete else "incomplete", lang)
        rows.append(
            [
                f"{key} {r.label}{_paren(state, lang)}",
                outcome_text(ind, lang),
                f"{num(ind.total)} / {num(ind.maximum)}",
                num(ind.weighted_percent, 1),
            ]
        )
    if more > 0:
        rows.append([more_text(more, lang), "", "", ""])
    rows.append(
        [
            T("panel", lang),
            outcome_text(a, lang),
            f"{num(a.total)} / {num(a.maximum)}",
            num(a.weighted_percent, 1),
        ]
    )
    c.heading(doc, T("each_reviewer", lang), 2)
    c.table(doc, head, rows, widths_mm=[70, 40, 35, 25])

    c.heading(doc, T("disagreements", lang), 1)
    if not con.disagreements:
        c.para(doc, T("no_disagreements", lang))
    for cp in con.disagreements:
        crit = cp.criterion
        c.heading(doc, f"{crit.id} {crit.title(lang)}", 2)
        c.para(doc, why_text(cp, rubric, lang)).paragraph_format.keep_with_next = True  # with its table
        rows = []
        for key, r, ans in list(zip(keys, con.reviews, cp.answers, strict=True))[:MAX_REVIEWERS]:
            comment = ans.comment if ans is not None and ans.comment else ""
            rows.append([f"{key} {r.label}", answer_text(ans, crit, rubric, lang), comment])
        if more > 0:
            rows.append([more_text(more, lang), "", ""])
        c.table(
            doc, [T("reviewer", lang), T("score", lang), T("comment", lang)], rows, widths_mm=[40, 35, 95]
        )
        c.para(doc, settled_text(cp, rubric, lang), bold=True)
        if cp.consensus is not None and cp.consensus.comment:
            c.para(doc, f"{T('panel_comment', lang)}: {cp.consensus.comment}")

    cols = min(MAX_REVIEWERS, WORD_COLUMNS)
    if len(keys) > cols:
        left = f"{len(keys) - cols:,}"
        c.para(doc, t("docx.panel.more_reviewers", lang, limit=cols, count=left))
    stats = [T(k, lang) for k in ("min", "median", "max", "spread", "panel", "flag")]
    for idx, section in enumerate(a.sections):
        c.heading(doc, f"{section.section.id} {section.section.title(lang)}", 1)
        ids = {r.criterion.id for r in section.results}
        rows, fills = [], []
        for cp in con.criteria:
            if cp.criterion.id not in ids:
                continue
            cells = [cp.criterion.id, cp.criterion.title(lang)]
            cells += [answer_text(x, cp.criterion, rubric, lang) for x in cp.answers[:cols]]
            cells += [num(cp.minimum), num(cp.median), num(cp.maximum), num(cp.spread)]
            source = T(f"source_{cp.source}", lang) if cp.source != "missing" else ""
            shown = panel_text(cp, rubric, lang)
            cells += [f"{shown}\n{_paren(source, lang).strip()}" if source else shown, flag_text(cp, lang)]
            rows.append(cells)
            fills.append(FLAG_FILL if cp.unresolved else None)
        per = [num(ind.sections[idx].score) for ind in con.individual[:cols]]
        rows.append(["", T("section_score", lang), *per, "", "", "", "", num(section.score), ""])
        fills.append(None)
        head = [T("id", lang), T("criterion", lang), *keys[:cols], *stats]
        c.table(
            doc,
            head,
            rows,
            row_fills=fills,
            # min, median, max, spread, panel ("4.5（導出）"), flag: wide enough that their
            # Japanese heads (最小, 中央値, 評点の幅) do not stand one character a line
            widths_mm=_widths(len(keys[:cols]), [12.0, 15.0, 12.0, 16.0, 20.0, 15.0], answer=11.0),
        )

    gates = [cp for cp in con.criteria if cp.criterion.kind == "gate"]
    if gates:
        c.heading(doc, T("gates", lang), 1)
        rows = []
        for cp in gates:
            cells = [cp.criterion.id, cp.criterion.title(lang)]
            cells += [answer_text(x, cp.criterion, rubric, lang) for x in cp.answers[:cols]]
            cells += [panel_text(cp, rubric, lang), flag_text(cp, lang)]
            rows.append(cells)
        head = [T("id", lang), T("criterion", lang), *keys[:cols], T("panel", lang), T("flag", lang)]
        c.table(doc, head, rows, widths_mm=_widths(len(keys[:cols]), [18.0, 15.0], answer=18.0))
    c.closing(doc, f"{T('rubric', lang)}: {rubric.ref}　{T('generated_by', lang, version=__version__)}")
    return c.to_bytes(doc)


def _widths(reviewers: int, rest: list[float], answer: float = 13.0) -> list[float]:
    """Column widths on A4 (170 mm between the margins): the criterion name takes what the id,
    the reviewers' answers and the figures leave, never under 30 mm (issue 16: with equal
    columns LibreOffice wrapped the names every 3 characters)."""
    if reviewers and 10.0 + 30.0 + answer * reviewers + sum(rest) > 170.0:  # many reviewers: narrower
        answer = max(7.0, (170.0 - 10.0 - 30.0 - sum(rest)) / reviewers)
    fixed = 10.0 + answer * reviewers + sum(rest)
    return [10.0, max(30.0, 170.0 - fixed), *[answer] * reviewers, *rest]


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.consolidation, lang=lang)
