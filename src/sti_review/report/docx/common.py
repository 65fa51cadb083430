"""Document setup shared by the Word reports: A4, Japanese fonts through the east-Asian font
settings, real heading styles, tables with a repeating header row, a footer with page numbers,
the rubric and the date, and bars drawn with shaded table cells (no pictures, no emoji)."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...i18n import Lang, catalog
from ...office import require

T = catalog("docx")

# Japanese body in Mincho, headings in Gothic; Word falls back along the alternate names when a
# font is missing (fonts listed in the document's font table). Latin text in a Latin font.
BODY_EA = "Yu Mincho"
HEAD_EA = "Yu Gothic"
BODY_EA_FALLBACK = "MS Mincho"
HEAD_EA_FALLBACK = "MS Gothic"
BODY_LATIN = "Times New Roman"
HEAD_LATIN = "Arial"

SHADE_BAR = "4472C4"
SHADE_HEAD = "D9E2F3"
SHADE_LINE = "FCE4D6"


def today() -> str:
    """The date in the footer; SOURCE_DATE_EPOCH pins it for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _set_fonts(style: Any, latin: str, east_asian: str, size_pt: float | None = None) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Pt, RGBColor

    style.font.name = latin
    if size_pt:
        style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(_qn(attr), latin)
    fonts.set(_qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_qn(attr), None)
    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(_qn("w:eastAsia"), "ja-JP")
    if style.name.startswith("Heading") or style.name == "Title":
        style.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)


def _font_table_fallbacks(doc: Any) -> None:
    """Name MS Mincho / MS Gothic as the alternates of Yu Mincho / Yu Gothic in the font table."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    part = doc.part
    try:
        fonts_part = part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = parse_xml(fonts_part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in ((BODY_EA, BODY_EA_FALLBACK), (HEAD_EA, HEAD_EA_FALLBACK)):
        font = parse_xml(
            f'<w:font xmlns:w="{w}" w:name="{name}"><w:altName w:val="{alt}"/>'
            '<w:charset w:val="80"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
        )
        root.append(font)
    from lxml import etree

    fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def new_document(*, lang: Lang, title: str, footer_ref: str) -> Any:
    """A4 portrait, 25/20 mm margins, fonts and headings set, footer with page x of y."""
    docx = require("docx")
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(20)
    styles = doc.styles
    _set_fonts(styles["Normal"], BODY_LATIN, BODY_EA, 10.5)
    for name, size in (("Title", 18), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5)):
        _set_fonts(styles[name], HEAD_LATIN, HEAD_EA, size)
    for name in ("Table Grid", "List Bullet"):
        if name in [s.name for s in styles]:
            pass
    _font_table_fallbacks(doc)
    props = doc.core_properties
    from ...sanitize import printable

    props.title = printable(title)[:255]
    props.language = T("language_tag", lang)
    props.author = "sti-review"

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = T("page", lang, page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
    for i, part in enumerate(text.split("\x00")):
        if i % 2:
            _field(footer, part)
        elif part:
            footer.add_run(part)
    footer.add_run(printable(f"　|　{footer_ref}　|　{T('date', lang)} {today()}"))
    for run in footer.runs:
        from docx.shared import Pt

        run.font.size = Pt(8)
    return doc


def _field(paragraph: Any, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice compute it when the page is laid out."""
    from docx.oxml import OxmlElement

    def add(tag: str, **attrs: str) -> Any:
        run = paragraph.add_run()
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(_qn(k), v)
        if tag == "w:instrText":
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            el.text = f" {instr} "
        run._r.append(el)
        return run

    add("w:fldChar", **{"w:fldCharType": "begin"})
    add("w:instrText")
    add("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")
    add("w:fldChar", **{"w:fldCharType": "end"})


def heading(doc: Any, text: str, level: int) -> Any:
    p = doc.add_heading("", level=level)
    add_text(p, text)
    return p


