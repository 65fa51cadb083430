"""Consolidation of several reviews of one proposal: spread, disagreement and the panel's outcome.

The panel's outcome is always computed by :func:`scoring.assess` on one *panel review*:
- where the panel wrote a consensus review (``role: panel``), its answers are taken as they
  stand, criterion by criterion;
- every other criterion is derived from the individual reviews: the median of their scores
  (exact, so two reviewers giving 3 and 4 make 3.5, and 3.5 and 4 make 3.75), N/A when more
  than half of the reviewers who answered said N/A, and for a gate the strictest verdict
  (fail over conditional over pass) with the conditions of every conditional verdict.

A criterion is a *disagreement* when the individual scores spread (max - min) by the rubric's
``panel.disagreement_spread`` or more, or when gate verdicts differ. A disagreement is
*resolved* when the consensus review answers that criterion. The outcome is *provisional*
while there is no consensus review or a disagreement is unresolved.

Pure: no terminal, no files (see :func:`load_panel` for the loading front door).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from .errors import InputError, Problem, Text
from .identity import reviewer_key
from .proposal import LoadedProposal, Proposal, load_proposal
from .review import Answer, Review, made_answer, read_review
from .rubric import Criterion, Rubric, load_rubric
from .rules import conflict_of, grade_of, is_answered, stage_of
from .scoring import Assessment, assess, required_criteria

Source = Literal["consensus", "derived", "missing"]
Disagreement = Literal["spread", "verdicts"]
_SEVERITY = {"pass": 0, "conditional": 1, "fail": 2}


class AnswerLike(Protocol):
    """What consolidation reads of an answer (a review.Answer, or a lighter record)."""

    @property
    def score(self) -> float | None: ...
    @property
    def verdict(self) -> str | None: ...
    @property
    def conditions(self) -> Sequence[str]: ...
    @property
    def na(self) -> bool: ...
    @property
    def comment(self) -> str | None: ...


class ReviewLike(Protocol):
    @property
    def reviewer(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def answers(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class PanelReview:
    """One review in a panel, with the file it came from."""

    review: ReviewLike
    source: str = ""

    @property
    def label(self) -> str:
        """The reviewer's name, else the file's name."""
        return self.review.reviewer or (Path(self.source).name if self.source else "?")


@dataclass
class CriterionPanel:
    """One criterion across the panel: every reviewer's answer, their spread, the panel's answer."""

    criterion: Criterion
    answers: tuple[AnswerLike | None, ...]
    consensus: AnswerLike | None
    outcome_answer: Answer | None
    source: Source
    disagreement: Disagreement | None
    mixed_na: bool

    @cached_property
    def scores(self) -> list[Fraction]:
        exact: dict[float, Fraction] = {}  # a scale has few values: convert each once
        return [
            exact[a.score] if a.score in exact else exact.setdefault(a.score, Fraction(a.score))
            for a in self.answers
            if a is not None and a.score is not None
        ]

    @cached_property
    def verdicts(self) -> list[str | None]:
        return [a.verdict if a is not None else None for a in self.answers]

    @cached_property
    def na_count(self) -> int:
        return sum(1 for a in self.answers if a is not None and a.na)

    @cached_property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a is not None)

    @cached_property
    def minimum(self) -> Fraction | None:
        return min(self.scores) if self.scores else None

    @cached_property
    def maximum(self) -> Fraction | None:
        return max(self.scores) if self.scores else None

    @cached_property
    def median(self) -> Fraction | None:
        if not self.scores:
            return None
        # the exact median of the exact scores, sorted as floats (the same order, far cheaper)
        ordered = sorted(self.scores, key=float)
        mid = len(ordered) // 2
        return Fraction(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2

    @cached_property
    def mean(self) -> Fraction | None:
        if not self.scores:
            return None
        counts: dict[Fraction, int] = {}  # few distinct values: one exact product each
        for x in self.scores:
            counts[x] = counts.get(x, 0) + 1
        return sum((x * n for x, n in counts.items()), Fraction(0)) / len(self.scores)

    @property
    def spread(self) -> Fraction | None:
        # cached minimum and maximum: reports ask for them once per reviewer's cell
        return self.maximum - self.minimum if self.minimum is not None and self.maximum is not None else None

    @property
    def resolved(self) -> bool:
        return self.disagreement is not None and self.consensus is not None

    @property
    def unresolved(self) -> bool:
        return self.disagreement is not None and self.consensus is None


@dataclass
class Consolidation:
    """All reviews of one proposal side by side, and the panel's outcome."""

    rubric: Rubric
    proposal: Proposal
    reviews: list[PanelReview]
    consensus: PanelReview | None
    criteria: list[CriterionPanel]
    assessment: Assessment
    problems: list[Problem] = field(default_factory=list)
    # Reviews left out of the panel's answers: a declared conflict of interest (with its category).
    excluded: list[tuple[PanelReview, str]] = field(default_factory=list)
    stage: str | None = None
    # Possible undeclared conflicts from the call's reviewers file (undeclared.py): (reviewer,
    # what matches). Flagged, never excluded: the programme officer decides.
    possible_conflicts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def needs_reviewer(self) -> bool:
        """Fewer counted reviews than the rubric's panel.min_reviews (a consensus review aside)."""
        return len(self.reviews) < self.rubric.panel.min_reviews

    @property
    def grades(self) -> list[float]:
        """The overall grades the counted individual reviews give."""
        return [g for g in (grade_of(r.review) for r in self.reviews) if g is not None]

    @property
    def overall_grade(self) -> Fraction | None:
        """The panel's overall grade: the consensus review's, else the mean of the reviewers'."""
        agreed = grade_of(self.consensus.review) if self.consensus else None
        if agreed is not None:
            return Fraction(repr(float(agreed)))
        grades = self.grades
        if not grades:
            return None
        return sum((Fraction(repr(float(g))) for g in grades), Fraction(0)) / len(grades)

    @property
    def grade_distribution(self) -> dict[float, int]:
        """How many counted reviewers gave each grade, for every level of the rubric."""
        if self.rubric.overall is None:
            return {}
        counts = {lv.value: 0 for lv in self.rubric.overall.levels}
        for g in self.grades:
            if g in counts:
                counts[g] += 1
        return counts

    @property
    def split_grades(self) -> bool:
        """The reviewers' overall grades lie the rubric's split_levels apart or more."""
        overall = self.rubric.overall
        grades = [g for g in self.grades if overall is not None and overall.level(g) is not None]
        if overall is None or len(grades) < 2:
            return False
        places = [overall.index(g) for g in grades]
        return max(places) - min(places) >= overall.split_levels

    @property
    def basis(self) -> Literal["consensus", "derived"]:
        return "consensus" if self.consensus is not None else "derived"

    @property
    def disagreements(self) -> list[CriterionPanel]:
        return [c for c in self.criteria if c.disagreement is not None]

    @property
    def unresolved(self) -> list[CriterionPanel]:
        return [c for c in self.criteria if c.unresolved]

    @property
    def provisional(self) -> bool:
        return self.consensus is None or bool(self.unresolved)

    @property
    def incomplete_reviews(self) -> list[PanelReview]:
        """Individual reviews that leave a required criterion unanswered."""
        required = required_criteria(self.rubric, self.proposal.programme, self.proposal.purposes)
        return [
            r
            for r in self.reviews
            if any(not is_answered(c.kind, r.review.answers.get(c.id)) for c in required)
        ]

    @cached_property
    def individual(self) -> list[Assessment]:
        """Each reviewer's own assessment (as `sti-review assess` would give it)."""
        out = []
        for r in self.reviews:
            review = r.review if isinstance(r.review, Review) else _as_review(r.review, self.rubric)
            out.append(assess(self.rubric, self.proposal, review))
        return out


