"""Proposal forms (issue 13): template -> filled in as a user would in Word -> import ->
validate ok -> the same proposal; broken forms give a located error and exit 2."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES

docx = pytest.importorskip("docx")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def hidden_proposal() -> dict:
    """A proposal the form has never seen: the SATREPS example with a team, a budget, numeric and
    text KPI targets, texts of several lines and formula-looking text."""
    data = yaml.safe_load((EXAMPLES / "satreps-flood-ews-th.yaml").read_text(encoding="utf-8"))
    team = yaml.safe_load((EXAMPLES / "bc-quantum-mobility-de.yaml").read_text(encoding="utf-8"))["team"]
    data["team"] = team
    data["budget"] = 150_000_000
    data["kpis"][0]["target"] = 25
    data["sections"]["A1"] = "一段落目。\n二段落目: =SUM(A1) のような文字列もそのまま。"
    return data


def _after_heading(doc, startswith: str):
    """The first paragraph of body text under the heading that begins with ``startswith``."""
    body = doc.element.body
    children = list(body)
    for i, el in enumerate(children):
        if el.tag == f"{W}p":
            p = docx.text.paragraph.Paragraph(el, doc)
            if p.style.name.startswith("Heading") and p.text.startswith(startswith):
                for nxt in children[i + 1 :]:
                    if nxt.tag == f"{W}p":
                        return docx.text.paragraph.Paragraph(nxt, doc)
    raise AssertionError(f"no heading {startswith}")


def _type(paragraph, text: str) -> None:
    """Typing under a heading: Enter makes a new paragraph."""
    lines = text.split("\n")
    paragraph.add_run(lines[0])
    anchor = paragraph
    for line in lines[1:]:
        new = copy.deepcopy(anchor._p)
        for r in new.findall(f"{W}r"):
            new.remove(r)
        anchor._p.addnext(new)
        anchor = docx.text.paragraph.Paragraph(new, paragraph._parent)
        anchor.add_run(line)


def _table_under(doc, heading: str):
    body = list(doc.element.body)
    seen = False
    for el in body:
        if el.tag == f"{W}p" and "".join(t.text or "" for t in el.iter(f"{W}t")) == heading:
            seen = True
        elif seen and el.tag == f"{W}tbl":
            cap = el.find(f"{W}tblPr/{W}tblCaption")
            if cap is not None and cap.get(f"{W}val") == "sti-review:guidance":
                continue
            return docx.table.Table(el, doc)
    raise AssertionError(heading)


def _fill_rows(table, rows: list[list[str]]) -> None:
    """Fill the empty rows, adding rows as needed (Word's 'insert row below')."""
    while len(table.rows) - 1 < len(rows):
        table.add_row()
    for row, values in zip(table.rows[1:], rows, strict=False):
        for cell, v in zip(row.cells, values, strict=True):
            cell.text = ""
            lines = v.split("\n")
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)


def fill(form: Path, data: dict, out: Path) -> None:
    doc = docx.Document(str(form))
    basic = _table_under(doc, "基本情報")
    values = {
        "提案ID": data["id"],
        "課題名": data["title"],
        "研究代表者 氏名": data["lead"]["name"],
        "研究代表者 所属機関": data["lead"]["institution"],
        "申請額": f"{data['budget']:,}",
    }
    for row in basic.rows[1:]:
        for label, v in values.items():
            if row.cells[0].text.startswith(label):
                row.cells[1].text = v
    _type(_after_heading(doc, "概要"), data["summary"])
    _fill_rows(
        _table_under(doc, "相手国・機関"), [[p["country"], p["institution"]] for p in data["partners"]]
    )
    objectives = _table_under(doc, "目的")
    for row in objectives.rows[1:]:
        if row.cells[1].text in data["objectives"]:
            row.cells[0].text = "○"
    team = [
        [
            m["name"],
            m.get("role", ""),
            m.get("discipline") or "",
            m.get("career_stage") or "",
            m.get("institution", ""),
            m.get("country") or "",
        ]
        for m in data["team"]
    ]
    _fill_rows(_table_under(doc, "研究体制"), team)
    kpis = [[k["objective"], k["indicator"], str(k["target"])] for k in data["kpis"]]
    _fill_rows(_table_under(doc, "成果指標（KPI）"), kpis)
    risks = [[r["area"], r["description"], r.get("mitigation", "")] for r in data["risks"]]
    _fill_rows(_table_under(doc, "リスクと対策"), risks)
    _fill_rows(_table_under(doc, "研究インテグリティ"), [[p] for p in data["integrity"]["procedures"]])
    # the notes: typed after the table, as a paragraph under the heading
    tbl = _table_under(doc, "研究インテグリティ")
    note = docx.text.paragraph.Paragraph(tbl._tbl.getnext(), doc)
    _type(note, data["integrity"]["notes"])
    for cid, text in data["sections"].items():
        _type(_after_heading(doc, cid + " "), text)
    doc.save(str(out))


