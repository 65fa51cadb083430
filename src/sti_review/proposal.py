"""The proposal file: what an applicant declares, and its own text per criterion."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError, Problem
from .rubric import Rubric
from .validation import validate
from .yamlio import Document, decode, parse, read_text

Programme = Literal["joint_research", "brain_circulation", "other"]
RiskArea = Literal["environment", "human_rights", "safety_security", "legal", "culture", "fairness", "other"]
Discipline = Literal["natural_sciences", "humanities_social", "industry", "other"]
CareerStage = Literal["student", "doctoral", "postdoc", "faculty", "staff"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(_Model):
    name: str = Field(min_length=1)
    institution: str = ""


class Partner(_Model):
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. TH")
    institution: str = ""


class Kpi(_Model):
    objective: str
    indicator: str = Field(min_length=1)
    target: str | float | None = None


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
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")


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
    budget: float | None = Field(None, ge=0, description="requested amount, for funding lines")


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
    proposal = validate(Proposal, doc)
    problems = check_against_rubric(proposal, doc, rubric)
    if problems:
        raise InputError(problems)
    return LoadedProposal(proposal, doc, fingerprint)


def check_against_rubric(proposal: Proposal, doc: Document, rubric: Rubric) -> list[Problem]:
    """Cross-references: objective and criterion ids must exist in the rubric."""
    problems = []
    known = rubric.objectives
    for i, obj in enumerate(proposal.objectives):
        if obj not in known:
            problems.append(doc.problem(("objectives", i), _unknown("objective", obj, known)))
    for i, kpi in enumerate(proposal.kpis):
        if kpi.objective not in known:
            problems.append(
                doc.problem(("kpis", i, "objective"), _unknown("objective", kpi.objective, known))
            )
    for key in proposal.sections:
        if key not in rubric.criteria:
            problems.append(
                doc.problem(("sections", key), _unknown("criterion", key, rubric.criteria), at_key=True)
            )
    return problems


def _unknown(what: str, value: str, known: dict[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown {what} {value!r}{hint}"


__all__ = ["LoadedProposal", "Proposal", "decode", "load_proposal"]
