"""Rubric text is a mapping from language to text with a fallback (docs/formats.md, "Languages"):
a rubric written in English only works in a Japanese run (its text in English, our headings in
Japanese), a rubric that adds a third language is accepted, and bad language keys are located."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import string
from pathlib import Path

import pytest
import yaml

from sti_review.texts import Text, pick

from .catalogues import pseudo, write_catalogue
from .conftest import EXAMPLES, ROOT
from .test_catalogues import _ours

RUBRIC = ROOT / "criteria" / "mext-sti-international-2021"
CALL_RUBRIC = ROOT / "criteria" / "mext-sti-call-2026"
CALL = EXAMPLES / "call-2026"
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"


def _is_text(node: object) -> bool:
    return (
        isinstance(node, dict)
        and {"ja", "en"} <= set(node)
        and all(isinstance(v, str) for v in node.values())
    )


def _rewrite(node: object, change) -> object:  # type: ignore[no-untyped-def]
    if _is_text(node):
        return change(node)
    if isinstance(node, dict):
        return {k: _rewrite(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, change) for v in node]
    return node


def _copy(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """The MEXT rubric with its texts changed; beside it (``call-rubric``) the example call's
    rubric, changed the same way and extending this copy (examples/call-2026 is scored on it)."""
    folder = tmp_path / "rubric"
    shutil.copytree(RUBRIC, folder)
    call = tmp_path / "call-rubric"
    shutil.copytree(CALL_RUBRIC, call)
    for path in [*folder.rglob("*.yaml"), *call.rglob("*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path == call / "rubric.yaml":
            data["extends"] = "../rubric@1"
        path.write_text(yaml.safe_dump(_rewrite(data, change), allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def call_rubric(folder: Path) -> Path:
    return folder.parent / "call-rubric"


@pytest.fixture(scope="module")
def english_only(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    folder = _copy(tmp_path_factory.mktemp("en"), lambda t: {k: v for k, v in t.items() if k != "ja"})
    assert "ja:" not in (folder / "rubric.yaml").read_text(encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def with_french(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return _copy(tmp_path_factory.mktemp("fr"), lambda t: {**t, "fr": "FR " + t["en"]})


def test_fallback_chain():
    text = Text({"fr": "Bonjour", "de": "Hallo"})
    assert text("fr") == "Bonjour" and text("ja") == "Bonjour" and text("de") == "Hallo"
    both = Text(ja="こんにちは", en="Hello")
    assert both("fr") == "Hello" and both("ja") == "こんにちは" and both.ja == "こんにちは"
    assert Text({"ja": "こんにちは"})("en") == "こんにちは"
    assert pick({"en": "", "ja": "空でない"}, "en") == "空でない"
    assert both.other("ja") == "Hello" and both.other("en") == "こんにちは"
    assert Text({"en": "only"}).other("ja") is None


def test_dumps_as_the_mapping_it_was_given():
    assert Text(ja="一", en="one").model_dump() == {"ja": "一", "en": "one"}
    assert Text.model_validate({"en": "one", "fr": "un"}).model_dump() == {"en": "one", "fr": "un"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_english_only_rubric_runs_through_every_step(invoke, english_only, lang):
    rubric = ("--rubric", english_only, "--lang", lang)
    valid = invoke("validate", english_only / "rubric.yaml", PROPOSAL, REVIEW, *rubric)
    assert valid.exit_code == 0, valid.stdout + valid.stderr
    listed = invoke("criteria", *rubric)
    assert listed.exit_code == 0, listed.stderr
    assert "Research integrity and technology-leakage safeguards" in listed.stdout
    one = invoke("criteria", "A2", *rubric)
    assert one.exit_code == 0 and "Have necessary, sufficient and appropriate procedures" in one.stdout
    assessed = invoke("assess", PROPOSAL, "--review", REVIEW, "-f", "markdown", *rubric)
    assert assessed.exit_code == 0, assessed.stderr
    assert "Value for Japan's research capability and fit of the cooperation" in assessed.stdout
    ranked = invoke(
        "rank", CALL, "--fund", "3", "-f", "markdown", "--rubric", call_rubric(english_only), "--lang", lang
    )
    assert ranked.exit_code == 0, ranked.stderr
    if lang == "ja":  # the rubric's words fall back to English, ours stay Japanese
        assert "## 判定結果" in assessed.stdout and "評価項目" in assessed.stdout
        assert "採択ライン" in ranked.stdout and "種別" in one.stdout
    else:
        assert "## Outcome" in assessed.stdout


def test_json_shows_the_rubric_text_as_written(invoke, english_only, with_french):
    only = json.loads(invoke("criteria", "--rubric", english_only, "-f", "json", "--lang", "ja").stdout)
    assert set(only["title"]) == {"en"} and set(only["scale"]["labels"]["3"]) == {"en"}
    three = json.loads(invoke("criteria", "--rubric", with_french, "-f", "json").stdout)
    assert list(three["title"]) == ["ja", "en", "fr"]


def test_a_rubric_with_a_third_language_is_accepted(invoke, with_french):
    valid = invoke("validate", with_french / "rubric.yaml", "--rubric", with_french)
    assert valid.exit_code == 0, valid.stdout + valid.stderr
    shown = invoke("criteria", "A2", "--rubric", with_french, "--lang", "en")
    assert shown.exit_code == 0 and "Research integrity" in shown.stdout


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(RUBRIC, folder)
    path = folder / "rubric.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


TITLE = (
    "title:\n  ja: 科学技術の国際展開の戦略的推進に向けて\n"
    "  en: Towards the strategic promotion of the international deployment of science and technology\n"
)


@pytest.mark.parametrize(
    ("new", "said"),
    [
        ("title:\n  JA!: 題\n", "'JA!' is not a language code"),
        ("title:\n  ja: ''\n  en: '  '\n", "needs a non-empty text in at least one language"),
        ("title: {}\n", "needs a non-empty text in at least one language"),
        ("title:\n  ja: 123\n", "title.ja: must be text"),
        ("title: [a, b]\n", "title: must be a mapping"),
        ("title:\n  '../x': a\n", "is not a language code"),
    ],
)
def test_bad_language_keys_and_empty_texts_are_located(invoke, tmp_path, new, said):
    path = _broken(tmp_path, TITLE, new)
    result = invoke("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and said in result.stderr and "title" in result.stderr


def test_a_huge_number_of_languages_is_still_a_text():
    codes = ["".join(c) for c in itertools.product(string.ascii_lowercase, repeat=3)]
    text = Text.model_validate({code: f"text {code}" for code in codes})
    assert len(text.languages) == 26**3 and text("en") == "text aaa" and text("zzz") == "text zzz"


# --- a third language: a catalogue and rubric texts, no code -------------------------------

THIRD_LANGUAGE_COMMANDS = [
    ("criteria",),
    ("criteria", "A2"),
    ("validate", PROPOSAL, REVIEW),
    ("check", PROPOSAL),
    ("assess", PROPOSAL, "--review", REVIEW, "-f", "markdown"),
    ("consolidate", CALL / "proposals/CALL26-JR-03.yaml", CALL / "reviews/CALL26-JR-03", "-f", "markdown"),
    ("rank", CALL, "--fund", "3", "-f", "markdown"),
    ("init", "review"),
]


@pytest.fixture(scope="module")
def french(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A fake French: the English catalogue put through the pseudo-locale, in a folder of its own."""
    folder = tmp_path_factory.mktemp("locales")
    write_catalogue(folder, "fr", transform=pseudo, plural="(n > 1)")
    return {"STI_REVIEW_LOCALES": str(folder), "COLUMNS": "200"}


