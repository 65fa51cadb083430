"""Ranking of a whole call: load a folder of proposals and reviews, consolidate each proposal's
reviews, rank the eligible ones, draw a funding line and mark the border zone around it.

The call folder (documented in docs/formats.md): every ``*.yaml``/``*.yml`` file below it,
except names starting with ``.`` or ``_``. What a file is comes from its content (a review has
``answers``/``reviewer``, a proposal has ``programme``/``partners``, a programmes file has
``programmes``); when the content cannot be read, from its place: a file under a ``reviews``
folder or named ``*.review*.yaml`` is taken to be a review. Reviews name their proposal by id.

A file with a problem never drops a proposal silently: the problem is kept, located, and the
proposal it concerns is ranked ``invalid``.

Large calls are read by a pool of worker processes in two passes. A cheap *routing* pass reads
each file's ``id:`` or ``proposal:`` line; then each worker takes a proposal with the reviews
that name it, parses and checks them all, consolidates them and sends back one small row (no
YAML trees, no free text cross the process boundary). Whatever routing guessed wrong (an id
written in an unusual way) is put right afterwards, in the main process, from the parsed files.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .errors import InputError, Problem, UsageError
from .panel import PanelReview, consolidate, locate, panel_problems, proposal_of
from .proposal import Integrity, Partner, Proposal
from .rubric import Rubric, load_rubric
from .scoring import Outcome, Reason

Progress = Callable[[str, int, int], None]
Status = Literal["funded", "tie_at_line", "not_funded", "eligible", "ineligible", "invalid"]
ELIGIBLE = (Outcome.PASS, Outcome.CONDITIONAL)
PARALLEL_FROM = 400  # files; below this a worker pool costs more than it saves
ROUTE_BYTES = 8192  # routing reads the head of each file: ids and `answers:` come first

_REVIEW_NAME = re.compile(r"\.review(?:[._-][^/\\]*)?\.ya?ml$", re.I)
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([A-Za-z0-9._-]+)['\"]?[ \t]*(?:#.*)?$", re.M)
_REVIEW_KEYS = re.compile(r"^(?:answers|reviewer):", re.M)
_PROGRAMMES_KEY = re.compile(r"^(?:programmes|reviewers):", re.M)  # reviewers: a pool file


_NO_INTEGRITY = Integrity()


class LightAnswer(NamedTuple):
    """An answer as the ranking keeps it (no comment: the ranking never shows comments)."""

    score: float | None
    verdict: str | None
    conditions: tuple[str, ...]
    na: bool
    comment: str | None = None


class LightReview(NamedTuple):
    reviewer: str
    role: str
    answers: dict[str, LightAnswer]


@dataclass(frozen=True)
class ProposalInfo:
    """What the ranking and the portfolio map need of a proposal (not its text)."""

    path: str
    id: str
    title: str
    programme: str
    budget: float | None = None
    objectives: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    career_stages: tuple[str, ...] = ()
    lead: str = ""

    def as_proposal(self) -> Proposal:
        """A Proposal with what scoring needs (every field given: no default is deep-copied)."""
        return Proposal.model_construct(
            id=self.id,
            title=self.title,
            programme=self.programme,
            summary="",
            lead=None,
            partners=[Partner.model_construct(country=c, institution="") for c in self.countries],
            objectives=list(self.objectives),
            kpis=[],
            risks=[],
            integrity=_NO_INTEGRITY,
            sections={},
            team=[],
            budget=self.budget,
        )


@dataclass(frozen=True)
class ReviewInfo:
    path: str
    proposal: str
    review: LightReview


class FileResult(NamedTuple):
    """What reading one file of a call gives: a proposal, a review, or problems."""

    path: str
    kind: str  # proposal | review | programmes
    proposal: ProposalInfo | None
    review: ReviewInfo | None
    problems: list[Problem]
    about: str | None  # the proposal id the file concerns, when known


# ---------------------------------------------------------------------------------------- files


def discover(call_dir: str | Path) -> list[str]:
    """Every YAML file of a call folder, sorted; hidden and ``_`` names are skipped."""
    root = os.fspath(call_dir)
    if not os.path.isdir(root):
        raise InputError([Problem(root, None, None, None, "is not a folder (expected a call folder)")])
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
        for name in filenames:
            if name.startswith((".", "_")) or not name.lower().endswith((".yaml", ".yml")):
                continue
            out.append(os.path.join(dirpath, name))
    out.sort()
    return out


def looks_like_review(path: str | Path) -> bool:
    p = Path(path)
    return bool(_REVIEW_NAME.search(p.name)) or "reviews" in (part.lower() for part in p.parent.parts)


def _id_of(text: str) -> str | None:
    m = _ID_LINE.search(text)
    return m.group(1) if m else None


def route_file(path: str) -> tuple[str, str, str | None]:
    """(path, kind, id) guessed from the raw text, without parsing: for grouping only."""
    try:
        with open(path, "rb") as fh:
            text = fh.read(ROUTE_BYTES).decode("utf-8-sig", "ignore")
    except OSError:
        return path, "review" if looks_like_review(path) else "proposal", None
    if _REVIEW_KEYS.search(text) or (looks_like_review(path) and "programme:" not in text):
        return path, "review", proposal_of(text)
    if _PROGRAMMES_KEY.search(text):
        return path, "programmes", None
    return path, "proposal", _id_of(text)


def read_call_file(path: str, rubric: Rubric) -> FileResult:
    """Read, validate and boil down one file of a call. Never raises for bad input."""
    from .proposal import from_document
    from .review import review_from_document
    from .validate import detect_kind
    from .yamlio import parse, read_text

    text = ""
    try:
        text = read_text(path)
        doc = parse(text, path)
    except InputError as exc:
        kind = "review" if looks_like_review(path) or _REVIEW_KEYS.search(text) else "proposal"
        about = proposal_of(text) if kind == "review" else _id_of(text)
        return FileResult(path, kind, None, None, exc.problems, about)
    kind = detect_kind(doc.data)
    if kind in ("programmes", "reviewers"):  # not part of the ranking
        return FileResult(path, "programmes", None, None, [], None)
    if kind not in ("proposal", "review"):
        kind = "review" if looks_like_review(path) else "proposal"
    if kind == "proposal":
        about = _id_of(text)
        try:
            p = from_document(doc, rubric).proposal
        except InputError as exc:
            return FileResult(path, kind, None, None, exc.problems, about)
        info = ProposalInfo(
            path,
            p.id,
            p.title,
            p.programme,
            p.budget,
            tuple(p.objectives),
            tuple(x.country for x in p.partners),
            tuple(m.career_stage for m in p.team if m.career_stage),
            p.lead.name if p.lead else "",
        )
        return FileResult(path, kind, info, None, [], p.id)
    loaded, problems = review_from_document(doc, rubric, None)
    about = proposal_of(text)
    if loaded is None or problems:
        if loaded is not None:
            about = loaded.review.proposal
        return FileResult(path, "review", None, None, problems, about)
    r = loaded.review
    answers = {
        cid: LightAnswer(a.score, a.verdict, tuple(a.conditions), a.na) for cid, a in r.answers.items()
    }
    info_r = ReviewInfo(path, r.proposal, LightReview(r.reviewer, r.role, answers))
    return FileResult(path, "review", None, info_r, [], r.proposal)


# -------------------------------------------------------------------------------------- ranking


@dataclass
class RankedProposal:
    """One proposal of a call: its panel outcome, scores, place in the ranking and marks."""

    id: str
    path: str
    info: ProposalInfo | None = None
    outcome: Outcome | None = None  # None: invalid
    reasons: list[Reason] = field(default_factory=list)
    weighted_total: Fraction | None = None
    weighted_maximum: Fraction | None = None
    weighted_percent: Fraction | None = None
    total: Fraction | None = None
    maximum: Fraction | None = None
    sections: dict[str, Fraction | None] = field(default_factory=dict)
    tie_values: tuple[Fraction | None, ...] = ()
    reviewers: list[str] = field(default_factory=list)
    review_files: list[str] = field(default_factory=list)
    consensus: str | None = None
    disagreements: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    incomplete_reviews: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rank: int | None = None
    position: int | None = None
    tied: bool = False
    status: Status = "ineligible"
    border: bool = False
    cumulative_budget: float | None = None

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
        return out

    @property
    def rereview(self) -> bool:
        return self.border or self.status == "tie_at_line" or bool(self.unresolved)


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
    rubric: Rubric, info: ProposalInfo, reviews: Sequence[ReviewInfo], problems: list[Problem]
) -> RankedProposal:
    """Consolidate one proposal's (checked) reviews into its row; invalid when problems."""
    row = RankedProposal(info.id, info.path, info)
    row.review_files = [r.path for r in reviews]
    row.problems = problems
    if problems:
        row.status = "invalid"
        return row
    panel = [PanelReview(r.review, r.path) for r in reviews]
    c = consolidate(rubric, info.as_proposal(), panel)
    a = c.assessment
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
    return row


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


