"""A browserless accessibility check of every HTML report (issue 16): what axe-core and
html-validate would flag first, read off the parsed page. Every table has a caption and its rows
inside thead/tbody; every header cell says what it heads (scope); every chart is an image with a
name; no duplicate ids; the page and any text in the other language carry their language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from .conftest import EXAMPLE_OUTCOMES, EXAMPLES

CALL = EXAMPLES / "call-2026"


class A11y(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.root_lang: str | None = None
        self.tables: list[dict[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "tabindex" in a and not (a.get("aria-label") or a.get("aria-labelledby")):
            self.problems.append(f"<{tag} tabindex> (a scroll box) without an accessible name")
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"])
        if tag == "html":
            self.root_lang = a.get("lang")
        elif tag == "table":
            self.tables.append({"caption": False})
        elif tag == "caption":
            if self.tables:
                self.tables[-1]["caption"] = True
        elif tag == "tr":
            parent = self.stack[-1][0] if self.stack else ""
            if parent not in ("thead", "tbody", "tfoot"):
                self.problems.append(f"<tr> outside thead/tbody (in <{parent}>)")
        elif tag == "th":
            if a.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                self.problems.append(f"<th> without scope at line {self.getpos()[0]}")
        elif tag == "img" and "alt" not in a:
            self.problems.append("<img> without alt")
        elif tag == "svg" and a.get("aria-hidden") != "true":
            if a.get("role") != "img" or not a.get("aria-label"):
                self.problems.append(f"<svg> without role=img and aria-label at line {self.getpos()[0]}")
        if tag not in ("meta", "br", "img", "link", "input", "wbr", "col", "hr"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            if not self.tables.pop()["caption"]:
                self.problems.append(f"<table> without <caption> ending at line {self.getpos()[0]}")
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = data.strip()
        if not text or self.root_lang != "en":
            return
        if any(t in ("style", "title", "desc", "svg") for t, _ in self.stack):  # a chart: its aria-label
            return
        if any(a.get("lang") for _, a in self.stack[1:]):
            return
        if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text):  # kana or kanji
            self.problems.append(f"Japanese text without lang=ja: {text[:40]!r}")


def pages() -> list[tuple[str, list[object]]]:
    out: list[tuple[str, list[object]]] = [(n, ["assess", EXAMPLES / f"{n}.yaml"]) for n in EXAMPLE_OUTCOMES]
    for pid in ("CALL26-JR-03", "CALL26-JR-05"):
        out.append((pid, ["consolidate", CALL / f"proposals/{pid}.yaml", CALL / f"reviews/{pid}"]))
    out.append(("ranking", ["rank", CALL, "--fund", "5"]))
    out.append(("portfolio", ["portfolio", CALL, "--programmes", EXAMPLES / "programmes-mext.yaml"]))
    out.append(("check", ["check", *sorted((CALL / "proposals").glob("*.yaml"))]))
    he = EXAMPLES / "horizon-europe"
    out.append(("ranking-he", ["rank", he / "call", "--rubric", "horizon-europe-2021"]))
    out.append(("assess-he", ["assess", he / "he-ria-soilsense.yaml", "--rubric", "horizon-europe-2021"]))
    out.append(("assign", ["assign", CALL, "--reviewers", CALL / "reviewers.yaml"]))  # scipy: the test extra
    return out


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("name", "args"), pages(), ids=[n for n, _ in pages()])
def test_every_html_report_passes_the_browserless_accessibility_check(invoke, name, args, lang):
    result = invoke(*args, "-f", "html", "--lang", lang)
    assert result.exit_code in (0, 1, 3), result.stderr
    checker = A11y()
    checker.feed(result.stdout)
    assert checker.root_lang == lang
    assert result.stdout.count("<main>") == 1, "one main landmark"
    assert "Content-Security-Policy" in result.stdout, "the shared page, with its policy"
    assert not checker.problems, "\n".join(sorted(set(checker.problems))[:20])
