"""The rubric as JSON: `sti-review criteria --format json` (the whole rubric, or one criterion)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import Lang
from ...rubric import Rubric
from ...sanitize import json_text

if TYPE_CHECKING:
    from ..views import RubricView


def to_data(rubric: Rubric) -> dict[str, Any]:
    data = rubric.model_dump(mode="json")
    for sec_data, section in zip(data["sections"], rubric.sections, strict=True):
        sec_data["criteria"] = [c.model_dump(mode="json") for c in section.criteria]
    return data


def render(view: RubricView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """Both languages are in the data, so ``lang`` changes nothing here."""
    data = to_data(view.rubric)
    if view.criterion is not None:
        data = next(c for s in data["sections"] for c in s["criteria"] if c["id"] == view.criterion.id)
    return json_text(data).encode()
