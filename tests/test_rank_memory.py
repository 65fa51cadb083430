"""The memory a ranking keeps per proposal stays small (issue 17: 100,000 proposals of three
reviews each, ranked under 600 MB in all). A bound on bytes, not on time."""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from sti_review import ranking as ranking_module
from sti_review.ranking import EMPTY, AnswerSet, rank_call

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from rank_scale import generate

# Measured 2026-11 at ~2.5 KB a row of this synthetic call (it was ~3.7 KB before the compact
# layout); the bound leaves room for a field or two, not for either half of the old layout (the
# empty lists, ~0.45 KB; the answers as tuples, ~0.8 KB) to come back.
ROW_BOUND = 3_300


def _reachable(roots: list[Any], seen: set[int]) -> int:
    """Bytes of the objects reachable from ``roots`` not already in ``seen`` (which grows)."""
    total = 0
    stack = list(roots)
    while stack:
        x = stack.pop()
        if id(x) in seen or isinstance(x, type) or type(x).__name__ in ("module", "function"):
            continue
        seen.add(id(x))
        total += sys.getsizeof(x)
        stack.extend(gc.get_referents(x))
    return total


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("call")
    generate(root, 150, 3)
    return rank_call(root, fund=15, workers=1)


def test_row_of_three_reviews_stays_small(ranked: Any) -> None:
    rows = ranked.rows
    assert len(rows) == 150 and all(len(r.reviewers) == 3 for r in rows)
    seen: set[int] = set()
    # what all rows share is not theirs: the rubric, the tables of distinct answers and ids
    _reachable(
        [ranked.rubric, ranking_module._ANSWERS, ranking_module._IDS, EMPTY, *(r.outcome for r in rows)], seen
    )
    per_row = _reachable(rows, seen) / len(rows)
    assert per_row < ROW_BOUND, f"{per_row:.0f} bytes a row"


def test_rows_share_their_empty_lists_and_pack_answers(ranked: Any) -> None:
    row = next(r for r in ranked.rows if r.status == "funded")
    assert row.problems is EMPTY and row.problems == []
    assert type(row.answers) is AnswerSet and len(row.answers) == 3
    label, _role, answers = row.answers[0]
    assert label == row.reviewers[0] and "A1" in answers and answers["A1"].score is not None
    with pytest.raises(TypeError):
        row.problems.append("x")
    row.problems += ["x"]  # a new list for this row, the shared one stays empty
    assert row.problems == ["x"] and EMPTY == []
    row.problems = EMPTY


def test_rows_come_back_from_pickle_equal(ranked: Any) -> None:
    """A row pickled (the cache, the worker processes) reads back the same answers, also in a
    process whose table of answers is ordered differently."""
    rows = ranked.rows[:20]
    blob = pickle.dumps(rows, pickle.HIGHEST_PROTOCOL)
    before = [list(r.answers) for r in rows]
    saved = list(ranking_module._ANSWERS), dict(ranking_module._ANSWER_AT)
    try:
        ranking_module._ANSWERS.reverse()  # as another process would have them
        ranking_module._ANSWER_AT.clear()
        ranking_module._ANSWER_AT.update({a: i for i, a in enumerate(ranking_module._ANSWERS)})
        back = pickle.loads(blob)
        assert [list(r.answers) for r in back] == before
        assert all(r.problems is EMPTY for r in back if not r.problems)
    finally:
        ranking_module._ANSWERS[:] = saved[0]
        ranking_module._ANSWER_AT.clear()
        ranking_module._ANSWER_AT.update(saved[1])