@pytest.mark.parametrize(
    "args", THIRD_LANGUAGE_COMMANDS, ids=lambda a: " ".join(str(x).split("/")[-1] for x in a)
)
def test_a_third_language_runs_every_command_without_code(invoke, french, with_french, args):
    rubric = (
        call_rubric(with_french)
        if CALL in [Path(str(a)) for a in args] or any(str(a).startswith(str(CALL)) for a in args)
        else with_french
    )
    result = invoke(*args, "--rubric", rubric, "--lang", "fr", env=french)
    assert result.exit_code in (0, 1), result.stderr
    shown = result.stdout + result.stderr
    assert "⟦" in shown  # our words, in "French"
    outside = re.sub(r"⟦[^⟧]*⟧", " ", shown)
    leaked = [f for f in _ours() if f in outside]
    assert not leaked, leaked[:5]
    if args[0] in ("criteria", "assess"):
        assert "FR " in shown  # and the rubric's own French text
        assert not re.search(r"(?<!FR )Research integrity and", shown)  # not the English text


def test_the_third_language_is_offered_by_lang(invoke, french):
    result = invoke("criteria", "--lang", "fr", env=french)
    assert result.exit_code == 0
    assert invoke("criteria", "--lang", "fr").exit_code == 2  # without its catalogue: refused
