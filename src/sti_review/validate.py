"""`sti-review validate`: tell what each file is and report every problem in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem, Text
from .proposal import Proposal, from_document
from .review import review_from_document
from .rubric import Rubric, load_rubric
from .rules import file_kind
from .validation import validate_mapping
from .yamlio import Document, load_file


@dataclass
class Result:
    path: str
    kind: str
    problems: list[Problem] = field(default_factory=list)


detect_kind = file_kind  # the one implementation is rules.file_kind


def validate_files(paths: list[Path], rubric_path: Path | None = None) -> list[Result]:
    results: dict[int, Result] = {}
    docs: list[tuple[int, Path, Document]] = []
    for i, path in enumerate(paths):
        try:
            docs.append((i, path, load_file(path)))
        except InputError as exc:
            results[i] = Result(str(path), "unreadable", exc.problems)

    rubric: Rubric | None = None
    rubric_problems: list[Problem] = []
    try:
        rubric = load_rubric(rubric_path)
    except InputError as exc:
        rubric_problems = exc.problems

    proposals: dict[str, Proposal] = {}
    by_kind = {i: detect_kind(doc.data) for i, _, doc in docs}
    for i, path, doc in docs:
        kind = by_kind[i]
        if kind in ("rubric", "rubric-section", "rubric-checks"):
            # rubric.yaml itself may have another name; sections and checks sit beside it
            target = (
                path.parent.parent if kind == "rubric-section" else path if kind == "rubric" else path.parent
            )
            try:
                load_rubric(target)
                results[i] = Result(str(path), kind)
            except InputError as exc:
                results[i] = Result(str(path), kind, exc.problems)
        elif kind == "programmes":  # the portfolio map's existing programmes
            from .portfolio import programmes_from_document

            try:
                if rubric is None:
                    raise InputError(rubric_problems)
                programmes_from_document(doc, rubric)
                results[i] = Result(str(path), kind)
            except InputError as exc:
                results[i] = Result(str(path), kind, exc.problems)
        elif kind == "reviewers":  # a reviewer pool (sti-review assign)
            from .reviewers import pool_from_document

            try:
                pool_from_document(doc)
                results[i] = Result(str(path), kind)
            except InputError as exc:
                results[i] = Result(str(path), kind, exc.problems)
        elif kind == "call":  # a call folder's call.yaml: its rubric and title
            from .callfile import call_from_document

            try:
                call_from_document(doc, path.parent)
                results[i] = Result(str(path), kind)
            except InputError as exc:
                results[i] = Result(str(path), kind, exc.problems)
        elif kind == "unknown" and not isinstance(doc.data, dict):
            try:
                validate_mapping(doc)
            except InputError as exc:
                results[i] = Result(str(path), kind, exc.problems)
        elif kind == "unknown":
            results[i] = Result(
                str(path),
                kind,
                [
                    Problem(
                        str(path),
                        *doc.locate(()),
                        None,
                        Text("err.unknown_kind"),
                    )
                ],
            )
    for i, path, doc in docs:
        if by_kind[i] != "proposal":
            continue
        if rubric is None:
            results[i] = Result(str(path), "proposal", rubric_problems)
            continue
        try:
            loaded = from_document(doc, rubric)
            proposals[loaded.proposal.id] = loaded.proposal
            results[i] = Result(str(path), "proposal")
        except InputError as exc:
            results[i] = Result(str(path), "proposal", exc.problems)
    for i, path, doc in docs:
        if by_kind[i] != "review":
            continue
        if rubric is None:
            results[i] = Result(str(path), "review", rubric_problems)
            continue
        proposal_id = doc.data.get("proposal") if isinstance(doc.data, dict) else None
        _, problems = review_from_document(doc, rubric, proposals.get(str(proposal_id)))
        results[i] = Result(str(path), "review", problems)
    return [results[i] for i in sorted(results)]
