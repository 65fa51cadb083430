"""The library's front door: load the files of one review and assess them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .checks import Finding, findings_for, run_checks
from .errors import InputError
from .proposal import (
    LoadedProposal,
    Proposal,
    fingerprint_text,
    from_document,
    load_proposal,
    vocabulary_problems,
)
from .review import LoadedReview, Review, read_review
from .rubric import Rubric, load_rubric
from .scoring import Assessment, assess
from .validation import validate
from .yamlio import parse, read_text


def default_review_path(proposal_path: str | Path) -> Path:
    """``examples/foo.yaml`` -> ``examples/foo.review.yaml`` (beside the proposal)."""
    p = Path(proposal_path)
    return p.with_name(f"{p.stem}.review.yaml")


@dataclass
class ReviewJob:
    """Everything needed to assess one review of one proposal."""

    rubric: Rubric
    proposal: LoadedProposal
    review: LoadedReview
    review_path: Path
    review_exists: bool

    def assessment(self) -> Assessment:
        return assess(self.rubric, self.proposal.proposal, self.review.review)

    @cached_property
    def findings(self) -> list[Finding]:
        """The automated pre-checks of the proposal (computed once, when first asked for)."""
        return run_checks(self.rubric, self.proposal)

    def findings_for(self, criterion_id: str | None) -> list[Finding]:
        """The pre-check findings that inform one criterion (None: the proposal as a whole)."""
        return findings_for(self.findings, criterion_id)


def open_job(
    proposal_path: str | Path,
    review_path: str | Path | None = None,
    rubric_path: str | Path | None = None,
) -> ReviewJob:
    """Load rubric, proposal and (if it exists) review; every problem is located."""
    rubric = load_rubric(rubric_path)
    proposal = load_proposal(proposal_path, rubric)
    path = Path(review_path) if review_path is not None else default_review_path(proposal_path)
    from .fileio import file_exists

    exists = file_exists(path)
    if exists:
        loaded, problems = read_review(path, rubric, proposal.proposal)
        if problems or loaded is None:
            raise InputError(problems)
        review = loaded
    else:
        review = LoadedReview(
            Review(
                proposal=proposal.proposal.id,
                rubric=rubric.ref,
                proposal_fingerprint=proposal.fingerprint,
            ),
            None,
            str(path),
        )
    return ReviewJob(rubric, proposal, review, path, exists)


@dataclass
class CheckedProposal:
    """One proposal and what the automated pre-checks found in it."""

    path: Path
    proposal: LoadedProposal
    findings: list[Finding]

    def failed(self, strict: bool = False) -> bool:
        """An error fails; with ``strict`` a warning fails too."""
        return any(f.fails(strict) for f in self.findings)


def check_proposal(proposal_path: str | Path, rubric: Rubric | str | Path | None = None) -> CheckedProposal:
    """Run the rubric's pre-checks on a proposal file.

    A file that cannot be read or does not fit the proposal format is bad input (InputError,
    every problem located). Objective and criterion ids unknown to the rubric are not: they
    become findings, next to everything else the checks find.
    """
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    text = read_text(proposal_path)
    doc = parse(text, str(proposal_path))
    try:
        loaded = from_document(doc, rub, fingerprint_text(text))
    except InputError as exc:
        try:
            proposal = validate(Proposal, doc)
        except InputError:
            raise exc from None  # schema and cross-reference problems together
        if vocabulary_problems(doc, rub):  # a programme (etc.) the rubric does not know
            raise exc from None
        loaded = LoadedProposal(proposal, doc, fingerprint_text(text))
    from .undeclared import conflict_findings

    findings = run_checks(rub, loaded) + conflict_findings(proposal_path, loaded.proposal)
    return CheckedProposal(Path(proposal_path), loaded, findings)
