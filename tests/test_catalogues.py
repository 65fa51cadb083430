"""Languages are data: the shipped catalogues are complete and agree on placeholders, a new
language needs only a catalogue, and under a pseudo-locale every message of ours is translated."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from sti_review import i18n
from sti_review.i18n import parse_po

from .catalogues import PLACEHOLDER, placeholders, pseudo, shipped, write_catalogue
from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
JR03 = CALL / "proposals/CALL26-JR-03.yaml"
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"
REVIEWERS = CALL / "reviewers.yaml"
SRC = Path(i18n.__file__).parent


def catalogue(lang: str) -> i18n.Catalogue:
    return parse_po(shipped(lang).read_text(encoding="utf-8"), lang)


def test_the_shipped_languages_are_japanese_and_english():
    assert {"ja", "en"} <= set(i18n.languages())


def test_every_message_has_a_japanese_and_an_english_translation():
    ja, en = catalogue("ja"), catalogue("en")
    assert set(ja.messages) == set(en.messages)
    assert set(ja.plurals) == set(en.plurals)
    assert len(en.messages) > 300
    for key in en.messages:
        assert ja.messages[key].strip() and en.messages[key].strip(), key
    for key, forms in en.plurals.items():
        assert len(forms) == 2 and all(forms), key  # English: one, other
        assert len(ja.plurals[key]) == 1 and ja.plurals[key][0], key  # Japanese: one form


def test_placeholders_match_across_languages():
    ja, en = catalogue("ja"), catalogue("en")
    for key, text in en.messages.items():
        assert placeholders(ja.messages[key]) == placeholders(text), key
    for key, forms in en.plurals.items():
        for form in [*forms, *ja.plurals[key]]:
            assert placeholders(form) == placeholders(forms[-1]), key


def test_every_key_the_cli_names_is_in_the_catalogue():
    en = catalogue("en")
    cli = (SRC / "cli.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'_(?:say|h)\("([a-z_.]+)"', cli))
    assert len(keys) > 40
    assert keys <= set(en.messages), keys - set(en.messages)


def test_plurals_and_lists_follow_the_catalogue():
    assert i18n.tn("findings.count_error", 1, "en") == "1 error"
    assert i18n.tn("findings.count_error", 2, "en") == "2 errors"
    assert i18n.tn("findings.count_error", 2, "ja") == "エラー 2 件"
    assert i18n.join(["A2", "B1"], "en") == "A2, B1"
    assert i18n.join(["A2", "B1"], "ja") == "A2、B1"


def test_findings_summary_uses_plural_forms(invoke):
    proposal = EXAMPLES / "satreps-flood-ews-th.yaml"
    out = invoke("check", proposal, "--lang", "en", "-f", "markdown").stdout
    assert "0 errors, 0 warnings" in out
    assert "エラー 0 件、警告 0 件" in invoke("check", proposal, "--lang", "ja", "-f", "markdown").stdout


# --- a third language ----------------------------------------------------------------------


def test_a_third_language_needs_only_a_catalogue(invoke, tmp_path):
    write_catalogue(tmp_path, "fr", transform=lambda s: "FR:" + s, plural="(n > 1)")
    env = {"STI_REVIEW_LOCALES": str(tmp_path)}
    proposal = EXAMPLES / "bc-quantum-mobility-de.yaml"
    refused = invoke("assess", proposal, "--lang", "fr", "--no-input")
    assert refused.exit_code == 2 and "unknown language fr" in refused.stderr
    result = invoke("assess", proposal, "--lang", "fr", "-f", "markdown", "--no-input", env=env)
    assert result.exit_code == 0, result.stderr
    assert "# FR:Assessment" in result.stdout and "## FR:Outcome" in result.stdout
    # the locale picks it too: fr_FR.UTF-8 -> fr
    by_locale = invoke("assess", proposal, "-f", "markdown", "--no-input", env={**env, "LANG": "fr_FR.UTF-8"})
    assert "# FR:Assessment" in by_locale.stdout


def test_help_is_in_the_chosen_language():
    """--help is built when the CLI is imported, so this needs a process of its own."""
    run = [sys.executable, "-m", "sti_review", "assess", "--help"]
    env80 = {"LANG": "C.UTF-8", "COLUMNS": "80"}
    ja = subprocess.run([*run, "--lang", "ja"], capture_output=True, text=True, check=False, env=env80)
    assert "提案ファイル（YAML）" in ja.stdout and "報告書の形式" in ja.stdout
    # Japanese has no spaces to break at: it is still wrapped to the 80 columns it is shown in
    columns = [
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        for line in ja.stdout.splitlines()
    ]
    assert max(columns) <= 80
    assert not any(line.lstrip().startswith(("、", "。", "）")) for line in ja.stdout.splitlines())
    en = subprocess.run(run, capture_output=True, text=True, check=False, env={"LANG": "C.UTF-8"})
    assert "The proposal file (YAML)." in en.stdout


def test_a_broken_catalogue_falls_back_to_english_with_a_note(invoke, tmp_path):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sti_review.po").write_bytes(b'msgid "outcome"\nmsgstr "Ergebnis\n\xff\xfe')
    env = {"STI_REVIEW_LOCALES": str(tmp_path)}
    result = invoke(
        "assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "--lang", "de", "-f", "markdown", env=env
    )
    assert result.exit_code == 0 and "## Outcome" in result.stdout
    assert "catalogue ignored" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text",
    ['msgid "a"\nmsgstr "b', 'msgid "a"\nbogus "b"', '"orphan"', 'msgid "a"\nmsgstr[x "b"'],
)
def test_malformed_catalogue_text_is_located(text):
    with pytest.raises(ValueError, match=r"^t\.po:\d+: "):
        parse_po(text, "t.po")


# --- the pseudo-locale -----------------------------------------------------------------------

COMMANDS = [
    ("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "--no-input"),
    ("assess", EXAMPLES / "other-ocean-data-ph.yaml", "--no-input", "-f", "markdown"),
    ("assess", EXAMPLES / "other-ocean-data-ph.yaml", "--no-input", "-f", "html"),
    ("check", EXAMPLES / "satreps-flood-ews-th.yaml", EXAMPLES / "other-ocean-data-ph.yaml"),
    ("check", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "markdown"),
    ("consolidate", JR03, CALL / "reviews/CALL26-JR-03"),
    ("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "-f", "markdown"),
    ("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "-f", "html"),
    ("rank", CALL, "--fund", "3"),
    ("rank", CALL, "--fund", "3", "-f", "markdown"),
    ("rank", CALL, "-f", "html"),
    ("rank", CALL, "-f", "csv"),
    ("portfolio", CALL, "--programmes", PROGRAMMES),
    ("portfolio", CALL, "--programmes", PROGRAMMES, "-f", "markdown"),
    ("portfolio", "--programmes", PROGRAMMES, "-f", "html"),
    ("criteria",),
    ("criteria", "A2"),
    ("criteria", "Z9"),
    ("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "-f", "csv"),
    ("rank", CALL, "--budget", "lots"),
    ("portfolio",),
    ("validate", EXAMPLES / "satreps-flood-ews-th.yaml", EXAMPLES / "other-ocean-data-ph.review.yaml"),
    ("validate", EXAMPLES / "satreps-flood-ews-th.yaml", EXAMPLES / "missing.yaml"),
    # the assignment, conflict and reviewer reports, the statistics views, the skeletons
    ("conflicts", CALL, "--reviewers", REVIEWERS, "--year", "2026"),
    ("conflicts", CALL, "--reviewers", REVIEWERS, "--year", "2026", "-f", "markdown"),
    ("assign", CALL, "--reviewers", REVIEWERS, "--year", "2026"),
    ("assign", CALL, "--reviewers", REVIEWERS, "--year", "2026", "-f", "html"),
    ("reviewers", CALL),
    ("reviewers", CALL, "-f", "markdown"),
    ("rank", CALL, "--reviewer-stats", "-f", "markdown"),
    ("rank", CALL, "--reviewer-stats", "-f", "html"),
    ("init", "proposal"),
    ("init", "review"),
    ("validate", "/nonexistent/folder/p.yaml"),
]


def _fragments(text: str) -> list[str]:
    """The literal pieces of a message long enough not to be user data by chance."""
    return [p.strip(" :;,.()") for p in PLACEHOLDER.split(text) if len(p.strip(" :;,.()").split()) >= 2]


def _user_data() -> str:
    """The rubric's and the examples' own text: shown as it is, in whatever language it has."""
    root = EXAMPLES.parent
    files = [*(root / "criteria").rglob("*.yaml"), *EXAMPLES.rglob("*.yaml")]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def _ours() -> list[str]:
    """Fragments of our English messages that the user data does not contain too."""
    data = _user_data()
    en = catalogue("en")
    texts = [
        v for k, v in en.messages.items() if not k.startswith(("cli.cmd.", "cli.opt.", "cli.arg.", "cli.app"))
    ]
    texts += [form for forms in en.plurals.values() for form in forms]
    fragments = {f for text in texts for f in _fragments(text) if f not in data}
    return sorted(fragments, key=len, reverse=True)


@pytest.fixture(scope="module")
def ours() -> list[str]:
    return _ours()


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("locales")
    write_catalogue(folder, "xx", transform=pseudo)
    return folder


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(str(x).split("/")[-1] for x in a))
def test_every_message_of_ours_is_translated_under_the_pseudo_locale(invoke, pseudo_locale, ours, args):
    result = invoke(*args, "--lang", "xx", env={"STI_REVIEW_LOCALES": str(pseudo_locale), "COLUMNS": "200"})
    assert "Traceback" not in result.stderr and result.exit_code in (0, 1, 2, 3), result.stderr
    shown = result.stdout + result.stderr
    assert "⟦" in shown  # our words are there, and they are the pseudo-locale's
    outside = re.sub(r"⟦[^⟧]*⟧", " ", shown)
    leaked = [f for f in ours if f in outside]
    assert not leaked, leaked[:5]


def _text_of(path: Path) -> str:
    """The words of a report file: a Word or Excel file's XML parts with the tags taken out."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            parts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
        return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))
    return path.read_text(encoding="utf-8")


