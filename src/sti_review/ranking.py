"""Ranking of a whole call: load a folder of proposals and reviews, consolidate each proposal's
reviews, rank the eligible ones, draw a funding line and mark the border zone around it.

Finding and reading the files of a call folder is ``callfolder``'s; what is kept of each file
is in ``summaries``.

A file with a problem never drops a proposal silently: the problem is kept, located, and the
proposal it concerns is ranked ``invalid``.

Large calls are read by a pool of worker processes in two passes. A cheap *routing* pass reads
each file's ``id:`` or ``proposal:`` line; then each worker takes a proposal with the reviews
that name it, parses and checks them all, consolidates them and sends back one small row (no
YAML trees, no free text cross the process boundary). Whatever routing guessed wrong (an id
written in an unusual way) is put right afterwards, in the main process, from the parsed files.
"""

from __future__ import annotations

import copy
import math
import operator
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .callfolder import (
    Progress,
    Record,
    chunks,
    default_workers,
    discover,
    locate_field,
    problem_order,
    read_call_file,
    route,
    route_by_place,
    worker_pool,
    worker_rubric,
)
from .collector import no_gc
from .errors import InputError, Problem, Text, UsageError
from .panel import PanelReview, consolidate, locate, panel_problems
from .rubric import Rubric, load_rubric
from .scoring import Outcome, Reason

if TYPE_CHECKING:
    from .cache import CallCache
from .summaries import FileResult, LightAnswer, ProposalInfo, ReviewInfo

Status = Literal["funded", "tie_at_line", "not_funded", "eligible", "ineligible", "invalid"]


ELIGIBLE = (Outcome.PASS, Outcome.CONDITIONAL)


