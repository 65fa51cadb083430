"""One line breaker for every terminal table, panel and prompt: Japanese and English by display width.

Breaks, in order of preference:

1. after a run of spaces (Latin text), and at Japanese phrase boundaries found by BudouX
   (the segmenter Chrome uses for ``word-break: auto-phrase``);
2. between two Japanese characters, when no phrase fits on the line;
3. inside an unbreakable token, only when that token alone is wider than the line.

Never, unless forced by (3): before a character that may not start a line (、。）」ー and small
kana, 禁則処理), after one that may not end a line (（「『【), inside a run of Latin letters, digits
and punctuation (ASCII words, ids such as ``CALL26-JR-05`` or ``data_plan``, numbers such as
``400,000`` or ``4.5/5``), nor inside a number with its units (``2026年11月28日``, ``4億5000万円``).
Existing newlines are kept; spaces at a break are dropped and trailing spaces trimmed.

Pure functions over ``str``; no rich, no typer. Width: East Asian Wide/Fullwidth = 2 cells,
combining and zero-width characters = 0, everything else (including Ambiguous) = 1, as a terminal
in a non-CJK locale and rich count it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import Protocol

__all__ = [
    "NO_END",
    "NO_START",
    "cell_width",
    "fit",
    "hanging_layout",
    "min_width",
    "text_width",
    "wrap",
    "wrap_spans",
]

# 禁則処理 (JIS X 4051 classes cl-02, cl-04, cl-05, cl-06, cl-07, cl-11 and their half-width forms).
_CLOSING = ")]}）］｝〕〉》」』】〙〗〟’”｣»›"
_SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ"
_PUNCT = "、。，．,.!！?？:：;；・･｡､‥…ー～〜ｰ゛゜ゝゞヽヾ々〻%％‐゠–〜"
NO_START = frozenset(_CLOSING + _SMALL_KANA + _PUNCT)
"""Characters that never begin a line."""
NO_END = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｢«‹")
"""Characters that never end a line."""

_SPACE = frozenset(" \t")

# A number with what belongs to it: a currency or ordinal prefix, digits with their separators
# (400,000  4.5/5  2026-11-28  10:30), a percent sign and counters or units that follow (年 月 日
# 円 万 億 …), repeated so that 2026年11月28日 and 4億5000万円 stay whole. ``\d`` matches full-width
# digits too.
_UNITS = "年月日時分秒円千万億兆点件名人回歳倍割個号期次度週者社校"
_NUMBER = re.compile(
    rf"[¥￥$＄#＃№第約]?(?:\d+(?:[.,．，:：/／\-－–〜～]\d+)*[%％]?[{_UNITS}]*)+",
)

_RANGES_WORD_FULLWIDTH = (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ"))
_PREFER, _CHAR = 2, 1  # break classes; 0 = no break here


@lru_cache(maxsize=4096)
def cell_width(ch: str) -> int:
    """Terminal cells taken by one character."""
    if ch in _SPACE:
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal cells taken by a line of text."""
    if text.isascii() and text.isprintable():  # one cell each (a tab or control: counted below)
        return len(text)
    return sum(map(cell_width, text))


def _wordish(ch: str) -> bool:
    """Part of a Latin word, id or number: narrow and not a space, or a full-width letter or digit."""
    if ch in _SPACE:
        return False
    if cell_width(ch) < 2:
        return True
    return any(lo <= ch <= hi for lo, hi in _RANGES_WORD_FULLWIDTH)


