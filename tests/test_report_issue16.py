"""Issue 16, round 3: reports of a call name the call, label their numbers and speak words.

The title names the call (its folder), never a path; tie-break values carry their tie-breaker's
short name; portfolio cells never read as decimals ("4·7"); regions are words of the report's
language (codes beside them); the ranking chart has a phone layout whose text stays readable.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from sti_review.portfolio import build_map, programme_item, read_portfolio
from sti_review.ranking import rank_call
from sti_review.report import Format
from sti_review.report.html import svg
from sti_review.report.registry import render
from sti_review.report.views import PortfolioView, RankingView

from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"


@cache
def _ranking():  # type: ignore[no-untyped-def]
    return rank_call(CALL, fund=5)


@cache
def _portfolio(lang: str = "ja"):  # type: ignore[no-untyped-def]
    data = read_portfolio(CALL, EXAMPLES / "programmes-mext.yaml")
    items = [programme_item(p, lang, data.rubric) for p in data.programmes]
    return build_map(data.rubric, items, data.proposals)


def _draw(view, fmt: str, lang: str) -> str:  # type: ignore[no-untyped-def]
    return render(view, Format(fmt), lang=lang, width=200).decode("utf-8")


@pytest.mark.parametrize("fmt", ["html", "markdown", "terminal"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ranking_title_names_the_call_not_a_path(fmt, lang):
    out = _draw(RankingView(_ranking()), fmt, lang)
    first = next(line for line in out.splitlines() if "call-2026" in line)
    assert "call-2026" in first
    assert str(CALL.parent) not in out


@pytest.mark.parametrize("fmt", ["html", "markdown", "terminal"])
def test_tie_break_values_are_labelled(fmt):
    out = _draw(RankingView(_ranking()), fmt, "ja")
    # CALL26-BC-01 (brain circulation): its weighted section is A, then B, A, C
    assert re.search(r"重点A\s*4\.75", out), out[:2000]
    assert "4.75 · 4 · 4.75" not in out
    en = _draw(RankingView(_ranking()), fmt, "en")
    assert re.search(r"wtd A\s*4\.75", en)


@pytest.mark.parametrize("fmt", ["html", "markdown", "terminal", "docx"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_portfolio_cells_never_read_as_decimals(fmt, lang):
    view = PortfolioView(_portfolio(lang))
    if fmt == "docx":
        pytest.importorskip("docx")
        import io

        import docx

        doc = docx.Document(io.BytesIO(render(view, Format.docx, lang=lang)))
        out = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    else:
        out = _draw(view, fmt, lang)
    assert not re.search(r"\d·\d|\s·\d", out)
    assert ("提案" if lang == "ja" else "prop.") in out


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_portfolio_regions_are_words_of_the_reports_language(fmt):
    ja = _draw(PortfolioView(_portfolio()), fmt, "ja")
    assert "東南アジア (SEA)" in ja
    en = _draw(PortfolioView(_portfolio("en")), fmt, "en")
    assert re.search(r"Southeast Asia \(SEA\)|South-East Asia \(SEA\)", en), en[:3000]


def test_ranking_chart_has_a_phone_layout_with_text_of_11_px_or_more():
    rows = [
        svg.RankRow(str(i), f"CALL26-JR-{i:02}", "長い課題名" * 10, 90 - i, f"{90 - i}", i < 3, i == 3)
        for i in range(8)
    ]
    kw = {"line_after": 2, "title": "t", "line_label": "採択ライン", "zone_label": "z", "axis_label": "%"}
    narrow = svg.ranking_chart(rows, narrow=True, **kw)
    wide = svg.ranking_chart(rows, **kw)
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', narrow).group(1))
    assert width <= 370  # drawn about 1:1 in a phone's 390 px
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', narrow)]
    assert min(sizes) >= 11
    # wide: drawn about 1:1 on A4 (703 px), so 11 px prints at 8.25 pt
    assert float(re.search(r'viewBox="0 0 ([\d.]+)', wide).group(1)) <= 703
    assert min(float(s) for s in re.findall(r'font-size="([\d.]+)"', wide)) >= 11
    assert "CALL26-JR-07" in narrow  # identities drawn, not only in hover titles


def test_wide_heat_map_grows_its_text_so_it_prints_at_8_pt():
    cols = [f"R{i}" for i in range(12)]
    heat = svg.Heat(
        rows=["A.quality"],
        row_tooltips=["A.quality"],
        columns=cols,
        column_tooltips=cols,
        cells=[[svg.HeatCell(level=1, text="4", sub="提案7") for _ in cols]],
    )
    out = svg.heat_table(heat, title="t", gap_label="gap")
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', out).group(1))
    smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)"', out))
    assert smallest * svg.PRINT_WIDTH / width * 0.75 >= 8
    assert "提案7" in out


def test_terminal_reports_lead_with_the_decision(invoke, examples):
    """On the terminal too the outcome, its reasons and the total come before the detail; for a
    panel, the split and the open disagreements in the reviewers' words (issue 16 item 1)."""
    res = invoke(
        "assess",
        examples / "satreps-flood-ews-th.yaml",
        "--review",
        examples / "satreps-flood-ews-th.review.yaml",
        "--lang",
        "en",
        env={"COLUMNS": "80"},
    )
    out = res.stdout
    assert out.index("Outcome:") < out.index("Section score") < out.index("Totals")
    assert out.count("Outcome:") == 1
    call = examples / "call-2026"
    reviews = sorted((call / "reviews" / "CALL26-JR-05").glob("*.yaml"))
    res = invoke(
        "consolidate",
        call / "proposals" / "CALL26-JR-05.yaml",
        *reviews,
        "--lang",
        "ja",
        env={"COLUMNS": "80"},
    )
    out = res.stdout
    top = out.index("パネルとしての判定結果")
    assert (
        top
        < out.index("審査委員の判断の分かれ方")
        < out.index("未解決の意見の相違")
        < out.index("評点の分布")
    )
    assert "不適 1名（R2）" in out[top : out.index("評点の分布")]
    assert out.count("パネルとしての判定結果") == 1
    # the open disagreement is not repeated in the disagreements box
    assert "冒頭の判定欄" in out


def test_the_panel_grid_prints_on_landscape_a4(invoke, examples):
    """Portrait A4 left criterion names two characters wide beside the 8-pt dot plot."""
    call = examples / "call-2026"
    res = invoke(
        "consolidate",
        call / "proposals" / "CALL26-JR-05.yaml",
        call / "reviews" / "CALL26-JR-05",
        "-f",
        "html",
    )
    assert "@page spread { size: A4 landscape; }" in res.stdout and "table.spread" in res.stdout
    res = invoke("rank", call, "-f", "html")
    assert "<body>" in res.stdout  # other reports stay portrait


def test_terminal_lead_bullets_hang(invoke, examples):
    """A wrapped reason or voice in the decision box continues under its text, not at the edge."""
    call = examples / "call-2026"
    res = invoke(
        "consolidate",
        call / "proposals" / "CALL26-JR-05.yaml",
        call / "reviews" / "CALL26-JR-05",
        "--lang",
        "ja",
        env={"COLUMNS": "80"},
    )
    box = res.stdout[: res.stdout.index("┗")].splitlines()
    at = next(i for i, line in enumerate(box) if "条件付き適 2名（R1、" in line)
    assert box[at + 1].startswith("┃   R3）")
    voice = next(i for i, line in enumerate(box) if line.startswith("┃   R2 林 直樹"))
    assert box[voice + 1].startswith("┃   ") and not box[voice + 1].startswith("┃   R")
