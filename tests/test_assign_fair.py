"""assign --fair against brute force: the weakest proposal first, then the total (issue 19 item 4)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sti_review.assignment import Infeasible, Options, assign

from .test_assign import _people, _proposals

pytest.importorskip("scipy")


def _lexicographic_best(scores, k, max_load, n_r):  # type: ignore[no-untyped-def]
    """(best weakest proposal, best total among assignments reaching it), or None; all read all."""
    n_p = len(scores)
    best = None
    for choice in itertools.product(*[list(itertools.combinations(range(n_r), k))] * n_p):
        loads = [0] * n_r
        for c in choice:
            for j in c:
                loads[j] += 1
        if max(loads) > max_load:
            continue
        per = [sum(scores[i][j] for j in c) for i, c in enumerate(choice)]
        key = (round(min(per), 6), round(sum(per), 6))
        best = key if best is None or key > best else best
    return best


instances = st.integers(2, 4).flatmap(
    lambda n_p: st.integers(2, 4).flatmap(
        lambda n_r: st.tuples(
            st.just(n_p),
            st.just(n_r),
            st.integers(1, min(2, n_r)),
            st.integers(1, 3),
            st.lists(
                st.lists(st.integers(0, 8).map(lambda x: x / 8), min_size=n_r, max_size=n_r),
                min_size=n_p,
                max_size=n_p,
            ),
        )
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(instances)
def test_fair_reaches_the_brute_force_optimum(instance) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    n_p, n_r, k, max_load, rows = instance
    scores = np.array(rows, dtype="float32")
    people = _people(n_r, [["ja", "en"]], max_load=max_load)
    props = _proposals(n_p, ja=0)
    best = _lexicographic_best(rows, k, max_load, n_r)
    if best is None:
        with pytest.raises(Infeasible):
            assign(props, people, scores, set(), Options(k, fair=True))
        return
    fair = assign(props, people, scores, set(), Options(k, fair=True))
    plain = assign(props, people, scores, set(), Options(k))
    assert fair.fair_status == "optimal"
    assert fair.weakest == pytest.approx(best[0], abs=1e-5)
    assert fair.objective == pytest.approx(best[1], abs=1e-5)
    # Every proposal gets k reviewers, no reviewer beyond the load.
    assert all(len(v) == k for v in fair.by_proposal().values())
    assert max(fair.loads().values()) <= max_load
    # Fairness never lowers the weakest; at the same weakest it never lowers the total.
    assert fair.weakest >= plain.weakest - 1e-6
    if fair.weakest == pytest.approx(plain.weakest, abs=1e-6):
        assert fair.objective >= plain.objective - 1e-6
