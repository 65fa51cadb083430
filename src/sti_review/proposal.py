"""The proposal file: what an applicant declares, and its own text per criterion."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import MAX_PROBLEMS, InputError, Problem, Text, did_you_mean, more_problems
from .rubric import Rubric
from .validation import error_message, validate
from .yamlio import Document, decode, parse, read_text

# Programmes, risk areas, integrity procedures, disciplines and career stages are the rubric's
# vocabularies: the model takes any name, and check_against_rubric refuses the undeclared ones.
Name = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # A budget or a KPI target of NaN or infinity is a typing accident, refused where it is written.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def country_code(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        hint = Text("err.did_you_mean", value=value.upper()) if re.fullmatch(r"[a-zA-Z]{2}", value) else ""
        raise ValueError(Text("err.country_code", value=repr(value), hint=hint))
    return value


class Person(_Model):
    name: str = Field(min_length=1)
    institution: str = ""
    researcher_number: str | None = Field(None, pattern=r"^[0-9]{8}$", description="e-Rad researcher number")

    @field_validator("researcher_number", mode="before")
    @classmethod
    def _digits(cls, v: Any) -> Any:
        """Full-width digits (１０２３４５６７) are the same number: NFKC before the pattern."""
        return unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v


class Partner(_Model):
    country: str = Field(description="ISO 3166-1 alpha-2 code in capitals, e.g. TH")
    institution: str = ""
    funding_agency: str = Field(
        "",
        description="The partner country's agency funding this side of the project, e.g. NRF (Korea)",
    )

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
            raise ValueError(Text("err.number_or_text", value=str(v).lower()))
        return v


class Risk(_Model):
    area: Name
    description: str = Field(min_length=1)
    mitigation: str = ""


class Integrity(_Model):
    procedures: list[Name] = []
    notes: str = ""


class TeamMember(_Model):
    name: str = Field(min_length=1)
    role: str = ""
    discipline: Name | None = None
    career_stage: Name | None = None
    institution: str = ""
    country: str | None = None
    researcher_number: str | None = Field(None, pattern=r"^[0-9]{8}$", description="e-Rad researcher number")

    @field_validator("researcher_number", mode="before")
    @classmethod
    def _digits(cls, v: Any) -> Any:
        """Full-width digits (１０２３４５６７) are the same number: NFKC before the pattern."""
        return unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v

    @field_validator("country")
    @classmethod
    def _iso_code(cls, v: str | None) -> str | None:
        return None if v is None else country_code(v)


class Budget(_Model):
    """The requested amount in full: unit, period and the direct/indirect split.

    The plain number (``budget: 120000000``) is still accepted and means the total in yen.
    """

    total: float = Field(ge=0)
    unit: Literal["JPY"] = "JPY"
    period: str = ""
    direct: float | None = Field(None, ge=0)
    indirect: float | None = Field(None, ge=0)

    @field_validator("total", "direct", "indirect", mode="before")
    @classmethod
    def _not_a_boolean(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError(Text("err.not_number", value=str(v).lower()))
        return v

    @model_validator(mode="after")
    def _split_adds_up(self) -> Budget:
        if (self.direct is None) != (self.indirect is None):
            raise ValueError(Text("err.budget_split_both"))
        if self.direct is not None and self.indirect is not None:
            if abs(self.direct + self.indirect - self.total) > 0.5:
                raise ValueError(
                    Text(
                        "err.budget_split_sum",
                        split=f"{self.direct + self.indirect:,.0f}",
                        total=f"{self.total:,.0f}",
                    )
                )
        return self


def _budget_total(v: Any) -> Any:
    """A budget mapping is checked in full and stands for its total (what funding lines add up)."""
    if not isinstance(v, dict):
        return v
    try:
        return Budget.model_validate(v).total
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        msg = error_message(first)
        if first["type"] == "extra_forbidden":
            msg = Text("err.budget_unknown_field")
        raise ValueError(Text.concat(f"{where}: ", msg) if where else msg) from None


class OwnObjective(_Model):
    """An objective of the proposal's own under a purpose (the source's lists end with 「等」)."""

    id: str = Field(pattern=r"^[A-Za-z0-9]+\.[A-Za-z0-9_-]+$")
    title: str = Field(min_length=1)


def _budget_schema(schema: dict[str, Any]) -> None:
    """The schema says what a file may hold: a number, or the budget in full."""
    budget = schema["properties"]["budget"]
    full = {k: v for k, v in Budget.model_json_schema().items() if k != "title"}
    schema["properties"]["budget"] = {
        "anyOf": [{"type": "number", "minimum": 0}, full, {"type": "null"}],
        "default": None,
        "description": budget.get("description", ""),
    }


class Proposal(_Model):
    """A proposal as the reviewer sees it (the proposal file contract)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, json_schema_extra=_budget_schema)

    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=120)
    title: str = Field(min_length=1)
    programme: Name
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
    own_objectives: list[OwnObjective] = []
    purposes: list[str] | None = Field(
        None,
        max_length=100,
        description="the rubric's purpose sections this proposal pursues (absent: all); "
        "the others are scored for information only",
    )
    _budget_detail: Budget | None = PrivateAttr(None)

    @field_validator("budget", mode="before")
    @classmethod
    def _budget(cls, v: Any) -> Any:
        return _budget_total(v)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_budget_detail(cls, data: Any, handler: Any) -> Proposal:
        proposal = handler(data)
        if isinstance(data, dict) and isinstance(data.get("budget"), dict):
            proposal._budget_detail = Budget.model_validate(data["budget"])
        return proposal

    @property
    def budget_detail(self) -> Budget | None:
        """Unit, period and direct/indirect split, when the budget was given in full."""
        return self._budget_detail


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
        raise InputError([doc.problem((), Text("err.review_not_proposal"))])
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


