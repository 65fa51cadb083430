"""The fast form of the expected-rank model: the same likelihood two ways, padding, the cache."""

from __future__ import annotations

import numpy as np
import pytest

from sti_review.stats.expected_rank import (
    _bucket,
    _collapsed_model,
    _grade_args,
    _summary_args,
    _summary_model,
    _use_compilation_cache,
    priors_for,
)

from .test_stats import mock_panel

pytest.importorskip("numpyro")


def test_buckets_pad_by_at_most_half():
    for n in range(1, 5000, 37):
        b = _bucket(n)
        assert n <= b <= max(8, 1.5 * n)
    assert [_bucket(n) for n in (1, 8, 9, 12, 13, 17, 25)] == [8, 8, 12, 12, 16, 24, 32]


def _incomplete():
    grades = [g for i, g in enumerate(mock_panel("p2")) if i % 4 != 1]  # 1 to 5 grades a proposal
    props = sorted({g.proposal for g in grades})
    revs = sorted({g.reviewer for g in grades})
    p_idx = np.array([props.index(g.proposal) for g in grades], np.int32)
    r_idx = np.array([revs.index(g.reviewer) for g in grades], np.int32)
    y = np.array([g.grade for g in grades])
    return p_idx, r_idx, y, len(props), len(revs)


def test_summary_and_per_grade_likelihoods_agree_and_match_a_direct_computation():
    from numpyro.infer.util import log_density
    from scipy.stats import multivariate_normal

    p_idx, r_idx, y, n_p, n_r = _incomplete()
    counts = np.bincount(p_idx, minlength=n_p).astype(float)
    m = float((np.bincount(p_idx, weights=y) / counts).mean())
    pr = priors_for(1, 6)
    ks = np.unique(counts)
    assert len(ks) > 1  # several groups
    bp, br, bg = _bucket(n_p), _bucket(n_r), _bucket(len(y))
    rng = np.random.default_rng(5)
    nu = np.zeros(br, np.float32)
    nu[:n_r] = rng.normal(0, 0.4, n_r)
    params = {"nu": nu, "tau_proposal": np.float32(0.6), "noise": np.float32(0.8)}
    summary = _summary_args(p_idx, r_idx, y, counts, m, ks, 1 << (len(ks) - 1).bit_length(), br, pr)
    per_grade = _grade_args(p_idx, r_idx, y, counts, m, bp, bg, pr)
    a, _ = log_density(_summary_model(br), summary, {}, params)
    b, _ = log_density(_collapsed_model(bp, br), per_grade, {}, params)
    assert float(a) == pytest.approx(float(b), rel=1e-4)
    # the grades' likelihood itself, from the multivariate Normal of each proposal
    direct = 0.0
    for i in range(n_p):
        sel = p_idx == i
        cov = 0.8**2 * np.eye(sel.sum()) + 0.6**2
        direct += multivariate_normal(m + nu[r_idx[sel]], cov).logpdf(y[sel])
    from scipy.stats import norm

    b = pr.bound
    prior = norm.logpdf(nu, 0, pr.nu_sd).sum() - np.log(b - 1e-6) - np.log(b * np.sqrt(2) - 1e-6)
    prior += np.log(0.8) + np.log(np.pi / 2)  # the noise's prior factor (0.8 < b: the whole arc)
    assert float(a) == pytest.approx(direct + prior, rel=1e-4)


class _FakeJax:
    def __init__(self):
        self.config = self
        self.seen = {}

    def update(self, key, value):
        self.seen[key] = value


def test_the_compilation_cache_lives_in_the_tools_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "c"))
    jax = _FakeJax()
    _use_compilation_cache(jax)
    assert jax.seen["jax_compilation_cache_dir"] == str(tmp_path / "c" / "jax")
    assert (tmp_path / "c" / "jax").is_dir()
    assert jax.seen["jax_persistent_cache_min_compile_time_secs"] == 0


def test_a_cache_folder_that_cannot_be_made_leaves_the_cache_off(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STI_REVIEW_CACHE", str(blocker))
    jax = _FakeJax()
    _use_compilation_cache(jax)  # no exception
    assert "jax_compilation_cache_dir" not in jax.seen