def para(doc: Any, text: str = "", *, bold: bool = False, style: str | None = None) -> Any:
    p = doc.add_paragraph(style=style)
    if text:
        add_text(p, text, bold=bold)
    return p


def closing(doc: Any, text: str) -> Any:
    """The document's last line ("generated by ..."): small, with no spacer above it (the empty
    paragraph ``table`` leaves after a table is dropped), so it shares the last page with the last
    table instead of standing alone above the footer on a page of its own."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    body = doc.element.body
    tail = [el for el in body if el.tag != qn("w:sectPr")]
    if tail and tail[-1].tag == qn("w:p") and not "".join(tail[-1].itertext()).strip():
        body.remove(tail[-1])
    elif tail and tail[-1].tag == qn("w:p"):  # a last list item goes with it to a new page
        tail[-1].get_or_add_pPr().keepNext_val = True
    p = para(doc, text)
    p.paragraph_format.space_before = Pt(0)
    for run in p.runs:
        run.font.size = Pt(8)
    return p


def add_text(paragraph: Any, text: str, *, bold: bool = False) -> None:
    """Text with its line breaks kept as line breaks (w:br), not run together; control and
    bidi characters shown as escapes (as on the terminal), never obeyed or refused."""
    from ...sanitize import printable

    for i, line in enumerate(printable(text).split("\n")):
        run = paragraph.add_run(line)
        run.bold = bold or None
        if i:
            run._r.insert(0, _br())


def _br() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(_qn("w:val"), "clear")
    shd.set(_qn("w:color"), "auto")
    shd.set(_qn("w:fill"), fill)
    tcpr.append(shd)


def set_cell(cell: Any, text: str, *, bold: bool = False, fill: str | None = None) -> None:
    cell.text = ""
    add_text(cell.paragraphs[0], text, bold=bold)
    if fill:
        shade(cell, fill)


def table(
    doc_or_cell: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_mm: Sequence[float] | None = None,
    row_fills: Sequence[str | None] | None = None,
) -> Any:
    """A real table: its header row repeats on every page; cells keep their line breaks."""
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    tbl = doc_or_cell.add_table(rows=1, cols=len(header))
    tbl.style = "Table Grid"
    head = tbl.rows[0]
    trpr = head._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(_qn("w:val"), "true")
    trpr.append(mark)
    for cell, text in zip(head.cells, header, strict=True):
        set_cell(cell, text, bold=True, fill=SHADE_HEAD)
    for i, values in enumerate(rows):
        cells = tbl.add_row().cells
        fill = row_fills[i] if row_fills else None
        for cell, text in zip(cells, values, strict=True):
            set_cell(cell, text, fill=fill)
    if widths_mm:
        tbl.autofit = False
        for col, w in zip(tbl.columns, widths_mm, strict=True):
            col.width = Mm(w)  # the grid, which LibreOffice follows
        for row in tbl.rows:
            for cell, w in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(w)  # the cells, which Word follows
    if hasattr(doc_or_cell, "add_page_break"):  # a document: keep the next table apart
        doc_or_cell.add_paragraph()
    return tbl


def keep_row_together(tbl: Any) -> None:
    from docx.oxml import OxmlElement

    for row in tbl.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))


def bar(cell: Any, value: Fraction | float | None, maximum: Fraction | float, *, cells: int = 10) -> None:
    """A bar drawn as a row of cells, the first ``value/maximum`` of them shaded."""
    from docx.shared import Mm, Pt

    cell.text = ""
    if value is None or not maximum:
        return
    filled = round(float(value) / float(maximum) * cells)
    inner = cell.add_table(rows=1, cols=cells)
    inner.autofit = False
    for col in inner.columns:
        col.width = Mm(4)
    for i, c in enumerate(inner.rows[0].cells):
        c.width = Mm(4)
        c.paragraphs[0].paragraph_format.space_after = Pt(0)
        if i < filled:
            shade(c, SHADE_BAR)
    # the empty paragraph Word requires after a nested table stays small
    cell.paragraphs[-1].paragraph_format.space_after = Pt(0)


def to_bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
