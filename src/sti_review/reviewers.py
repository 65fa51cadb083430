"""The reviewer pool file: who may review, where they work and worked, what they know, how much
they can take, and the conflicts they declare. Also serves as a call's reviewers file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import InputError, Problem, Text
from .proposal import country_code
from .validation import validate
from .yamlio import Document, load_file

_ID = r"^[A-Za-z0-9._-]+$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _year(v: Any) -> Any:
    if isinstance(v, bool) or (v is not None and not isinstance(v, int)):
        raise ValueError(Text("err.not_year", value=repr(v)))
    if v is not None and not 1900 <= v <= 2200:
        raise ValueError(Text("err.not_year", value=repr(v)))
    return v


class Affiliation(_Model):
    """A past (or second) institution, with the years the reviewer was there."""

    institution: str = Field(min_length=1)
    since: int | None = Field(None, description="first year there")
    until: int | None = Field(None, description="last year there; absent means still there")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _years(cls, v: Any) -> Any:
        return _year(v)

    @model_validator(mode="after")
    def _order(self) -> Affiliation:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(Text("err.since_after_until", since=self.since, until=self.until))
        return self


class Collaborator(_Model):
    """A co-author or collaborator, and the last year they worked together."""

    name: str = Field(min_length=1)
    year: int | None = Field(None, description="last year of joint work; absent means ongoing")
    institution: str = ""
    researcher_number: str | None = Field(None, pattern=r"^[0-9]{8}$")

    @field_validator("year", mode="before")
    @classmethod
    def _years(cls, v: Any) -> Any:
        return _year(v)


class DeclaredConflict(_Model):
    """A conflict the reviewer declares: with a proposal (by id) or with a person (by name)."""

    proposal: str | None = None
    person: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one(self) -> DeclaredConflict:
        if (self.proposal is None) == (self.person is None):
            raise ValueError(Text("err.conflict_one_of"))
        return self


class Reviewer(_Model):
    id: str = Field(pattern=_ID, max_length=120)
    name: str = Field(min_length=1)
    institution: str = Field("", description="current institution")
    affiliations: list[Affiliation] = Field([], description="past (and further) institutions with years")
    researcher_number: str | None = Field(
        None, pattern=r"^[0-9]{8}$", description="e-Rad researcher number (8 digits)"
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the reviewer's country")
    keywords: list[str] = Field([], description="expertise keywords (Japanese or English)")
    expertise: str = Field("", description="expertise in free text (Japanese or English)")
    languages: list[str] = Field(["ja", "en"], description="ISO 639-1 codes of languages read")
    min_load: int = Field(0, ge=0)
    max_load: int | None = Field(None, ge=0, description="absent means no limit")
    conflicts: list[DeclaredConflict] = []
    collaborators: list[Collaborator] = []

    @field_validator("country")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        return None if v is None else country_code(v)

    @field_validator("min_load", "max_load", mode="before")
    @classmethod
    def _whole(cls, v: Any) -> Any:
        if isinstance(v, bool) or (v is not None and not isinstance(v, int)):
            raise ValueError(Text("err.not_integer", value=repr(v)))
        return v

    @field_validator("languages")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        out = []
        for code in v:
            c = code.strip().lower()
            if not (len(c) == 2 and c.isascii() and c.isalpha()):
                raise ValueError(Text("err.not_language", value=repr(code)))
            out.append(c)
        return out

    @model_validator(mode="after")
    def _loads(self) -> Reviewer:
        if self.max_load is not None and self.min_load > self.max_load:
            raise ValueError(Text("err.min_above_max_load", min=self.min_load, max=self.max_load))
        return self

    def reads(self, lang: str) -> bool:
        return lang in self.languages


class ReviewerPool(_Model):
    """The reviewer pool (reviewers file) contract."""

    reviewers: list[Reviewer] = Field(min_length=1)
    # the call's own other names of an institution, beside the shipped list (undeclared.py)
    aliases: dict[str, list[str]] = Field({}, max_length=10_000)


class LoadedPool:
    def __init__(self, pool: ReviewerPool, doc: Document):
        self.pool = pool
        self.doc = doc

    @property
    def reviewers(self) -> list[Reviewer]:
        return self.pool.reviewers

    @property
    def path(self) -> str:
        return self.doc.path


def load_pool(path: str | Path, proposal_ids: set[str] | None = None) -> LoadedPool:
    """Load and check a pool file; with ``proposal_ids``, declared conflicts must name known ones."""
    return pool_from_document(load_file(path), proposal_ids)


def pool_from_document(doc: Document, proposal_ids: set[str] | None = None) -> LoadedPool:
    if doc.data is None:
        raise InputError([Problem(doc.path, None, None, None, Text("err.pool_empty"))])
    pool = validate(ReviewerPool, doc)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(pool.reviewers):
        if r.id in seen:
            problems.append(
                doc.problem(
                    ("reviewers", i, "id"), Text("err.reviewer_twice", value=repr(r.id), first=seen[r.id])
                )
            )
        seen.setdefault(r.id, i)
    if proposal_ids is not None:
        problems += unknown_proposals(LoadedPool(pool, doc), proposal_ids)
    if problems:
        raise InputError(problems)
    return LoadedPool(pool, doc)


def unknown_proposals(pool: LoadedPool, proposal_ids: set[str]) -> list[Problem]:
    from .errors import did_you_mean

    out = []
    known = sorted(proposal_ids)
    for i, r in enumerate(pool.reviewers):
        for j, c in enumerate(r.conflicts):
            if c.proposal is not None and c.proposal not in proposal_ids:
                out.append(
                    pool.doc.problem(
                        ("reviewers", i, "conflicts", j, "proposal"),
                        Text(
                            "err.unknown_proposal_in_call",
                            value=repr(c.proposal),
                            hint=did_you_mean(c.proposal, known),
                        ),
                    )
                )
    return out
