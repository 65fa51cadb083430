"""Rules that several parts of sti-review apply, each implemented once.

- what counts as answered (``is_answered``);
- which answers need a comment, and why (``comment_required``);
- "did you mean" for a near miss (``suggestion``);
- the kind of a file, from its content (``file_kind``) or, when the content cannot be read,
  from its place (``looks_like_review``);
- a top-level ``key:`` line found without parsing (``TopKey``: ids, for routing files).

A leaf module: it imports nothing of sti-review at run time, so that every layer may use it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from .rubric import CommentRules

CommentReason = Literal["verdict", "na", "low_score"]
FileKind = Literal[
    "rubric",
    "rubric-section",
    "rubric-checks",
    "proposal",
    "review",
    "programmes",
    "reviewers",
    "decisions",
    "call",
    "unknown",
]


class AnswerLike(Protocol):
    """An answer as a review file holds it, or as the ranking keeps it."""

    @property
    def score(self) -> float | None: ...
    @property
    def verdict(self) -> str | None: ...
    @property
    def na(self) -> bool: ...


# --------------------------------------------------------------------------- answers


def is_answered(kind: str, answer: AnswerLike | None) -> bool:
    """A gate is answered by a verdict; a scored criterion by a score or N/A."""
    if answer is None:
        return False
    if kind == "gate":
        return answer.verdict is not None
    return answer.na or answer.score is not None


def comment_required(rules: CommentRules, answer: AnswerLike) -> CommentReason | None:
    """Why this answer needs a comment under the rubric's rules, or None when it is optional."""
    if answer.verdict is not None:
        return "verdict" if answer.verdict in rules.verdicts else None
    if answer.na:
        return "na" if rules.na else None
    if answer.score is not None and rules.score_at_or_below is not None:
        return "low_score" if answer.score <= rules.score_at_or_below else None
    return None


def feedback_required(rubric: Any, answer: AnswerLike) -> bool:
    """Whether the rubric's feedback rules ask for feedback to the applicant on this answer:
    a score below the pass line (the section threshold) or a listed gate verdict."""
    rules = rubric.feedback
    if answer.verdict is not None:
        return answer.verdict in rules.verdicts
    if answer.score is not None and rules.score_below_pass:
        line = rubric.thresholds.section_min
        return line is not None and answer.score < line
    return False


def conflict_of(review: Any) -> str:
    """The conflict category a review declares ("none" when it declares none or no declaration):
    a review with a declared conflict is left out of the panel's answers."""
    d = getattr(review, "declaration", None)
    if d is not None:
        return str(getattr(d, "conflict", "none") or "none")
    return str(getattr(review, "conflict", "none") or "none")


def stage_of(review: Any, default: str | None) -> str | None:
    """The stage a review belongs to: its own, else the rubric's first."""
    return getattr(review, "stage", None) or default


def grade_of(review: Any) -> float | None:
    """The overall grade a review gives, or None."""
    o = getattr(review, "overall", None)
    if o is None or isinstance(o, int | float):
        return o
    return float(o.grade)


# --------------------------------------------------------------------------- names


def suggestion(value: str, known: Iterable[str], *, fold_case: bool = False) -> str | None:
    """The known name ``value`` was most likely meant to be (difflib), or None.

    With ``fold_case`` the comparison ignores case and an exact match but for case is found
    first (``a1`` -> ``A1``)."""
    names = list(known)
    if not names:
        return None
    if not fold_case:
        close = difflib.get_close_matches(value, names, n=1)
        return close[0] if close else None
    by_upper = {k.upper(): k for k in names}
    if value.upper() in by_upper:
        return by_upper[value.upper()]
    close = difflib.get_close_matches(value.upper(), list(by_upper), n=1)
    return by_upper[close[0]] if close else None


# --------------------------------------------------------------------------- files

_REVIEW_NAME = re.compile(r"\.review(?:[._-][^/\\]*)?\.ya?ml$", re.I)


def file_kind(data: object) -> FileKind:
    """rubric, rubric-section, rubric-checks, proposal,
    review, programmes, reviewers (a reviewer pool) or unknown: from the
    keys present."""
    if not isinstance(data, dict):
        return "unknown"
    if "answers" in data or "reviewer" in data:
        return "review"
    if "programme" in data or "partners" in data:
        return "proposal"
    if "sections" in data and ("scale" in data or "version" in data):
        return "rubric"
    if "section" in data and "criteria" in data:
        return "rubric-section"
    if "checks" in data:
        return "rubric-checks"
    if "programmes" in data:
        return "programmes"
    if "reviewers" in data:
        return "reviewers"
    if "decisions" in data:
        return "decisions"
    if "call" in data:  # call.yaml: the call's rubric and title
        return "call"
    return "unknown"


def looks_like_review(path: str | PurePath) -> bool:
    """From its place only (for a file whose content cannot be read): named ``*.review*.yaml``
    or lying under a ``reviews`` folder."""
    p = PurePath(path)
    return bool(_REVIEW_NAME.search(p.name)) or "reviews" in (part.lower() for part in p.parent.parts)


class TopKey:
    """A top-level ``key:`` line of a YAML text, found without parsing: at the start of the text
    or after a line break (as ``^`` in multi-line mode). Searched for as ``\\n`` + the key, which
    the regular-expression engine finds by a fast literal scan instead of trying ``^`` at every
    character; in bytes for routing (no decoding of each file's head) and in text."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._compiled: dict[type, tuple[re.Pattern[Any], re.Pattern[Any]]] = {}

    def _patterns(self, kind: type) -> tuple[re.Pattern[Any], re.Pattern[Any]]:
        # compiled when first used: most commands never route a call's files
        if kind not in self._compiled:
            if kind is bytes:
                raw = self.pattern.encode("ascii")
                pair = (re.compile(raw, re.M), re.compile(b"\n" + raw, re.M))
            else:
                pair = (re.compile(self.pattern, re.M), re.compile("\n" + self.pattern, re.M))
            self._compiled[kind] = pair
        return self._compiled[kind]

    def search(self, text: str | bytes) -> re.Match[Any] | None:
        at_start, after_break = self._patterns(type(text))
        return at_start.match(text) or after_break.search(text)

    def value(self, text: str | bytes) -> str | None:
        m = self.search(text)
        if m is None:
            return None
        found = m.group(1)
        return found.decode("ascii") if isinstance(found, bytes) else found


_ID_CHARS = "A-Za-z0-9._-"  # what an id is made of
_ID_VALUE = rf"[ \t]*['\"]?([{_ID_CHARS}]+)['\"]?[ \t]*(?:#.*)?$"
# A proposal's ``id:`` line and the ``proposal:`` line by which a review names its proposal.
ID_LINE = TopKey("id:" + _ID_VALUE)
PROPOSAL_LINE = TopKey("proposal:" + _ID_VALUE)


def id_like(name: str) -> bool:
    """``name`` is made only of what an id may hold (``_ID_CHARS``), as ``ID_LINE`` reads it."""
    return (
        bool(name) and name.isascii() and name.replace(".", "a").replace("_", "a").replace("-", "a").isalnum()
    )
