"""How well a reviewer's expertise fits a proposal: character n-gram TF-IDF and cosine similarity.

Character n-grams (2-4, within words) work for Japanese, which has no spaces between words, and
for English alike, with no dictionary, tokenizer or model to download. The vocabulary is fitted
on the call's proposals and the pool's expertise together. scikit-learn is an optional extra
(``pip install 'sti-review[assign]'``), imported only here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .proposal import Proposal
from .reviewers import Reviewer

_JA = re.compile("[\u3040-\u30ff\u3400-\u9fff]")

MISSING_EXTRA = (
    "この機能には追加パッケージが必要です: pip install 'sti-review[assign]' / "
    "this needs the optional packages: pip install 'sti-review[assign]' ({missing})"
)


def require(module: str) -> Any:
    """Import an optional dependency, or stop with a bilingual message (exit code 2)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UsageError(MISSING_EXTRA.format(missing=exc.name or module)) from None


def proposal_text(p: Proposal) -> str:
    parts = [p.title, p.title, p.summary, *p.sections.values(), *(k.indicator for k in p.kpis)]
    return _clean(" ".join(parts))


def reviewer_text(r: Reviewer) -> str:
    # Keywords count twice: they are what the reviewer chose to say about themselves.
    return _clean(" ".join([*r.keywords, *r.keywords, r.expertise]))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass
class Affinity:
    """scores[i, j]: proposal i, reviewer j, in [0, 1]."""

    scores: Any  # numpy array (proposals x reviewers), float32
    _p: Any
    _r: Any
    _terms: Any

    def top_terms(self, i: int, j: int, n: int = 5) -> list[str]:
        """The n-grams that contribute most to the pair's similarity."""
        import numpy as np

        if self._p is None:
            return []
        a, b = self._p[i], self._r[j]
        common = np.intersect1d(a.indices, b.indices, assume_unique=True)
        if common.size == 0:
            return []
        av = dict(zip(a.indices, a.data, strict=True))
        bv = dict(zip(b.indices, b.data, strict=True))
        ranked = sorted(common, key=lambda k: -(av[k] * bv[k]))
        out: list[str] = []
        for k in ranked:
            term = str(self._terms[k]).strip()
            if len(term) < (2 if _JA.search(term) else 3) or any(term in t for t in out):
                continue
            out = [t for t in out if t not in term] + [term]
            if len(out) == n:
                break
        return out


def compute(proposals: Sequence[Proposal], reviewers: Sequence[Reviewer]) -> Affinity:
    text = require("sklearn.feature_extraction.text")
    np = require("numpy")
    docs = [proposal_text(p) for p in proposals] + [reviewer_text(r) for r in reviewers]
    vec = text.TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float32,
        # n-grams in most texts ("the", "ion", "研究") say nothing about expertise
        max_df=0.5 if len(docs) >= 10 else 1.0,
    )
    if not any(d.strip() for d in docs):
        scores = np.zeros((len(proposals), len(reviewers)), dtype=np.float32)
        return Affinity(scores, None, None, [])
    matrix = vec.fit_transform(docs).tocsr()
    matrix.sort_indices()
    p, r = matrix[: len(proposals)], matrix[len(proposals) :]
    scores = np.asarray((p @ r.T).todense(), dtype=np.float32)
    return Affinity(scores, p, r, vec.get_feature_names_out())
