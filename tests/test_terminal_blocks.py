"""The terminal report's plain writer (report/terminal/blocks.py) draws what rich draws, to the
byte, or declines and leaves the report to rich (issue 17: ``assess`` without colour no longer
imports rich)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import box as rich_box
from rich.cells import cell_len, get_character_cell_size

from sti_review.api import open_job
from sti_review.report.terminal import assessment as report
from sti_review.report.terminal import blocks
from sti_review.report.terminal.console import capture
from sti_review.text.linebreak import cell_width, text_width

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAIRS = [
    ("satreps-flood-ews-th.yaml", "satreps-flood-ews-th.review.yaml"),
    ("satreps-flood-ews-th.yaml", "satreps-flood-ews-th.partial.review.yaml"),
    ("bc-quantum-mobility-de.yaml", "bc-quantum-mobility-de.review.yaml"),
    ("jr-border-surveillance-ai.yaml", "jr-border-surveillance-ai.review.yaml"),
    ("other-ocean-data-ph.yaml", "other-ocean-data-ph.review.yaml"),
]


def rich_drawn(items: list[blocks.Block], width: int) -> str:
    """What rich prints for the same blocks (the colour path, without colour)."""

    def draw(console):  # type: ignore[no-untyped-def]
        for item in items:
            console.print(blocks.to_rich(item))

    return capture(draw, width=width).decode("utf-8")


@pytest.fixture(scope="module")
def assessments():  # type: ignore[no-untyped-def]
    out = []
    for proposal, review in PAIRS:
        job = open_job(str(EXAMPLES / proposal), str(EXAMPLES / review), None)
        out.append((proposal, job.assessment(), job.findings))
    return out


def test_every_character_the_writer_measures_is_as_wide_as_rich_counts_it():
    for low, high in blocks._SAFE_RANGES:
        for code in range(low, high + 1):
            ch = chr(code)
            assert cell_width(ch) == get_character_cell_size(ch) >= 1, hex(code)
    sample = "提案書の評価（2026年度）：ＳＡＴＲＥＰＳ — “quoted” • ✓ ✗ ×1.5 ≥ 70 █░┃ ｶﾀｶﾅ"
    assert text_width(sample) == cell_len(sample)


@pytest.mark.parametrize("name", sorted(blocks.BOXES))
def test_the_boxes_are_richs(name):
    assert blocks.BOXES[name] == str(getattr(rich_box, name.upper()))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_shipped_examples_are_drawn_as_rich_draws_them_at_every_width(assessments, lang):
    drawn = declined = 0
    for name, assessment, findings in assessments:
        for with_findings in (findings, None):
            items = report.renderables(assessment, lang, with_findings)
            for width in range(24, 200, 7):
                plain = blocks.draw(items, width)
                if plain is None:
                    declined += 1
                    continue
                drawn += 1
                assert plain == rich_drawn(items, width), (name, lang, width)
    # the writer does the work at every usual width; it declines only where rich must squeeze a
    # table below one cell a column
    assert drawn > 10 * declined


def test_the_report_is_the_same_with_and_without_colour_codes_stripped(assessments):
    """The command's report without colour (the writer) is rich's report."""
    _, assessment, findings = assessments[0]
    from sti_review.report.views import AssessmentView

    view = AssessmentView(assessment, findings)
    for width in (60, 80, 100, 132):
        assert report.render(view, lang="ja", width=width) == rich_drawn(
            report.renderables(assessment, "ja", findings), width
        ).encode("utf-8")


_WORDS = st.sampled_from(
    [
        "研究力の強化",
        "国際共同研究",
        "（2026年度）",
        "、",
        "。",
        "ＳＡＴＲＥＰＳ",
        "data",
        "CALL26-JR-05",
        "a",
        "verylongtokenwithoutanyspacesatall",
        "400,000円",
        " ",
        "  ",
        "\n",
        "• ",
        "—",
        "✓",
        "ｶﾀｶﾅ",
        "×1.5",
    ]
)
_TEXT = st.lists(_WORDS, max_size=14).map("".join)
_STYLE = st.sampled_from(["", "bold", "dim", "cyan", "bold red"])


@st.composite
def _text(draw):  # type: ignore[no-untyped-def]
    out = blocks.Text(draw(_TEXT), draw(_STYLE), no_wrap=draw(st.sampled_from([None, True])))
    for _ in range(draw(st.integers(0, 2))):
        out.append(draw(_TEXT), draw(_STYLE))
    return out


@st.composite
def _cell(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["text", "japanese", "hanging", "str"]))
    if kind == "str":
        return draw(_TEXT)
    text = draw(_text())
    return {"text": text, "japanese": blocks.Japanese(text), "hanging": blocks.Hanging(text)}[kind]


@st.composite
def _table(draw):  # type: ignore[no-untyped-def]
    if draw(st.booleans()):
        table = blocks.Table.grid(padding=(0, draw(st.integers(0, 2))))
    else:
        table = blocks.Table(
            title=draw(st.one_of(st.none(), _text())),
            box=draw(st.sampled_from(["simple_head", "rounded", "heavy"])),
            expand=draw(st.booleans()),
            show_edge=draw(st.booleans()),
            show_header=draw(st.booleans()),
        )
    for _ in range(draw(st.integers(1, 4))):
        table.add_column(
            draw(_TEXT),
            justify=draw(st.sampled_from(["left", "right"])),
            no_wrap=draw(st.booleans()),
            overflow=draw(st.sampled_from(["fold", "ellipsis"])),
            ratio=draw(st.one_of(st.none(), st.integers(1, 4))),
            min_width=draw(st.one_of(st.none(), st.integers(1, 12))),
        )
    for _ in range(draw(st.integers(0, 4))):
        table.add_row(*(draw(_cell()) for _ in table.columns))
    return table


@st.composite
def _block(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["cell", "table", "panel", "padding", "group"]))
    if kind == "cell":
        return draw(_cell())
    if kind == "table":
        return draw(_table())
    if kind == "padding":
        return blocks.Padding(draw(_cell()), draw(st.integers(0, 6)))
    body = blocks.Group(*(draw(st.one_of(_cell(), _table())) for _ in range(draw(st.integers(0, 3)))))
    if kind == "group":
        return body
    return blocks.Panel(
        body,
        title=draw(st.one_of(st.none(), _text())),
        box=draw(st.sampled_from(["rounded", "heavy"])),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_block(), min_size=1, max_size=3), width=st.integers(1, 140))
def test_random_blocks_are_drawn_as_rich_draws_them_or_left_to_rich(items, width):
    plain = blocks.draw(items, width)
    if plain is not None:
        assert plain == rich_drawn(items, width)


@pytest.mark.parametrize(
    "text",
    [
        "tab\there",  # rich expands tabs its own way
        "emoji 😀 here",  # outside the ranges measured as rich measures them
        "e\u0301",  # a combining accent
    ],
)
def test_what_the_writer_cannot_draw_exactly_is_left_to_rich(text):
    items = [blocks.Panel(blocks.Group(blocks.Hanging(blocks.Text(text))), title=blocks.Text("t"))]
    assert blocks.draw(items, 60) is None


@pytest.mark.parametrize("text", ["[bold]markup[/bold]", ":smile:"])
def test_plain_strings_with_markup_are_left_to_rich(text):
    table = blocks.Table.grid()
    table.add_column()
    table.add_row(text)
    assert blocks.draw([table], 60) is None


PROBE = """
import sys
sys.argv = {argv!r}
from sti_review.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write('RICH=' + str('rich' in sys.modules) + '\\n')
"""


@pytest.mark.parametrize(("extra_env", "loaded"), [({}, False), ({"FORCE_COLOR": "1"}, True)])
def test_assess_on_a_redirected_stdout_does_not_import_rich(tmp_path, extra_env, loaded):
    argv = ["sti-review", "assess", str(EXAMPLES / "satreps-flood-ews-th.yaml"), "--lang", "ja"]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update({"COLUMNS": "80", **extra_env})
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert f"RICH={loaded}" in proc.stderr, proc.stderr
    assert "提案" in proc.stdout or "評価" in proc.stdout
    shown = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)  # FORCE_COLOR: rich's colours
    assert max(text_width(line) for line in shown.splitlines()) <= 80


@pytest.mark.parametrize(
    "env",
    [
        {"COLUMNS": "77"},
        {"COLUMNS": "abc"},
        {},
        {"COLUMNS": "0"},
        {"FORCE_COLOR": "1", "COLUMNS": "90"},
        {"TTY_COMPATIBLE": "0"},
        {"TTY_COMPATIBLE": "1", "COLUMNS": "100"},
    ],
)
def test_the_screen_is_measured_as_rich_measures_it(monkeypatch, env):
    from rich.console import Console

    from sti_review import cli

    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    console = Console(highlight=False, emoji=False)
    assert cli._screen() == (console.width, console.is_terminal)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_check_reports_are_drawn_as_rich_draws_them(lang):
    from sti_review.api import check_proposal
    from sti_review.report.terminal import findings as check_report
    from sti_review.rubric import load_rubric

    results = [check_proposal(EXAMPLES / name) for name, _ in PAIRS[::2]]
    results += [check_proposal(p) for p in sorted((EXAMPLES / "call-2026" / "proposals").glob("*.yaml"))[:4]]
    rubric = load_rubric(None)
    invalid = [("broken.yaml", [])]
    for strict in (False, True):
        items = check_report.renderables(results, invalid, rubric, lang, strict)
        for width in (40, 61, 80, 100, 133):
            plain = blocks.draw(items, width)
            assert plain is not None
            assert plain == rich_drawn(items, width), (lang, width)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_rubric_is_drawn_as_rich_draws_it(lang):
    from sti_review.report.terminal import rubric as rubric_report
    from sti_review.rubric import load_rubric

    rubric = load_rubric(None)
    pages = [rubric_report.tree(rubric, lang)]
    pages += [rubric_report.criterion(rubric, c, lang) for s in rubric.sections for c in s.criteria]
    for items in pages:
        for width in (40, 80, 117):
            plain = blocks.draw(items, width)
            assert plain is not None
            assert plain == rich_drawn(items, width), (lang, width)
