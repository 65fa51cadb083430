"""The proposal file: what an applicant declares, and its own text per criterion."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import MAX_PROBLEMS, InputError, Problem, did_you_mean, more_problems
from .rubric import Rubric
from .validation import validate
from .yamlio import Document, decode, parse, read_text

Programme = Literal["joint_research", "brain_circulation", "other"]
RiskArea = Literal["environment", "human_rights", "safety_security", "legal", "culture", "fairness", "other"]
Discipline = Literal["natural_sciences", "humanities_social", "industry", "other"]
CareerStage = Literal["student", "doctoral", "postdoc", "faculty", "staff"]


class _Model(BaseModel):
    # A budget or a KPI target of NaN or infinity is a typing accident, refused where it is written.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def country_code(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        hint = f" (did you mean {value.upper()}?)" if re.fullmatch(r"[a-zA-Z]{2}", value) else ""
        raise ValueError(f"must be an ISO 3166-1 alpha-2 code in capitals such as TH, not {value!r}{hint}")
    return value


class Person(_Model):
    name: str = Field(min_length=1)
    institution: str = ""


class Partner(_Model):
    country: str = Field(description="ISO 3166-1 alpha-2 code in capitals, e.g. TH")
    institution: str = ""

    @field_validator("country")
    @classmethod
    def _iso_code(cls, v: str) -> str:
        return country_code(v)


class Kpi(_Model):
    objective: str
    indicator: str = Field(min_length=1)
    target: str | float | None = None

    @field_validator("target", mode="before")
    @classmethod
    def _not_a_boolean(cls, v: Any) -> Any:
        if isinstance(v, bool):  # `target: true` would otherwise become the number 1
            raise ValueError(f"must be a number or a text, not {str(v).lower()}")
        return v


class Risk(_Model):
    area: RiskArea
    description: str = Field(min_length=1)
    mitigation: str = ""


class Integrity(_Model):
    procedures: list[str] = []
    notes: str = ""


class TeamMember(_Model):
    name: str = Field(min_length=1)
    role: str = ""
    discipline: Discipline | None = None
    career_stage: CareerStage | None = None
    institution: str = ""
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _iso_code(cls, v: str | None) -> str | None:
        return None if v is None else country_code(v)


class Proposal(_Model):
    """A proposal as the reviewer sees it (the proposal file contract)."""

    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=120)
    title: str = Field(min_length=1)
    programme: Programme
    summary: str = ""
    lead: Person | None = None
    partners: list[Partner] = Field(min_length=1)
    objectives: list[str] = []
    kpis: list[Kpi] = []
    risks: list[Risk] = []
    integrity: Integrity = Integrity()
    sections: dict[str, str] = {}
    team: list[TeamMember] = []
    budget: float | None = Field(None, ge=0, le=10**15, description="requested amount, for funding lines")


class LoadedProposal:
    """A proposal with its document (for locating problems) and a fingerprint of its bytes."""

    def __init__(self, proposal: Proposal, doc: Document, fingerprint: str):
        self.proposal = proposal
        self.doc = doc
        self.fingerprint = fingerprint


def fingerprint_text(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_proposal(path: str | Path, rubric: Rubric) -> LoadedProposal:
    text = read_text(path)
    doc = parse(text, str(path))
    return from_document(doc, rubric, fingerprint_text(text))


def from_document(doc: Document, rubric: Rubric, fingerprint: str = "") -> LoadedProposal:
    """Validate a parsed proposal; schema and rubric cross-reference problems come together."""
    if isinstance(doc.data, dict) and "answers" in doc.data and "programme" not in doc.data:
        raise InputError([doc.problem((), "this is a review file, not a proposal (did you mean --review?)")])
    problems = check_against_rubric(doc, rubric)
    try:
        proposal = validate(Proposal, doc)
    except InputError as exc:
        raise InputError(sorted(exc.problems + problems, key=_position)) from None
    if problems:
        raise InputError(problems)
    return LoadedProposal(proposal, doc, fingerprint)


def _position(p: Problem) -> tuple[int, int]:
    return (p.line or 0, p.column or 0)


def check_against_rubric(doc: Document, rubric: Rubric) -> list[Problem]:
    """Cross-references: objective and criterion ids must exist in the rubric.

    Works on the raw data, so these problems are reported even when the file has schema errors.
    The first MAX_PROBLEMS are listed (a hint for each costs time), then how many more there are.
    """
    unknown = list(_unknown_references(doc.data if isinstance(doc.data, dict) else {}, rubric))
    objectives, criteria = list(rubric.objectives), list(rubric.criteria)
    problems = [
        doc.problem(
            loc, _unknown(what, value, objectives if what == "objective" else criteria), at_key=at_key
        )
        for loc, what, value, at_key in unknown[:MAX_PROBLEMS]
    ]
    if len(unknown) > MAX_PROBLEMS:
        problems.append(more_problems(doc.path, len(unknown) - MAX_PROBLEMS))
    return problems


def _unknown_references(
    data: dict[Any, Any], rubric: Rubric
) -> Iterator[tuple[tuple[Any, ...], str, str, bool]]:
    for i, obj in enumerate(_items(data.get("objectives"))):
        if isinstance(obj, str) and obj not in rubric.objectives:
            yield ("objectives", i), "objective", obj, False
    for i, kpi in enumerate(_items(data.get("kpis"))):
        obj = kpi.get("objective") if isinstance(kpi, dict) else None
        if isinstance(obj, str) and obj not in rubric.objectives:
            yield ("kpis", i, "objective"), "objective", obj, False
    sections = data.get("sections")
    for key in sections if isinstance(sections, dict) else ():
        if str(key) not in rubric.criteria:
            yield ("sections", key), "criterion", str(key), True


def _items(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _unknown(what: str, value: str, known: list[str]) -> str:
    return f"unknown {what} {value!r}{did_you_mean(value, known)}"


__all__ = ["LoadedProposal", "Proposal", "decode", "load_proposal"]
