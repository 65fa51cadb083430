"""The cheaper forms on the ranking's hot path give what the plain forms give (issue 17).

- ``made_answer`` builds the panel's answers as ``Answer.model_construct`` does;
- ``TopKey`` finds a top-level ``key:`` line, in text or in bytes, exactly where the regular
  expression with ``^`` in multi-line mode does;
- routing a file reads its head as bytes: a byte-order mark and a CRLF file route as before.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sti_review.callfolder import route_file
from sti_review.review import Answer, made_answer
from sti_review.rules import ID_LINE, PROPOSAL_LINE, TopKey


def test_made_answer_is_model_construct() -> None:
    for score, verdict, conditions, na, comment in [
        (3.5, None, [], False, None),
        (None, "conditional", ["法令遵守の確認"], False, "条件付き"),
        (None, None, [], True, None),
    ]:
        fast = made_answer(score, verdict, conditions, na, comment)
        slow = Answer.model_construct(
            score=score, verdict=verdict, conditions=conditions, na=na, comment=comment
        )
        assert fast == slow
        assert fast.model_dump() == slow.model_dump()
        assert fast.model_fields_set == slow.model_fields_set
        assert repr(fast) == repr(slow)
        fast.comment = "changed"  # a model of its own: setting a field works as on any Answer
        assert fast.comment == "changed" and slow.comment == comment


_PIECES = ["id:", "id: X-1", "\n", "proposal: 'P-1'", " # c", "answers:", "reviewer:", "\r\n", "x", "  id: Y"]
_PIECES += ["\nid:\tZ9 #k", "é", "#", "'", '"', "\t", "proposal:", "programmes:", "日本"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_top_key_finds_what_caret_finds(text: str) -> None:
    for key, pattern in [
        (ID_LINE, ID_LINE.pattern),
        (PROPOSAL_LINE, PROPOSAL_LINE.pattern),
        (TopKey("(?:answers|reviewer):"), "(?:answers|reviewer):"),
    ]:
        m = re.search("^" + pattern, text, re.M)
        expected = (m.group(1) if m.groups() else m.group()) if m else None
        found = key.search(text)
        assert (found is None) == (m is None)
        if m and m.groups():
            assert key.value(text) == expected == key.value(text.encode("utf-8"))
        assert (key.search(text.encode("utf-8")) is None) == (m is None)


def test_route_reads_heads_as_bytes(tmp_path) -> None:
    bom = tmp_path / "p.yaml"
    bom.write_bytes(b"\xef\xbb\xbfid: P-001\nprogramme: general\n")
    assert route_file(str(bom))[1:] == ("proposal", "P-001")
    review = tmp_path / "r.yaml"
    review.write_bytes("# 審査\r\nproposal: P-001\nreviewer: 山田\n".encode())
    assert route_file(str(review))[1:] == ("review", "P-001")
    latin = tmp_path / "q.yaml"
    latin.write_bytes(b"title: \xff\xfe\nid: Q-2\n")  # not UTF-8: still routed by its id line
    assert route_file(str(latin))[1:] == ("proposal", "Q-2")


_WIDE_PIECES = [
    "日本",
    "語",
    " ",
    "  ",
    "a",
    "。",
    "ア",
    "x y",
    "（",
    "\n",
    "全角　",
    "𠀋",
    "\u3000",
    "\uffef",
    "\u2fff",
    "ｱ",
    "\u4dc0",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WIDE_PIECES), max_size=14).map("".join))
def test_folded_japanese_space_rule_unchanged(text: str) -> None:
    """Folding removes the space between two Japanese characters and no other (the rule as
    first written, with the look-behind before the space), by hand and by the compiled rule."""
    from sti_review import yamlio

    as_first_written = re.compile(f"(?<=[{yamlio._WIDE}]) (?=[{yamlio._WIDE}])")
    expected = as_first_written.sub("", text)
    saved = yamlio._FOLD_RULE[:], yamlio._FOLDS_BY_HAND
    try:
        yamlio._FOLD_RULE.clear()
        yamlio._FOLDS_BY_HAND = 10
        assert yamlio.unfold_japanese(text) == expected  # by hand
        yamlio._FOLDS_BY_HAND = -1
        assert yamlio.unfold_japanese(text) == expected  # the rule compiled
        assert yamlio.unfold_japanese(text) == expected  # and kept
    finally:
        yamlio._FOLD_RULE[:] = saved[0]
        yamlio._FOLDS_BY_HAND = saved[1]


def test_pinned_lookups_give_the_same_words(monkeypatch) -> None:
    """Once the CLI pins its environment, words come from a memo: the same words for every
    key of both catalogues, for a scoped catalogue, and the key itself for a missing one."""
    from sti_review import i18n

    monkeypatch.setattr(i18n, "_PINNED", [])
    monkeypatch.setattr(i18n, "_WORDS", {})
    catalogues = [i18n.load(lang) for lang in ("ja", "en")]
    keys = sorted({k for cat in catalogues if cat is not None for k in cat.messages})
    assert len(keys) > 500
    panel = i18n.catalog("panel")
    scoped = sorted({k.removeprefix("panel.") for k in keys if k.startswith("panel.")}) + [
        "totals",
        "no.such",
    ]
    before = {(k, lang): i18n.t(k, lang) for k in [*keys, "no.such.key"] for lang in ("ja", "en")}
    before_panel = {(k, lang): panel(k, lang) for k in scoped for lang in ("ja", "en")}
    i18n.pin_environment()
    for _ in range(2):  # the first pass fills the memo, the second reads it
        assert {(k, lang): i18n.t(k, lang) for k in [*keys, "no.such.key"] for lang in ("ja", "en")} == before
        assert {(k, lang): panel(k, lang) for k in scoped for lang in ("ja", "en")} == before_panel
    assert i18n.t("no.such.key", "ja") == "no.such.key"


_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_JSON_DATA = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(_JSON_DATA, st.integers(min_value=0, max_value=3))
def test_native_json_is_json_dumps(data, base) -> None:
    """orjson's text, when used, is json.dumps's to the byte (numbers, escapes, indentation,
    nesting); where it could differ the Python writer is used instead."""
    import json

    from sti_review.sanitize import _native, _pad

    fast = _native(data, base)
    expected = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", _pad(base))
    if fast is not None:
        assert fast == expected


def test_routing_by_place_gives_what_routing_by_text_gives(tmp_path, monkeypatch) -> None:
    """A call laid out as documented (``proposals/<id>.yaml``, ``reviews/<id>/<name>.yaml``) is
    routed without opening its files; where the layout says something the files do not (a
    proposal file named for another id, a review filed under another proposal, a review in
    ``proposals/``, a folder of reviews without its proposal), the ranking is the same as when
    every file is routed by its text."""
    from sti_review import callfolder, ranking
    from sti_review.ranking import rank_call
    from tests.calls import proposal_yaml, review_yaml, write_call

    s = {"A": 4, "B": 3, "C": 4, "X": 4, "JR": 3}
    call = write_call(
        tmp_path / "call",
        {
            "proposals/P-1.yaml": proposal_yaml("P-1"),
            "proposals/P-2.yaml": proposal_yaml("P-9"),  # the file's name is not its id
            "proposals/P-3.yaml": proposal_yaml("P-3"),
            "proposals/P-4.yaml": review_yaml("P-1", "迷子", s),  # a review among the proposals
            "reviews/P-1/a.yaml": review_yaml("P-1", "審査委員A", s),
            "reviews/P-1/b.yaml": review_yaml("P-3", "審査委員B", s),  # filed under P-1, names P-3
            "reviews/P-2/c.yaml": review_yaml("P-9", "審査委員C", s),
            "reviews/P-3/d.yaml": review_yaml("P-3", "審査委員D", s),
            "reviews/P-4/e.yaml": review_yaml("P-1", "審査委員E", s),
            "reviews/P-7/f.yaml": review_yaml("P-7", "審査委員F", s),  # no such proposal
        },
    )
    placed = callfolder.route_by_place([str(p) for p in sorted(call.rglob("*.yaml"))])
    assert sum(r is not None for r in placed) >= 8  # this call is routed by place

    def summary() -> list[tuple[object, ...]]:
        r = rank_call(call, fund=2)
        rows = [(x.id, x.rank, x.status, x.weighted_percent, tuple(x.review_files)) for x in r.rows]
        return [rows, sorted(str(p) for p in r.problems)]

    by_place = summary()
    monkeypatch.setattr(ranking, "route_by_place", lambda paths: [None] * len(paths))
    assert summary() == by_place