class PackedAnswers(Mapping[str, LightAnswer]):
    """One review's answers as a row keeps them: {criterion id: answer} as a read-only mapping
    over two tuples, the criterion ids (one tuple shared by every review with the same ids)
    and the answers. A dict of twenty answers costs ~1.1 KB; this ~0.2 KB (issue 17: 100,000
    proposals of three reviews each)."""

    __slots__ = ("given", "ids")

    def __init__(self, ids: tuple[str, ...], values: tuple[LightAnswer, ...]):
        self.ids = ids
        self.given = values

    @classmethod
    def of(cls, answers: Mapping[str, LightAnswer]) -> PackedAnswers:
        ids = tuple(answers)
        return cls(_IDS.setdefault(ids, ids), tuple(answers.values()))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return PackedAnswers, (self.ids, self.given)

    def _index(self) -> dict[str, int]:
        index = _INDEX.get(self.ids)
        if index is None:
            index = _INDEX[self.ids] = {cid: i for i, cid in enumerate(self.ids)}
        return index

    def __getitem__(self, key: str) -> LightAnswer:
        return self.given[self._index()[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"PackedAnswers({dict(self)!r})"


_IDS: dict[tuple[str, ...], tuple[str, ...]] = {}  # each distinct tuple of criterion ids, once
_INDEX: dict[tuple[str, ...], dict[str, int]] = {}

# Every distinct answer this process has seen, once: a row keeps its answers as positions in
# this table (issue 17: 100,000 rows of ~70 answers each).
_ANSWERS: list[LightAnswer] = []
_ANSWER_AT: dict[LightAnswer, int] = {}


def _answer_code(a: LightAnswer) -> int:
    code = _ANSWER_AT.get(a)
    if code is None:
        code = _ANSWER_AT[a] = len(_ANSWERS)
        _ANSWERS.append(a)
    return code


class _Table:
    """The answers table as a pickle carries it (once per pickle, however many rows refer to
    it): loaded, it becomes the translation from the writer's positions to this process's."""

    __slots__ = ("codes",)

    def __init__(self, codes: tuple[int, ...] | None):
        self.codes = codes  # None: the writer's positions are this process's

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _load_table, (tuple(_ANSWERS),)


_THIS_TABLE = _Table(None)


def _load_table(answers: tuple[LightAnswer, ...]) -> _Table:
    codes = tuple(map(_answer_code, answers))
    return _Table(None if codes == tuple(range(len(codes))) else codes)


class AnswerSet(Sequence[tuple[str, str, Mapping[str, LightAnswer]]]):
    """A row's reviews' answers, as ``[(reviewer label, role, {criterion id: answer}), ...]``:
    the labels and roles, each review's criterion ids (tuples shared across the call) and
    one string of positions in the process's table of distinct answers. ~0.25 KB for three
    reviews of twenty answers, where tuples of answers took ~1 KB (issue 17)."""

    __slots__ = ("codes", "ids", "labels", "roles")

    def __init__(
        self, labels: tuple[str, ...], roles: tuple[str, ...], ids: tuple[tuple[str, ...], ...], codes: Any
    ):
        self.labels = labels
        self.roles = roles
        self.ids = ids
        self.codes = codes  # bytes while the table is small, else an array of positions

    @classmethod
    def of(cls, reviews: Sequence[tuple[str, str, Mapping[str, LightAnswer]]]) -> AnswerSet:
        codes = [_answer_code(a) for _, _, answers in reviews for a in answers.values()]
        return cls(
            tuple(label for label, _, _ in reviews),
            _shared(tuple(role for _, role, _ in reviews)),
            _shared(tuple(_shared(tuple(answers)) for _, _, answers in reviews)),
            _packed(codes),
        )

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _load_answers, (
            self.labels,
            self.roles,
            self.ids,
            bytes(self.codes),
            self.codes.__class__ is bytes,
            _THIS_TABLE,
        )

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = sum(len(x) for x in self.ids[:i])
        ids = self.ids[i]
        given = tuple(_ANSWERS[c] for c in self.codes[start : start + len(ids)])
        return self.labels[i], self.roles[i], PackedAnswers(ids, given)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AnswerSet({list(self)!r})"


def _shared(x: Any) -> Any:
    return _IDS.setdefault(x, x)


def _packed(codes: list[int]) -> Any:
    if not codes or max(codes) < 256:
        return bytes(codes)
    import array

    return array.array("I", codes)


def _load_answers(
    labels: tuple[str, ...],
    roles: tuple[str, ...],
    ids: tuple[tuple[str, ...], ...],
    raw: bytes,
    small: bool,
    table: _Table,
) -> AnswerSet:
    if small:
        codes: Any = raw
    else:
        import array

        codes = array.array("I")
        codes.frombytes(raw)
    if table.codes is not None:
        codes = _packed([table.codes[c] for c in codes])
    return AnswerSet(labels, _shared(roles), _shared(ids), codes)


class _Empty(list):  # type: ignore[type-arg]
    """The one empty list every row shares for what it has none of (problems, reasons,
    excluded reviews, ...): 100,000 rows of eight empty lists each would hold ~45 MB of
    them. It compares and reads as ``[]``; ``+=`` makes a new list; it cannot be changed."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def __iadd__(self, other: Any) -> list[Any]:  # type: ignore[override]
        return [*other]

    def _refuse(self, *args: Any) -> Any:
        raise TypeError("the shared empty list of a row cannot be changed; assign a new list")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse  # type: ignore[assignment]
    __setitem__ = __delitem__ = __imul__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> str:
        return "EMPTY"

    def __copy__(self) -> _Empty:
        return self

    def __deepcopy__(self, memo: Any) -> _Empty:
        return self


EMPTY: list[Any] = _Empty()
_LIST_FIELDS = (
    "reasons",
    "reviewers",
    "review_files",
    "disagreements",
    "unresolved",
    "incomplete_reviews",
    "problems",
    "answers",
    "excluded",
    "advisories",
    "conflict_flags",
)


def compact(row: RankedProposal | None) -> None:
    """Empty lists become the shared ``EMPTY``; answers an ``AnswerSet`` (see both)."""
    if row is None:
        return
    for name in _LIST_FIELDS:
        value = getattr(row, name)
        if not value and value is not EMPTY:
            setattr(row, name, EMPTY)
    if row.answers and type(row.answers) is not AnswerSet:
        row.answers = AnswerSet.of(row.answers)


@dataclass(slots=True)  # 100,000 rows: no instance dict each (issue 17)
class RankedProposal:
    """One proposal of a call: its panel outcome, scores, place in the ranking and marks."""

    id: str
    path: str
    info: ProposalInfo | None = None
    outcome: Outcome | None = None  # None: invalid
    reasons: list[Reason] = EMPTY
    weighted_total: Fraction | None = None
    weighted_maximum: Fraction | None = None
    weighted_percent: Fraction | None = None
    total: Fraction | None = None
    maximum: Fraction | None = None
    sections: dict[str, Fraction | None] = field(default_factory=dict)
    tie_values: tuple[Fraction | None, ...] = ()
    reviewers: list[str] = EMPTY
    review_files: list[str] = EMPTY
    consensus: str | None = None
    disagreements: list[str] = EMPTY
    unresolved: list[str] = EMPTY
    incomplete_reviews: list[str] = EMPTY
    problems: list[Problem] = EMPTY
    rank: int | None = None
    position: int | None = None
    tied: bool = False
    status: Status = "ineligible"
    border: bool = False
    cumulative_budget: float | None = None
    # every review's own answers, (reviewer label, role, {criterion id: answer}): the raw scores
    answers: Sequence[tuple[str, str, Mapping[str, LightAnswer]]] = EMPTY
    # The review process (docs/formats.md): reviews left out for a declared conflict of interest
    # (reviewer label, category); fewer counted reviews than panel.min_reviews; the overall
    # grade (mean) and whether the grades are split; thresholds not met when they are advisory;
    # possible undeclared conflicts (reviewer label, what matches); the stage ranked.
    excluded: list[tuple[str, str]] = EMPTY
    needs_reviewer: bool = False
    overall: Fraction | None = None
    split_grades: bool = False
    advisories: list[Reason] = EMPTY
    conflict_flags: list[tuple[str, str]] = EMPTY
    stage: str | None = None
    document_percent: Fraction | None = None  # interview stage: the document stage's result
    interview_candidate: bool = False

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled as the constructor and its arguments in field order: one call to the
        # generated ``__init__`` when loaded, instead of the slots dataclass's per-field
        # ``__setstate__`` loop (a cached call of 10,000 rows loads in a fraction of the time).
        return RankedProposal, _row_fields(self)

    @property
    def title(self) -> str:
        return self.info.title if self.info else ""

    @property
    def programme(self) -> str:
        return self.info.programme if self.info else ""

    @property
    def budget(self) -> float | None:
        return self.info.budget if self.info else None

    @property
    def eligible(self) -> bool:
        return self.outcome in ELIGIBLE

    @property
    def basis(self) -> str:
        return "consensus" if self.consensus is not None else "derived"

    @property
    def marks(self) -> list[str]:
        """Why the panel should look again (border_zone, tie_at_line, disagreement), and notes."""
        out = []
        if self.border:
            out.append("border_zone")
        if self.status == "tie_at_line":
            out.append("tie_at_line")
        if self.unresolved:
            out.append("disagreement")
        if self.tied and self.status != "tie_at_line":
            out.append("tied")
        if self.outcome is not None and not self.reviewers and self.consensus is None:
            out.append("no_reviews")
        if self.incomplete_reviews:
            out.append("incomplete_reviews")
        if self.excluded:
            out.append("conflict_excluded")
        if self.needs_reviewer and self.outcome is not None:
            out.append("needs_reviewer")
        if self.conflict_flags:
            out.append("possible_conflict")
        if self.split_grades:
            out.append("split_grades")
        if self.advisories:
            out.append("below_threshold_advisory")
        if self.interview_candidate:
            out.append("interview")
        return out

    @property
    def rereview(self) -> bool:
        return self.border or self.status == "tie_at_line" or bool(self.unresolved)


_row_fields = operator.attrgetter(*(f.name for f in fields(RankedProposal)))


@dataclass
class FundingLine:
    mode: Literal["count", "budget"]
    limit: float
    funded: int = 0
    funded_budget: float = 0.0
    remainder: float = 0.0
    zone: tuple[float, float] = (0.0, 0.0)
    tie_at_line: bool = False


@dataclass
class Ranking:
    rubric: Rubric
    call_dir: str
    rows: list[RankedProposal]
    line: FundingLine | None
    problems: list[Problem]
    files: int
    review_count: int
    stage: str | None = None
    by: str = "weighted"
    interview: int | None = None
    title: dict[str, str] | None = None  # the call's own title (call.yaml), {ja, en}
    # what the ranking was made from, when the cache knew the whole call (see cache.Reports):
    # the same fingerprint is the same ranking, so its reports can be kept
    fingerprint: bytes | None = None

    @property
    def ranked(self) -> list[RankedProposal]:
        return [r for r in self.rows if r.position is not None]

    @property
    def invalid(self) -> list[RankedProposal]:
        return [r for r in self.rows if r.status == "invalid"]

    @property
    def rereview(self) -> list[RankedProposal]:
        return [r for r in self.rows if r.rereview]


def weighted_section(rubric: Rubric, programme: str) -> str | None:
    """The section the programme weighs most (B for joint research); None if none is weighted."""
    table = {k: v for k, v in rubric.weights.get(programme, {}).items() if v != 1}
    if not table:
        return None
    top = max(table.values())
    return next(s.id for s in rubric.sections if table.get(s.id) == top)


def tie_values(
    rubric: Rubric, programme: str, sections: dict[str, Fraction | None], total: Fraction | None
) -> tuple[Fraction | None, ...]:
    """The values the rubric's tie-breakers compare, in order (None: does not apply)."""
    out: list[Fraction | None] = []
    for rule in rubric.ranking.tie_breakers:
        if rule == "programme_weighted_section":
            sid = weighted_section(rubric, programme)
            out.append(sections.get(sid) if sid else None)
        elif rule == "programme_section":
            sec = rubric.programmes.get(programme)
            out.append(sections.get(sec.id) if sec else None)
        elif rule == "unweighted_total":
            out.append(total)
        else:
            out.append(sections.get(rule))
    return tuple(out)


def assess_proposal(
    rubric: Rubric,
    info: ProposalInfo,
    reviews: Sequence[ReviewInfo],
    problems: list[Problem],
    stage: str | None = None,
) -> RankedProposal:
    """Consolidate one proposal's (checked) reviews into its row; invalid when problems."""
    row = RankedProposal(info.id, info.path, info)
    row.review_files = [r.path for r in reviews]
    row.problems = problems
    if problems:
        row.status = "invalid"
        return row
    panel = [PanelReview(r.review, r.path) for r in reviews]
    c = consolidate(rubric, info.as_proposal(), panel, stage=stage)
    a = c.assessment
    row.stage = c.stage
    row.excluded = [(r.label, category) for r, category in c.excluded]
    row.needs_reviewer = c.needs_reviewer
    row.overall = c.overall_grade
    row.split_grades = c.split_grades
    row.advisories = list(a.advisories)
    row.outcome = a.outcome
    row.reasons = list(a.reasons)
    row.weighted_total = a.weighted_total
    row.weighted_maximum = a.weighted_maximum
    row.weighted_percent = a.weighted_percent
    row.total = a.total
    row.maximum = a.maximum
    row.sections = {s.section.id: s.score for s in a.sections}
    row.tie_values = tie_values(rubric, info.programme, row.sections, a.total)
    row.reviewers = [r.label for r in c.reviews]
    row.consensus = c.consensus.label if c.consensus else None
    row.disagreements = [x.criterion.id for x in c.disagreements]
    row.unresolved = [x.criterion.id for x in c.unresolved]
    row.incomplete_reviews = [r.label for r in c.incomplete_reviews]
    row.answers = AnswerSet.of([(r.label, r.review.role, r.review.answers) for r in reviews_of(c)])
    compact(row)
    return row


def reviews_of(c: Any) -> list[PanelReview]:
    """The individual reviews, then the panel's consensus review when there is one."""
    return list(c.reviews) + ([c.consensus] if c.consensus is not None else [])


def _cross_check(rubric: Rubric, info: ProposalInfo, reviews: Sequence[ReviewInfo]) -> list[Problem]:
    """Problems between a proposal and its reviews (each file was checked on its own already)."""
    from .review import read_review

    problems: list[Problem] = []
    applicable = {c.id for s in rubric.sections_for(info.programme) for c in s.criteria}
    for r in reviews:
        if any(cid not in applicable for cid in r.review.answers):
            _, found = read_review(r.path, rubric, info.as_proposal())  # re-read to locate
            problems += found
    problems += locate(panel_problems([PanelReview(r.review, r.path) for r in reviews]))
    return problems


class GroupResult(NamedTuple):
    """What a worker sends back for one proposal file and the reviews routed to it."""

    row: RankedProposal | None  # None: the file was not a proposal after all
    strays: list[FileResult]  # reviews (or other files) that turned out to belong elsewhere
    reviews: int  # files read in this group that are reviews


def compute_group(
    rubric: Rubric,
    proposal_path: str,
    review_paths: Sequence[str],
    need_budget: bool,
    stage: str | None = None,
    known: dict[str, FileResult] | None = None,
    record: list[Record] | None = None,
) -> GroupResult:
    """Read one proposal and the reviews routed to it; consolidate; return its row.

    Files in ``known`` are not read again (the cache had them); what is read is appended to
    ``record`` when given."""

    def read(path: str) -> FileResult:
        found = known.get(path) if known is not None else None
        return found if found is not None else read_call_file(path, rubric, record)

    res = read(proposal_path)
    strays: list[FileResult] = []
    mine: list[ReviewInfo] = []
    belonging: list[str] = []
    problems: list[Problem] = []
    # a file that is not a proposal (a review filed among the proposals) has no reviews of its
    # own: every file routed to it is handed back, to go where it belongs
    pid = (res.proposal.id if res.proposal else res.about) if res.kind == "proposal" else None
    for path in review_paths:
        rr = read(path)
        if rr.kind != "review" or rr.about != pid or pid is None:
            strays.append(rr)
            continue
        belonging.append(path)
        if rr.review is not None:
            mine.append(rr.review)
        else:
            problems += rr.problems
    seen = len(belonging) + sum(1 for x in strays if x.kind == "review")
    if res.kind != "proposal":
        return GroupResult(None, [*strays, res], seen + (res.kind == "review"))
    if res.proposal is None:
        row = RankedProposal(
            pid or proposal_path, proposal_path, status="invalid", problems=res.problems + problems
        )
    else:
        problems += _cross_check(rubric, res.proposal, mine)
        row = assess_proposal(rubric, res.proposal, mine, problems, stage)
        if need_budget and row.eligible and res.proposal.budget is None:
            # Only an eligible proposal can be funded, so only it needs its requested amount.
            row.problems = [locate_field(res.path, "budget", Text("err.budget_needed_for_line"))]
            row.status = "invalid"
            row.outcome = None
    row.review_files = belonging
    compact(row)
    return GroupResult(row, strays, seen)


Group = tuple[str, list[str]]  # a proposal file and the review files routed to it


def _group_chunk(
    args: tuple[list[Group], bool, dict[str, FileResult] | None, bool, str | None],
) -> list[tuple[GroupResult, list[Record], bytes | None]]:
    groups, need_budget, known, recording, stage = args
    rubric = worker_rubric()
    out = []
    if recording:
        from .cache import dumps
    with no_gc():
        for p, rs in groups:
            record: list[Record] | None = [] if recording else None
            g = compute_group(rubric, p, rs, need_budget, stage, known, record)
            # what the cache keeps, pickled here in parallel: each file's result and the row
            out.append((g, _packed_record(record) if record else [], dumps(g) if recording else None))
    return out


def _packed_record(record: list[Record]) -> list[Record]:
    """What a worker read, each result pickled for the cache here (see cache.PackedResult)."""
    from .cache import PackedResult, dumps

    return [
        (path, st, sha, PackedResult(res.kind, res.about, dumps(res)) if sha is not None else res)
        for path, st, sha, res in record
    ]


def _groups(routed: list[tuple[str, str, str | None]]) -> tuple[list[Group], list[str]]:
    """Each proposal with the reviews that name it (the first file of an id takes them), and
    the reviews no proposal claims."""
    proposals = [(p, i) for p, k, i in routed if k == "proposal"]
    reviews_by_id: dict[str | None, list[str]] = {}
    for p, k, i in routed:
        if k == "review":
            reviews_by_id.setdefault(i, []).append(p)
    claimed: set[str | None] = set()
    groups: list[Group] = []
    for p, i in proposals:
        if i is not None and i not in claimed:
            claimed.add(i)
            groups.append((p, reviews_by_id.get(i, [])))
        else:
            groups.append((p, []))
    unclaimed = [p for i, ps in reviews_by_id.items() if i not in claimed for p in ps]
    return groups, unclaimed


def read_call(
    paths: Sequence[str],
    rubric: Rubric,
    rubric_path: str | Path | None,
    *,
    need_budget: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: CallCache | None = None,
    stage: str | None = None,
    call_id: str | None = None,
) -> tuple[list[RankedProposal], list[Problem], int]:
    """Read every file of a call and build one row per proposal: (rows, loose problems, reviews).

    With a ``cache``, files whose stamp or hash is unchanged are not read again, and a
    proposal whose files are all unchanged takes its row from the cache. With a ``call_id``
    too (the call folder), a call whose listing is unchanged is taken whole from its snapshot.
    """
    total = len(paths)
    n = workers or default_workers()
    known: dict[str, Any] = {}
    shas: dict[str, bytes] = {}
    route_of: dict[str, tuple[str, str, str | None]] = {}
    listing: bytes | None = None
    if cache is not None:
        from .cache import LazyResults, stamps_and_listing

        cache.call = call_id or ""
        stamps, listing = stamps_and_listing(paths, "budget" if need_budget else "count", stage or "")
        if call_id is None:
            listing = None
        cache.listing = listing
        # a snapshot found, the files' stamps are not needed: let go before the rows are loaded
        # (issue 17: 400,000 of them), made again if the snapshot cannot be read after all
        snapshot = cache.load_call(call_id, listing, stamps.clear) if call_id is not None else None
        if snapshot is not None:
            if progress:
                progress("read", total, total)
            return snapshot  # type: ignore[no-any-return]
        if not stamps and paths:
            stamps, _ = stamps_and_listing(paths)
        hits, _ = cache.load_files(paths, stamps)
        del stamps  # 400,000 of them in a large call
        known = LazyResults(hits, cache.file_result)
        shas = {p: h.sha for p, h in hits.items()}
        route_of = {p: (p, h.kind, h.about) for p, h in hits.items()}
        del hits
    missing = [p for p in paths if p not in route_of]
    with worker_pool(n, len(missing), rubric_path) as pool, no_gc(keep=True):
        # Routing: which reviews name which proposal (exact for cached files, a guess from the
        # folder's layout or from the raw text for the others).
        placed = route_by_place(missing)
        routed_missing = iter(route(pool, n, [p for p, r in zip(missing, placed, strict=True) if r is None]))
        by_place = iter(placed)
        routed = [route_of[p] if p in route_of else (next(by_place) or next(routed_missing)) for p in paths]
        groups, unclaimed = _groups(routed)
        del routed, routed_missing, route_of, placed, by_place

        results: list[GroupResult] = []
        todo: list[Group] = []
        keys: dict[str, bytes] = {}
        # rows that are exactly what their group's files gave (no strays), by identity: their
        # keys go into the snapshot, so that the next run after an edit takes them from it
        pristine: dict[int, bytes] = {}
        from_base: set[int] = set()  # rows taken from the previous snapshot (already shared)
        if cache is not None:
            from .cache import row_key

            for p, rs in groups:
                if p in shas and all(r in shas for r in rs):
                    keys[p] = row_key((p, shas[p]), [(r, shas[r]) for r in rs], need_budget, cache.cwd)
            base = cache.base_rows()
            cached = cache.load_rows(k for k in keys.values() if k not in base)
            for p, rs in groups:
                key = keys.get(p)
                row = base.get(key) if key is not None else None
                if row is not None:
                    hit: GroupResult | None = GroupResult(row, [], len(row.review_files))
                    from_base.add(id(row))
                else:
                    hit = cached.get(key) if key is not None else None
                if hit is not None:
                    results.append(hit)
                    if hit.row is not None and not hit.strays:
                        pristine[id(hit.row)] = key  # type: ignore[assignment]
                else:
                    todo.append((p, rs))
            del base, cached
            # only the files still to read need their hashes (400,000 of them in a large call)
            shas = {f: shas[f] for p, rs in todo for f in (p, *rs) if f in shas}
        else:
            todo = groups
        done = total - sum(1 + len(rs) for _, rs in todo)
        recording = cache is not None

        # Equal answers and criterion ids become one object across the call: a row holds ~90
        # answers, and 100,000 rows would otherwise keep ~10 KB each of duplicates (issue 17).
        shared: dict[Any, Any] = {}

        def keep(g: GroupResult, record: list[Record], group: Group, blob: bytes | None = None) -> None:
            _share_answers(g.row, shared, numbers=True)
            if g.row is not None:
                _same_paths(g.row, group)
            results.append(g if g.strays else GroupResult(g.row, EMPTY, g.reviews))
            if cache is None:
                return
            # a file's result is not kept here (issue 17: 400,000 of them): the few that routing
            # put in the wrong group are read again by _settle
            for path, st, sha, res in record:
                cache.add_file(path, st, sha, res)
                if sha is not None:
                    shas[path] = sha
            p, rs = group
            if p in shas and all(r in shas for r in rs):
                keys[p] = row_key((p, shas[p]), [(r, shas[r]) for r in rs], need_budget, cache.cwd)
                cache.add_row(keys[p], g, blob)
                if g.row is not None and not g.strays:
                    pristine[id(g.row)] = keys[p]
            for f in (p, *rs):  # the group's key is made: its files' hashes are done with
                shas.pop(f, None)

        # The heavy pass: one proposal and its reviews at a time.
        if pool is not None:
            size = max(4, min(64, len(todo) // (n * 16) or 4))
            tasks = []
            for chunk in chunks(todo, size):
                files = (f for p, rs in chunk for f in (p, *rs))
                sent = {f: r for f in files if (r := known.get(f)) is not None} or None
                tasks.append((chunk, need_budget, sent, recording, stage))
            for task, chunk_results in zip(tasks, pool.imap(_group_chunk, tasks), strict=True):
                for group, (g, record, blob) in zip(task[0], chunk_results, strict=True):
                    keep(g, record, group, blob)
                done += sum(1 + len(rs) for _, rs in task[0])
                if progress:
                    progress("read", min(done, total), total)
        else:
            for i, (p, rs) in enumerate(todo):
                record: list[Record] | None = [] if recording else None
                g = compute_group(rubric, p, rs, need_budget, stage, known, record)
                keep(g, record or [], (p, rs))
                done += 1 + len(rs)
                if progress and (i % 25 == 24 or i == len(todo) - 1):
                    progress("read", min(done, total), total)
    late_record: list[Record] | None = [] if cache is not None else None
    rows, loose, unclaimed_reviews = _settle(
        rubric, results, unclaimed, need_budget, known, late_record, stage
    )
    result = rows, loose, sum(g.reviews for g in results) + unclaimed_reviews
    if cache is not None:
        for path, st, sha, res in late_record or []:
            cache.add_file(path, st, sha, res)
        if call_id is not None:
            # rows from the previous snapshot share their numbers already; the others are made
            # to share theirs with each other and with a sample of those
            seen: dict[Any, Any] = {}
            sample = [row for row in rows if id(row) in from_base][:SHARE_SAMPLE]
            for row in sample:
                _share_answers(row, seen, numbers=True)
            for row in rows:
                if id(row) not in from_base:
                    _share_answers(row, seen, numbers=True)
            cache.add_call(call_id, listing, result, [pristine.get(id(row)) for row in rows])
        cache.keep_only(keys.values())
        cache.commit()
    if progress:
        progress("read", total, total)
    return result


def _same_paths(row: RankedProposal, group: Group) -> None:
    """The row's file names as the very strings of the call's listing, not the copies a worker
    sent back (issue 17: four names of ~100 bytes a proposal)."""
    p, rs = group
    if row.path == p:
        row.path = p
    if row.review_files and row.review_files == rs:
        row.review_files = rs
    elif row.review_files:
        names = {r: r for r in rs}
        row.review_files = [names.get(r, r) for r in row.review_files]


SHARE_SAMPLE = 200  # rows of the previous snapshot whose values the new rows share


def _share_answers(
    row: RankedProposal | None, seen: dict[Any, Any] | None = None, numbers: bool = False
) -> None:
    """Make equal answers (and criterion ids) one object before a row is pickled: pickle then
    writes each distinct answer once, and the cached row loads several times faster (a row
    holds ~90 answers, most of them alike). ``seen`` shares them across rows too."""
    if row is None:
        return
    if seen is None:
        seen = {}
    if type(row.answers) is not AnswerSet:  # an AnswerSet's answers are shared already
        row.answers = _shared_answers(row, seen)
    if not numbers:
        return

    # with ``numbers``, equal numbers and reasons too (a call of 10,000 rows holds ~100,000
    # Fractions with a few thousand distinct values: each is then unpickled once; keyed with
    # their type, as Fraction(1) == 1 == True)
    def one(x: Any) -> Any:
        if x is None:
            return x
        if type(x) is Fraction:  # keyed by its two integers: Fraction's own hash is slow
            return seen.setdefault((Fraction, x.numerator, x.denominator), x)
        return seen.setdefault((type(x), x), x)

    row.weighted_total = one(row.weighted_total)
    row.weighted_maximum = one(row.weighted_maximum)
    row.weighted_percent = one(row.weighted_percent)
    row.total = one(row.total)
    row.maximum = one(row.maximum)
    row.overall = one(row.overall)
    row.document_percent = one(row.document_percent)
    row.sections = {k: one(v) for k, v in row.sections.items()}
    row.tie_values = tuple(one(v) for v in row.tie_values)
    row.reasons = [one(r) for r in row.reasons] if row.reasons else EMPTY
    row.advisories = [one(r) for r in row.advisories] if row.advisories else EMPTY


def _shared_answers(row: RankedProposal, seen: dict[Any, Any]) -> list[Any]:
    return [
        (
            label,
            role,
            PackedAnswers(
                seen.setdefault(answers.ids, answers.ids),
                tuple(seen.setdefault(a, a) for a in answers.given),
            )
            if type(answers) is PackedAnswers
            else {seen.setdefault(cid, cid): seen.setdefault(a, a) for cid, a in answers.items()},
        )
        for label, role, answers in row.answers
    ]


def _settle(
    rubric: Rubric,
    results: list[GroupResult],
    unclaimed: list[str],
    need_budget: bool,
    known: dict[str, FileResult] | None = None,
    record: list[Record] | None = None,
    stage: str | None = None,
) -> tuple[list[RankedProposal], list[Problem], int]:
    """Put right what routing guessed wrong, and find duplicate ids and orphan reviews."""
    loose: list[Problem] = []
    rows: dict[str, RankedProposal] = {}
    duplicates: dict[str, list[RankedProposal]] = {}
    pending: list[FileResult] = []
    for g in results:
        pending += g.strays
        if g.row is None:
            continue
        if g.row.id in rows:
            duplicates.setdefault(g.row.id, [rows[g.row.id]]).append(g.row)
        else:
            rows[g.row.id] = g.row
    for pid, same in duplicates.items():
        files = sorted(r.path for r in same)
        row = RankedProposal(pid, files[0], status="invalid")
        row.review_files = sorted({f for r in same for f in r.review_files})
        row.problems = [
            locate_field(
                f,
                "id",
                Text("err.proposal_id_shared", id=repr(pid), count=len(files), files=", ".join(files)),
            )
            for f in files
        ]
        rows[pid] = row
    late = [(known.get(p) if known else None) or read_call_file(p, rubric, record) for p in unclaimed]
    pending += late
    extra: dict[str, list[FileResult]] = {}
    for res in pending:
        if res.kind in ("programmes", "reviewers", "decisions", "call"):
            continue
        if res.kind == "proposal":
            # A proposal routed as a review (or the like): it needs a row of its own.
            if res.proposal is not None and res.proposal.id not in rows:
                extra.setdefault(res.proposal.id, [])
                rows[res.proposal.id] = RankedProposal(res.proposal.id, res.path, res.proposal)
            elif res.proposal is None:
                label = res.about or res.path
                # a copy: a row read (or cached) for its own files is never changed here, so
                # that the snapshot can keep it as the row of those files
                was = rows.get(label)
                row = copy.copy(was) if was is not None else RankedProposal(label, res.path, status="invalid")
                row.problems = [*row.problems, *res.problems]
                rows[label] = row
            continue
        target = res.about
        if target in rows:
            extra.setdefault(target, []).append(res)
        elif res.problems:
            loose += res.problems
        else:
            loose.append(
                locate_field(
                    res.path,
                    "proposal",
                    Text("err.review_of_no_proposal", id=repr(target)),
                )
            )
    for pid, added in extra.items():
        row = rows[pid]
        if pid in duplicates:
            row.review_files = sorted(set(row.review_files) | {r.path for r in added})
            row.problems += [p for r in added for p in r.problems]
            continue
        # Recompute this proposal from its files, with the reviews routing missed.
        paths = sorted(set(row.review_files) | {r.path for r in added})
        g = compute_group(rubric, row.path, paths, need_budget, stage, known, record)
        if g.row is not None:
            g.row.problems = sorted(dict.fromkeys([*g.row.problems, *row.problems]), key=problem_order)
            if g.row.problems:
                g.row.status = "invalid"
            rows[pid] = g.row
    return list(rows.values()), loose, sum(1 for x in late if x.kind == "review")


RankBy = Literal["weighted", "overall"]


def _order_key(row: RankedProposal, by: RankBy = "weighted") -> tuple[Any, ...]:
    """What orders eligible proposals: the weighted score (or, ``by="overall"``, the mean
    overall grade first and the weighted score next); at the interview stage the document
    stage's result comes next; then the rubric's tie-breakers."""

    def v(x: Fraction | None) -> tuple[int, Fraction]:
        return _NONE_KEY if x is None else (1, x)

    first = (v(row.overall),) if by == "overall" else ()
    return (*first, v(row.weighted_percent), v(row.document_percent), *(v(x) for x in row.tie_values))


_NONE_KEY = (0, Fraction(0))


def _integer_keys(rows: list[RankedProposal], by: RankBy) -> dict[int, tuple[int, ...]]:
    """``_order_key`` of each row (by ``id``) as a tuple of integers that orders and compares
    exactly as the Fractions do: each place of the key is put over the common denominator of
    that place across the rows (a missing value sorts first, as ``_NONE_KEY`` does). Comparing
    Fractions costs microseconds each; 10,000 rows sort a hundred times faster this way."""
    keys = [_order_key(r, by) for r in rows]
    if not keys:
        return {}
    width = max(len(k) for k in keys)
    common = [1] * width
    for k in keys:
        for i, (_, x) in enumerate(k):
            if not isinstance(x, Fraction | int):  # a float: compared as it is
                return {id(r): key for r, key in zip(rows, keys, strict=True)}  # type: ignore[misc]
            d = x.denominator
            if common[i] % d:
                common[i] = math.lcm(common[i], d)
    out: dict[int, tuple[int, ...]] = {}
    for r, k in zip(rows, keys, strict=True):
        flat: list[int] = []
        for i, (present, x) in enumerate(k):
            flat.append(present)
            flat.append(x.numerator * (common[i] // x.denominator))
        out[id(r)] = tuple(flat)
    return out


_OUTCOME_ORDER = {o: i for i, o in enumerate(Outcome)}


def rank_rows(
    rubric: Rubric,
    rows: list[RankedProposal],
    *,
    fund: int | None = None,
    budget: float | None = None,
    by: RankBy = "weighted",
) -> tuple[list[RankedProposal], FundingLine | None]:
    """Order rows (ranked eligible, then ineligible, then invalid), rank and draw the line."""
    if fund is not None and budget is not None:
        raise UsageError(Text("err.fund_and_budget"))
    eligible = sorted((r for r in rows if r.status != "invalid" and r.eligible), key=lambda r: r.id)
    order = _integer_keys(eligible, by)
    eligible.sort(key=lambda r: order[id(r)], reverse=True)
    groups: list[list[RankedProposal]] = []
    for r in eligible:
        if groups and order[id(groups[-1][0])] == order[id(r)]:
            groups[-1].append(r)
        else:
            groups.append([r])
    position = 0
    running: float | None = 0.0
    for g in groups:
        rank = position + 1
        for r in g:
            position += 1
            r.position = position
            r.rank = rank
            r.tied = len(g) > 1
            r.status = "eligible"
            running = None if running is None or r.budget is None else running + r.budget
            r.cumulative_budget = running
    line = _draw_line(rubric, groups, fund, budget)
    others = [r for r in rows if r.status != "invalid" and not r.eligible]
    for r in others:
        r.status = "ineligible"
    others.sort(key=lambda r: r.id)
    others.sort(key=lambda r: r.weighted_percent if r.weighted_percent is not None else -1, reverse=True)
    others.sort(key=lambda r: _OUTCOME_ORDER.get(r.outcome, -1) if r.outcome else -1, reverse=True)
    invalid = sorted((r for r in rows if r.status == "invalid"), key=lambda r: r.id)
    return eligible + others + invalid, line


def _draw_line(
    rubric: Rubric, groups: list[list[RankedProposal]], fund: int | None, budget: float | None
) -> FundingLine | None:
    """Fund whole groups of tied proposals from the top while they fit; the first group that
    does not fit ends the line (a group that fits only in part is a tie at the line). A
    proposal is in the border zone when its share (one place, or its budget) overlaps the
    band from ``border_zone[0]`` to ``border_zone[1]`` times the limit."""
    if fund is None and budget is None:
        return None
    lo, hi = rubric.ranking.border_zone
    mode: Literal["count", "budget"] = "count" if fund is not None else "budget"
    limit = float(fund if fund is not None else budget)  # type: ignore[arg-type]
    line = FundingLine(mode, limit, zone=(lo * limit, hi * limit))

    def cost(r: RankedProposal) -> float:
        return 1.0 if mode == "count" else float(r.budget or 0)

    eps = 1e-9 * max(1.0, limit)
    used = 0.0
    drawn = False
    for g in groups:
        before = used
        after = before + sum(cost(r) for r in g)
        if drawn:
            status: Status = "not_funded"
        elif after <= limit + eps:
            status = "funded"
        elif before + min(cost(r) for r in g) <= limit + eps:
            status = "tie_at_line"
            line.tie_at_line = True
            drawn = True
        else:
            status = "not_funded"
            drawn = True
        in_zone = False
        running = before
        for r in g:
            r.status = status
            start, running = running, running + cost(r)
            if running > line.zone[0] + eps and start < line.zone[1] - eps:
                in_zone = True
        for r in g:
            r.border = in_zone
        if status == "funded":
            line.funded += len(g)
            line.funded_budget += sum(float(r.budget or 0) for r in g)
        used = after
    line.remainder = limit - (line.funded if mode == "count" else line.funded_budget)
    return line


def flag_conflicts(call_dir: str | Path, rows: list[RankedProposal]) -> None:
    """Possible undeclared conflicts from the call's reviewers file (conflicts.py); flagged only."""
    from .undeclared import Matcher, load_reviewers

    data = load_reviewers(call_dir)
    if data is None:
        return
    matcher = Matcher(data)
    for row in rows:
        if row.info is None:
            continue
        for who in row.reviewers + ([row.consensus] if row.consensus else []):
            for what in matcher.flags(who, row.info.institutions, row.info.researcher_numbers):
                row.conflict_flags = [*row.conflict_flags, (who, what)]


def rank_call(
    call_dir: str | Path,
    rubric_path: str | Path | None = None,
    *,
    fund: int | None = None,
    budget: float | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: bool = False,
    warn: Callable[[str], None] | None = None,
    by: RankBy = "weighted",
    stage: str | None = None,
    interview: int | None = None,
) -> Ranking:
    """The front door: read a call folder and rank it, with a funding line when asked.

    With ``cache``, what was read is kept in the cache folder (see ``cache``) and files that
    did not change are not read again; the result is the same as without. ``stage`` (default:
    the rubric's first) chooses the reviews that count. At the first stage ``interview`` N
    marks the interview candidates: the top N and any tie at the N-th place. At a later stage
    only the proposals with a review of that stage are ranked, with the previous stage's
    result beside them, used as the first tie-break.
    """
    if fund is not None and budget is not None:
        raise UsageError(Text("err.fund_and_budget"))
    if fund is not None and fund < 1:
        raise UsageError(Text("err.fund_min"))
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        raise UsageError(Text("err.budget_min"))
    if by not in ("weighted", "overall"):
        raise UsageError(Text("err.by_values", by=repr(by)))
    if interview is not None and interview < 1:
        raise UsageError(Text("err.interview_min"))
    from .callfile import call_rubric

    rubric_path, call_file = call_rubric(call_dir, rubric_path)  # call.yaml's rubric unless given
    rubric = load_rubric(rubric_path)
    if by == "overall" and rubric.overall is None:
        raise UsageError(Text("err.by_overall_needs_grade"))
    if stage is not None and rubric.stage(stage) is None:
        known = ", ".join(s.id for s in rubric.stages) or "-"
        raise UsageError(Text("err.unknown_stage", known=known, stage=repr(stage)))
    stage = stage or rubric.first_stage
    later = stage is not None and stage != rubric.first_stage
    if interview is not None and later:
        raise UsageError(Text("err.interview_first_stage"))
    paths, unlisted = discover(call_dir)
    files = len(paths)
    if not paths and not unlisted:
        raise InputError([Problem(str(call_dir), None, None, None, Text("err.no_yaml_files"))])
    store = None
    if cache and not later:  # the cache keeps the first stage's rows only
        from .cache import CallCache, cache_dir, scope

        store = CallCache(cache_dir(), scope(rubric_path, "rank"), warn)
    try:
        rows, loose, reviews = read_call(
            paths,
            rubric,
            rubric_path,
            need_budget=budget is not None,
            workers=workers,
            progress=progress,
            cache=store,
            stage=stage,
            call_id=os.path.abspath(call_dir) if store is not None else None,
        )
    finally:
        if store is not None:
            store.close()
    if later:
        first, _, _ = read_call(paths, rubric, rubric_path, workers=workers, stage=rubric.first_stage)
    del paths  # the call's file names (400,000 in a large call): the rows keep their own
    if later:
        earlier = {r.id: r.weighted_percent for r in first}
        rows = [r for r in rows if r.status == "invalid" or r.reviewers or r.consensus or r.excluded]
        for r in rows:
            r.document_percent = earlier.get(r.id)
    flag_conflicts(call_dir, rows)
    ordered, line = rank_rows(rubric, rows, fund=fund, budget=budget, by=by)
    if interview is not None:
        for r in ordered:
            r.interview_candidate = r.rank is not None and r.rank <= interview
    # each problem once, in the order found (a set's order changes from run to run), by place
    problems = sorted(
        dict.fromkeys([*(p for r in ordered for p in r.problems), *loose, *unlisted]), key=problem_order
    )
    title = call_file.title if call_file is not None else None
    fingerprint = None
    if store is not None and store.listing is not None:
        from .cache import ranking_fingerprint, stamp

        # the call's own files, in case discovery stops listing them (a call.yaml naming its
        # rubric, the panel's decisions, the reviewers pool): their stamps are part of it too
        side = [
            stamp(os.path.join(call_dir, n))
            for n in ("call.yaml", "call.yml", "decisions.yaml", "reviewers.yaml")
        ]
        options = (str(call_dir), fund, budget, by, stage, interview, [str(p) for p in unlisted], side)
        fingerprint = ranking_fingerprint(store, repr(options))
    return Ranking(
        rubric,
        str(call_dir),
        ordered,
        line,
        problems,
        files,
        reviews,
        stage,
        by,
        interview,
        title,
        fingerprint,
    )