def _is_japanese(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _has_japanese(para: str) -> bool:
    """Kana or kanji in ``para``; ``max`` first, in C (a regular expression of these ranges
    costs ~2 ms to compile at every start)."""
    return bool(para) and max(para) >= "\u3040" and any(_is_japanese(ch) for ch in para)


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    """BudouX's Japanese model, loaded once (import ~10 ms, model ~1 ms)."""
    try:
        import budoux
    except ImportError:  # pragma: no cover - budoux is a dependency; without it, break by character
        return None
    return budoux.load_default_japanese_parser()


def _phrase_starts(para: str) -> set[int]:
    """Offsets where BudouX starts a new phrase (only worth asking for text with Japanese in it)."""
    if not _has_japanese(para):
        return set()
    parser = _parser()
    if parser is None:  # pragma: no cover
        return set()
    starts, pos = set(), 0
    for chunk in parser.parse(para):
        pos += len(chunk)
        starts.add(pos)
    starts.discard(len(para))
    return starts


class BreakMemo(Protocol):
    """Where break classes computed in earlier runs are kept (``sti_review.text.memo``)."""

    def get(self, para: str) -> bytes | None: ...

    def put(self, para: str, classes: bytes) -> None: ...


_UNSET: BreakMemo = object()  # type: ignore[assignment]
_memo: BreakMemo | None = _UNSET


def set_memo(memo: BreakMemo | None) -> None:
    """Consult ``memo`` before computing a paragraph's breaks, and tell it what was computed."""
    global _memo
    _memo = memo
    _breaks.cache_clear()


def _current_memo() -> BreakMemo | None:
    """The disk memo when the command-line process's disk caches are on (``rubric_cache``,
    enabled by ``sti-review`` only, so a library user never gets one), else none."""
    global _memo
    if _memo is _UNSET:
        _memo = None
        caches = sys.modules.get("sti_review.rubric_cache")
        if caches is not None and caches.enabled():
            from .memo import disk_memo

            _memo = disk_memo()
    return _memo


@lru_cache(maxsize=4096)
def _breaks(para: str) -> tuple[int, ...]:
    """For each offset 0..len, how good a break before ``para[i]`` is (0 = forbidden)."""
    memo = _current_memo()
    if memo is None:
        return _compute_breaks(para)
    known = memo.get(para)
    if known is not None and len(known) == len(para) + 1 and max(known, default=0) <= _PREFER:
        return tuple(known)
    cls = _compute_breaks(para)
    memo.put(para, bytes(cls))
    return cls


def _compute_breaks(para: str) -> tuple[int, ...]:
    n = len(para)
    cls = [_CHAR] * (n + 1)
    cls[0] = cls[n] = 0
    indent = n - len(para.lstrip(" \t"))
    for i in range(1, n):
        a, b = para[i - 1], para[i]
        if b in _SPACE:
            cls[i] = 0  # break after the spaces, never before them
        elif a in _SPACE:
            # not after the paragraph's own indentation: that would leave an empty line
            cls[i] = _PREFER if i > indent else 0
        elif (_wordish(a) and _wordish(b)) or cell_width(b) == 0 or a == "\u200d":
            cls[i] = 0
    for m in _NUMBER.finditer(para):
        for i in range(m.start() + 1, m.end()):
            cls[i] = 0
    for i in _phrase_starts(para):
        if cls[i] == _CHAR:
            cls[i] = _PREFER
    for i in range(1, n):
        before = i - 1
        while before > 0 and para[before] in _SPACE:  # "「 「": the bracket before the spaces counts
            before -= 1
        if para[i] in NO_START or para[before] in NO_END:
            cls[i] = 0
    return tuple(cls)


def _clusters(para: str) -> list[tuple[int, int, int]]:
    """Unbreakable pieces as (start, end, class of the break before them)."""
    cls = _breaks(para)
    out: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(para) + 1):
        if i == len(para) or cls[i]:
            out.append((start, i, cls[start] if start else 0))
            start = i
    return out


def _hard_break(para: str, start: int, end: int, width: int) -> int:
    """Where to cut para[start:end] so that the first piece fits ``width`` (at least one character)."""
    used, i = 0, start
    while i < end:
        w = cell_width(para[i])
        if used + w > width and i > start:
            break
        used += w
        i += 1
        # keep combining marks with their base character
        while i < end and cell_width(para[i]) == 0:
            i += 1
    return i


