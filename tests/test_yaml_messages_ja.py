"""YAML syntax errors in the user's language: PyYAML's words for what it was reading and what it
found are catalogue texts; in English they stay PyYAML's own."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from sti_review import yamlio
from sti_review.cli import app
from sti_review.i18n import load

BROKEN = {
    "a: b: c\n": "mapping values are not allowed in this context",
    "a:\n  - b\n c: d\n": "while parsing a block mapping on line 1, did not find expected key",
    "a: 'x\n": "while scanning a quoted scalar",
    "a: [1, 2\n": "did not find expected ',' or ']'",
    "a: {b: 1\n": "did not find expected ',' or '}'",
    "a: @x\n": "found character that cannot start any token",
    "a: b\n---\nc: d\n": "expected a single document in the stream on line 1, but found another document",
    'a: "\\q"\n': "found unknown escape character",
    "a: |x\n": "did not find expected comment or line break",
}


@pytest.mark.parametrize("text", list(BROKEN), ids=range(len(BROKEN)))
def test_a_syntax_error_in_japanese_and_in_pyyaml_s_english(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    ja = CliRunner().invoke(app, ["validate", "--lang", "ja", str(path)])
    assert ja.exit_code == 2
    line = next(x for x in ja.output.splitlines() if "YAML の構文エラー" in x)
    detail = line.split("YAML の構文エラー：", 1)[1]
    assert not re.search(r"\b(while|found|did not|expected|not allowed|but)\b", detail), detail
    en = CliRunner().invoke(app, ["validate", "--lang", "en", str(path)])
    assert BROKEN[text] in en.output


def test_every_phrase_has_words_in_every_catalogue():
    for lang in ("ja", "en"):
        messages = load(lang).messages
        for kind, phrases in (("ctx", yamlio._YAML_CONTEXTS), ("problem", yamlio._YAML_PROBLEMS)):
            for phrase in phrases:
                key = yamlio._phrase_key(kind, phrase, phrases)
                assert key in messages, (lang, key)
                if lang == "en":
                    assert messages[key] == phrase  # the English stays PyYAML's own words


def test_an_unknown_phrase_is_kept_inside_the_translated_frame():
    from sti_review.errors import render

    detail = yamlio.syntax_detail("while doing something new", "found a new problem")
    assert render(detail, "ja") == "while doing something new、found a new problem"
    assert render(detail, "en") == "while doing something new found a new problem"
