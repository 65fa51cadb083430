"""The review file: one reviewer's answers for one proposal; also the questionnaire's save file."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from .errors import MAX_PROBLEMS, InputError, Problem, did_you_mean, more_problems
from .proposal import Proposal
from .rubric import Rubric, Verdict
from .rules import comment_required
from .validation import validate, validate_pruning
from .yamlio import Document, load_file


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Answer(_Model):
    """Exactly one of a score, a gate verdict or N/A, with an optional comment."""

    score: float | None = None
    verdict: Verdict | None = None
    conditions: list[str] = []
    na: StrictBool = False
    comment: str | None = None

    @field_validator("score", mode="before")
    @classmethod
    def _a_number(cls, v: Any) -> Any:
        # Quoted numbers and true/false are typing mistakes, not scores.
        if isinstance(v, bool | str):
            raise ValueError(f"must be a number, not {v!r}")
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Answer:
        given = [
            name
            for name, present in (
                ("score", self.score is not None),
                ("verdict", self.verdict is not None),
                ("na", self.na),
            )
            if present
        ]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            raise ValueError(f"an answer needs exactly one of score, verdict or na: true (got {what})")
        if self.conditions and self.verdict != "conditional":
            raise ValueError("conditions belong to a verdict: conditional")
        return self

    @property
    def has_comment(self) -> bool:
        return bool(self.comment and self.comment.strip())


class Review(_Model):
    """One reviewer's review of one proposal (the review file contract)."""

    proposal: str = Field(min_length=1)
    reviewer: str = ""
    rubric: str = Field(
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="the rubric's id@version, e.g. mext-sti-international-2021@1",
    )
    role: Literal["reviewer", "panel"] = Field(
        "reviewer",
        description="panel: the panel's consensus review, which overrides individual ones",
    )
    proposal_fingerprint: str | None = Field(
        None, description="fingerprint of the proposal file when the review was last saved"
    )
    answers: dict[str, Answer] = {}

    @field_validator("answers", mode="before")
    @classmethod
    def _empty_answers(cls, v: Any) -> Any:
        return {} if v is None else v


class LoadedReview:
    def __init__(self, review: Review, doc: Document | None, path: str):
        self.review = review
        self.doc = doc
        self.path = path


def load_review(path: str | Path) -> LoadedReview:
    doc = load_file(path)
    return LoadedReview(validate(Review, doc), doc, str(path))


def read_review(
    path: str | Path, rubric: Rubric, proposal: Proposal | None
) -> tuple[LoadedReview | None, list[Problem]]:
    """Load and cross-check a review, collecting every problem (structure and references)."""
    doc = load_file(path)
    return review_from_document(doc, rubric, proposal)


def review_from_document(
    doc: Document, rubric: Rubric, proposal: Proposal | None
) -> tuple[LoadedReview | None, list[Problem]]:
    review, problems = validate_pruning(Review, doc, "answers")
    if review is None:
        return None, problems
    problems = problems + check_review(review, doc, rubric, proposal)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return LoadedReview(review, doc, doc.path), problems


