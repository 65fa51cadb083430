"""CSV headers follow --lang: the stable English column names under en (scripts read them),
the catalogue's Japanese under ja; the rows and their order are the same in both."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"


def _table(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel needs the byte-order mark to show Japanese
    return list(csv.reader(io.StringIO(text[1:])))


def test_ranking_csv_headers_are_japanese_under_lang_ja(invoke):
    en = _table(invoke("rank", CALL, "-f", "csv", "--lang", "en").stdout)
    ja = _table(invoke("rank", CALL, "-f", "csv", "--lang", "ja").stdout)
    assert en[0][:4] == ["rank", "position", "id", "title"]
    assert ja[0][:4] == ["順位", "並び順", "提案ID", "課題名"]
    assert "目的別評点_A" in ja[0] and "section_A" in en[0]
    assert len(ja[0]) == len(en[0]) and len(set(ja[0])) == len(ja[0])
    assert [r[2] for r in ja[1:]] == [r[2] for r in en[1:]]  # same proposals, same order


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_ranking_header_is_said_in_the_language(invoke, lang):
    header = _table(invoke("rank", CALL, "-f", "csv", "--lang", lang).stdout)[0]
    japanese = [h for h in header if any("\u3040" <= ch <= "\u9fff" for ch in h)]
    assert len(japanese) == (len(header) if lang == "ja" else 0), header


ASSIGN = EXAMPLES.parent / "tests" / "data" / "assign"


def test_conflicts_csv_headers_follow_lang(invoke):
    args = ("conflicts", ASSIGN / "call", "--reviewers", ASSIGN / "pool.yaml", "--year", "2026", "-f", "csv")
    en = _table(invoke(*args, "--lang", "en").stdout)
    ja = _table(invoke(*args, "--lang", "ja").stdout)
    assert en[0][:3] == ["reviewer", "reviewer_name", "proposal"]
    assert ja[0][:3] == ["審査委員ID", "審査委員氏名", "提案ID"]
    assert len(ja) == len(en) > 1
