"""The HTML reports (`--format html`): one self-contained, well-formed page per report, every
section and criterion present, charts as SVG that parse as XML, and user text that can never
become markup, script or a template expression."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sti_review.report import Format
from sti_review.report.html import svg

from .calls import RUBRIC_REF, SECTIONS
from .conftest import DATA, EXAMPLE_OUTCOMES, EXAMPLES

CALL = EXAMPLES / "call-2026"
JR03 = CALL / "proposals/CALL26-JR-03.yaml"
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"

VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}
# Every element a report may contain: anything else in the output came from user text.
ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "footer", "section", "div", "figure"}
ALLOWED |= {"figcaption", "h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED |= {"span", "strong", "br", "svg", "desc", "g", "rect", "circle", "line", "polygon", "text", "tspan"}
ALLOWED |= {"caption", "polyline", "path"}
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]>",
    "{{ 7*7 }}",
    "{% raw %}",
    "[bold]",
    "\x1b[31m",
]
HOSTILE_TEXT = " ".join(HOSTILE) + " 日本語"
SHOWN = HOSTILE_TEXT.replace("\x1b", "\\x1b")  # control characters are made visible


class Page(HTMLParser):
    """Parses a page, checking that every element is closed in order; keeps the text, the
    tags, the attributes and the ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.ids: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.lang: str | None = None

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.append((name, value or ""))
            if name == "id" and value:
                assert value not in self.ids, f"duplicate id {value}"
                self.ids.add(value)
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, f"unclosed: {parser.stack}"
    return parser


