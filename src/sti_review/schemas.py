"""JSON Schemas of the file formats, generated from the models, for editors and other tools."""

from __future__ import annotations

from typing import Any

from .proposal import Proposal
from .review import Review
from .reviewers import ReviewerPool
from .rubric import Rubric

_BASE = "https://github.com/sti-review/sti-review/schemas"


def json_schemas() -> dict[str, dict[str, Any]]:
    out = {}
    for name, model in (
        ("proposal", Proposal),
        ("review", Review),
        ("rubric", Rubric),
        ("reviewers", ReviewerPool),
    ):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{_BASE}/{name}.json"
        out[name] = schema
    return out
