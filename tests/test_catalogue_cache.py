"""Parsed catalogues kept on disk by the command-line process (i18n, issue 17 start-up): the
same words as parsing the .po file, an edited catalogue is read again, and a damaged entry is
never believed."""

from __future__ import annotations

import marshal
import shutil

import pytest

from sti_review import i18n, rubric_cache

MAGIC = b"sti-review-catalogue-1\n"


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A copy of the shipped catalogues, the CLI's disk caches on, in a fresh cache folder."""
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, folder)
    monkeypatch.setenv("STI_REVIEW_LOCALES", str(folder))
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("STI_REVIEW_NO_CACHE", raising=False)
    monkeypatch.setattr(i18n, "_LOADED", {})
    monkeypatch.setattr(i18n, "_PINNED", [])
    rubric_cache.enable()
    yield folder
    rubric_cache.enable(False)


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "catalogues").glob("*.marshal"))


def _reload(monkeypatch):
    monkeypatch.setattr(i18n, "_LOADED", {})


def test_cached_catalogue_says_the_same_words(locales, tmp_path, monkeypatch):
    parsed = i18n.parse_po((locales / "ja" / "LC_MESSAGES" / "sti_review.po").read_text(encoding="utf-8"))
    first = i18n.load("ja")
    assert len(_entries(tmp_path)) == 1
    _reload(monkeypatch)
    second = i18n.load("ja")
    assert first is not second
    assert second.messages == parsed.messages and second.plurals == parsed.plurals
    assert [second.plural(n) for n in range(4)] == [parsed.plural(n) for n in range(4)]
    assert i18n.t("outcome_pass", "ja") == parsed.messages["outcome_pass"]


def test_edited_catalogue_is_read_again(locales, tmp_path, monkeypatch):
    i18n.load("ja")
    (entry,) = _entries(tmp_path)
    po = locales / "ja" / "LC_MESSAGES" / "sti_review.po"
    text = po.read_text(encoding="utf-8")
    old = i18n.load("ja").messages["outcome_pass"]
    po.write_text(text.replace(f'msgstr "{old}"', 'msgstr "合格（編集後）"', 1), encoding="utf-8")
    _reload(monkeypatch)
    assert i18n.t("outcome_pass", "ja") == "合格（編集後）"
    assert _entries(tmp_path) == [entry]  # the entry is replaced, not joined by another


@pytest.mark.parametrize(
    "content",
    [
        b"",
        MAGIC,
        MAGIC + b"\x00\xff" * 40,
        b"garbage" * 100,
        MAGIC + marshal.dumps([1, 2, 3]),
        MAGIC + marshal.dumps((None, {"outcome_pass": "x"}, {}, None)),  # no stamp
        # the file's own stamp, with damaged contents:
        ({"outcome_pass": 5}, {}, None),  # a word that is not text
        ({}, {"k": "not a list"}, None),
        ({}, {}, 42),  # a plural rule that is not text
        ({"outcome_pass": "x"}, {}, "n =="),  # a broken plural rule
    ],
)
def test_damaged_entry_is_ignored_and_rewritten(locales, tmp_path, monkeypatch, content):
    good = dict(i18n.load("ja").messages)
    (entry,) = _entries(tmp_path)
    if isinstance(content, tuple):
        stamp = marshal.loads(entry.read_bytes()[len(MAGIC) :])[0]
        content = MAGIC + marshal.dumps((stamp, *content))
    entry.write_bytes(content)
    _reload(monkeypatch)
    assert i18n.load("ja").messages == good
    assert entry.read_bytes().startswith(MAGIC)
    _reload(monkeypatch)
    assert i18n.load("ja").messages == good


def test_library_user_keeps_nothing_on_disk(locales, tmp_path, monkeypatch):
    rubric_cache.enable(False)
    i18n.load("en")
    assert _entries(tmp_path) == []


def test_unwritable_cache_folder_costs_only_the_speed_up(locales, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("STI_REVIEW_CACHE", str(blocker))
    assert i18n.t("outcome_pass", "en")
