"""The breaker inside rich: table cells at 60, 80 and 120 columns keep 禁則 and whole tokens."""

from __future__ import annotations

import io

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sti_review.text.linebreak import NO_END, NO_START, min_width, text_width
from sti_review.text.richwrap import JapaneseText, wrapped_text

COMMENTS = [
    "タイの防災法（2007年）では警報の発令権限は県知事・DDPMにあり、研究チームが発令主体となることはない。",
    "「ビジネスと人権」に関する行動計画（2020年）や国連指導原則に沿った人権デュー・ディリジェンスも求められる。",
    "リスク領域（export_control）について、輸出管理の事前確認（2026-11-28まで）を条件とする。",
    "評点尺度：0〜5（0.5刻み）。申請額は4億5000万円（400,000千円の上限内）、達成率は87.5%。",
    "Partner: Chulalongkorn University; 相手国の研究機関と early-warning system を共同で構築する。",
]
TOKENS = [
    "2007年",
    "2020年",
    "export_control",
    "2026-11-28",
    "0.5",
    "4億5000万円",
    "400,000千円",
    "87.5%",
    "Chulalongkorn",
    "early-warning",
    "CALL26-JR-05",
    "A.strategic_tech",
]


def _render(table: Table, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, highlight=False, record=True)
    console.print(table)
    return console.export_text()


def _table(with_title: bool = True) -> Table:
    # rich's collapse of a too-wide table ignores measured minimums, so a column holding tokens
    # says how narrow it may go: min_width of its cells (the report integrator does the same).
    table = Table(box=box.ASCII, show_header=True)
    table.add_column("ID", no_wrap=True)
    if with_title:
        table.add_column("観点")
    table.add_column("評点", no_wrap=True, justify="right")
    table.add_column("コメント", min_width=max(min_width(c) for c in COMMENTS))
    for n, comment in enumerate(COMMENTS):
        crit = "A.strategic_tech" if n % 2 else "CALL26-JR-05"
        title = [JapaneseText("科学技術外交への貢献（相手国との関係強化）")] if with_title else []
        table.add_row(crit, *title, "4.5", JapaneseText(comment))
    return table


def _cell_lines(output: str) -> list[list[str]]:
    rows = []
    for line in output.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize(("width", "with_title"), [(60, False), (80, True), (120, True)])
def test_table_cells_obey_kinsoku_and_keep_tokens_whole(width: int, with_title: bool) -> None:
    # At 60 columns the title column does not fit beside a comment holding 18-cell tokens: that is
    # where reports switch to a stacked layout, not this module's business.
    output = _render(_table(with_title), width)
    rows = _cell_lines(output)
    assert rows, output
    for line in output.splitlines():
        assert cell_len(line) <= width
    for row in rows:
        for cell in row:
            if cell:
                assert cell[0] not in NO_START, (cell, output)
                assert cell[-1] not in NO_END, (cell, output)
    flat = "\n".join("|".join(r) for r in rows)
    for token in TOKENS:
        assert token in flat, (token, output)
    # ids and scores are never cut
    assert "…" not in output


def test_cells_read_back_as_the_comment() -> None:
    output = _render(_table(), 80)
    rows = _cell_lines(output)
    comment_text = "".join(r[3] for r in rows[1:] if len(r) == 4)
    for comment in COMMENTS:
        assert comment.replace(" ", "") in comment_text.replace(" ", "")


def test_wrapped_text_keeps_styles_and_breaks_lines() -> None:
    source = Text("審査委員の所見：")
    source.append("条件付採択候補", style="bold")
    source.append("（輸出管理の確認後）")
    text = wrapped_text(source, 16)
    assert text.plain.split("\n") == ["審査委員の", "所見：条件付採択", "候補（輸出管理の", "確認後）"]
    bold = [text.plain[s.start : s.end] for s in text.spans if s.style == "bold"]
    assert "".join(bold).replace("\n", "") == "条件付採択候補"


def test_wrapped_text_from_str_with_style() -> None:
    text = wrapped_text("The quick brown fox", 10, style="cyan")
    assert text.plain == "The quick\nbrown fox"
    assert str(text.style) == "cyan"


def test_measure_gives_the_widest_unbreakable_piece() -> None:
    console = Console(width=80, file=io.StringIO())
    m = console.measure(JapaneseText("識別子 CALL26-JR-05 の観点"))
    assert m.minimum == len("CALL26-JR-05")
    assert m.maximum == text_width("識別子 CALL26-JR-05 の観点")


def test_our_width_agrees_with_rich() -> None:
    sample = "".join(COMMENTS) + "ｱｲｳｴｵ｡､ーabcＡＢＣ０１２é"
    for ch in set(sample):
        assert text_width(ch) == cell_len(ch), ch


def test_tabs_and_empty_text() -> None:
    assert wrapped_text("", 10).plain == ""
    assert "\t" not in wrapped_text("a\tb", 20).plain
    assert str(JapaneseText("審査")) == "審査"
