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
    _docs: Sequence[str] = ()  # the proposals' texts, then the reviewers', as vectorised

    def top_terms(self, i: int, j: int, n: int = 5) -> list[str]:
        """The words the pair shares that contribute most to its similarity: each n-gram grown to
        what both texts have around it (a whole word in English, the longest run of Japanese
        both share), so the report shows whole words, never a piece such as "ostd"."""
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
        n_p = self._p.shape[0]
        ptext, rtext = (self._docs[i], self._docs[n_p + j]) if self._docs else ("", "")
        for k in ranked:
            term = str(self._terms[k]).strip()
            if ptext and rtext:
                grown = shared_word(term, ptext, rtext)
                if grown is None:
                    continue  # a piece of two different words ("tion" in two nouns): no evidence
                term = grown
            if len(term) < (2 if _JA.search(term) else 3) or any(term in t for t in out):
                continue
            out = [t for t in out if t not in term] + [term]
            if len(out) == n:
                break
        return out


_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


# English function words: shared by every two texts, evidence of nothing
_STOP = frozenset(
    "and the for with from into that this these those are was were its their our your has have "
    "will can not but also which who such than then".split()
)
_KANJI = re.compile("[\u3400-\u9fff\u3005]+")
_KATAKANA = re.compile("[\u30a0-\u30ff]+")


def _longest_core(term: str) -> tuple[str, re.Pattern[str]] | None:
    """The longest stretch of one script (kanji, or katakana) in a Japanese n-gram: 「の若手」
    gives 若手; kana particles and punctuation are no evidence of expertise."""
    best: tuple[str, re.Pattern[str]] | None = None
    for pattern in (_KANJI, _KATAKANA):
        for piece in pattern.findall(term):
            if best is None or len(piece) > len(best[0]):
                best = (piece, pattern)
    return best


def shared_word(term: str, ptext: str, rtext: str) -> str | None:
    """What the proposal and the reviewer share around an n-gram, or None when the n-gram is only
    a piece of different words ("tion" in two nouns, 「レーシ」 in two katakana words):
    - English: the whole word both texts use;
    - katakana: the whole katakana word both use (「ゲノム」);
    - kanji (compounds have no boundary to find): the longest run of kanji around the n-gram
      that both texts contain (「若手研究者」, 「数理科学」)."""
    if _JA.search(term):
        core = _longest_core(term)
        if core is None or len(core[0]) < 2:
            return None
        piece, pattern = core
        mine = [w for w in pattern.findall(ptext) if piece in w]
        theirs = [w for w in pattern.findall(rtext) if piece in w]
        if pattern is _KATAKANA:
            common = set(mine) & set(theirs)
            return min(common, key=lambda w: (-len(w), w)) if common else None
        best = piece if theirs else None
        for run in set(mine):
            at = run.find(piece)
            for lo in range(at + 1):
                for hi in range(len(run), at + len(piece) - 1, -1):
                    grown = run[lo:hi]
                    if best is not None and len(grown) <= len(best):
                        break
                    if piece in grown and any(grown in r for r in theirs):
                        best = grown
                        break
        return best
    mine_words = {w for w in _WORD.findall(ptext) if term in w and w not in _STOP}
    common_words = mine_words & {w for w in _WORD.findall(rtext) if term in w}
    return min(common_words, key=lambda w: (-len(w), w)) if common_words else None


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
    return Affinity(scores, p, r, vec.get_feature_names_out(), docs)
