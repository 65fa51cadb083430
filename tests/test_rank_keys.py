"""The ranking's integer sort keys order and tie exactly as the Fractions they replace (issue 17)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from sti_review.ranking import RankedProposal, _integer_keys, _order_key


def _rows(seed: int, n: int) -> list[RankedProposal]:
    rng = random.Random(seed)
    values = [None, Fraction(0), Fraction(7, 2), Fraction(1, 3), Fraction(2, 6), Fraction(10**30, 7)]
    values += [Fraction(rng.randint(0, 400), rng.choice([1, 2, 3, 4, 6, 7, 12])) for _ in range(20)]
    out = []
    for i in range(n):
        r = RankedProposal(id=f"P-{i:03d}", path=f"p{i}.yaml")
        r.weighted_percent = rng.choice(values)
        r.document_percent = rng.choice([None, *values[:4]])
        r.overall = rng.choice(values)
        r.tie_values = tuple(rng.choice(values) for _ in range(rng.choice([0, 2, 3])))
        out.append(r)
    return out


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("by", ["weighted", "overall"])
def test_integer_keys_order_and_tie_as_the_fractions(seed, by):
    rows = _rows(seed, 60)
    exact = {id(r): _order_key(r, by) for r in rows}  # type: ignore[arg-type]
    ints = _integer_keys(rows, by)  # type: ignore[arg-type]
    for a in rows:
        for b in rows:
            ka, kb, ia, ib = exact[id(a)], exact[id(b)], ints[id(a)], ints[id(b)]
            assert (ka < kb) == (ia < ib)
            assert (ka == kb) == (ia == ib)


def test_no_rows_and_a_float_fall_back():
    assert _integer_keys([], "weighted") == {}
    r = RankedProposal(id="P", path="p.yaml")
    r.weighted_percent = 0.5  # type: ignore[assignment]
    assert _integer_keys([r], "weighted") == {id(r): _order_key(r, "weighted")}