@lru_cache(maxsize=2048)
def _wrap_para(para: str, width: int) -> tuple[tuple[int, int], ...]:
    if not para.strip(" \t"):
        return ((0, 0),)
    pieces = _clusters(para)
    lines: list[tuple[int, int]] = []
    k = 0
    while k < len(pieces):
        line_start = pieces[k][0]
        used = 0
        fits: list[int] = []  # indices j such that pieces[k:j] fit on the line
        j = k
        while j < len(pieces):
            s, e, _c = pieces[j]
            seg = para[s:e]
            w = text_width(seg.rstrip(" \t"))
            if used + w > width:
                break
            used += text_width(seg)
            j += 1
            fits.append(j)
        if not fits:
            # A single unbreakable piece wider than the line: cut it, and only it.
            s, e, c = pieces[k]
            cut = _hard_break(para, s, e, width)
            lines.append((s, cut))
            while cut < e and para[cut] in _SPACE:  # spaces at a break are dropped
                cut += 1
            if cut < e:
                pieces[k] = (cut, e, c)
            else:
                k += 1
            continue
        if fits[-1] == len(pieces):
            end_k = fits[-1]
        else:
            preferred = [j for j in fits if pieces[j][2] == _PREFER]
            end_k = preferred[-1] if preferred else fits[-1]
        end = pieces[end_k - 1][1]
        lines.append((line_start, end))
        k = end_k
    # trim the spaces at each break and at the end
    out = []
    for s, e in lines:
        while e > s and para[e - 1] in _SPACE:
            e -= 1
        out.append((s, e))
    return tuple(out)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for para in text.split("\n"):
        out.append((pos, para))
        pos += len(para) + 1
    return out


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Each output line as (start, end) offsets into ``text`` (newlines ``\\n``; ``\\r`` is the caller's)."""
    width = max(int(width), 1)
    spans: list[tuple[int, int]] = []
    for offset, para in _paragraphs(text):
        spans.extend((offset + s, offset + e) for s, e in _wrap_para(para, width))
    return spans


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells (see the module's docstring for where lines break)."""
    return [text[s:e] for s, e in wrap_spans(text, width)]


def fit(text: str, width: int) -> str:
    """``wrap`` joined with newlines."""
    return "\n".join(wrap(text, width))


@lru_cache(maxsize=2048)
def min_width(text: str) -> int:
    """Cells of the widest unbreakable piece: narrower than this, something must be cut."""
    best = 0
    for _offset, para in _paragraphs(text):
        for s, e, _c in _clusters(para):
            best = max(best, text_width(para[s:e].rstrip(" \t")))
    return best


@lru_cache(maxsize=2048)
def max_width(text: str) -> int:
    """Cells of the widest line as written (the width at which nothing needs to wrap)."""
    return max((text_width(p.rstrip(" \t")) for _o, p in _paragraphs(text)), default=0)


_BULLETS = frozenset("•◦·→–-*")


def _lead(plain: str) -> str:
    """A line's leading spaces and bullet with its spaces, under which its continuation lines
    hang (``^[ \\t]*(?:[•◦·→–\\-*][ \\t]+)?``, without compiling it at every start)."""
    i, n = 0, len(plain)
    while i < n and plain[i] in _SPACE:
        i += 1
    if i + 1 < n and plain[i] in _BULLETS and plain[i + 1] in _SPACE:
        i += 1
        while i < n and plain[i] in _SPACE:
            i += 1
    return plain[:i]


def hanging_layout(plain: str, width: int, indent: int | None = None) -> list[tuple[int, int, int]] | None:
    """A paragraph with a hanging indent: continuation lines start under the text after the first
    line's leading spaces and bullet ("• …", "  R2 …"), or ``indent`` cells in. The lines as
    (start, end, indent) in ``plain``; None when the text fits on one line as it is. The one
    rule for the terminal's rich ``paragraph`` and its plain writer."""
    hang = indent if indent is not None else text_width(_lead(plain))
    if hang * 2 > width:
        hang = 0
    if "\n" not in plain and text_width(plain) <= width:
        return None
    out: list[tuple[int, int, int]] = []
    base = 0
    for para in plain.split("\n"):
        spans = wrap_spans(para, width)
        if len(spans) > 1 and hang:
            out.append((base + spans[0][0], base + spans[0][1], 0))
            rest = para[spans[0][1] :]
            start = base + spans[0][1] + len(rest) - len(rest.lstrip(" "))
            out += [(start + s, start + e, hang) for s, e in wrap_spans(rest.lstrip(" "), width - hang)]
        else:
            out += [(base + s, base + e, 0) for s, e in spans]
        base += len(para) + 1
    return out
