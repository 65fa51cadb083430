"""Word and Excel reports (issue 13): every file is read back with python-docx / openpyxl and
its content checked as a committee secretary would: outcome, reasons, every criterion, Japanese
intact, the funding line, formula-looking text kept as text."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import ALL_IDS, EXAMPLES

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

CALL = EXAMPLES / "call-2026"
SATREPS = EXAMPLES / "satreps-flood-ews-th.yaml"


def doc_text(path) -> str:
    """Every paragraph of the body, tables (nested too) and footer, in document order."""
    d = docx.Document(str(path))
    body = d.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p")]
    return "\n".join(parts)


def headings(path) -> list[tuple[str, str]]:
    d = docx.Document(str(path))
    return [
        (p.style.style_id, p.text) for p in d.paragraphs if p.style.style_id.startswith(("Heading", "Title"))
    ]


def test_assess_docx_leads_with_the_outcome_and_keeps_japanese(invoke, tmp_path):
    out = tmp_path / "審査結果.docx"
    result = invoke("assess", SATREPS, "-f", "docx", "-o", out, "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    heads = headings(out)
    assert heads[0][0] == "Title" and "タイ・チャオプラヤ川流域" in heads[0][1]
    assert heads[1] == ("Heading1", "判定結果: 採択候補")
    text = doc_text(out)
    assert "全ての要件が「適」であり、各大項目の評点及び合計点が基準点以上である" in text
    # page 1 (before the first page break) holds the outcome and the total against its threshold
    first_page = text.split("提案\n")[0]
    assert "合計点（重み付けなし）" in first_page and "20.3 / 25" in first_page and "16.67" in first_page
    for cid in [c for c in ALL_IDS if not c.startswith(("BC", "X3"))]:
        assert f"\n{cid}\n" in text, cid
    assert not any(ch in text for ch in "✅❌⚠⛔⏳")


def test_docx_fonts_headers_and_footer(invoke, tmp_path):
    out = tmp_path / "a.docx"
    assert invoke("assess", SATREPS, "-f", "docx", "-o", out, "--lang", "en").exit_code == 0
    with zipfile.ZipFile(out) as z:
        styles = z.read("word/styles.xml").decode()
        document = z.read("word/document.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        fonts = z.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="Yu Mincho"' in styles and 'w:eastAsia="Yu Gothic"' in styles
    assert "MS Mincho" in fonts and "MS Gothic" in fonts
    assert "<w:tblHeader" in document
    assert "<w:br/>" in document  # partners on their own lines inside a cell
    assert " PAGE " in footer and " NUMPAGES " in footer and "mext-sti-international-2021@1" in footer
    d = docx.Document(str(out))
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


@pytest.mark.parametrize(
    "args",
    [
        ("assess", SATREPS),
        ("check", SATREPS),
        ("consolidate", CALL / "proposals/CALL26-JR-03.yaml", CALL / "reviews/CALL26-JR-03"),
        ("rank", CALL, "--fund", "3"),
        ("portfolio", CALL, "--programmes", EXAMPLES / "programmes-mext.yaml"),
    ],
)
def test_docx_for_every_report_command(invoke, tmp_path, args):
    out = tmp_path / "r.docx"
    result = invoke(*args, "-f", "docx", "-o", out, "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    assert zipfile.is_zipfile(out)
    assert headings(out)[0][0] == "Title"


def test_binary_formats_need_an_output_file(invoke, tmp_path):
    for args in (("assess", SATREPS), ("rank", CALL)):
        result = invoke(*args, "-f", "docx")
        assert result.exit_code == 2
        assert "-o FILE.docx" in result.stderr
    refused = invoke("assess", SATREPS, "-f", "xlsx", "-o", tmp_path / "a.xlsx")
    assert refused.exit_code == 2 and "terminal, markdown, json, html, docx" in refused.stderr
    assert not (tmp_path / "a.xlsx").exists()


def test_existing_output_is_kept_without_force(invoke, tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"mine")
    assert invoke("assess", SATREPS, "-f", "docx", "-o", out).exit_code == 2
    assert out.read_bytes() == b"mine"


def test_rank_xlsx_funding_line_ties_and_yen(invoke, tmp_path):
    out = tmp_path / "rank.xlsx"
    result = invoke("rank", CALL, "--fund", "3", "-f", "xlsx", "-o", out, "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["順位"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    head = [c.value for c in ws[1]]
    assert head[:4] == ["順位", "同点", "ID", "課題名"] and "申請額" in head
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows[:3]] == [1, 2, 3]
    status = head.index("状況")
    inside = "ライン内（採択候補）"
    assert [r[status] for r in rows[:3]] == [inside] * 3 and rows[3][status] != inside
    # the funding line: a thick line under the last funded row, and nowhere else
    assert ws.cell(row=4, column=1).border.bottom.style == "thick"
    assert ws.cell(row=5, column=1).border.bottom.style != "thick"
    budget = head.index("申請額") + 1
    cell = ws.cell(row=2, column=budget)
    assert isinstance(cell.value, int | float) and "¥" in cell.number_format
    assert any(r[1] == "=" for r in rows)  # tie marks
    ids = {r[2] for r in rows}
    assert len(ids) == 11 and "CALL26-JR-03" in ids
    raw = wb["評点（審査委員別）"]
    raw_head = [c.value for c in raw[1]]
    assert raw_head[:3] == ["ID", "審査委員", "役割"] and "A1" in raw_head and "JR7" in raw_head
    raw_rows = list(raw.iter_rows(min_row=2, values_only=True))
    assert len(raw_rows) >= 20
    assert any(isinstance(v, float) for v in raw_rows[0][3:])


def test_formula_looking_text_stays_text(tmp_path):
    from sti_review.report.xlsx import common as x

    wb = x.workbook()
    ws = wb.create_sheet("s")
    for i, text in enumerate(["=1+1", "+81 3", "-x", "@SUM(A1)", "普通\x07"], start=1):
        x.put(ws, i, 1, text)
    data = x.to_bytes(wb)
    back = openpyxl.load_workbook(io.BytesIO(data))["s"]
    assert [back.cell(row=i, column=1).value for i in range(1, 5)] == ["=1+1", "+81 3", "-x", "@SUM(A1)"]
    assert all(back.cell(row=i, column=1).data_type == "s" for i in range(1, 5))
    assert back.cell(row=5, column=1).value.startswith("普通")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


# --- hostile text, a missing extra, start-up cost ------------------------------------------

from tests.test_hostile_text import FORBIDDEN, files  # noqa: E402, F401  (the fixture)


def _all_text(path) -> str:
    if str(path).endswith(".docx"):
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_hostile_text_is_shown_not_obeyed(invoke, tmp_path, files, fmt):  # noqa: F811
    runs = [
        ("rank", files["call"], "--fund", "1"),
        ("consolidate", files["proposal"], files["r1"], files["r2"]),
        ("portfolio", files["call"], "--programmes", files["programmes"]),
    ]
    if fmt == "docx":
        runs += [("assess", files["proposal"], "--review", files["r1"]), ("check", files["proposal"])]
    for i, args in enumerate(runs):
        out = tmp_path / f"{i}.{fmt}"
        result = invoke(*args, "-f", fmt, "-o", out, "--lang", "en")
        assert result.exit_code in (0, 1), (args, result.stderr)
        text = _all_text(out)
        assert not FORBIDDEN.search(text), args
        assert "[bold]B" in text and "\\x1b[31mRED" in text, args  # literally, made visible
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(tmp_path / "0.xlsx")
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in cells)


def test_a_missing_office_extra_is_a_clear_message(invoke, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    result = invoke("assess", SATREPS, "-f", "docx", "-o", tmp_path / "a.docx")
    assert result.exit_code == 2
    assert "sti-review[office]" in result.stderr and "必要" in result.stderr
    assert not (tmp_path / "a.docx").exists()


def test_other_formats_do_not_import_the_office_libraries():
    import subprocess
    import sys

    code = (
        f"import sys\nsys.argv=['sti-review','assess',{str(SATREPS)!r},'-f','markdown','--no-input']\n"
        "from sti_review.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('LOADED=' + ','.join(m for m in ('docx','openpyxl','lxml') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stderr.rstrip().endswith("LOADED="), proc.stderr


def test_rank_docx_has_every_proposal_and_the_funding_line(invoke, tmp_path):
    out = tmp_path / "rank.docx"
    assert invoke("rank", CALL, "--fund", "3", "-f", "docx", "-o", out, "--lang", "ja").exit_code == 0
    d = docx.Document(str(out))
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    ids = [r[1] for r in rows[1:]]
    line = next(i for i, r in enumerate(rows) if "採択ライン" in r[0])
    assert line == 4  # under the third funded proposal
    assert all(r[-2] == "ライン内（採択候補）" for r in rows[1:4]) and rows[5][-2] == "ライン外"
    text = doc_text(out)
    for n in ("BC-01", "BC-02", "BC-03", "JR-01", "JR-02", "JR-03", "JR-04", "JR-05", "OT-01", "OT-02"):
        assert f"CALL26-{n}" in ids or f"CALL26-{n}" in text
    assert headings(out)[1][1].startswith("採択ライン：上位3件")


def test_consolidate_docx_and_xlsx_show_the_panel_outcome_and_raw_scores(invoke, tmp_path):
    args = ("consolidate", CALL / "proposals/CALL26-JR-03.yaml", CALL / "reviews/CALL26-JR-03")
    out = tmp_path / "c.docx"
    assert invoke(*args, "-f", "docx", "-o", out, "--lang", "ja").exit_code == 0
    assert headings(out)[1][1] == "パネルとしての判定結果: 条件付採択候補（確定）"
    assert "病院排水検体の採取" in doc_text(out)  # the condition, in full
    book = tmp_path / "c.xlsx"
    assert invoke(*args, "-f", "xlsx", "-o", book, "--lang", "en").exit_code == 0
    wb = openpyxl.load_workbook(book)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)}
    assert summary["Panel outcome"].startswith("conditional")
    crit = wb["Panel consolidation"]
    assert [r[0] for r in crit.iter_rows(min_row=2, values_only=True)][:3] == ["A1", "A2", "A3"]
    raw = list(wb["Scores by reviewer"].iter_rows(values_only=True))
    assert raw[0][:3] == ("Reviewer", "role", "A1") and len(raw) >= 4
    assert isinstance(raw[1][2], float | int)


def test_portfolio_xlsx_matrix_with_gaps_shaded(invoke, tmp_path):
    out = tmp_path / "p.xlsx"
    result = invoke(
        "portfolio", CALL, "--programmes", EXAMPLES / "programmes-mext.yaml", "-f", "xlsx", "-o", out
    )
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 4
    matrix = wb[wb.sheetnames[1]]
    gaps = [c for row in matrix.iter_rows(min_row=2) for c in row[1:] if c.value == "—"]
    assert gaps and all(c.fill.start_color.rgb.endswith("F8CBAD") for c in gaps)