@pytest.fixture
def form(invoke, tmp_path) -> Path:
    out = tmp_path / "様式.docx"
    result = invoke(
        "template", "proposal", "--format", "docx", "-o", out, "--programme", "joint_research", "--lang", "ja"
    )
    assert result.exit_code == 0, result.stderr
    return out


def test_template_has_every_criterion_heading_with_question(form):
    from tests.conftest import ALL_IDS

    doc = docx.Document(str(form))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    expected = [c for c in ALL_IDS if not c.startswith("BC") and c != "X3"]
    assert [h.split()[0] for h in heads] == expected
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "評価の観点" in text and "国コード（ISO 2文字）" in text


def test_round_trip_template_fill_import_validate(invoke, form, tmp_path):
    data = hidden_proposal()
    filled = tmp_path / "filled.docx"
    fill(form, data, filled)
    out = tmp_path / "proposal.yaml"
    result = invoke("import", filled, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert invoke("validate", out).exit_code == 0
    back = yaml.safe_load(out.read_text(encoding="utf-8"))
    from sti_review.proposal import Proposal

    expected = Proposal.model_validate({k: v for k, v in data.items()})
    got = Proposal.model_validate(back)
    for key in Proposal.model_fields:
        assert getattr(got, key) == getattr(expected, key), key


def test_import_refuses_to_overwrite(invoke, form, tmp_path):
    filled = tmp_path / "filled.docx"
    fill(form, hidden_proposal(), filled)
    out = tmp_path / "p.yaml"
    out.write_text("mine", encoding="utf-8")
    assert invoke("import", filled, "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "mine"
    assert invoke("import", filled, "-o", out, "--force").exit_code == 0


def test_not_a_zip_and_a_zip_that_is_not_docx(invoke, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("hello", encoding="utf-8")
    r = invoke("import", bad, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2 and "not a zip" in r.stderr and not (tmp_path / "p.yaml").exists()
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "x")
    r = invoke("import", bad, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2 and "not a Word document" in r.stderr


def test_a_heading_removed_is_located(invoke, form, tmp_path):
    filled = tmp_path / "filled.docx"
    fill(form, hidden_proposal(), filled)
    doc = docx.Document(str(filled))
    for p in doc.paragraphs:
        if p.text == "相手国・機関":
            p._p.getparent().remove(p._p)
    doc.save(str(filled))
    r = invoke("import", filled, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2
    assert "相手国・機関" in r.stderr and "heading not found" in r.stderr
    assert "概要', table 1" in r.stderr  # the partners table now sits under the summary heading
    assert not (tmp_path / "p.yaml").exists()


def test_a_criterion_heading_removed_is_located(invoke, form, tmp_path):
    filled = tmp_path / "filled.docx"
    fill(form, hidden_proposal(), filled)
    doc = docx.Document(str(filled))
    for p in doc.paragraphs:
        if p.text.startswith("A3 "):
            p._p.getparent().remove(p._p)
    doc.save(str(filled))
    r = invoke("import", filled, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2 and "A3" in r.stderr and "criterion heading not found" in r.stderr


def test_a_table_with_a_wrong_column(invoke, form, tmp_path):
    filled = tmp_path / "filled.docx"
    fill(form, hidden_proposal(), filled)
    doc = docx.Document(str(filled))
    _table_under(doc, "リスクと対策").rows[0].cells[2].text = "予算"
    doc.save(str(filled))
    r = invoke("import", filled, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2
    assert "heading 'リスクと対策', table 1, row 1, column 3" in r.stderr and "予算" in r.stderr


def test_an_empty_form_says_what_is_missing(invoke, form, tmp_path):
    r = invoke("import", form, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2
    assert "id" in r.stderr and "基本情報" in r.stderr and not (tmp_path / "p.yaml").exists()


def test_bad_values_are_located_by_table_and_row(invoke, form, tmp_path):
    data = hidden_proposal()
    data["partners"][1]["country"] = "Thailand"
    filled = tmp_path / "filled.docx"
    fill(form, data, filled)
    r = invoke("import", filled, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 2
    assert "heading '相手国・機関', table 1, row 3" in r.stderr and "ISO 3166" in r.stderr


def test_huge_text_is_read_whole(invoke, form, tmp_path):
    data = hidden_proposal()
    data["sections"]["A1"] = "長い本文。" * 200_000  # a million characters
    filled = tmp_path / "filled.docx"
    fill(form, data, filled)
    out = tmp_path / "p.yaml"
    r = invoke("import", filled, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert len(yaml.safe_load(out.read_text(encoding="utf-8"))["sections"]["A1"]) == 1_000_000


def test_text_boxes_content_controls_and_numbered_headings(invoke, form, tmp_path):
    """Word users number headings (１．(1) ①), wrap answers in content controls and text boxes."""
    from docx.oxml import parse_xml

    data = hidden_proposal()
    filled = tmp_path / "filled.docx"
    fill(form, data, filled)
    doc = docx.Document(str(filled))
    for p in doc.paragraphs:
        if p.text == "概要":
            p.runs[0].text = "１．概要"
        if p.text.startswith("A1 "):
            p.runs[0].text = "(1) " + p.runs[0].text
    # the A2 text: moved into a content control; the A3 text: into a text box
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    a2 = _after_heading(doc, "A2 ")
    while a2._p.getnext().tag == f"{W}tbl" or not a2.text:
        a2 = docx.text.paragraph.Paragraph(a2._p.getnext(), doc)
    sdt = parse_xml(f"<w:sdt {ns}><w:sdtPr/><w:sdtContent/></w:sdt>")
    a2._p.addprevious(sdt)
    sdt.find(f"{W}sdtContent").append(a2._p)
    a3 = _after_heading(doc, "A3 ")
    while not a3.text:
        a3 = docx.text.paragraph.Paragraph(a3._p.getnext(), doc)
    text = a3.text
    for r in list(a3._p.findall(f"{W}r")):
        a3._p.remove(r)
    box = parse_xml(
        f'<w:r {ns} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    a3._p.append(box)
    doc.save(str(filled))
    out = tmp_path / "p.yaml"
    r = invoke("import", filled, "-o", out)
    assert r.exit_code == 0, r.stderr
    back = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert back["summary"] == data["summary"]
    assert back["sections"]["A1"] == data["sections"]["A1"]
    assert back["sections"]["A2"] == data["sections"]["A2"]
    assert back["sections"]["A3"] == data["sections"]["A3"]  # once, not twice (no fallback copy)


def test_headings_by_outline_level_not_style_name(invoke, form, tmp_path):
    """A heading made with a localised custom style carrying an outline level is a heading."""
    from docx.oxml import parse_xml

    filled = tmp_path / "filled.docx"
    fill(form, hidden_proposal(), filled)
    doc = docx.Document(str(filled))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for p in doc.paragraphs:
        if p.text == "目的":
            p.style = doc.styles["Normal"]
            p._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {ns} w:val="0"/>'))
    doc.save(str(filled))
    r = invoke("import", filled, "-o", tmp_path / "p.yaml")
    assert r.exit_code == 0, r.stderr


# --- init: commented YAML skeletons ---------------------------------------------------------

PROPOSAL_VALUES = {
    "id": "P-2026-1",
    "title": "日タイ共同研究",
    "programme": "joint_research",
    "summary": "概要です。",
    "lead_name": "佐藤 健一",
    "lead_institution": "東都大学",
    "budget": "150000000",
    "country": "TH",
    "institution": "チャオプラヤ大学",
    "objective": "A.quality",
    "member_name": "Somchai",
    "member_role": "PI",
    "discipline": "natural_sciences",
    "career_stage": "faculty",
    "member_institution": "CU",
    "member_country": "TH",
    "kpi_objective": "A.quality",
    "indicator": "論文数",
    "target": "25",
    "risk_area": "environment",
    "risk": "リスク",
    "mitigation": "対策",
    "procedure": "export_control",
    "integrity_notes": "備考",
}


def _fill_placeholders(text: str, values: dict[str, str]) -> str:
    import re

    def value(m: re.Match[str]) -> str:
        key = m.group(1)
        if key.startswith("text_"):
            return "本文"
        if key.startswith("score_"):
            return "4"
        if key.startswith("verdict_"):
            return "pass"
        return values[key]

    return re.sub(r"<([a-z_A-Z0-9]+)>", value, text)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_init_proposal_validates_once_filled(invoke, tmp_path, lang):
    out = tmp_path / "p.yaml"
    assert invoke("init", "proposal", "-o", out, "--lang", lang).exit_code == 0
    skeleton = out.read_text(encoding="utf-8")
    assert ("事業区分" if lang == "ja" else "Programme") in skeleton
    assert invoke("validate", out).exit_code == 2  # not yet filled
    out.write_text(_fill_placeholders(skeleton, PROPOSAL_VALUES), encoding="utf-8")
    result = invoke("validate", out)
    assert result.exit_code == 0, result.stderr


def test_init_review_validates_once_filled(invoke, tmp_path):
    out = tmp_path / "r.review.yaml"
    assert invoke("init", "review", "-o", out, "--programme", "joint_research", "--lang", "ja").exit_code == 0
    skeleton = out.read_text(encoding="utf-8")
    assert "  JR1:" in skeleton and "BC1" not in skeleton and "評点" in skeleton
    filled = _fill_placeholders(skeleton, {"proposal_id": "SATREPS-2026-017", "reviewer": "審査者A"})
    out.write_text(filled, encoding="utf-8")
    result = invoke("validate", EXAMPLES / "satreps-flood-ews-th.yaml", out)
    assert result.exit_code == 0, result.stderr


def test_init_refuses_a_bad_programme_and_an_existing_file(invoke, tmp_path):
    r = invoke("init", "proposal", "--programme", "nope")
    assert r.exit_code == 2 and "joint_research" in r.stderr
    out = tmp_path / "p.yaml"
    out.write_text("mine", encoding="utf-8")
    assert invoke("init", "proposal", "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "mine"


def test_template_needs_an_output_file_and_keeps_an_existing_one(invoke, tmp_path):
    r = invoke("template", "proposal", "--format", "docx")
    assert r.exit_code == 2 and "-o FILE.docx" in r.stderr
    out = tmp_path / "様式.docx"
    out.write_bytes(b"mine")
    assert invoke("template", "proposal", "-o", out).exit_code == 2
    assert out.read_bytes() == b"mine"
    r = invoke("template", "proposal", "-o", tmp_path / "x.docx", "--programme", "nope")
    assert r.exit_code == 2 and "joint_research" in r.stderr


def test_an_english_form_lists_headings_in_english(invoke, tmp_path):
    out = tmp_path / "form.docx"
    assert invoke("template", "proposal", "-o", out, "--lang", "en").exit_code == 0
    heads = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert heads[:3] == ["Basic information", "Summary", "Partners"]
    r = invoke("import", out, "-o", tmp_path / "p.yaml")  # empty: what is missing, located
    assert r.exit_code == 2 and "Basic information" in r.stderr and "title" in r.stderr
