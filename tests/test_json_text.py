"""The JSON writer gives exactly what the standard library gives, only faster (sanitize.json_text)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sti_review.sanitize import _indented, json_text

_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()
)
_data = st.recursive(
    _leaf,
    lambda c: st.one_of(st.lists(c), st.dictionaries(st.text(), c), st.tuples(c, c)),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(_data)
def test_same_text_as_the_standard_library(data: object) -> None:
    assert _indented(data) == json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def test_what_is_not_plain_data_is_left_to_the_standard_library() -> None:
    assert json_text({1: "a"}) == json.dumps({1: "a"}, ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(ValueError):
        json_text({"x": float("inf")})  # RFC 8259 has no Infinity: refused, never written
    with pytest.raises(TypeError):
        json_text({"x": Fraction(1, 3)})


def test_unsafe_characters_are_still_escaped() -> None:
    assert json_text({"t": "a\u202eb\x9b"}) == '{\n  "t": "a\\u202eb\\u009b"\n}\n'