def _locate_field(path: str, name: str, message: str) -> Problem:
    return locate([Problem(path, None, None, name, message)])[0]


class GroupResult(NamedTuple):
    """What a worker sends back for one proposal file and the reviews routed to it."""

    row: RankedProposal | None  # None: the file was not a proposal after all
    strays: list[FileResult]  # reviews (or other files) that turned out to belong elsewhere
    reviews: int  # files read in this group that are reviews


def compute_group(
    rubric: Rubric, proposal_path: str, review_paths: Sequence[str], need_budget: bool
) -> GroupResult:
    """Read one proposal and the reviews routed to it; consolidate; return its row."""
    res = read_call_file(proposal_path, rubric)
    strays: list[FileResult] = []
    mine: list[ReviewInfo] = []
    belonging: list[str] = []
    problems: list[Problem] = []
    pid = res.proposal.id if res.proposal else res.about
    for path in review_paths:
        rr = read_call_file(path, rubric)
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
        row = assess_proposal(rubric, res.proposal, mine, problems)
        if need_budget and row.eligible and res.proposal.budget is None:
            # Only an eligible proposal can be funded, so only it needs its requested amount.
            needed = "the requested amount is needed for a --budget line"
            row.problems = [_locate_field(res.path, "budget", needed)]
            row.status = "invalid"
            row.outcome = None
    row.review_files = belonging
    return GroupResult(row, strays, seen)


