"""The statistics pictures (rank intervals, leniency) in the Word ranking report."""

from __future__ import annotations

import io

import pytest

from sti_review.report.registry import Format, render
from sti_review.report.views import RankingView

from .test_stats_cli import _with_fake_expected

docx = pytest.importorskip("docx")
pytest.importorskip("krippendorff")

PNG = b"\x89PNG\r\n\x1a\n"


def _pictures(data: bytes) -> list[bytes]:
    doc = docx.Document(io.BytesIO(data))
    return [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]


def _text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_word_ranking_has_both_pictures_and_the_tables(examples, lang):
    pytest.importorskip("cairosvg")
    from sti_review.report.docx.stats import png

    if png('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"></svg>') is None:
        pytest.skip("no Cairo library on this machine")
    ranking = _with_fake_expected(examples / "call-2026", seed=11)
    data = render(RankingView(ranking), Format.docx, lang=lang)
    pictures = _pictures(data)
    assert len(pictures) == 2 and all(p.startswith(PNG) for p in pictures)
    text = _text(data)
    assert ("期待順位" if lang == "ja" else "Expected rank") in text
    assert ("評価者の甘辛" if lang == "ja" else "Reviewer effects") in text
    assert "CALL26-JR-01" in text  # the table is there beside the picture


def test_without_a_rasteriser_the_report_says_so_and_keeps_the_tables(examples, monkeypatch):
    import sti_review.report.docx.stats as stats

    monkeypatch.setattr(stats, "png", lambda svg, scale=2.0: None)
    ranking = _with_fake_expected(examples / "call-2026")
    data = render(RankingView(ranking), Format.docx, lang="en")
    assert _pictures(data) == []
    text = _text(data)
    assert text.count("Drawing this picture needs CairoSVG") == 2 and "Expected rank" in text


def test_a_broken_svg_gives_no_picture_not_an_error():
    pytest.importorskip("cairosvg")
    from sti_review.report.docx.stats import png

    assert png("<svg") is None
    assert png("not svg at all \x00") is None


def test_weighted_word_ranking_has_no_statistics_section(examples):
    from sti_review.ranking import rank_call

    data = render(RankingView(rank_call(examples / "call-2026", fund=3)), Format.docx, lang="en")
    assert _pictures(data) == [] and "Expected rank" not in _text(data)
