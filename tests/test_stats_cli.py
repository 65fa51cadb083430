"""The statistics in the CLI: `reviewers`, `rank --reviewer-stats`, `rank --method expected-rank`."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from sti_review.ranking import rank_call
from sti_review.report.registry import Format, render
from sti_review.report.views import RankingView
from sti_review.stats.call import apply_expected_rank, call_stats
from sti_review.stats.expected_rank import ExpectedRanking, ProposalRank, draw_lottery, funding_line


@pytest.fixture(scope="module")
def call(tmp_path_factory):
    from .conftest import EXAMPLES

    return EXAMPLES / "call-2026"


def test_reviewers_json_keeps_japanese_names(invoke, call):
    res = invoke("reviewers", call, "-f", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    names = {r["reviewer"] for r in data["reviewer_effects"]["reviewers"]}
    assert "山田 花子" in names
    assert data["reliability"][0]["of"] == "overall"
    assert -1 <= data["reliability"][0]["alpha"] <= 1


@pytest.mark.parametrize("lang,word", [("ja", "評価者の甘辛"), ("en", "Reviewer effects")])
def test_reviewers_terminal_and_markdown_in_both_languages(invoke, call, lang, word):
    for fmt in ("terminal", "markdown"):
        res = invoke("reviewers", call, "-f", fmt, "--lang", lang, env={"COLUMNS": "80"})
        assert res.exit_code == 0, res.output
        assert word in res.stdout


def test_rank_with_reviewer_stats_shows_adjusted_beside_raw(invoke, call):
    res = invoke("rank", call, "--reviewer-stats", "-f", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    ranked = [p for p in data["proposals"] if p["position"] is not None]
    assert all("raw_mean" in p["grade"] and "adjusted" in p["grade"] for p in ranked)
    assert "expected_rank" not in ranked[0]
    assert "reliability" in data


def test_rank_without_stats_is_unchanged(invoke, call):
    res = invoke("rank", call, "-f", "json")
    assert "reliability" not in json.loads(res.stdout)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--lottery-seed", "3"], "--lottery-seed needs"),
        (["--method", "expected-rank", "--budget", "1000"], "not at a --budget"),
        (["--method", "expected-rank", "--lottery-seed", "-1", "--fund", "2"], "--lottery-seed"),
        (["--method", "bayes"], "bayes"),
    ],
)
def test_bad_stats_options_exit_2(invoke, call, args, message):
    res = invoke("rank", call, *args)
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_missing_extra_exits_2_with_a_bilingual_message(invoke, call, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "numpyro" else real(n, *a))
    res = invoke("rank", call, "--method", "expected-rank", "--fund", "2")
    assert res.exit_code == 2
    assert "sti-review[stats]" in res.output and "追加パッケージ" in res.output


def _with_fake_expected(call, fund=3, seed=None):
    """A ranking with hand-made expected ranks (no MCMC), as the reports receive it."""
    ranking = rank_call(call, fund=fund)
    stats = call_stats(ranking)
    ids = [r.id for r in ranking.ranked]
    rows = tuple(
        ProposalRank(pid, 4.0, 3, i + 1.0, 0, 0, (max(1, i), i + 2.0), (max(1, i - 1), i + 3.0), 0)
        for i, pid in enumerate(ids)
    )
    er = funding_line(ExpectedRanking(rows, (0, 5), 4, 1.002, 900, 4, 1000, 0), fund)
    if seed is not None:
        er = draw_lottery(er, seed)
    stats = replace(stats, expected=er)
    apply_expected_rank(ranking, stats)
    return ranking


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_expected_rank_in_every_ranking_format(call, lang):
    ranking = _with_fake_expected(call, seed=11)
    data = json.loads(render(RankingView(ranking), Format.json, lang=lang))
    ranked = [p for p in data["proposals"] if p["position"] is not None]
    first = ranked[0]
    for key in ("expected_rank", "pcer", "sucra", "rank_interval", "lottery"):
        assert key in first
    assert {p["lottery"] for p in ranked} >= {"selected", "band", "not_selected"}
    assert data["call"]["funding_line_er"] == 3.0 and data["call"]["seed"] == 11
    assert data["call"]["rhat_max"] == 1.002
    html = render(RankingView(ranking), Format.html, lang=lang).decode()
    assert html.count("<svg") >= 3 and 'stroke-dasharray="4 3"' in html
    md = render(RankingView(ranking), Format.markdown, lang=lang).decode()
    assert ("期待順位" if lang == "ja" else "Expected rank") in md
    text = render(RankingView(ranking), Format.terminal, lang=lang, width=80).decode()
    assert ("抽選" if lang == "ja" else "Lottery") in text


def test_no_seed_no_draw_band_reported(call):
    ranking = _with_fake_expected(call)
    data = json.loads(render(RankingView(ranking), Format.json, lang="en"))
    assert data["call"]["seed"] is None and data["call"]["draw"] is None
    assert any(r.status == "tie_at_line" for r in ranking.ranked)


def test_word_report_bars(call):
    from sti_review.report.html.svg_stats import interval_bars

    ranking = _with_fake_expected(call)
    bars = interval_bars(ranking.stats.expected, width=20)
    assert all(len(b) == 20 and "o" in b for _, b in bars)


@pytest.mark.slow
def test_rank_expected_rank_end_to_end(invoke, call):
    pytest.importorskip("numpyro")
    res = invoke(
        "rank", call, "--method", "expected-rank", "--fund", "3", "--lottery-seed", "5", "-f", "json"
    )
    assert res.exit_code in (0, 4), res.output
    data = json.loads(res.stdout)
    assert data["call"]["method"] == "expected_rank"
    ranked = [p for p in data["proposals"] if p["position"] is not None]
    ers = [p["expected_rank"] for p in ranked]
    assert ers == sorted(ers)
    if res.exit_code == 0:
        assert data["call"]["rhat_max"] <= 1.01


@pytest.mark.parametrize("keep", [0, 1])
def test_expected_rank_of_fewer_than_two_graded_proposals_is_a_usage_error(invoke, tmp_path, keep):
    """One proposal (or none) with reviews leaves nothing to compare: exit 2 in the user's
    language, never an internal error."""
    import shutil

    from .test_rubrics_e2e import LIKERT, LIKERT_CALL

    call = tmp_path / "call"
    shutil.copytree(LIKERT_CALL, call)
    for folder in sorted((call / "reviews").iterdir())[keep:]:
        shutil.rmtree(folder)
    for lang, words in (("en", "at least two proposals"), ("ja", "2件以上")):
        res = invoke("rank", call, "--rubric", LIKERT, "--method", "expected-rank", "--lang", lang)
        assert res.exit_code == 2, res.output
        assert words in res.output and f"{keep}" in res.output
        assert "internal error" not in res.output and "Traceback" not in res.output


def test_intervals_read_as_ranges_not_subtractions(invoke, call):
    """An interval of negative numbers printed "-0.53–-0.11" reads as a subtraction: a word
    and real minus signs instead."""
    for lang, between in (("en", " to "), ("ja", " 〜 ")):
        res = invoke("reviewers", call, "--lang", lang)
        assert res.exit_code == 0, res.output
        assert between in res.stdout
        assert "–-" not in res.stdout and "-0." not in res.stdout


@pytest.mark.parametrize("lang,sep", [("ja", " 〜 "), ("en", " to ")])
def test_intervals_read_as_ranges_with_a_real_minus_sign(invoke, call, lang, sep):
    """'-0.53–-0.11' reads as a subtraction: intervals say 〜 / to, negatives carry U+2212 (issue 16)."""
    import re

    for fmt in ("terminal", "markdown"):
        res = invoke("reviewers", call, "-f", fmt, "--lang", lang, env={"COLUMNS": "120"})
        assert res.exit_code == 0, res.output
        assert sep in res.stdout
        assert not re.search(r"\d–[-−]\d|[-−]\d\.\d+–", res.stdout)  # no "-0.53–-0.11" left
        assert not re.search(r"(?<![\w.])-\d\.\d\d", res.stdout)  # no hyphen as a minus sign