FILE_COMMANDS = [
    ("rank", CALL, "--reviewer-stats", "-f", "docx"),
    ("rank", CALL, "--reviewer-stats", "-f", "xlsx"),
    ("assign", CALL, "--reviewers", REVIEWERS, "--year", "2026", "-f", "xlsx"),
    (
        "assess",
        EXAMPLES / "satreps-flood-ews-th.yaml",
        "--review",
        EXAMPLES / "satreps-flood-ews-th.review.yaml",
        "-f",
        "docx",
    ),
    ("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "-f", "docx"),
    ("consolidate", JR03, CALL / "reviews/CALL26-JR-03", "-f", "xlsx"),
    ("portfolio", CALL, "--programmes", PROGRAMMES, "-f", "docx"),
    ("template", "proposal"),
]


@pytest.mark.parametrize("args", FILE_COMMANDS, ids=lambda a: " ".join(str(x).split("/")[-1] for x in a))
def test_word_and_excel_files_are_in_the_pseudo_locale(invoke, pseudo_locale, ours, args, tmp_path):
    out = tmp_path / "report.bin"
    env = {"STI_REVIEW_LOCALES": str(pseudo_locale), "COLUMNS": "200"}
    result = invoke(*args, "-o", out, "--lang", "xx", env=env)
    assert result.exit_code == 0, result.stderr
    shown = _text_of(out) + result.stdout + result.stderr
    assert "⟦" in shown
    outside = re.sub(r"⟦[^⟧]*⟧", " ", shown)
    leaked = [f for f in ours if f in outside]
    assert not leaked, leaked[:5]


def test_a_form_filled_in_the_pseudo_locale_is_read_back(invoke, pseudo_locale, tmp_path):
    """The form's headings and columns are recognised in every language with a catalogue, and
    what the importer says about a blank form is ours, translated."""
    form, out = tmp_path / "form.docx", tmp_path / "p.yaml"
    env = {"STI_REVIEW_LOCALES": str(pseudo_locale), "COLUMNS": "200"}
    assert invoke("template", "proposal", "-o", form, "--lang", "xx", env=env).exit_code == 0
    assert "⟦Bášîç îñföŕmátîöñ⟧" in _text_of(form)
    result = invoke("import", form, "-o", out, "--lang", "xx", env=env)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.strip()]
    assert problems and all(line.startswith("⟦") for line in problems)
    assert "Field required" not in result.stderr and "heading not found" not in result.stderr
    assert "heading '" not in result.stderr  # the place in the form is said in the language too
    # the problems are about the blank fields, not about headings the importer failed to find
    assert "⟦ŕéqûîŕéd fîéld îš mîššîñg⟧" in result.stderr


def test_an_empty_catalogue_means_english_words(invoke, tmp_path):
    folder = tmp_path / "pt" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sti_review.po").write_text("", encoding="utf-8")
    env = {"STI_REVIEW_LOCALES": str(tmp_path)}
    args = ("assess", EXAMPLES / "bc-quantum-mobility-de.yaml", "--lang", "pt", "-f", "markdown")
    result = invoke(*args, env=env)
    assert result.exit_code == 0 and "## Outcome" in result.stdout and not result.stderr


def test_a_huge_catalogue_is_read_entry_by_entry():
    text = "\n".join(f'msgid "k{i}"\nmsgstr "v{i} ' + "é" * 50 + '"\n' for i in range(50_000))
    cat = parse_po(text, "huge.po")
    assert len(cat.messages) == 50_000 and cat.messages["k49999"].startswith("v49999 ")


def test_a_language_name_cannot_reach_outside_the_locales_folder(invoke):
    for lang in ("../en", "/etc", ".", ""):
        assert not i18n.is_available(lang)
    result = invoke("criteria", "--lang", "../ja")
    assert result.exit_code == 2 and "unknown language" in result.stderr
