"""The library's front door: load the files of one review and assess them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .proposal import LoadedProposal, load_proposal
from .review import LoadedReview, Review, read_review
from .rubric import Rubric, load_rubric
from .scoring import Assessment, assess


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


def open_job(
    proposal_path: str | Path,
    review_path: str | Path | None = None,
    rubric_path: str | Path | None = None,
) -> ReviewJob:
    """Load rubric, proposal and (if it exists) review; every problem is located."""
    rubric = load_rubric(rubric_path)
    proposal = load_proposal(proposal_path, rubric)
    path = Path(review_path) if review_path is not None else default_review_path(proposal_path)
    exists = path.exists()
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
