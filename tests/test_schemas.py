"""`sti-review schema`: JSON Schemas (draft 2020-12) that carry the rubric's enumerations, read
by an independent validator (jsonschema): they accept every shipped example and reject what
`validate` rejects for enumerations and types."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sti_review.rubric import load_rubric
from sti_review.schemas import json_schema
from sti_review.yamlio import load_file

from .conftest import DATA, EXAMPLES

BAD = DATA / "bad"
LIKERT = DATA / "rubric-likert"
HE = EXAMPLES / "horizon-europe"

# Files of the bad-input corpus that a schema cannot see: the YAML itself is refused (syntax,
# duplicate keys, tags), the number is not a JSON number, or the rule spans two files. Every
# other bad file must be rejected by the schema.
NOT_A_SCHEMA_MATTER = {
    "proposal-mismatch": "the review names another proposal (two files)",
    "programme-item-does-not-apply": "which criteria apply depends on the proposal's programme",
}


def validator(kind: str, rubric_path: object = None) -> Draft202012Validator:
    schema = json_schema(kind, load_rubric(rubric_path))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def data_of(path: Path) -> object | None:
    """The file's data as sti-review reads it; None when the YAML itself is refused."""
    try:
        return load_file(path).data
    except Exception:
        return None


def finite(x: object) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    if isinstance(x, dict):
        return all(finite(v) for v in x.values())
    if isinstance(x, list):
        return all(finite(v) for v in x)
    return True


def errors(v: Draft202012Validator, data: object) -> list[str]:
    return [e.message for e in v.iter_errors(data)]


@pytest.mark.parametrize("kind", ["proposal", "review"])
def test_the_schema_rejects_the_bad_corpus(kind):
    v = validator(kind)
    checked = 0
    for path in sorted((BAD / kind).glob("*.yaml")):
        data = data_of(path)
        if data is None or not finite(data) or path.stem in NOT_A_SCHEMA_MATTER:
            continue
        checked += 1
        assert errors(v, data), f"{path.name} passes the schema but not validate"
    assert checked >= 20


HE_PROPOSALS = [HE / "he-ria-soilsense.yaml", *(HE / "call" / "proposals").glob("*")]
HE_REVIEWS = [HE / "he-ria-soilsense.review.yaml", *(HE / "call" / "reviews").glob("*/*")]
SHIPPED = [
    (None, "proposal", [p for p in sorted(EXAMPLES.glob("*-*-*.yaml")) if "review" not in p.name]),
    ("mext-sti-call-2026", "proposal", sorted((EXAMPLES / "call-2026" / "proposals").glob("*.yaml"))),
    (None, "review", sorted(EXAMPLES.glob("*.review.yaml"))),
    ("mext-sti-call-2026", "review", sorted((EXAMPLES / "call-2026" / "reviews").glob("*/*.yaml"))),
    (None, "programmes", [EXAMPLES / "programmes-mext.yaml"]),
    ("horizon-europe-2021", "proposal", HE_PROPOSALS),
    ("horizon-europe-2021", "review", HE_REVIEWS),
    (LIKERT, "proposal", sorted((DATA / "call-likert" / "proposals").glob("*.yaml"))),
    (LIKERT, "review", sorted((DATA / "call-likert" / "reviews").glob("*/*.yaml"))),
]  # fmt: skip


@pytest.mark.parametrize(("rubric", "kind", "files"), SHIPPED)
def test_every_shipped_example_fits_its_schema(rubric, kind, files):
    v = validator(kind, rubric)
    assert files
    for path in files:
        if "partial" in path.name:
            continue
        assert errors(v, data_of(path)) == [], path


def test_the_mext_vocabulary_against_another_rubric():
    v = validator("proposal", LIKERT)
    data = data_of(DATA / "proposal-mext-vocab-likert.yaml")
    found = " ".join(errors(v, data))
    for value in ("joint_research", "human_rights", "export_control", "natural_sciences", "postdoc"):
        assert value in found


def test_enumerations_are_the_rubrics():
    he = json_schema("proposal", load_rubric("horizon-europe-2021"))
    assert he["properties"]["programme"]["enum"] == ["ria", "ia"]
    assert he["properties"]["sections"]["propertyNames"]["enum"] == ["EX1", "IM1", "QI1", "ES1", "ES2"]
    assert he["$defs"]["Partner"]["properties"]["country"]["pattern"] == "^[A-Z]{2}$"
    assert "ISO 3166-1" in he["description"]
    review = json_schema("review", load_rubric(LIKERT))
    s1 = review["properties"]["answers"]["anyOf"][0]["properties"]["S1"]["allOf"][1]
    assert s1["properties"]["score"] == {"type": "number", "minimum": 1.0, "maximum": 4.0, "multipleOf": 1.0}
    assert review["properties"]["rubric"]["const"] == "likert-test@3"


def test_rules_a_schema_cannot_express_are_described():
    review = json_schema("review", load_rubric())
    assert "depend on the proposal's programme" in review["description"]
    v = validator("review")
    answer = {"proposal": "X", "rubric": "mext-sti-international-2021@1"}
    assert errors(v, {**answer, "answers": {"A1": {"score": 2}}})  # a comment is required
    assert not errors(v, {**answer, "answers": {"A1": {"score": 2, "comment": "why"}}})
    assert errors(v, {**answer, "answers": {"A1": {"score": 2.25, "comment": "x"}}})  # off the steps
    assert errors(v, {**answer, "answers": {"A2": {"score": 4}}})  # a gate takes a verdict


def test_procedures_are_matched_leniently_by_the_schema_too():
    v = validator("proposal")
    base = data_of(EXAMPLES / "satreps-flood-ews-th.yaml")
    assert isinstance(base, dict)
    ok = {**base, "integrity": {"procedures": ["Export-Control", "conflict of interest"]}}
    assert errors(v, ok) == []
    bad = {**base, "integrity": {"procedures": ["export control office"]}}
    assert errors(v, bad)


@pytest.mark.parametrize("which", ["proposal", "review", "programmes", "rubric"])
def test_schema_command(invoke, which):
    result = invoke("schema", which, "--rubric", LIKERT)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_command_with_a_broken_rubric(invoke, tmp_path):
    (tmp_path / "rubric.yaml").write_text("id: [\n", encoding="utf-8")
    result = invoke("schema", "proposal", "--rubric", tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "rubric.yaml:" in result.stderr
