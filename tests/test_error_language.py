"""Errors speak the user's language: the located prefix stays as it is (editors jump to it),
the message after it comes from the catalogue; library users still get English."""

from __future__ import annotations

import re

import pytest

from sti_review.errors import InputError, Problem, Text, render
from sti_review.yamlio import load_file

from .catalogues import pseudo, write_catalogue

# What a user gets wrong, and the location prefix each error must keep.
BAD_INPUTS = {
    "duplicate.yaml": (b"id: A\nid: B\n", ":2:1:"),
    "syntax.yaml": (b"a: [\n", ":2:1:"),
    "empty.yaml": (b"", ": "),
    "shift_jis.yaml": ("title: テスト\n".encode("cp932"), ":1:8:"),
    "binary.yaml": (b"\x00\x01\x02\x03" * 10, ": "),
    "scalar.yaml": (b"just text\n", ":1:1:"),
}


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("locales")
    write_catalogue(folder, "xx", transform=pseudo)
    return folder


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_an_error_message_is_wrapped_under_the_pseudo_locale(invoke, pseudo_locale, tmp_path, name):
    content, where = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("validate", path, "--lang", "xx", env={"STI_REVIEW_LOCALES": str(pseudo_locale)})
    assert result.exit_code == 2
    line = next(x for x in result.stderr.splitlines() if str(path) in x)
    after = line.split(str(path) + where.rstrip(" "), 1)[1]  # the location is kept verbatim
    assert after.strip().startswith("⟦"), line  # and what follows it is the catalogue's


def test_the_shift_jis_advice_is_japanese_under_lang_ja(invoke, tmp_path):
    path = tmp_path / "sjis.yaml"
    path.write_bytes("title: テスト\n".encode("cp932"))
    result = invoke("validate", path, "--lang", "ja")
    assert result.exit_code == 2
    assert f"{path}:1:8: UTF-8 のテキストではありません" in result.stderr
    assert "Shift_JIS (CP932) で保存されているようです。UTF-8 で保存し直してください" in result.stderr


def test_a_missing_field_is_said_in_japanese_with_the_field_kept(invoke, tmp_path):
    path = tmp_path / "p.review.yaml"
    path.write_text("reviewer: 山田\n", encoding="utf-8")
    result = invoke("validate", path, "--lang", "ja")
    assert result.exit_code == 2
    assert re.search(r"p\.review\.yaml(:\d+:\d+)?: \S+: 必須の項目がありません", result.stderr), result.stderr


def test_library_users_get_english_from_str(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_file(path)
    problem = caught.value.problems[0]
    assert str(problem) == f"{path}:2:1: duplicate key 'a' (first on line 1)"
    assert problem.render("ja") == f"{path}:2:1: キー 'a' が重複しています（最初は1行目）"


def test_a_text_joined_to_plain_text_keeps_both_parts():
    joined = Text("err.missing") + " (see A1)"
    assert joined == "required field is missing (see A1)"
    assert render(joined, "ja") == "必須の項目がありません (see A1)"
    problem = Problem("f.yaml", 1, 2, "id", joined)
    assert problem.render("ja") == "f.yaml:1:2: id: 必須の項目がありません (see A1)"
