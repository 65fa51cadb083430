"""The rubric's own text in each language it is written in, and the small vocabularies that the
rubric model and the pre-checks both build on. They live below both, so that checks.py can use
them without importing the rubric model that loads the checks (no import cycle)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import ConfigDict, RootModel, field_validator

from .errors import Text as Message

Lang = str  # a language code such as "ja", "en" or "fr" (i18n.languages() lists the catalogues)
Kind = Literal["score", "gate", "portfolio"]

LANG_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
FALLBACK: tuple[str, ...] = ("en", "ja")  # after the language asked for; then the first given


def pick(texts: dict[str, str], lang: str) -> str:
    """The text for ``lang`` from a language -> text mapping: the language asked for, else
    English, else Japanese, else the first language given (docs/formats.md, "Languages")."""
    for candidate in (lang, *FALLBACK):
        text = texts.get(candidate)
        if text:
            return text
    return next((v for v in texts.values() if v), "")


class Text(RootModel[dict[str, str]]):
    """A text in one or more languages: language code -> text, e.g. {ja: …, en: …, fr: …}.
    At least one text must be non-empty. Shown in the language asked for, else English, else
    Japanese, else the first one given.
    """

    # In code: Text(ja=…, en=…) or Text.of({...}); text(lang), text.ja, text.other(lang).

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={"propertyNames": {"pattern": "^" + LANG_CODE.pattern + "$"}, "minProperties": 1},
    )

    @field_validator("root")
    @classmethod
    def _languages(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError(Message("err.text_empty_all"))
        for lang in v:
            if not LANG_CODE.fullmatch(lang):
                raise ValueError(Message("err.not_lang_code", value=repr(lang)))
        if not any(text.strip() for text in v.values()):
            raise ValueError(Message("err.text_empty_all"))
        return v

    @classmethod
    def of(cls, texts: dict[str, str]) -> Text:
        """A Text made by the program (not read from a file), taken as it is."""
        return cls.model_construct(root=dict(texts))

    def __call__(self, lang: Lang) -> str:
        return pick(self.root, lang)

    @property
    def ja(self) -> str:
        return self("ja")

    @property
    def en(self) -> str:
        return self("en")

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is written in, in the order given."""
        return tuple(k for k, v in self.root.items() if v.strip())

    def other(self, lang: Lang) -> str | None:
        """The text in a second language, for showing beside ``self(lang)`` (dimmed): Japanese
        or English first, then any other given; None when the text has only one language."""
        shown = self(lang)
        for candidate in (*reversed(FALLBACK), *self.root):
            text = self.root.get(candidate)
            if text and text != shown:
                return text
        return None

    def map(self, render: Any) -> Text:
        """A Text with ``render(text, lang)`` applied to each language's text."""
        return Text.of({lang: render(text, lang) for lang, text in self.root.items()})