def vocabulary_problems(doc: Document, rubric: Rubric) -> list[Problem]:
    """Only the values outside the rubric's vocabularies (bad input even for `check`, which
    reports unknown objective and criterion ids as findings)."""
    return [p for p in check_against_rubric(doc, rubric) if not _is_reference(p)]


def _is_reference(p: Problem) -> bool:
    return p.message.startswith(("unknown objective ", "unknown criterion "))


def check_against_rubric(doc: Document, rubric: Rubric) -> list[Problem]:
    """Cross-references: objective and criterion ids, and the values of the rubric's
    vocabularies (programme, risk areas, procedures, disciplines, career stages), must exist
    in the rubric.

    Works on the raw data, so these problems are reported even when the file has schema errors.
    The first MAX_PROBLEMS are listed (a hint for each costs time), then how many more there are.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    own, own_problems = _own_objectives(data, rubric)
    unknown = list(_unknown_references(data, rubric, own))
    known = {
        "objective": list(rubric.objectives),
        "criterion": list(rubric.criteria),
        **{what: list(rubric.vocabulary(vocab) or ()) for what, vocab in _VOCABULARIES.items()},
    }
    problems = [
        doc.problem(loc, _unknown(what, value, known[what]), at_key=at_key)
        for loc, what, value, at_key in unknown[:MAX_PROBLEMS]
    ]
    if len(unknown) > MAX_PROBLEMS:
        problems.append(more_problems(doc.path, len(unknown) - MAX_PROBLEMS))
    problems += _purpose_problems(doc, data, rubric)
    return [doc.problem(loc, msg) for loc, msg in own_problems] + problems


def _purpose_problems(doc: Document, data: dict[Any, Any], rubric: Rubric) -> list[Problem]:
    """Declared purposes must be purpose sections of the rubric, each named once, at least one."""
    declared = data.get("purposes")
    if not isinstance(declared, list):
        return []  # absent (all purposes) or reported by the schema
    purposes = rubric.purpose_ids
    problems = []
    if not declared:
        problems.append(doc.problem(("purposes",), Text("err.purposes_empty", purposes=", ".join(purposes))))
    seen: set[str] = set()
    for i, value in enumerate(declared[:MAX_PROBLEMS]):
        if not isinstance(value, str):
            continue
        if value not in purposes:
            problems.append(
                doc.problem(
                    ("purposes", i),
                    Text(
                        "err.unknown_purpose",
                        value=repr(value),
                        purposes=", ".join(purposes),
                        hint=did_you_mean(value, purposes),
                    ),
                )
            )
        elif value in seen:
            problems.append(doc.problem(("purposes", i), Text("err.declared_twice", value=value)))
        seen.add(value)
    return problems


def _own_objectives(
    data: dict[Any, Any], rubric: Rubric
) -> tuple[set[str], list[tuple[tuple[Any, ...], str]]]:
    """Ids of the proposal's own objectives; each must sit under a purpose and be new."""
    purposes = [s.id for s in rubric.sections if s.kind == "purpose"]
    own: set[str] = set()
    problems: list[tuple[tuple[Any, ...], str]] = []
    for i, item in enumerate(_items(data.get("own_objectives"))):
        oid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(oid, str):
            continue  # the schema reports it
        purpose = oid.split(".", 1)[0]
        if purpose not in purposes:
            problems.append(
                (
                    ("own_objectives", i, "id"),
                    Text(
                        "err.own_objective_prefix",
                        value=repr(oid),
                        prefixes=", ".join(p + "." for p in purposes),
                    ),
                )
            )
        elif oid in rubric.objectives:
            problems.append(
                (
                    ("own_objectives", i, "id"),
                    Text("err.own_objective_in_rubric", value=repr(oid)),
                )
            )
        elif oid in own:
            problems.append((("own_objectives", i, "id"), Text("err.given_twice", value=repr(oid))))
        else:
            own.add(oid)
    return own, problems


