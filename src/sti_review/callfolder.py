"""A call folder: finding its files, telling what each one is, and reading them (in parallel
for a large call).

The call folder (documented in docs/formats.md): every ``*.yaml``/``*.yml`` file below it,
except names starting with ``.`` or ``_``. What a file is comes from its content (a review has
``answers``/``reviewer``, a proposal has ``programme``/``partners``, a programmes file has
``programmes``); when the content cannot be read, from its place: a file under a ``reviews``
folder or named ``*.review*.yaml`` is taken to be a review (see ``rules``). Reviews name their
proposal by id.

Large calls are read by a pool of worker processes. A cheap *routing* pass reads each file's
``id:`` or ``proposal:`` line, so that the heavy pass can take a proposal together with the
reviews that name it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .collector import no_gc
from .errors import InputError, Problem, Text
from .fileio import read_reason, read_regular
from .panel import locate, proposal_of
from .rubric import Rubric, load_rubric
from .rules import ID_LINE, PROPOSAL_LINE, TopKey, file_kind, id_like, looks_like_review
from .summaries import FileResult, LightAnswer, LightReview, ProposalInfo, ReviewInfo

PARALLEL_FROM = 400  # files; below this a worker pool costs more than it saves
SPAWN_FROM = 100_000  # files; from here workers are fresh processes, not forks (worker_pool)


ROUTE_BYTES = 8192  # routing reads the head of each file: ids and `answers:` come first


_REVIEW_KEYS = TopKey("(?:answers|reviewer):")
_PROGRAMMES_KEY = TopKey("(?:programmes|reviewers):")  # reviewers: a pool file
_CALL_DATA_KEY = TopKey("(?:reviewers|decisions|call):")  # reviewers, decisions, call.yaml
_BOM = b"\xef\xbb\xbf"


Progress = Callable[[str, int, int], None]


def discover(call_dir: str | Path) -> tuple[list[str], list[Problem]]:
    """Every YAML file of a call folder, sorted (hidden and ``_`` names are skipped), and a
    problem for every folder below it that cannot be listed: a folder of reviews that cannot
    be read is an error, never a proposal silently "not yet answered"."""
    root = os.fspath(call_dir)
    try:
        if not stat.S_ISDIR(os.stat(root).st_mode):
            raise InputError([Problem(root, None, None, None, Text("err.not_a_call_folder"))])
    except (FileNotFoundError, NotADirectoryError):
        raise InputError([Problem(root, None, None, None, Text("err.not_a_call_folder"))]) from None
    except OSError as exc:
        raise InputError(
            [Problem(root, None, None, None, Text("err.cannot_read", reason=read_reason(exc)))]
        ) from None
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else root
        problems.append(
            Problem(
                os.fspath(where), None, None, None, Text("err.folder_cannot_read", reason=read_reason(exc))
            )
        )

    # os.walk's walk (top-down, symbolic links to folders not followed, a folder that cannot be
    # listed reported through ``unreadable``) with one scandir entry per name and no lists of
    # names in between: a call of 40,000 files is listed in a third of the time
    out: list[str] = []
    folders = [root]
    while folders:
        top = folders.pop()
        try:
            it = os.scandir(top)
        except OSError as exc:
            unreadable(exc)
            continue
        with it:
            while True:
                try:
                    entry = next(it)
                except StopIteration:
                    break
                except OSError as exc:
                    unreadable(exc)
                    break
                name = entry.name
                if name.startswith((".", "_")):
                    continue
                try:
                    folder = entry.is_dir()
                except OSError:
                    folder = False
                if folder:
                    try:
                        link = entry.is_symlink()
                    except OSError:
                        link = False
                    if not link:
                        folders.append(entry.path)
                elif name.lower().endswith((".yaml", ".yml")):
                    out.append(entry.path)
    out.sort()
    return out, problems


def _id_of(text: str) -> str | None:
    return ID_LINE.value(text)


def route_file(path: str) -> tuple[str, str, str | None]:
    """(path, kind, id) guessed from the raw text, without parsing: for grouping only."""
    try:
        head = read_regular(path, ROUTE_BYTES)[:ROUTE_BYTES]
    except InputError:  # reported, located, by the real read
        return path, "review" if looks_like_review(path) else "proposal", None
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    if _REVIEW_KEYS.search(head) or (looks_like_review(path) and b"programme:" not in head):
        return path, "review", PROPOSAL_LINE.value(head)
    if _PROGRAMMES_KEY.search(head):
        return path, "programmes", None
    if _CALL_DATA_KEY.search(head):
        return path, "call-data", None
    return path, "proposal", ID_LINE.value(head)


# What reading a file gave, for the cache: (path, (size, mtime_ns, ctime_ns) before reading, SHA-256 of
# the bytes read, result).
Record = tuple[str, "tuple[int, int, int] | None", "bytes | None", FileResult]


def read_call_file(path: str, rubric: Rubric, record: list[Record] | None = None) -> FileResult:
    """Read, validate and boil down one file of a call. Never raises for bad input.

    With ``record``, what was read is appended to it (see ``Record``): the stamp is taken before
    the file is read and the hash is of the very bytes parsed, so a file changed meanwhile is
    never cached under its new stamp with its old content."""
    if record is None:
        return _read_call_file(path, rubric, None)
    from .cache import stamp

    before = stamp(path)
    sink: list[bytes] = []
    res = _read_call_file(path, rubric, sink)
    record.append((path, before, sink[0] if sink else None, res))
    return res


def _read_call_file(path: str, rubric: Rubric, sink: list[bytes] | None) -> FileResult:
    from .proposal import from_document
    from .review import review_from_document
    from .yamlio import parse, read_text

    text = ""
    try:
        text = read_text(path, sink)
        doc = parse(text, path)
    except InputError as exc:
        kind = "review" if looks_like_review(path) or _REVIEW_KEYS.search(text) else "proposal"
        about = proposal_of(text) if kind == "review" else _id_of(text)
        return FileResult(path, kind, None, None, exc.problems, about)
    kind = file_kind(doc.data)
    if kind in ("programmes", "reviewers", "decisions", "call"):
        return FileResult(path, kind, None, None, [], None)
    if kind not in ("proposal", "review"):
        kind = "review" if looks_like_review(path) else "proposal"
    if kind == "proposal":
        try:
            p = from_document(doc, rubric).proposal
        except InputError as exc:
            return FileResult(path, kind, None, None, exc.problems, _id_of(text))
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
            tuple(p.purposes) if p.purposes is not None else None,
            tuple(
                i
                for i in [
                    p.lead.institution if p.lead else "",
                    *(x.institution for x in p.partners),
                    *(m.institution for m in p.team),
                ]
                if i
            ),
            tuple(
                n
                for n in [
                    p.lead.researcher_number if p.lead else None,
                    *(m.researcher_number for m in p.team),
                ]
                if n
            ),
        )
        return FileResult(path, kind, info, None, [], p.id)
    try:  # a review that is not a mapping at all (``text``) is refused before it is validated
        loaded, problems = review_from_document(doc, rubric, None)
    except InputError as exc:
        return FileResult(path, "review", None, None, exc.problems, proposal_of(text))
    if loaded is None or problems:
        about = loaded.review.proposal if loaded is not None else proposal_of(text)
        return FileResult(path, "review", None, None, problems, about)
    r = loaded.review
    answers = {
        cid: LightAnswer(a.score, a.verdict, tuple(a.conditions), a.na) for cid, a in r.answers.items()
    }
    light = LightReview(
        r.reviewer,
        r.role,
        answers,
        r.stage,
        r.declaration.conflict if r.declaration else "none",
        r.overall.grade if r.overall else None,
    )
    info_r = ReviewInfo(path, r.proposal, light)
    return FileResult(path, "review", None, info_r, [], r.proposal)


def locate_field(path: str, name: str, message: str) -> Problem:
    return locate([Problem(path, None, None, name, message)])[0]


def problem_order(p: Problem) -> tuple[str, int, int]:
    return (p.file, p.line or 0, p.column or 0)


_WORKER_RUBRIC: Rubric | None = None


def _init_worker(rubric_path: str | None) -> None:
    import signal

    global _WORKER_RUBRIC
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _WORKER_RUBRIC = load_rubric(rubric_path)


def _route_chunk(paths: list[str]) -> list[tuple[str, str, str | None]]:
    return [route_file(p) for p in paths]


def default_workers() -> int:
    env = os.environ.get("STI_REVIEW_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13: the cores this process may use
    if counted is not None:
        return max(1, counted() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextlib.contextmanager
def worker_pool(n: int, total: int, rubric_path: str | Path | None) -> Iterator[Any]:
    """A pool of ``n`` worker processes for a large call, or None when working alone is faster."""
    if n <= 1 or total < PARALLEL_FROM:
        yield None
        return
    import multiprocessing as mp

    # Forked workers start as copies of this process, and a process's resident size counts the
    # pages it shares: with a very large call's listing in memory (~65 MB at 400,000 files) each
    # worker would count it again. Above SPAWN_FROM they start as fresh interpreters instead
    # (~0.3 s more, in parallel; issue 17: 100,000 proposals under 600 MB summed over the tree).
    method = "fork" if "fork" in mp.get_all_start_methods() and total < SPAWN_FROM else "spawn"
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


def route_by_place(paths: Sequence[str]) -> list[tuple[str, str, str | None] | None]:
    """For each file, its route from the call folder's documented layout, without opening it, or
    None: ``<folder>/proposals/<id>.yaml`` is taken for the proposal ``<id>`` and
    ``<folder>/reviews/<id>/<name>.yaml`` for a review of it, when both are there side by side
    (a proposal file and a folder of reviews of the same name). A guess, as routing by the text
    is: the files are read and checked all the same, and one that turns out to be something
    else, or to name another proposal, is put right as a file routed wrongly by its text is
    (``ranking._settle``). Files that do not fit the layout are routed by their text."""
    proposals: dict[tuple[str, str], int] = {}
    reviews: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(paths):
        folder, name = os.path.split(p)
        parent, folder_name = os.path.split(folder)
        if folder_name == "proposals":
            stem, ext = os.path.splitext(name)
            if ext.lower() in (".yaml", ".yml") and id_like(stem):
                proposals.setdefault((parent, stem), i)
        elif os.path.basename(parent) == "reviews" and id_like(folder_name):
            reviews.setdefault((os.path.dirname(parent), folder_name), []).append(i)
    out: list[tuple[str, str, str | None] | None] = [None] * len(paths)
    for key, i in proposals.items():
        mine = reviews.get(key)
        if mine:
            out[i] = (paths[i], "proposal", key[1])
            for j in mine:
                out[j] = (paths[j], "review", key[1])
    return out


def route(pool: Any, n: int, paths: Sequence[str]) -> list[tuple[str, str, str | None]]:
    if pool is None:
        return [route_file(p) for p in paths]
    size = max(64, min(2048, len(paths) // (n * 8) or 64))
    return [x for chunk in pool.imap(_route_chunk, chunks(list(paths), size)) for x in chunk]


def _read_chunk(paths: list[str]) -> list[FileResult]:
    assert _WORKER_RUBRIC is not None
    with no_gc():
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
    paths, problems = discover(call_dir)
    infos: dict[str, ProposalInfo] = {}
    n = workers or default_workers()
    with worker_pool(n, len(paths), rubric_path) as pool, no_gc():
        wanted = [p for p, kind, _ in route(pool, n, paths) if kind == "proposal"]
        results: list[FileResult] = []
        if pool is None:
            results = [read_call_file(p, rubric) for p in wanted]
        else:
            for chunk in pool.imap(_read_chunk, chunks(wanted, 64)):
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
                locate_field(
                    res.path, "id", f"proposal id {res.proposal.id!r} is used twice (also in {first})"
                )
            )
        else:
            infos[res.proposal.id] = res.proposal
    return list(infos.values()), sorted(problems, key=problem_order), len(paths)


def worker_rubric() -> Rubric:
    """The rubric a worker process loaded when it started (see ``worker_pool``)."""
    assert _WORKER_RUBRIC is not None
    return _WORKER_RUBRIC
