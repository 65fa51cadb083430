"""`sti-review template proposal --format docx`: a Word form for applicants made from the
rubric: the proposal's fields as tables to fill, then one heading per criterion (beginning with
its id) with the question and the guidance for applicants and an empty place for the text."""

from __future__ import annotations

from typing import Any

from ..i18n import Lang, t
from ..report.docx import common as c
from ..report.views.common import programme_text
from ..rubric import Criterion, Rubric
from .fields import BASIC, FORM_MARK, GUIDANCE_CAPTION, HEADINGS, TABLES, T, label

EMPTY_ROWS = 3


def _values(rubric: Rubric, vocabulary: str) -> str:
    """The values a vocabulary of the rubric allows, as the applicant types them."""
    return ", ".join(rubric.vocabulary(vocabulary) or {})


def form_criteria(rubric: Rubric, programme: str | None) -> list[Criterion]:
    """The criteria an applicant writes to: scored criteria and gates of the programme (all
    programmes when none is given); portfolio criteria are judged across proposals."""
    sections = rubric.sections_for(programme) if programme else rubric.sections
    return [crit for s in sections for crit in s.criteria if crit.kind != "portfolio"]


def _caption(tbl: Any, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cap = OxmlElement("w:tblCaption")
    cap.set(qn("w:val"), text)
    tbl._tbl.tblPr.append(cap)


def _guidance(doc: Any, lines: list[str], lang: Lang) -> None:
    """A shaded one-cell box of instructions: kept apart from the applicant's text."""
    tbl = doc.add_table(rows=1, cols=1)
    tbl.style = "Table Grid"
    _caption(tbl, GUIDANCE_CAPTION)
    cell = tbl.rows[0].cells[0]
    c.set_cell(cell, T("for_applicants", lang), bold=True, fill="EDEDED")
    for line in lines:
        c.add_text(cell.add_paragraph(), line)
    doc.add_paragraph()


def _data_table(doc: Any, key: str, lang: Lang, rows: list[list[str]] | None = None) -> None:
    cols = TABLES[key]
    head = [col.label(lang) for col in cols]
    c.table(doc, head, rows if rows is not None else [[""] * len(cols)] * EMPTY_ROWS)


def render(rubric: Rubric, *, lang: Lang, programme: str | None = None) -> bytes:
    title = f"{T('form_title', lang)}　{rubric.title(lang)}"
    doc = c.new_document(lang=lang, title=title, footer_ref=rubric.ref)
    criteria = form_criteria(rubric, programme)
    doc.core_properties.keywords = f"{FORM_MARK} {rubric.ref} criteria:{','.join(x.id for x in criteria)}"
    c.heading(doc, title, 0)
    c.para(doc, T("rubric_line", lang, ref=rubric.ref))
    if programme:
        c.para(doc, T("programme_line", lang, programme=programme_text(rubric, programme, lang)))
    c.para(doc, T("form_intro", lang))

    c.heading(doc, label(HEADINGS["basic"], lang), 1)
    rows = [[label(BASIC[k], lang), ""] for k in BASIC]
    programme_row = list(BASIC).index("programme")
    rows[programme_row][1] = programme or ""
    rows[programme_row][0] += "\n" + " / ".join(rubric.programme_terms)
    c.table(doc, [T("field", lang), T("entry", lang)], rows, widths_mm=[60, 110])

    c.heading(doc, label(HEADINGS["summary"], lang), 1)
    c.para(doc)

    c.heading(doc, label(HEADINGS["partners"], lang), 1)
    _data_table(doc, "partners", lang)

    c.heading(doc, label(HEADINGS["objectives"], lang), 1)
    _guidance(doc, [T("mark_hint", lang)], lang)
    objectives = [["", o.id, o.title(lang)] for s in rubric.sections for o in s.objectives]
    _data_table(doc, "objectives", lang, objectives)

    c.heading(doc, label(HEADINGS["team"], lang), 1)
    _guidance(
        doc,
        [
            f"{TABLES['team'][2].label(lang)}: {_values(rubric, 'disciplines')}",
            f"{TABLES['team'][3].label(lang)}: {_values(rubric, 'career_stages')}",
        ],
        lang,
    )
    _data_table(doc, "team", lang)

    c.heading(doc, label(HEADINGS["kpis"], lang), 1)
    _data_table(doc, "kpis", lang)

    c.heading(doc, label(HEADINGS["risks"], lang), 1)
    _guidance(doc, [T("values_hint", lang, values=_values(rubric, "risk_areas"))], lang)
    _data_table(doc, "risks", lang)

    c.heading(doc, label(HEADINGS["integrity"], lang), 1)
    _data_table(doc, "integrity", lang)

    c.heading(doc, label(HEADINGS["criteria"], lang), 1)
    c.para(doc, T("criteria_intro", lang))
    for crit in criteria:
        c.heading(doc, f"{crit.id} {crit.title(lang)}", 2)
        lines = [f"{t('question', lang)}: {crit.question(lang)}"]
        for level in ("high", "pass", "middle", "conditional", "note"):
            if level in crit.guidance:
                lines.append(f"{t('guidance_' + level, lang)}: {crit.guidance[level](lang)}")
        _guidance(doc, lines, lang)
        c.para(doc)
    return c.to_bytes(doc)
