"""The rubric's bilingual text and the small vocabularies that the rubric model and the pre-checks
both build on. They live below both, so that checks.py can use them without importing the rubric
model that loads the checks (no import cycle)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Lang = Literal["ja", "en"]
Kind = Literal["score", "gate", "portfolio"]


class Text(BaseModel):
    """A bilingual text: Japanese first, English second."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    ja: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en
