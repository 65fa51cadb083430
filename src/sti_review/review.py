"""The review file: one reviewer's answers for one proposal; also the questionnaire's save file."""

from __future__ import annotations

import datetime as dt
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

from .errors import MAX_PROBLEMS, InputError, Problem, Text, did_you_mean, more_problems
from .proposal import Proposal
from .rubric import Rubric, Verdict
from .rules import comment_required, feedback_required
from .validation import validate, validate_pruning
from .yamlio import Document, load_file


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _no_conditions() -> list[str]:
    return []


class Answer(_Model):
    """Exactly one of a score, a gate verdict or N/A, with an optional comment."""

    score: float | None = None
    verdict: Verdict | None = None
    # a factory, not ``= []``: pydantic deep-copies a mutable default for every answer that
    # leaves it out (most do), which cost a quarter of validating a review (issue 17). A function
    # of ours, not ``list``: pydantic reads the factory's signature, and a built-in's is parsed
    # from text by the tokenizer (~5 ms of every command's start-up).
    conditions: list[str] = Field(default_factory=_no_conditions, json_schema_extra={"default": []})
    na: StrictBool = False
    comment: str | None = Field(None, description="for the committee only; never reaches the applicant")
    feedback: str | None = Field(None, description="may be shown to the applicant (feedback letters)")

    @field_validator("score", mode="before")
    @classmethod
    def _a_number(cls, v: Any) -> Any:
        # Quoted numbers and true/false are typing mistakes, not scores.
        if isinstance(v, bool | str):
            raise ValueError(Text("err.not_number", value=repr(v)))
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Answer:
        if (self.score is not None) + (self.verdict is not None) + bool(self.na) != 1:
            given = [
                name
                for name, present in (
                    ("score", self.score is not None),
                    ("verdict", self.verdict is not None),
                    ("na", self.na),
                )
                if present
            ]
            what = "none" if not given else " and ".join(given)
            raise ValueError(Text("err.answer_exactly_one", given=what))
        if self.conditions and self.verdict != "conditional":
            raise ValueError(Text("err.conditions_need_conditional"))
        return self

    @property
    def has_comment(self) -> bool:
        return bool(self.comment and self.comment.strip())

    @property
    def has_feedback(self) -> bool:
        return bool(self.feedback and self.feedback.strip())


_ANSWER_SET = frozenset({"score", "verdict", "conditions", "na", "comment"})


def made_answer(
    score: float | None, verdict: str | None, conditions: list[str], na: bool, comment: str | None = None
) -> Answer:
    """An Answer from values that are valid already (the panel's own answers), exactly as
    ``Answer.model_construct`` with these five fields makes it, without its per-field default
    lookups: the panel makes one for every criterion of every proposal of a call (issue 17)."""
    answer = object.__new__(Answer)
    values = {"score": score, "verdict": verdict, "conditions": conditions, "na": na}
    values["comment"] = comment
    values["feedback"] = None
    object.__setattr__(answer, "__dict__", values)
    object.__setattr__(answer, "__pydantic_fields_set__", set(_ANSWER_SET))
    object.__setattr__(answer, "__pydantic_extra__", None)
    object.__setattr__(answer, "__pydantic_private__", None)
    return answer


class Declaration(_Model):
    """The reviewer's pledge of confidentiality (守秘) and declaration of conflicts of interest
    (利害関係), given before any answer."""

    confidential: StrictBool = Field(description="the reviewer keeps the proposal confidential")
    conflict: str = Field("none", min_length=1, description="none, or a conflict category the rubric defines")
    note: str | None = None
    date: dt.date | None = Field(None, description="when the declaration was made (YYYY-MM-DD)")

    @field_validator("date", mode="before")
    @classmethod
    def _a_date(cls, v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, bool | int | float):
            raise ValueError(Text("err.not_date", value=repr(v)))
        return v

    @property
    def has_conflict(self) -> bool:
        return self.conflict != "none"


