"""JSON Schemas of the file formats, generated from the models and carrying the rubric's
enumerations, so that an editor catches what `sti-review validate` catches.

The schemas follow JSON Schema draft 2020-12. What a schema cannot say (a comment required
for a low score, a country code that must be assigned in ISO 3166-1, ...) is written in its
``description``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from .proposal import Proposal
from .review import Review
from .reviewers import ReviewerPool
from .rubric import Rubric

_BASE = "https://github.com/sti-review/sti-review/schemas"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
COUNTRY = "^[A-Z]{2}$"
KINDS = ("proposal", "review", "rubric", "programmes", "reviewers", "call")

_PROPOSAL_RULES = (
    "Rules this schema cannot express, which `sti-review validate` checks: "
    "a country must be an ISO 3166-1 alpha-2 code that is assigned (the pattern only asks for "
    "two capitals); an integrity procedure may also be written in other case or with spaces "
    "or hyphens for underscores (the pattern allows it); duplicate keys in the YAML file are "
    "refused; a text must not be empty where the schema says minLength."
)
_REVIEW_RULES = (
    "Rules this schema cannot express, which `sti-review validate` checks: the criteria that "
    "apply depend on the proposal's programme (a programme section's criteria only for its "
    "programme); `proposal` must be the id of the proposal reviewed; "
)


def json_schemas(rubric: Rubric | None = None) -> dict[str, dict[str, Any]]:
    """Every schema; with a rubric, the proposal, review and programmes schemas carry its
    enumerations (without one, the generic formats)."""
    return {name: json_schema(name, rubric) for name in KINDS}


def json_schema(kind: str, rubric: Rubric | None = None) -> dict[str, Any]:
    if kind == "proposal":
        schema = Proposal.model_json_schema()
        if rubric is not None:
            _proposal(schema, rubric)
    elif kind == "review":
        schema = Review.model_json_schema()
        if rubric is not None:
            _review(schema, rubric)
    elif kind == "programmes":
        from .portfolio import ProgrammesFile

        schema = ProgrammesFile.model_json_schema()
        if rubric is not None:
            _programmes(schema, rubric)
    elif kind == "rubric":
        schema = Rubric.model_json_schema()
    elif kind == "reviewers":
        schema = ReviewerPool.model_json_schema()
    elif kind == "call":
        from .callfile import CallFile

        schema = CallFile.model_json_schema()
    else:
        raise ValueError(f"unknown schema {kind!r}")
    schema = {"$schema": _DRAFT, "$id": f"{_BASE}/{kind}.json", **schema}
    if rubric is not None and kind != "rubric":
        schema["$id"] = f"{_BASE}/{rubric.id}/{rubric.version}/{kind}.json"
        schema["title"] = f"{schema.get('title', kind)} ({rubric.ref})"
    return schema


def _enum(values: list[str], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "enum": values}
    if description:
        out["description"] = description
    return out


def _nullable(inner: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [inner, {"type": "null"}], "default": None}


def _declared(rubric: Rubric, vocabulary: str) -> list[str] | None:
    terms = rubric.vocabulary(vocabulary)
    return None if terms is None else list(terms)


def _lenient(value: str) -> str:
    """A pattern matching a value the way the procedures are matched: case aside, and spaces
    or hyphens for an underscore."""
    parts = []
    for ch in value:
        if ch == "_":
            parts.append(r"(?:_|[\s-]+)")
        elif ch.isalpha():
            parts.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _proposal(schema: dict[str, Any], rubric: Rubric) -> None:
    defs = schema.setdefault("$defs", {})
    props = schema["properties"]
    props["programme"] = _enum(list(rubric.programme_terms), "a programme the rubric declares")
    objectives = list(rubric.objectives)
    props["objectives"] = {"type": "array", "items": _enum(objectives), "default": []}
    criteria = list(rubric.criteria)
    props["sections"] = {
        "type": "object",
        "propertyNames": {"enum": criteria},
        "additionalProperties": {"type": "string"},
        "default": {},
        "description": "the applicant's own text per criterion id",
    }
    if "Kpi" in defs:
        defs["Kpi"]["properties"]["objective"] = _enum(objectives)
    areas = _declared(rubric, "risk_areas")
    if areas is not None and "Risk" in defs:
        defs["Risk"]["properties"]["area"] = _enum(areas)
    procedures = _declared(rubric, "integrity_procedures")
    if procedures is not None and "Integrity" in defs:
        pattern = "^\\s*(?:" + "|".join(_lenient(p) for p in procedures) + ")\\s*$"
        defs["Integrity"]["properties"]["procedures"] = {
            "type": "array",
            "items": {"type": "string", "pattern": pattern, "examples": procedures},
            "default": [],
            "description": "one of: " + ", ".join(procedures),
        }
    member = defs.get("TeamMember")
    if member is not None:
        for name, vocabulary in (("discipline", "disciplines"), ("career_stage", "career_stages")):
            values = _declared(rubric, vocabulary)
            if values is not None:
                member["properties"][name] = _nullable(_enum(values))
        member["properties"]["country"] = _nullable({"type": "string", "pattern": COUNTRY})
    if "Partner" in defs:
        defs["Partner"]["properties"]["country"] = {
            "type": "string",
            "pattern": COUNTRY,
            "description": "ISO 3166-1 alpha-2 code in capitals, e.g. TH",
        }
    schema["description"] = _PROPOSAL_RULES


def _review(schema: dict[str, Any], rubric: Rubric) -> None:
    defs = schema.setdefault("$defs", {})
    props = schema["properties"]
    props["rubric"] = {"type": "string", "const": rubric.ref}
    _review_process(props, defs, rubric)
    answer = defs.get("Answer", {})
    exactly_one = [
        {"required": ["score"], "properties": {"score": {"type": "number"}}},
        {"required": ["verdict"], "properties": {"verdict": {"type": "string"}}},
        {"required": ["na"], "properties": {"na": {"const": True}}},
    ]
    answer["oneOf"] = exactly_one
    comment = {"required": ["comment"], "properties": {"comment": {"type": "string", "pattern": "\\S"}}}
    when: list[dict[str, Any]] = [
        {
            "if": {"required": ["verdict"], "properties": {"verdict": {"const": "conditional"}}},
            "then": {"required": ["conditions"], "properties": {"conditions": {"minItems": 1}}},
        }
    ]
    scale = rubric.scale
    score: dict[str, Any] = {"type": "number", "minimum": scale.min, "maximum": scale.max}
    step, start = Fraction(repr(scale.step)), Fraction(repr(scale.min))
    # multipleOf counts from 0, and validators divide in binary floating point: written only
    # when the steps start at a multiple of the step and the step is exact in binary.
    exact = (step * 1024).denominator == 1 and (start / step).denominator == 1
    if exact:
        score["multipleOf"] = scale.step
    per_criterion: dict[str, Any] = {}
    for crit in rubric.criteria.values():
        if crit.kind == "portfolio":
            continue  # answered by the portfolio map, not in a review
        if crit.kind == "gate":
            rule: dict[str, Any] = {
                "required": ["verdict"],
                "properties": {"verdict": {"enum": ["pass", "conditional", "fail"]}},
            }
        else:
            rule = {"not": {"required": ["verdict"]}, "properties": {"score": score}}
            if not rubric.na_allowed_for(crit):
                rule["properties"] = {**rule["properties"], "na": {"const": False}}
        per_criterion[crit.id] = {"allOf": [{"$ref": "#/$defs/Answer"}, rule]}
    props["answers"] = {
        "anyOf": [
            {"type": "object", "properties": per_criterion, "additionalProperties": False},
            {"type": "null"},
        ],
        "default": {},
    }
    # When a comment is required (the rubric's `comments`), as if/then rules on an answer.
    comments = rubric.comments
    if comments.score_at_or_below is not None:
        low = {"type": "number", "maximum": comments.score_at_or_below}
        when.append({"if": {"required": ["score"], "properties": {"score": low}}, "then": comment})
    if comments.verdicts:
        verdicts = {"enum": list(comments.verdicts)}
        when.append({"if": {"required": ["verdict"], "properties": {"verdict": verdicts}}, "then": comment})
    if comments.na:
        when.append({"if": {"required": ["na"], "properties": {"na": {"const": True}}}, "then": comment})
    answer["allOf"] = when
    rules = ["conditions belong to a verdict: conditional"]
    if not exact:
        rules.append(f"a score must lie on the scale's steps ({scale.describe()})")
    rules.append("numbers must be finite (YAML's .nan and .inf are not JSON numbers)")
    schema["description"] = _REVIEW_RULES + "; ".join(rules) + "."


def _review_process(props: dict[str, Any], defs: dict[str, Any], rubric: Rubric) -> None:
    """The rubric's stages, conflict categories and overall grade values as enumerations."""
    if rubric.stages:
        props["stage"] = _nullable(_enum([s.id for s in rubric.stages], "a stage of the rubric"))
    declaration = defs.get("Declaration", {}).get("properties")
    if declaration is not None and rubric.conflict_categories is not None:
        declaration["conflict"] = _enum(["none", *rubric.conflict_categories], "none or a conflict category")
    overall = defs.get("OverallAnswer", {}).get("properties")
    if overall is not None and rubric.overall is not None:
        overall["grade"] = {"enum": [lv.value for lv in rubric.overall.levels]}


def _programmes(schema: dict[str, Any], rubric: Rubric) -> None:
    defs = schema.setdefault("$defs", {})
    programme = defs.get("Programme")
    if programme is None:
        return
    props = programme["properties"]
    props["objectives"] = {"type": "array", "minItems": 1, "items": _enum(list(rubric.objectives))}
    for name, vocabulary in (("means", "means"), ("career_stages", "career_stages")):
        values = _declared(rubric, vocabulary)
        if values is not None:
            props[name] = {"type": "array", "minItems": 1, "items": _enum(values)}
    regions = _declared(rubric, "partner_regions")
    if regions is not None:
        props["regions"] = {"type": "array", "items": _enum(["any", *regions]), "default": []}
    props["countries"] = {"type": "array", "items": {"type": "string", "pattern": COUNTRY}, "default": []}
    schema["description"] = (
        "Existing programmes for the portfolio map. Not expressible here: give regions or "
        "countries (at least one); ids are unique; a country code must be assigned in ISO 3166-1."
    )
