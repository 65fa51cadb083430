"""Agreement between the reviewers of one proposal's panel in `consolidate` (criteria as units)."""

from __future__ import annotations

import json
import shutil

import pytest

from sti_review.panel import load_panel
from sti_review.report.views.panel import agreement_lines
from sti_review.stats.panel import panel_agreement

from .test_stats import _interval_alpha

pytest.importorskip("krippendorff")

JR03 = ("call-2026/proposals/CALL26-JR-03.yaml", "call-2026/reviews/CALL26-JR-03")


def _panel(examples, reviews=None):
    return load_panel(examples / JR03[0], [examples / r for r in (reviews or [JR03[1]])])


def test_agreement_is_alpha_over_the_criteria_of_the_individual_reviews(examples):
    c = _panel(examples)
    r = panel_agreement(c)
    assert r is not None and r.label == "criteria"
    # the independent computation: reviewers × scored criteria, the consensus review left out
    table = [
        [
            None if a is None or a.na or a.score is None else float(a.score)
            for a in (cp.answers[i] for cp in c.criteria)
        ]
        for i in range(len(c.reviews))
    ]
    keep = [j for j in range(len(c.criteria)) if sum(row[j] is not None for row in table) >= 1]
    table = [[row[j] for j in keep] for row in table]
    assert r.alpha == pytest.approx(_interval_alpha(table), abs=1e-9)
    assert r.k == pytest.approx(3.0) and 0 < r.icc < 1 and r.icc < r.icc_k < 1
    assert r.alpha_ci[0] <= r.alpha <= r.alpha_ci[1]
    assert panel_agreement(c).alpha_ci == r.alpha_ci  # seeded: the same interval each run


def test_one_reviewer_has_no_agreement_section(examples, invoke):
    res = invoke("consolidate", examples / JR03[0], examples / JR03[1] / "yamada.yaml", "-f", "json")
    assert json.loads(res.stdout)["agreement"] is None
    res = invoke("consolidate", examples / JR03[0], examples / JR03[1] / "yamada.yaml", "--lang", "en")
    assert "Agreement between reviewers" not in res.stdout


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_format_shows_the_agreement_with_its_meaning(examples, invoke, fmt, lang):
    res = invoke("consolidate", examples / JR03[0], examples / JR03[1], "-f", fmt, "--lang", lang,
                 env={"COLUMNS": "80"})  # fmt: skip
    assert res.exit_code == 0, res.output
    out = res.stdout
    if fmt == "json":
        data = json.loads(out)["agreement"]
        assert data["units"] == "criteria" and data["reviewers"] == 3
        assert data["alpha_ci"][0] <= data["alpha"] <= data["alpha_ci"][1]
        return
    flat = " ".join(out.replace("│", " ").split())
    if lang == "ja":
        assert "評価者間の一致度" in out and "クリッペンドルフの α" in flat and "1 に近いほど" in flat
    else:
        assert "Agreement between reviewers" in flat and "Near 1, the reviewers agree" in flat
        assert "sti-review reviewers CALL" in flat.replace("\\_", "_")


def test_identical_reviews_have_no_alpha_but_do_not_fail(examples, tmp_path, invoke):
    folder = tmp_path / "reviews"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(examples / JR03[1] / "yamada.yaml", folder / f"{name}.yaml")
        text = (folder / f"{name}.yaml").read_text(encoding="utf-8")
        (folder / f"{name}.yaml").write_text(
            text.replace("山田 花子", f"Reviewer {name}", 1), encoding="utf-8"
        )
    res = invoke("consolidate", examples / JR03[0], folder, "-f", "json")
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.stdout)["agreement"]
    # two identical score profiles: perfect agreement, alpha exactly 1
    assert data is None or data["alpha"] == pytest.approx(1.0)


def test_without_the_extra_the_section_is_left_out(examples, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "krippendorff" else real(n, *a)
    )
    c = _panel(examples)
    assert panel_agreement(c) is None and agreement_lines(c, "en") == []


def _big_panel(reviewers: int, units: int, seed: int = 7):
    import random

    from sti_review.stats import Grade

    rnd = random.Random(seed)
    grades = []
    for u in range(units):
        for r in range(reviewers):
            if rnd.random() < 0.8:  # some criteria left unanswered
                grades.append(Grade(f"C{u}", f"#{r}", rnd.choice([1, 2, 3, 3.5, 4, 4.5, 5])))
    return grades


@pytest.mark.parametrize("reviewers, units", [(120, 12), (90, 40)])
def test_a_large_panel_gets_the_same_figures_as_the_exact_small_panel_route(monkeypatch, reviewers, units):
    """Large panels go through closed forms (alpha from per-unit sums, reviewer effects through
    the Laplacian); forced down the route small panels take, the figures are the same."""
    from sti_review.stats import effects, reliability

    grades = _big_panel(reviewers, units)
    fast = reliability.reliability(grades, 1, 5)
    fast_fx = effects.reviewer_effects(grades, 1, 5)
    monkeypatch.setattr(reliability, "LARGE_TABLE", 10**9)
    monkeypatch.setattr(effects, "LARGE_PIECE", 10**9)
    exact = reliability.reliability(grades, 1, 5)
    exact_fx = effects.reviewer_effects(grades, 1, 5)
    for a, b in [(fast.alpha, exact.alpha), (fast.icc, exact.icc), (fast.icc_k, exact.icc_k)]:
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)
    assert fast.alpha_ci == pytest.approx(exact.alpha_ci, rel=1e-9, abs=1e-12)
    for x, y in zip(fast_fx.reviewers, exact_fx.reviewers, strict=True):
        assert x.reviewer == y.reviewer
        assert (x.effect, x.se) == pytest.approx((y.effect, y.se), rel=1e-9, abs=1e-12)
        assert x.ci == pytest.approx(y.ci, rel=1e-9, abs=1e-12)
    for x, y in zip(fast_fx.proposals, exact_fx.proposals, strict=True):
        assert (x.adjusted, x.se) == pytest.approx((y.adjusted, y.se), rel=1e-9, abs=1e-12)


def test_a_disconnected_call_with_a_large_piece_keeps_its_pieces_apart(monkeypatch):
    from sti_review.stats import Grade, effects

    grades = [g for g in _big_panel(100, 5)] + [
        Grade(f"Q{p}", f"solo{p % 2}", 3.0 + p % 2) for p in range(4)
    ]  # two pieces of one reviewer each beside the large one
    fast = effects.reviewer_effects(grades, 1, 5)
    monkeypatch.setattr(effects, "LARGE_PIECE", 10**9)
    exact = effects.reviewer_effects(grades, 1, 5)
    assert len(fast.components) == 3
    for x, y in zip(fast.reviewers, exact.reviewers, strict=True):
        assert x.component == y.component
        for a, b in [(x.effect, y.effect), (x.se, y.se)]:
            assert (a is None and b is None) or a == pytest.approx(b, rel=1e-9, abs=1e-12)