def svgs(page: str) -> list[ET.Element]:
    """Every inline chart, parsed as XML (which fails on anything not well-formed)."""
    return [ET.fromstring(block) for block in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def assert_self_contained(page: str, parsed: Page) -> None:
    lowered = page.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered and "<iframe" not in lowered and "<object" not in lowered
    assert "url(" not in lowered and "@import" not in lowered
    for name, value in parsed.attrs:
        assert name not in ("src", "href", "srcset", "action") and not name.startswith("on"), (name, value)
        assert "://" not in value, (name, value)
    assert parsed.tags <= ALLOWED, parsed.tags - ALLOWED
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # nothing may load, even if something slipped through


def assert_page(page: str, lang: str) -> Page:
    parsed = parse(page)
    assert parsed.lang == lang
    assert_self_contained(page, parsed)
    for chart in svgs(page):
        if chart.get("aria-hidden") == "true" and "icon" in chart.get("class", ""):
            continue  # a drawn icon beside the words it stands for
        assert chart.get("role") == "img"
        assert chart.find("title") is not None and (chart.find("title").text or "").strip()
    return parsed


def html_of(invoke, *args: object, lang: str = "ja", code: int = 0) -> str:
    result = invoke(*args, "-f", "html", "--lang", lang)
    assert result.exit_code == code, result.stderr
    return result.stdout


# --- one proposal ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(EXAMPLE_OUTCOMES))
def test_assessment_page_has_every_section_and_criterion(invoke, name, lang):
    page = html_of(invoke, "assess", EXAMPLES / f"{name}.yaml", lang=lang)
    parsed = assert_page(page, lang)
    programme = re.search(r"^programme: (\w+)", (EXAMPLES / f"{name}.yaml").read_text("utf-8"), re.M)
    extra = {"joint_research": "JR", "brain_circulation": "BC"}.get(programme.group(1) if programme else "")
    sections = ["A", "B", "C", "X", *([extra] if extra else [])]
    for s in sections:
        assert f"section-{s}" in parsed.ids
        for cid in SECTIONS[s]:
            assert f"criterion-{cid}" in parsed.ids
    assert {"criterion-A2", "criterion-X7", "outcome", "glance", "totals", "findings"} <= parsed.ids
    charts = svgs(page)
    assert not [c for c in charts if "radar" in c.get("class", "")]  # the bars say it once
    bars = next(c for c in charts if "bars" in c.get("class", "").split())
    labels = "".join(bars.itertext())
    for s in sections:
        assert s in labels
    badges = next(c for c in charts if "badges" in c.get("class", ""))
    assert "A2" in "".join(badges.itertext()) and "X7" in "".join(badges.itertext())


def test_assessment_page_words_follow_the_language(invoke):
    ja = parse(html_of(invoke, "assess", EXAMPLES / "satreps-flood-ews-th.yaml", lang="ja")).all_text
    en = parse(html_of(invoke, "assess", EXAMPLES / "satreps-flood-ews-th.yaml", lang="en")).all_text
    assert "判定結果: 採択候補" in ja and "大項目の評点" in ja
    assert "Outcome: pass" in en and "Section score" in en
    title = "タイ・チャオプラヤ川流域における自治体協働型洪水早期警戒システムの開発と社会実装"
    assert title in ja and title in en  # what applicants wrote is shown as written


def test_outcomes_and_gates_are_shown(invoke):
    page = html_of(invoke, "assess", EXAMPLES / "jr-border-surveillance-ai.yaml", lang="en")
    assert 'class="outcome failed"' in page
    assert "Outcome: gate failed" in parse(page).all_text
    badges = next(c for c in svgs(page) if "badges" in c.get("class", ""))
    assert "fail" in "".join(badges.itertext())
    conditional = html_of(invoke, "assess", EXAMPLES / "bc-quantum-mobility-de.yaml", lang="ja")
    assert "該非判定" in parse(conditional).all_text  # the conditions are listed


def test_incomplete_review_still_gives_a_page(invoke):
    result = invoke(
        "assess",
        EXAMPLES / "satreps-flood-ews-th.yaml",
        "--review",
        EXAMPLES / "satreps-flood-ews-th.partial.review.yaml",
        "--no-input",
        "-f",
        "html",
        "--lang",
        "en",
    )
    assert result.exit_code == 3
    parsed = assert_page(result.stdout, "en")
    # the unanswered criteria are named once, in the decision at the top (not again at the end)
    assert "missing" not in parsed.ids and "C1" in parsed.all_text


def test_a_section_all_na_is_left_out_of_the_bars(invoke):
    page = html_of(
        invoke,
        "assess",
        DATA / "proposal-en-brain-circulation.yaml",
        "--review",
        DATA / "review-en-brain-circulation.yaml",
        lang="en",
    )
    parsed = assert_page(page, "en")
    assert "left out of the thresholds" in parsed.all_text
    bars = next(c for c in svgs(page) if "bars" in c.get("class", "").split())
    # a score bar (with its title) per scored section only: A, C, X, BC; B is all N/A
    assert len([r for r in bars.iter("rect") if r.find("title") is not None]) == 4


# --- a panel, a call, the portfolio map, the pre-checks ---------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_panel_page_has_a_dot_per_reviewer_and_highlights_disagreement(invoke, lang):
    page = html_of(invoke, "consolidate", JR03, CALL / "reviews/CALL26-JR-03", lang=lang)
    parsed = assert_page(page, lang)
    # the example call is assessed on its own rubric (call.yaml): the MEXT sections plus P
    sections = {**SECTIONS, "P": ["P1", "P2", "P3", "P4"]}
    for s in ("A", "B", "C", "X", "JR", "P"):
        assert f"spread-{s}" in parsed.ids and f"section-{s}" not in parsed.ids  # listed once
        for cid in sections[s]:
            assert f"spread-{cid}" in parsed.ids and f"criterion-{cid}" not in parsed.ids
    strips = [c for c in svgs(page) if "strip" in c.get("class", "").split()]
    scored = sum(len(sections[s]) for s in ("A", "B", "C", "X", "JR", "P"))
    assert len(strips) == scored
    for strip in strips:
        assert len(list(strip.iter("circle"))) == 3  # three reviewers, three dots
    disagreeing = [s for s in strips if "disagreement" in s.get("class", "")]
    assert [s.find("title").text for s in disagreeing] == ["B3 の評点" if lang == "ja" else "B3: scores"]
    assert re.search(r'<tr id="spread-B3" class="disagreement">', page)
    assert "disagreement-X7" in parsed.ids  # gate verdicts differ
    assert "山田 花子" in parsed.all_text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ranking_page_has_the_funding_line_and_border_zone(invoke, lang):
    page = html_of(invoke, "rank", CALL, "--fund", "5", lang=lang)
    parsed = assert_page(page, lang)
    ids = sorted(p.stem for p in (CALL / "proposals").glob("*.yaml"))
    for pid in ids:
        assert f"proposal-{pid}" in parsed.ids
    chart = next(c for c in svgs(page) if "ranking" in c.get("class", ""))
    words = "".join(chart.itertext())
    assert ("採択ライン" if lang == "ja" else "funding line") in words
    assert ("境界域" if lang == "ja" else "border zone") in words
    assert len(list(chart.iter("circle"))) == 8  # the eight eligible proposals
    order = [
        m.group(1) for m in re.finditer(r'<tr id="proposal-([\w-]+)" class="(?:funded|not_funded)', page)
    ]
    line = page.index('<tr class="line">')
    assert page.index('id="proposal-CALL26-JR-04"') < line < page.index('id="proposal-CALL26-BC-02"')
    assert order[:2] == ["CALL26-BC-01", "CALL26-JR-01"]
    assert len(re.findall(r"<tr [^>]*class=\"[^\"]*border-zone", page)) == 2


def test_ranking_by_budget(invoke):
    page = html_of(invoke, "rank", CALL, "--budget", "600,000,000", lang="ja")
    parsed = assert_page(page, "ja")
    line = "採択ライン：予算総額 6億円（ライン内4件、申請額計 5億7,200万円、残額 2,800万円）"
    assert line in parsed.all_text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_portfolio_page_has_two_heat_tables(invoke, lang):
    page = html_of(invoke, "portfolio", CALL, "--programmes", PROGRAMMES, lang=lang)
    parsed = assert_page(page, lang)
    heats = [c for c in svgs(page) if "heat" in c.get("class", "")]
    assert len(heats) == 2
    from sti_review.rubric import load_rubric

    rubric = load_rubric()
    objectives = list(rubric.objectives)
    assert len(objectives) == 16
    for heat in heats:
        text = "".join(heat.itertext())
        for obj in objectives:  # every objective labelled in words, not by its id
            assert rubric.objectives[obj].title(lang) in text
            assert obj not in text
        assert ("不足" if lang == "ja" else "gap") in text
    assert "⚠" in "".join(heats[0].itertext())  # overlaps are marked
    assert {"matrix-career_stage", "matrix-region", "programmes"} <= parsed.ids
    assert "SATREPS" in parsed.all_text


def test_portfolio_of_proposals_only(invoke):
    page = html_of(invoke, "portfolio", CALL, lang="en")
    assert len([c for c in svgs(page) if "heat" in c.get("class", "")]) == 2
    assert_page(page, "en")


def test_check_page(invoke):
    result = invoke(
        "check",
        DATA / "checks/gaps-ja-joint-research.yaml",
        DATA / "checks/complete-en-brain-circulation.yaml",
        "-f",
        "html",
        "--lang",
        "ja",
    )
    assert result.exit_code == 1
    parsed = assert_page(result.stdout, "ja")
    assert "事前チェックの結果" in parsed.all_text and "エラー" in parsed.all_text


# --- untrusted text --------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_proposal(pid: str = "HOST-1") -> str:
    h = _q(HOSTILE_TEXT)
    return f"""id: {pid}
title: {h}
programme: joint_research
summary: {h}
lead: {{name: {h}, institution: {h}}}
partners:
  - {{country: TH, institution: {h}}}
objectives: [A.quality, B.sdgs]
kpis:
  - {{objective: A.quality, indicator: {h}, target: {h}}}
team:
  - {{name: {h}, role: {h}, career_stage: postdoc, discipline: natural_sciences}}
sections:
  A1: {h}
"""


def hostile_review(pid: str = "HOST-1", reviewer: str = HOSTILE_TEXT, low: float = 4) -> str:
    h = _q(HOSTILE_TEXT)
    lines = [f"proposal: {pid}", f"reviewer: {_q(reviewer)}", f"rubric: {RUBRIC_REF}", "answers:"]
    for sec in ("A", "B", "C", "X", "JR"):
        for cid in SECTIONS[sec]:
            score = low if cid == "B3" else 4
            lines.append(f"  {cid}: {{score: {score:g}, comment: {h}}}")
    lines.append(f"  A2: {{verdict: conditional, conditions: [{h}], comment: {h}}}")
    lines.append(f"  X7: {{verdict: pass, comment: {h}}}")
    return "\n".join(lines) + "\n"


def assert_hostile_is_text(page: str, lang: str) -> None:
    parsed = assert_page(page, lang)
    assert "]]>" not in page
    assert "<img" not in page.lower() and "onerror=alert(1)>" not in page
    assert "\x1b" not in page
    assert SHOWN in parsed.all_text or any(SHOWN in t for t in parsed.text)
    for chart in svgs(page):
        for el in chart.iter():
            for value in el.attrib.values():
                assert "<" not in value and "\x1b" not in value


@pytest.fixture
def hostile_call(tmp_path: Path) -> Path:
    root = tmp_path / "call"
    (root / "proposals").mkdir(parents=True)
    (root / "reviews/HOST-1").mkdir(parents=True)
    (root / "proposals/HOST-1.yaml").write_text(hostile_proposal(), "utf-8")
    (root / "reviews/HOST-1/a.yaml").write_text(hostile_review(reviewer=HOSTILE_TEXT + " 1", low=1), "utf-8")
    (root / "reviews/HOST-1/b.yaml").write_text(
        hostile_review(reviewer=HOSTILE_TEXT + " 2", low=4.5), "utf-8"
    )
    return root


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hostile_text_in_the_assessment_is_escaped(invoke, tmp_path, lang):
    (tmp_path / "p.yaml").write_text(hostile_proposal(), "utf-8")
    (tmp_path / "p.review.yaml").write_text(hostile_review(), "utf-8")
    page = html_of(invoke, "assess", tmp_path / "p.yaml", lang=lang)
    assert_hostile_is_text(page, lang)
    assert "{{ 7*7 }}" in page and "{% raw %}" in page and "[bold]" in page  # shown, never evaluated


def test_hostile_fixture_files_are_escaped(invoke):
    page = html_of(
        invoke, "assess", DATA / "proposal-hostile.yaml", "-r", DATA / "review-hostile.yaml", lang="en"
    )
    parsed = assert_page(page, "en")
    assert "<script>steal()</script>" in parsed.all_text
    assert "Reviewer | <img src=x onerror=alert(1)>" in parsed.all_text
    assert "\x1b" not in page and "\\x1b[31m" in parsed.all_text


def test_hostile_text_in_a_panel_a_ranking_and_a_map_is_escaped(invoke, hostile_call, tmp_path):
    proposal = hostile_call / "proposals/HOST-1.yaml"
    panel = html_of(invoke, "consolidate", proposal, hostile_call / "reviews/HOST-1", lang="en")
    assert_hostile_is_text(panel, "en")
    assert "disagreement-B3" in parse(panel).ids
    ranking = html_of(invoke, "rank", hostile_call, "--fund", "1", lang="ja")
    assert_hostile_is_text(ranking, "ja")
    programmes = tmp_path / "programmes.yaml"
    programmes.write_text(
        "programmes:\n"
        f"  - {{id: p1, code: '<i>]]></i>', name: {_q(HOSTILE_TEXT)}, means: [exchange], "
        "objectives: [A.quality], career_stages: [postdoc], regions: [any]}\n",
        "utf-8",
    )
    portfolio = html_of(invoke, "portfolio", hostile_call, "--programmes", programmes, lang="en")
    assert_hostile_is_text(portfolio, "en")
    assert "<i>" not in portfolio
    checks = invoke("check", proposal, "-f", "html", "--lang", "en")
    assert_hostile_is_text(checks.stdout, "en")


# --- output, determinism, start-up -------------------------------------------------------------


def test_same_input_same_bytes(invoke):
    args = ("consolidate", JR03, CALL / "reviews/CALL26-JR-03")
    assert html_of(invoke, *args) == html_of(invoke, *args)
    from sti_review.api import open_job
    from sti_review.report.html import assessment as html

    job = open_job(EXAMPLES / "bc-quantum-mobility-de.yaml")
    first = html.render_text(job.assessment(), "ja", job.findings)
    assert first == html.render_text(job.assessment(), "ja", job.findings)


def test_output_file_is_never_overwritten_without_force(invoke, tmp_path):
    out = tmp_path / "report.html"
    proposal = EXAMPLES / "satreps-flood-ews-th.yaml"
    result = invoke("assess", proposal, "-f", "html", "-o", out, "--lang", "en")
    assert result.exit_code == 0 and "wrote" in result.stderr
    written = out.read_bytes()
    assert written.startswith(b"<!DOCTYPE html>") and "採択候補".encode() not in written
    again = invoke("assess", proposal, "-f", "html", "-o", out, "--lang", "ja")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert out.read_bytes() == written
    forced = invoke("assess", proposal, "-f", "html", "-o", out, "--lang", "ja", "--force")
    assert forced.exit_code == 0 and "採択候補".encode() in out.read_bytes()
    for command in (("rank", CALL), ("consolidate", JR03, CALL / "reviews/CALL26-JR-03")):
        refused = invoke(*command, "-f", "html", "-o", out)
        assert refused.exit_code == 2 and out.read_bytes() != written


@pytest.mark.parametrize("fmt", [f.value for f in Format if f.value not in ("csv", "docx", "xlsx")])
def test_every_format_is_handled(invoke, fmt):
    for args in (
        ("assess", EXAMPLES / "other-ocean-data-ph.yaml"),
        ("consolidate", JR03, CALL / "reviews/CALL26-JR-03"),
        ("portfolio", "--programmes", PROGRAMMES),
        ("check", EXAMPLES / "satreps-flood-ews-th.yaml"),
    ):
        result = invoke(*args, "-f", fmt, "--lang", "en")
        assert result.exit_code == 0, (args, fmt, result.stderr)
        assert result.stdout.strip()
        assert (fmt == "html") == result.stdout.startswith("<!DOCTYPE html>")


PROBE = """
import sys
sys.argv = {argv!r}
from sti_review.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write('JINJA=' + str('jinja2' in sys.modules) + '\\n')
"""


@pytest.mark.parametrize(("fmt", "loaded"), [("markdown", False), ("terminal", False), ("html", True)])
def test_jinja_is_imported_only_for_html(fmt, loaded):
    argv = ["sti-review", "assess", str(EXAMPLES / "satreps-flood-ews-th.yaml"), "-f", fmt, "--lang", "en"]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert f"JINJA={loaded}" in proc.stderr, proc.stderr


def test_templates_ship_with_the_package():
    from importlib import resources

    folder = resources.files("sti_review.report.html") / "templates"
    names = {p.name for p in folder.iterdir()}
    for name in ("base.html.j2", "macros.html.j2", "report.css", "assessment.html.j2", "panel.html.j2"):
        assert name in names
    css = (folder / "report.css").read_text("utf-8")
    assert "@page" in css and "A4" in css and '"Noto Sans CJK JP"' in css and "Meiryo" in css


# --- the charts on their own ---------------------------------------------------------------------


def test_chart_text_is_escaped_and_control_characters_shown():
    chart = svg.badges([svg.Badge("A2", "fail", HOSTILE_TEXT, tooltip=HOSTILE_TEXT)], title=HOSTILE_TEXT)
    root = ET.fromstring(chart)
    assert root.find("title").text == SHOWN
    assert "<script>" not in chart and "]]>" not in chart


def test_radar_with_fewer_than_three_sections_draws_bars():
    axes = [svg.Axis("A", 4.0, True, shown="4"), svg.Axis("B", 2.0, False, shown="2")]
    chart = svg.radar(axes, 5, 3, title="t", legend_score="s", legend_threshold="th")
    root = ET.fromstring(chart)
    assert "bars" in root.get("class") and not list(root.iter("polygon"))


def test_dot_strip_stacks_equal_scores_and_marks_disagreement():
    dots = [svg.Dot("1", 4), svg.Dot("2", 4), svg.Dot("3", 1.5)]
    root = ET.fromstring(
        svg.dot_strip(dots, minimum=0, maximum=5, threshold=3, disagreement=True, panel=3.5, title="B3")
    )
    circles = list(root.iter("circle"))
    assert len(circles) == 3
    assert circles[0].get("cx") == circles[1].get("cx") and circles[0].get("cy") != circles[1].get("cy")
    assert "disagreement" in root.get("class") and list(root.iter("rect"))  # the highlighted band


def test_fit_cuts_wide_text_by_its_width():
    assert svg.fit("short", 200, 12) == "short"
    cut = svg.fit("国際共同研究" * 10, 100, 12)
    assert cut.endswith("…") and svg.text_width(cut, 12) <= 100


def test_panel_terminal_has_a_compact_spread_view(invoke):
    result = invoke("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    assert "Spread at a glance" in out
    b3 = next(line for line in out.splitlines() if line.strip().startswith("│ B3 ") and "─" in line)
    assert "3" in b3 and "1" in b3 and "2" in b3 and "2–4.5" in b3 and "2.5" in b3
    x7 = next(line for line in out.splitlines() if line.strip().startswith("│ X7 "))
    assert "1✓ 2! 3✓" in x7


def _render_script():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "render_html.py"
    spec = importlib.util.spec_from_file_location("render_html", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshot_with_headless_chromium(tmp_path):
    """One page through the screenshot script (benchmarks/render_html.py renders them all)."""
    script = _render_script()
    chromium = script.find_chromium()
    if chromium is None:
        pytest.skip("no Chromium binary (chromium, chromium-browser, google-chrome or $CHROMIUM)")
    page = tmp_path / "satreps-ja.html"
    script.render_html(["assess", str(EXAMPLES / "satreps-flood-ews-th.yaml")], "ja", page)
    png = tmp_path / "satreps-ja.png"
    assert script.screenshot(chromium, page, png, 390, 900)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ranking_page_fits_a_phone_and_its_chart_stays_readable(tmp_path):
    """Issue 16: at 390 px nothing scrolls sideways and the ranking chart's text stays >= 11 px;
    printed to A4 it stays >= 8 pt (measured by the render script's probe in Chromium)."""
    script = _render_script()
    chromium = script.find_chromium()
    if chromium is None:
        pytest.skip("no Chromium binary (chromium, chromium-browser, google-chrome or $CHROMIUM)")
    page = tmp_path / "ranking-en.html"
    script.render_html(["rank", str(EXAMPLES / "call-2026"), "--fund", "5"], "en", page)
    got = script.probe(chromium, page, 390, None)
    assert got is not None
    assert got["width"] == 390
    assert got["scroll"] <= 390, got["over"]
    assert got["minText"] >= 11
    assert script.print_probe(chromium, page) >= 8