def _as_answer(a: AnswerLike) -> Answer:
    if isinstance(a, Answer):
        return a
    return made_answer(a.score, a.verdict, list(a.conditions), a.na, a.comment)


def _as_review(r: ReviewLike, rubric: Rubric) -> Review:
    return Review.model_construct(
        proposal="",
        reviewer=r.reviewer,
        rubric=rubric.ref,
        role=r.role,
        proposal_fingerprint=None,
        answers={cid: _as_answer(a) for cid, a in r.answers.items()},
    )


def _derive(crit: Criterion, answers: Sequence[AnswerLike]) -> Answer | None:
    """The panel's answer from the individual ones (see the module's docstring)."""
    if not answers:
        return None
    if crit.kind == "gate":
        verdicts = [a.verdict for a in answers if a.verdict is not None]
        if not verdicts:
            return None
        worst = max(verdicts, key=lambda v: _SEVERITY.get(v, 0))
        conditions: list[str] = []
        if worst == "conditional":
            for a in answers:
                if a.verdict == "conditional":
                    conditions += [c for c in a.conditions if c not in conditions]
        return made_answer(None, worst, conditions, False)
    scores = sorted(a.score for a in answers if a.score is not None and not a.na)
    na = sum(1 for a in answers if a.na)
    if na * 2 > len(answers) or not scores:
        if not na:
            return None
        return made_answer(None, None, [], True)
    return made_answer(_median(scores), None, [], False)


