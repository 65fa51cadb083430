"""The README's terminal excerpts are taken at 80 columns and the first one is in Japanese
(issue 12 item 6): every line of a ```text block fits 80 display columns (a CJK character
takes two), and the two setup commands stay as .ci/run and a new user expect them."""

from __future__ import annotations

import re
import unicodedata

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TERMINAL = re.findall(r"^```text\n(.*?)^```$", README, re.S | re.M)


def display_width(line: str) -> int:
    """Columns a terminal gives the line: East Asian wide and full-width characters take two,
    combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line
    )


def test_the_width_of_japanese_is_counted_as_a_terminal_counts_it():
    assert display_width("審査結果 A1") == 11 and display_width("ｱ") == 1 and display_width("é") == 1


def test_every_terminal_excerpt_fits_80_columns():
    assert len(TERMINAL) >= 8
    wide = [(display_width(line), line) for block in TERMINAL for line in block.splitlines()]
    assert [x for x in wide if x[0] > 80] == []


def test_the_readme_says_up_front_that_it_speaks_japanese_with_a_japanese_excerpt_first():
    head = README[: README.index("## Set up and run")]
    assert "日本語" in head and "--lang ja" in head
    first = TERMINAL[0]
    assert first.startswith("$ sti-review assess ") and "--lang ja" in first.splitlines()[0]
    assert "判定結果" in first and "合計点" in first


def test_the_two_setup_commands_are_unchanged():
    assert (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/sti-review assess "
        "examples/satreps-flood-ews-th.yaml" in README
    )
    assert "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest" in README