_WORKER_RUBRIC: Rubric | None = None


def _init_worker(rubric_path: str | None) -> None:
    import signal

    global _WORKER_RUBRIC
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _WORKER_RUBRIC = load_rubric(rubric_path)


def _route_chunk(paths: list[str]) -> list[tuple[str, str, str | None]]:
    return [route_file(p) for p in paths]


def _group_chunk(args: tuple[list[tuple[str, list[str]]], bool]) -> list[GroupResult]:
    groups, need_budget = args
    assert _WORKER_RUBRIC is not None
    with _no_gc():
        return [compute_group(_WORKER_RUBRIC, p, rs, need_budget) for p, rs in groups]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading creates many objects and no cycles, and
    collections of an ever larger heap would make the cost grow faster than the call."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def default_workers() -> int:
    env = os.environ.get("STI_REVIEW_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextlib.contextmanager
def _worker_pool(n: int, total: int, rubric_path: str | Path | None) -> Iterator[Any]:
    """A pool of ``n`` worker processes for a large call, or None when working alone is faster."""
    if n <= 1 or total < PARALLEL_FROM:
        yield None
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    gc.collect()
    gc.freeze()  # forked workers then share these pages instead of copying them
    rubric_arg = str(rubric_path) if rubric_path is not None else None
    pool = mp.get_context(method).Pool(n, initializer=_init_worker, initargs=(rubric_arg,))
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.close()
        pool.join()
        gc.unfreeze()


def _route(pool: Any, n: int, paths: Sequence[str]) -> list[tuple[str, str, str | None]]:
    if pool is None:
        return [route_file(p) for p in paths]
    size = max(64, min(2048, len(paths) // (n * 8) or 64))
    return [x for chunk in pool.imap(_route_chunk, _chunks(list(paths), size)) for x in chunk]


def _read_chunk(paths: list[str]) -> list[FileResult]:
    assert _WORKER_RUBRIC is not None
    with _no_gc():
        return [read_call_file(p, _WORKER_RUBRIC) for p in paths]


def read_proposals(
    call_dir: str | Path,
    rubric: Rubric,
    rubric_path: str | Path | None = None,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[ProposalInfo], list[Problem], int]:
    """Only the proposals of a call folder (for the portfolio map): (proposals, problems, files)."""
    paths = discover(call_dir)
    infos: dict[str, ProposalInfo] = {}
    problems: list[Problem] = []
    n = workers or default_workers()
    with _worker_pool(n, len(paths), rubric_path) as pool, _no_gc():
        wanted = [p for p, kind, _ in _route(pool, n, paths) if kind == "proposal"]
        results: list[FileResult] = []
        if pool is None:
            results = [read_call_file(p, rubric) for p in wanted]
        else:
            for chunk in pool.imap(_read_chunk, _chunks(wanted, 64)):
                results.extend(chunk)
                if progress:
                    progress("read", len(results), len(wanted))
    for res in results:
        if res.kind != "proposal":
            continue
        if res.proposal is None:
            problems += res.problems
        elif res.proposal.id in infos:
            first = infos[res.proposal.id].path
            problems.append(
                _locate_field(
                    res.path, "id", f"proposal id {res.proposal.id!r} is used twice (also in {first})"
                )
            )
        else:
            infos[res.proposal.id] = res.proposal
    return list(infos.values()), sorted(problems, key=_problem_order), len(paths)


def read_call(
    paths: Sequence[str],
    rubric: Rubric,
    rubric_path: str | Path | None,
    *,
    need_budget: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[RankedProposal], list[Problem], int]:
    """Read every file of a call and build one row per proposal: (rows, loose problems, reviews)."""
    total = len(paths)
    n = workers or default_workers()
    with _worker_pool(n, total, rubric_path) as pool, _no_gc():
        # Routing: which reviews name which proposal (a guess from the raw text).
        routed = _route(pool, n, paths)
        proposals = [(p, i) for p, k, i in routed if k == "proposal"]
        reviews_by_id: dict[str | None, list[str]] = {}
        for p, k, i in routed:
            if k == "review":
                reviews_by_id.setdefault(i, []).append(p)
        claimed: set[str | None] = set()
        groups: list[tuple[str, list[str]]] = []
        for p, i in proposals:
            if i is not None and i not in claimed:
                claimed.add(i)
                groups.append((p, reviews_by_id.get(i, [])))
            else:
                groups.append((p, []))
        unclaimed = [p for i, ps in reviews_by_id.items() if i not in claimed for p in ps]
        del routed, proposals, reviews_by_id, claimed

        # The heavy pass: one proposal and its reviews at a time.
        results: list[GroupResult] = []
        done = 0
        if pool is not None:
            size = max(4, min(64, len(groups) // (n * 16) or 4))
            tasks = [(chunk, need_budget) for chunk in _chunks(groups, size)]
            for chunk_results in pool.imap_unordered(_group_chunk, tasks):
                results.extend(chunk_results)
                done += sum(1 + len(g.row.review_files if g.row else ()) for g in chunk_results)
                if progress:
                    progress("read", min(done, total), total)
        else:
            for i, (p, rs) in enumerate(groups):
                results.append(compute_group(rubric, p, rs, need_budget))
                done += 1 + len(rs)
                if progress and (i % 25 == 24 or i == len(groups) - 1):
                    progress("read", min(done, total), total)
    rows, loose, unclaimed_reviews = _settle(rubric, results, unclaimed, need_budget)
    if progress:
        progress("read", total, total)
    return rows, loose, sum(g.reviews for g in results) + unclaimed_reviews


def _settle(
    rubric: Rubric, results: list[GroupResult], unclaimed: list[str], need_budget: bool
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
            _locate_field(f, "id", f"proposal id {pid!r} is used by {len(files)} files: {', '.join(files)}")
            for f in files
        ]
        rows[pid] = row
    late = [read_call_file(p, rubric) for p in unclaimed]
    pending += late
    extra: dict[str, list[FileResult]] = {}
    for res in pending:
        if res.kind == "programmes":
            continue
        if res.kind == "proposal":
            # A proposal routed as a review (or the like): it needs a row of its own.
            if res.proposal is not None and res.proposal.id not in rows:
                extra.setdefault(res.proposal.id, [])
                rows[res.proposal.id] = RankedProposal(res.proposal.id, res.path, res.proposal)
            elif res.proposal is None:
                label = res.about or res.path
                rows.setdefault(label, RankedProposal(label, res.path, status="invalid"))
                rows[label].problems = rows[label].problems + res.problems
            continue
        target = res.about
        if target in rows:
            extra.setdefault(target, []).append(res)
        elif res.problems:
            loose += res.problems
        else:
            loose.append(
                _locate_field(
                    res.path,
                    "proposal",
                    f"no proposal with id {target!r} in this call (is the proposal file missing, "
                    "or the id mistyped?)",
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
        g = compute_group(rubric, row.path, paths, need_budget)
        if g.row is not None:
            g.row.problems = sorted(set(g.row.problems + row.problems), key=_problem_order)
            if g.row.problems:
                g.row.status = "invalid"
            rows[pid] = g.row
    return list(rows.values()), loose, sum(1 for x in late if x.kind == "review")


def _problem_order(p: Problem) -> tuple[str, int, int]:
    return (p.file, p.line or 0, p.column or 0)


def _order_key(row: RankedProposal) -> tuple[Any, ...]:
    def v(x: Fraction | None) -> tuple[int, Fraction]:
        return (0, Fraction(0)) if x is None else (1, x)

    return (v(row.weighted_percent), *(v(x) for x in row.tie_values))


_OUTCOME_ORDER = {o: i for i, o in enumerate(Outcome)}


def rank_rows(
    rubric: Rubric,
    rows: list[RankedProposal],
    *,
    fund: int | None = None,
    budget: float | None = None,
) -> tuple[list[RankedProposal], FundingLine | None]:
    """Order rows (ranked eligible, then ineligible, then invalid), rank and draw the line."""
    if fund is not None and budget is not None:
        raise UsageError("give either --fund or --budget, not both")
    eligible = sorted((r for r in rows if r.status != "invalid" and r.eligible), key=lambda r: r.id)
    eligible.sort(key=_order_key, reverse=True)
    groups: list[list[RankedProposal]] = []
    for r in eligible:
        if groups and _order_key(groups[-1][0]) == _order_key(r):
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


def rank_call(
    call_dir: str | Path,
    rubric_path: str | Path | None = None,
    *,
    fund: int | None = None,
    budget: float | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Ranking:
    """The front door: read a call folder and rank it, with a funding line when asked."""
    if fund is not None and budget is not None:
        raise UsageError("give either --fund or --budget, not both")
    if fund is not None and fund < 1:
        raise UsageError("--fund needs a number of proposals of 1 or more")
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        raise UsageError("--budget needs an amount greater than 0")
    rubric = load_rubric(rubric_path)
    paths = discover(call_dir)
    if not paths:
        raise InputError([Problem(str(call_dir), None, None, None, "holds no YAML files")])
    rows, loose, reviews = read_call(
        paths, rubric, rubric_path, need_budget=budget is not None, workers=workers, progress=progress
    )
    ordered, line = rank_rows(rubric, rows, fund=fund, budget=budget)
    problems = sorted({p for r in ordered for p in r.problems} | set(loose), key=_problem_order)
    return Ranking(rubric, str(call_dir), ordered, line, problems, len(paths), reviews)