def _median(ordered: list[float]) -> float:
    """The median of sorted scores; with an even count the mean of the middle two, unrounded."""
    n = len(ordered)
    mid = ordered[n // 2]
    return mid if n % 2 else (ordered[n // 2 - 1] + mid) / 2


def consolidate(
    rubric: Rubric,
    proposal: Proposal,
    reviews: Sequence[PanelReview],
    *,
    problems: Sequence[Problem] = (),
    stage: str | None = None,
) -> Consolidation:
    """Consolidate validated reviews of one proposal (at most one with ``role: panel``).

    Only the reviews of ``stage`` count (default: the rubric's first stage; a review without
    ``stage`` belongs to it). A review whose reviewer declared a conflict of interest is left
    out of the panel's answers and listed in ``excluded`` with the category.
    """
    stage = stage or rubric.first_stage
    in_stage = [r for r in reviews if stage_of(r.review, rubric.first_stage) == stage]
    excluded = [(r, conflict_of(r.review)) for r in in_stage if conflict_of(r.review) != "none"]
    counted = [r for r in in_stage if conflict_of(r.review) == "none"]
    individual = [r for r in counted if r.review.role != "panel"]
    panels = [r for r in counted if r.review.role == "panel"]
    consensus = panels[0] if panels else None
    # Scores lie on the scale's decimal steps: comparing floats with a margin far below any
    # step is exact and much cheaper than fractions (this runs for every criterion of a call).
    limit = rubric.panel.disagreement_spread - 1e-9
    criteria: list[CriterionPanel] = []
    panel_answers: dict[str, Answer] = {}
    for section in rubric.sections_for(proposal.programme):
        for crit in section.criteria:
            if crit.kind == "portfolio":
                continue
            answers = tuple(r.review.answers.get(crit.id) for r in individual)
            given = [a for a in answers if a is not None]
            disagreement: Disagreement | None = None
            if crit.kind == "gate":
                if len({a.verdict for a in given if a.verdict is not None}) > 1:
                    disagreement = "verdicts"
            else:
                scores = [a.score for a in given if a.score is not None]
                if len(scores) > 1 and max(scores) - min(scores) >= limit:
                    disagreement = "spread"
            mixed_na = crit.kind == "score" and 0 < sum(1 for a in given if a.na) < len(given)
            agreed = consensus.review.answers.get(crit.id) if consensus else None
            if agreed is not None:
                answer: Answer | None = _as_answer(agreed)
                source: Source = "consensus"
            else:
                answer = _derive(crit, given)
                source = "derived" if answer is not None else "missing"
            if answer is not None:
                panel_answers[crit.id] = answer
            criteria.append(CriterionPanel(crit, answers, agreed, answer, source, disagreement, mixed_na))
    panel_review = Review.model_construct(
        proposal=proposal.id,
        reviewer=consensus.label if consensus else "",
        rubric=rubric.ref,
        role="panel",
        proposal_fingerprint=None,
        answers=panel_answers,
    )
    return Consolidation(
        rubric,
        proposal,
        list(individual),
        consensus,
        criteria,
        assess(rubric, proposal, panel_review),
        list(problems),
        excluded,
        stage,
    )


def panel_problems(reviews: Sequence[PanelReview]) -> list[Problem]:
    """Problems of the panel as a whole: two consensus reviews, one reviewer twice."""
    problems = []
    first_panel: PanelReview | None = None
    seen: dict[str, PanelReview] = {}
    for r in reviews:
        if r.review.role == "panel":
            if first_panel is not None:
                problems.append(
                    Problem(
                        r.source,
                        None,
                        None,
                        "role",
                        Text("err.second_panel_review", first=first_panel.source),
                    )
                )
            else:
                first_panel = r
            continue
        person = reviewer_key(r.review.reviewer)
        key = f"{person}\x00{stage_of(r.review, '')}"  # a reviewer may review at every stage
        if not person:
            problems.append(
                Problem(
                    r.source,
                    None,
                    None,
                    "reviewer",
                    Text("err.reviewer_name_empty"),
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    r.source,
                    None,
                    None,
                    "reviewer",
                    Text(
                        "err.same_reviewer",
                        value=repr(r.review.reviewer),
                        other=repr(seen[key].review.reviewer),
                        file=seen[key].source,
                    ),
                )
            )
        else:
            seen[key] = r
    return problems


def locate(problems: list[Problem]) -> list[Problem]:
    """Add line and column to problems that name a top-level field but no line (re-reads the file)."""
    from .yamlio import load_file

    out = []
    docs: dict[str, Any] = {}
    for p in problems:
        if p.line is None and p.field and "." not in p.field and "[" not in p.field:
            try:
                doc = docs.get(p.file) or load_file(p.file)
                docs[p.file] = doc
                line, col = doc.key_location((p.field,))
                p = Problem(p.file, line, col, p.field, p.message)
            except InputError:
                pass
        out.append(p)
    return out


def load_panel(
    proposal_path: str | Path,
    review_paths: Sequence[str | Path],
    rubric_path: str | Path | None = None,
    stage: str | None = None,
) -> Consolidation:
    """Load a proposal and its reviews (files, or folders searched for reviews of it) and
    consolidate them. Every problem in every file is raised at once, located."""
    if rubric_path is None:  # the rubric of the call the proposal belongs to (call.yaml)
        from .callfile import call_rubric

        rubric_path = call_rubric(proposal_path, None)[0]
    rubric = load_rubric(rubric_path)
    loaded: LoadedProposal = load_proposal(proposal_path, rubric)
    proposal = loaded.proposal
    found_files = _review_files(proposal_path, proposal.id, review_paths)
    files = [path for path, _ in found_files]
    problems: list[Problem] = []
    panel: list[PanelReview] = []
    for path, text in found_files:
        try:
            if text is None:
                review, found = read_review(path, rubric, proposal)
            else:  # read once already, to see which proposal it reviews: parsed from that text
                from .review import review_from_document
                from .yamlio import display_path, parse

                review, found = review_from_document(parse(text, display_path(path)), rubric, proposal)
        except InputError as exc:
            problems += exc.problems
            continue
        problems += found
        if review is not None and not found:
            panel.append(PanelReview(review.review, str(path)))
    problems += locate(panel_problems(panel))
    if not files:
        problems.append(
            Problem(
                str(proposal_path),
                None,
                None,
                None,
                Text("err.no_reviews_found", pattern=f"{Path(proposal_path).stem}.review*.yaml"),
            )
        )
    if stage is not None and rubric.stage(stage) is None:
        from .errors import UsageError

        known = ", ".join(s.id for s in rubric.stages) or "-"
        raise UsageError(Text("err.unknown_stage", known=known, stage=repr(stage)))
    if problems:
        raise InputError(problems)
    result = consolidate(rubric, proposal, panel, stage=stage)
    from .undeclared import find_call_dir, possible_conflicts

    names = [
        r.review.reviewer or r.label
        for r in [*result.reviews, *([result.consensus] if result.consensus else [])]
    ]
    result.possible_conflicts = possible_conflicts(
        find_call_dir(proposal_path, *review_paths), proposal, names
    )
    return result


def review_files(proposal_path: str | Path, proposal_id: str, given: Sequence[str | Path]) -> list[Path]:
    """The review files of one proposal: the files given; in folders given, every YAML file
    whose ``proposal:`` is this proposal's id; with nothing given, ``NAME.review*.yaml``
    beside the proposal."""
    return [path for path, _ in _review_files(proposal_path, proposal_id, given)]


def _review_files(
    proposal_path: str | Path, proposal_id: str, given: Sequence[str | Path]
) -> list[tuple[Path, str | None]]:
    """:func:`review_files` with the text of each file found in a folder (None: not read yet)."""
    from .yamlio import read_text

    if not given:
        p = Path(proposal_path)
        return sorted((q, None) for q in p.parent.glob(f"{p.stem}.review*.y*ml") if q.is_file())
    out: list[tuple[Path, str | None]] = []
    empty: list[Problem] = []
    for item in given:
        path = Path(item)
        if not path.is_dir():
            out.append((path, None))
            continue
        before = len(out)
        for q in sorted(path.rglob("*.y*ml")):
            # only folders are passed over: a named pipe, a socket or a link loop named like a
            # review is read, refused and reported, never dropped without a word
            if q.is_dir() or any(part.startswith((".", "_")) for part in q.relative_to(path).parts):
                continue
            try:
                text = read_text(q)
            except InputError:
                out.append((q, None))  # reported when read
                continue
            if proposal_of(text) == proposal_id:
                out.append((q, text))
        if len(out) == before:  # a folder given for its reviews that holds none is a mistake
            empty.append(Problem(str(path), None, None, None, Text("err.folder_no_reviews", id=proposal_id)))
    if empty:
        raise InputError(empty)
    return out


def proposal_of(text: str) -> str | None:
    """The proposal id a review names, read from its text without parsing (for sorting files)."""
    from .rules import PROPOSAL_LINE

    return PROPOSAL_LINE.value(text)
