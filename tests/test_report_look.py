"""Issue 16, round 4: what the page-by-page look at every report found, kept from coming back.
Browserless: asserted on the HTML and the terminal text a committee member gets."""

from __future__ import annotations

import importlib.util
import re

import pytest

from .conftest import EXAMPLES
from .test_html_a11y import A11y

CALL = EXAMPLES / "call-2026"
JR05 = (CALL / "proposals" / "CALL26-JR-05.yaml", CALL / "reviews" / "CALL26-JR-05")


def _css(invoke) -> str:
    res = invoke("consolidate", *JR05, "-f", "html", "--lang", "ja")
    return "".join(re.findall(r"<style[^>]*>(.*?)</style>", res.stdout, re.S))


def test_printed_panel_table_gets_a_landscape_page_and_headings_keep_with_what_follows(invoke):
    """Portrait A4 left the criterion names two characters wide over five pages."""
    css = _css(invoke)
    assert re.search(r"@page spread\s*\{\s*size:\s*A4 landscape", css)
    assert re.search(r"table\.spread\)\s*\{\s*page:\s*spread", css)
    assert re.search(r"h2, h3 \{ break-after: avoid", css)


def test_verdicts_and_decisions_never_wrap_one_character_a_line(invoke):
    css = _css(invoke)
    assert re.search(r'td\[class\^="verdict-"\][^{]*\{ min-width: 5\.5em', css)
    assert re.search(r"table\.ranking td\.nowrap \{ min-width: 4\.2em", css)


@pytest.mark.skipif(importlib.util.find_spec("scipy") is None, reason="the assign extra")
def test_assignment_page_has_a_main_landmark_captions_and_scopes(invoke):
    res = invoke("assign", CALL, "--reviewers", CALL / "reviewers.yaml", "-f", "html", "--lang", "ja")
    assert res.exit_code == 0, res.stderr
    assert "<main>" in res.stdout and 'name="viewport"' in res.stdout
    checker = A11y()
    checker.feed(res.stdout)
    assert not checker.problems, checker.problems[:5]


@pytest.mark.parametrize("lang,first,later", [("ja", "パネルとしての判定結果", "審査結果の取りまとめ")])
def test_terminal_panel_leads_with_the_decision_split_and_open_points(invoke, lang, first, later):
    res = invoke("consolidate", *JR05, "--lang", lang, env={"COLUMNS": "80"})
    out = res.stdout
    assert first in out and later in out
    assert out.index(first) < out.index(later)  # the decision before the proposal's details
    top = out[: out.index(later)]
    assert "採択候補に必要な合計" in top  # the total against the threshold
    assert "R2" in top and "不適" in top  # who failed the gate, in the lead
    assert out.count(first) == 1  # shown once, not again at the end
    assert all(len(line) <= 80 for line in out.splitlines())


def test_terminal_assessment_leads_with_the_outcome_and_total(invoke):
    res = invoke(
        "assess",
        EXAMPLES / "bc-quantum-mobility-de.yaml",
        "--review",
        EXAMPLES / "bc-quantum-mobility-de.review.yaml",
        "--lang",
        "en",
        env={"COLUMNS": "80"},
    )
    out = res.stdout
    assert out.lstrip().startswith("┏")
    assert out.index("Outcome:") < out.index("Title")
    assert out.index("16.67") < out.index("Title")


def test_narrow_terminal_panel_never_crushes_criterion_titles(invoke):
    """At 80 columns a table with 該当なし in every reviewer column stacks instead of giving the
    titles one cell (which printed them as empty lines)."""
    res = invoke("consolidate", *JR05, "--lang", "ja", env={"COLUMNS": "80"})
    assert "大規模な国際共同研究の継続" in res.stdout
    assert "\n" + " " * 80 + "\n" + " " * 80 + "\n" + " " * 80 + "\n" not in res.stdout