def check_review(
    review: Review, doc: Document | None, rubric: Rubric, proposal: Proposal | None
) -> list[Problem]:
    """Cross-reference a review with the rubric (and the proposal, when known)."""
    path = doc.path if doc else "<review>"

    def problem(loc: tuple[Any, ...], message: str, *, at_key: bool = False) -> Problem:
        if doc is None:
            from .yamlio import format_field

            return Problem(path, None, None, format_field(loc), message)
        return doc.problem(loc, message, at_key=at_key)

    problems: list[Problem] = []
    if review.rubric != rubric.ref:
        problems.append(
            problem(
                ("rubric",),
                f"the review was written against {review.rubric}, but the rubric in use is {rubric.ref}",
            )
        )
    if proposal is not None and review.proposal != proposal.id:
        problems.append(
            problem(("proposal",), f"the review is of proposal {review.proposal!r}, not {proposal.id!r}")
        )
    same_proposal = proposal is not None and review.proposal == proposal.id
    applicable = (
        {c.id for s in rubric.sections_for(proposal.programme) for c in s.criteria}
        if proposal is not None and same_proposal
        else set(rubric.criteria)
    )
    scale = rubric.scale
    rules = rubric.comments
    for cid, answer in review.answers.items():
        if len(problems) >= MAX_PROBLEMS:
            problems.append(more_problems(path, len(review.answers) - len(problems)))
            break
        loc: tuple[Any, ...] = ("answers", cid)
        crit = rubric.criteria.get(cid)
        if crit is None:
            hint = did_you_mean(str(cid), list(rubric.criteria))
            problems.append(problem(loc, f"unknown criterion {cid!r}{hint}", at_key=True))
            continue
        if cid not in applicable and proposal is not None:
            section = rubric.section(crit.section)
            problems.append(
                problem(
                    loc,
                    f"{cid} belongs to section {section.id}, which applies to "
                    f"{section.programme} proposals; this proposal is "
                    f"{proposal.programme}",
                    at_key=True,
                )
            )
            continue
        if crit.kind == "portfolio":
            problems.append(
                problem(
                    loc,
                    f"{cid} is a portfolio criterion, judged across proposals "
                    "(sti-review portfolio), not in a single review",
                    at_key=True,
                )
            )
            continue
        if crit.kind == "gate":
            if answer.verdict is None:
                given = "a score" if answer.score is not None else "N/A"
                problems.append(
                    problem(
                        loc,
                        f"{cid} is a gate: it needs a verdict (pass, conditional or fail), not {given}",
                    )
                )
                continue
            if comment_required(rules, answer) == "verdict" and not answer.has_comment:
                problems.append(
                    problem(
                        loc + ("comment",),
                        f"a comment is required for the verdict {answer.verdict}",
                    )
                )
            if answer.verdict == "conditional" and not [c for c in answer.conditions if c.strip()]:
                problems.append(
                    problem(loc + ("conditions",), "a conditional verdict needs its conditions listed")
                )
            continue
        if answer.verdict is not None:
            problems.append(
                problem(loc + ("verdict",), f"{cid} is scored on the scale; a verdict is only for gates")
            )
            continue
        if answer.na:
            if not rubric.na_allowed_for(crit):
                problems.append(problem(loc + ("na",), f"N/A is not allowed for {cid}"))
            elif comment_required(rules, answer) == "na" and not answer.has_comment:
                problems.append(problem(loc + ("comment",), "a comment is required for N/A"))
            continue
        score = float(answer.score)  # type: ignore[arg-type]
        if not scale.on_scale(score):
            problems.append(problem(loc + ("score",), off_scale_message(score, scale)))
            continue
        if comment_required(rules, answer) == "low_score" and not answer.has_comment:
            problems.append(
                problem(
                    loc + ("comment",),
                    f"a comment is required for a score of {rules.score_at_or_below:g} or less",
                )
            )
    return problems


def exact_number(x: float) -> str:
    """A number as it was written: ``4.50000001`` stays so (``:g`` would show ``4.5``)."""
    if math.isnan(x):
        return "NaN"
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


def off_scale_message(score: float, scale: Any) -> str:
    """ "4.50000001 is not on the scale (0–5 in steps of 0.5); nearest: 4.5"."""
    message = f"{exact_number(score)} is not on the scale ({scale.describe()})"
    if math.isfinite(score) and scale.step > 0:
        lo, hi, step = (Fraction(repr(float(v))) for v in (scale.min, scale.max, scale.step))
        clamped = min(max(Fraction(score), lo), hi)
        k = min(round((clamped - lo) / step), int((hi - lo) / step))
        message += f"; nearest: {float(lo + k * step):g}"
    return message


def review_to_data(review: Review) -> dict[str, Any]:
    """Plain data in the order of the contract, without empty optional fields."""
    data: dict[str, Any] = {
        "proposal": review.proposal,
        "reviewer": review.reviewer,
        "rubric": review.rubric,
    }
    if review.role != "reviewer":
        data["role"] = review.role
    if review.proposal_fingerprint:
        data["proposal_fingerprint"] = review.proposal_fingerprint
    answers: dict[str, Any] = {}
    for cid, a in review.answers.items():
        item: dict[str, Any] = {}
        if a.score is not None:
            item["score"] = int(a.score) if float(a.score).is_integer() else a.score
        elif a.verdict is not None:
            item["verdict"] = a.verdict
            if a.conditions:
                item["conditions"] = list(a.conditions)
        else:
            item["na"] = True
        if a.comment:
            item["comment"] = a.comment
        answers[cid] = item
    data["answers"] = answers
    return data


def dump_review(review: Review, header: str = "") -> str:
    """The review as YAML text: contract order, Japanese kept as written, one value per line."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Several lines read best as a literal block; PyYAML falls back to quotes when it must.
        # NEL, LS and PS are line breaks to a YAML 1.1 reader: written escaped ("\N", "\L",
        # "\P") in double quotes, they are read back as the characters, never as breaks.
        style = '"' if any(c in value for c in "\x85\u2028\u2029") else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _text)
    body = yaml.dump(
        review_to_data(review),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        indent=2,
    )
    return header + body


def leading_comments(text: str) -> str:
    """The comment block at the top of a YAML file (kept when the file is rewritten)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line if line.endswith("\n") else line + "\n")
    return "".join(lines)


def save_review(path: str | Path, review: Review) -> None:
    """Write the review atomically (beside, then rename): a crash leaves the old or the new file.

    The comment block at the top of an existing file is kept; comments inside it are not.
    """
    from .fileio import atomic_write

    header = ""
    target = Path(path)
    if target.is_file():
        from .yamlio import decode

        try:
            header = leading_comments(decode(target.read_bytes(), str(target)))
        except (OSError, InputError):
            header = ""
    atomic_write(target, dump_review(review, header))