class OverallAnswer(_Model):
    """The reviewer's overall grade (総合評価), with a comment for the committee and feedback."""

    grade: float
    comment: str | None = None
    feedback: str | None = None

    @field_validator("grade", mode="before")
    @classmethod
    def _a_number(cls, v: Any) -> Any:
        if isinstance(v, bool | str):
            raise ValueError(Text("err.not_number", value=repr(v)))
        return v


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
    stage: str | None = Field(None, description="a stage the rubric defines; default: its first")
    declaration: Declaration | None = Field(
        None, description="confidentiality and conflict of interest, declared before any answer"
    )
    answers: dict[str, Answer] = {}
    overall: OverallAnswer | None = None

    @property
    def has_conflict(self) -> bool:
        return self.declaration is not None and self.declaration.has_conflict

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
                Text("err.review_other_rubric", written=review.rubric, used=rubric.ref),
            )
        )
    if proposal is not None and review.proposal != proposal.id:
        problems.append(
            problem(
                ("proposal",),
                Text("err.review_other_proposal", value=repr(review.proposal), expected=repr(proposal.id)),
            )
        )
    same_proposal = proposal is not None and review.proposal == proposal.id
    applicable = (
        {c.id for s in rubric.sections_for(proposal.programme) for c in s.criteria}
        if proposal is not None and same_proposal
        else set(rubric.criteria)
    )
    problems += _process_problems(review, rubric, problem)
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
            problems.append(
                problem(loc, Text("err.unknown_criterion", value=repr(cid), hint=hint), at_key=True)
            )
            continue
        if cid not in applicable and proposal is not None:
            section = rubric.section(crit.section)
            problems.append(
                problem(
                    loc,
                    Text(
                        "err.criterion_other_programme",
                        criterion=cid,
                        section=section.id,
                        programme=section.programme,
                        actual=proposal.programme,
                    ),
                    at_key=True,
                )
            )
            continue
        if crit.kind == "portfolio":
            problems.append(
                problem(
                    loc,
                    Text("err.portfolio_criterion_in_review", criterion=cid),
                    at_key=True,
                )
            )
            continue
        if crit.kind == "gate":
            if answer.verdict is None:
                key = (
                    "err.gate_needs_verdict_score"
                    if answer.score is not None
                    else "err.gate_needs_verdict_na"
                )
                problems.append(problem(loc, Text(key, criterion=cid)))
                continue
            if comment_required(rules, answer) == "verdict" and not answer.has_comment:
                problems.append(
                    problem(
                        loc + ("comment",),
                        Text("err.comment_for_verdict", verdict=answer.verdict),
                    )
                )
            if answer.verdict == "conditional" and not [c for c in answer.conditions if c.strip()]:
                problems.append(problem(loc + ("conditions",), Text("err.conditions_missing")))
            continue
        if answer.verdict is not None:
            problems.append(problem(loc + ("verdict",), Text("err.verdict_not_gate", criterion=cid)))
            continue
        if answer.na:
            if not rubric.na_allowed_for(crit):
                problems.append(problem(loc + ("na",), Text("err.na_not_allowed", criterion=cid)))
            elif comment_required(rules, answer) == "na" and not answer.has_comment:
                problems.append(problem(loc + ("comment",), Text("err.comment_for_na")))
            continue
        score = float(answer.score)  # type: ignore[arg-type]
        if not scale.on_scale(score):
            problems.append(problem(loc + ("score",), off_scale_message(score, scale)))
            continue
        if comment_required(rules, answer) == "low_score" and not answer.has_comment:
            problems.append(
                problem(
                    loc + ("comment",),
                    Text("err.comment_for_low_score", score=f"{rules.score_at_or_below:g}"),
                )
            )
    return problems


def missing_feedback(review: Review, rubric: Rubric) -> list[str]:
    """The criteria (and ``overall``) where the rubric asks for feedback to the applicant and
    the review gives none. Not a validation problem, so that files written before feedback
    existed stay valid: the questionnaire asks for it and `feedback` warns."""
    out = [
        cid
        for cid, answer in review.answers.items()
        if cid in rubric.criteria and not answer.has_feedback and feedback_required(rubric, answer)
    ]
    o = review.overall
    if o is not None and rubric.feedback.overall and not (o.feedback and o.feedback.strip()):
        out.append("overall")
    return out


def _process_problems(review: Review, rubric: Rubric, problem: Any) -> list[Problem]:
    """The declaration, the stage and the overall grade against the rubric."""
    problems: list[Problem] = []
    d = review.declaration
    if d is not None:
        if not d.confidential:
            problems.append(
                problem(
                    ("declaration", "confidential"),
                    Text("err.confidential_pledge"),
                )
            )
        categories = rubric.conflict_categories or {}
        if d.conflict != "none":
            term = categories.get(d.conflict)
            if term is None:
                known = ["none", *categories]
                problems.append(
                    problem(
                        ("declaration", "conflict"),
                        Text(
                            "err.unknown_conflict",
                            value=repr(d.conflict),
                            known=", ".join(known),
                            hint=did_you_mean(d.conflict, known),
                        ),
                    )
                )
            elif term.note_required and not (d.note and d.note.strip()):
                problems.append(
                    problem(("declaration", "note"), Text("err.conflict_needs_note", category=d.conflict))
                )
    if review.stage is not None and rubric.stage(review.stage) is None:
        known = [s.id for s in rubric.stages]
        if known:
            message = Text("err.unknown_stage", value=repr(review.stage), known=", ".join(known))
        else:
            message = Text("err.unknown_stage_none", value=repr(review.stage))
        problems.append(problem(("stage",), message))
    if review.overall is not None:
        if rubric.overall is None:
            problems.append(problem(("overall",), Text("err.no_overall_grade"), at_key=True))
        elif rubric.overall.level(review.overall.grade) is None:
            values = ", ".join(f"{lv.value:g}" for lv in rubric.overall.levels)
            problems.append(
                problem(
                    ("overall", "grade"),
                    Text("err.not_a_grade", value=exact_number(review.overall.grade), grades=values),
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
    message = Text("err.off_scale", value=exact_number(score), scale=scale.describe())
    if math.isfinite(score) and scale.step > 0:
        lo, hi, step = (Fraction(repr(float(v))) for v in (scale.min, scale.max, scale.step))
        clamped = min(max(Fraction(score), lo), hi)
        k = min(round((clamped - lo) / step), int((hi - lo) / step))
        message += Text("err.off_scale_nearest", value=f"{float(lo + k * step):g}")
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
    if review.stage is not None:
        data["stage"] = review.stage
    if review.declaration is not None:
        d = review.declaration
        decl: dict[str, Any] = {"confidential": d.confidential, "conflict": d.conflict}
        if d.note:
            decl["note"] = d.note
        if d.date is not None:
            decl["date"] = d.date.isoformat()
        data["declaration"] = decl
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
        if a.feedback:
            item["feedback"] = a.feedback
        answers[cid] = item
    data["answers"] = answers
    if review.overall is not None:
        o = review.overall
        grade = int(o.grade) if float(o.grade).is_integer() else o.grade
        overall: dict[str, Any] = {"grade": grade}
        if o.comment:
            overall["comment"] = o.comment
        if o.feedback:
            overall["feedback"] = o.feedback
        data["overall"] = overall
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