# what a message calls a value -> the rubric vocabulary it belongs to
_VOCABULARIES = {
    "programme": "programmes",
    "risk area": "risk_areas",
    "integrity procedure": "integrity_procedures",
    "discipline": "disciplines",
    "career stage": "career_stages",
}


def _unknown_references(
    data: dict[Any, Any],
    rubric: Rubric,
    own: set[str] = frozenset(),  # type: ignore[assignment]
) -> Iterator[tuple[tuple[Any, ...], str, str, bool]]:
    open_ = {what for what, vocab in _VOCABULARIES.items() if rubric.vocabulary(vocab) is None}

    def bad(what: str, value: object) -> bool:
        if not isinstance(value, str) or not value or what in open_:
            return False
        return rubric.canonical(_VOCABULARIES[what], value) is None

    if bad("programme", data.get("programme")):
        yield ("programme",), "programme", data["programme"], False
    for i, obj in enumerate(_items(data.get("objectives"))):
        if isinstance(obj, str) and obj not in rubric.objectives:
            yield ("objectives", i), "objective", obj, False
    for i, kpi in enumerate(_items(data.get("kpis"))):
        obj = kpi.get("objective") if isinstance(kpi, dict) else None
        if isinstance(obj, str) and obj not in rubric.objectives and obj not in own:
            yield ("kpis", i, "objective"), "objective", obj, False
    for i, risk in enumerate(_items(data.get("risks"))):
        area = risk.get("area") if isinstance(risk, dict) else None
        if bad("risk area", area):
            yield ("risks", i, "area"), "risk area", str(area), False
    integrity = data.get("integrity")
    procedures = integrity.get("procedures") if isinstance(integrity, dict) else None
    for i, proc in enumerate(_items(procedures)):
        if bad("integrity procedure", proc):
            yield ("integrity", "procedures", i), "integrity procedure", str(proc), False
    for i, member in enumerate(_items(data.get("team"))):
        if not isinstance(member, dict):
            continue
        if bad("discipline", member.get("discipline")):
            yield ("team", i, "discipline"), "discipline", member["discipline"], False
        if bad("career stage", member.get("career_stage")):
            yield ("team", i, "career_stage"), "career stage", member["career_stage"], False
    sections = data.get("sections")
    for key in sections if isinstance(sections, dict) else ():
        if str(key) not in rubric.criteria:
            yield ("sections", key), "criterion", str(key), True


def _items(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _unknown(what: str, value: str, known: list[str]) -> str:
    hint = did_you_mean(value, known)
    if not hint:  # `safety` for safety_security: the one value that begins with what was written
        starts = [k for k in known if value and k.casefold().startswith(value.casefold())]
        hint = Text("err.did_you_mean", value=starts[0]) if len(starts) == 1 else ""
    return Text("err.unknown_" + what.replace(" ", "_"), value=repr(value), hint=hint)


__all__ = [
    "Budget",
    "LoadedProposal",
    "OwnObjective",
    "Proposal",
    "decode",
    "load_proposal",
    "vocabulary_problems",
]
