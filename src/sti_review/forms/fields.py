"""The layout of the proposal form, shared by the template that writes it and the importer that
reads it back: its headings, and the columns of each table, in Japanese and English."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..i18n import Lang, catalog, languages

FORM_MARK = "sti-review-form"  # in the document's keywords, with the rubric and criterion ids
GUIDANCE_CAPTION = "sti-review:guidance"  # tables of instructions, skipped by the importer

T = catalog("formfields")


class Labels:
    """A label of the form: one catalogue key, written in the language of the form and
    recognised in every language that has a catalogue (a form filled in Japanese or English,
    or with both separated by a slash)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, lang: Lang) -> str:
        return T(self.key, lang)

    def all(self) -> tuple[str, ...]:
        """The label in every language with a catalogue, each once."""
        return tuple(dict.fromkeys(T(self.key, lang) for lang in languages()))

    def shown(self) -> str:
        """Every form of the label, for a message: '基本情報' / 'Basic information'."""
        return " / ".join(repr(x) for x in self.all())


HEADINGS: dict[str, Labels] = {
    key: Labels(f"heading_{key}")
    for key in (
        "basic",
        "summary",
        "partners",
        "objectives",
        "team",
        "kpis",
        "risks",
        "integrity",
        "criteria",
    )
}
ORDER = tuple(HEADINGS)

# the rows of the basic information table
BASIC: dict[str, Labels] = {
    key: Labels(f"basic_{key}")
    for key in ("id", "title", "programme", "lead_name", "lead_institution", "budget")
}


@dataclass(frozen=True)
class Column:
    key: str
    labels: Labels

    def label(self, lang: Lang) -> str:
        return self.labels(lang)


def _columns(table: str, *keys: str) -> tuple[Column, ...]:
    return tuple(Column(key, Labels(f"col_{table}_{key}")) for key in keys)


TABLES: dict[str, tuple[Column, ...]] = {
    "partners": _columns("partners", "country", "institution"),
    "objectives": _columns("objectives", "select", "id", "title"),
    "team": _columns("team", "name", "role", "discipline", "career_stage", "institution", "country"),
    "kpis": _columns("kpis", "objective", "indicator", "target"),
    "risks": _columns("risks", "area", "description", "mitigation"),
    "integrity": _columns("integrity", "procedure"),
}

_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[0-9]+(?:[.．][0-9]+)*[.．、)）]?"  # 1. 1.2 1) 1、
    r"|[(（][0-9]+[)）]"  # (1)
    r"|[①-⑳]"  # ①
    r"|[IVXivx]+[.．]"  # IV.
    r"|第[0-9一二三四五六七八九十]+[章節]"
    r")\s*"
)


def unnumbered(text: str) -> str:
    """NFKC, numbering such as １．(1) ① removed, spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _NUMBERING.sub("", text, count=1)
    return re.sub(r"\s+", " ", text).strip()


def normal(text: str) -> str:
    """Heading or label text as compared: :func:`unnumbered`, lower case."""
    return unnumbered(text).lower()


def matches(text: str, labels: Labels) -> bool:
    """The label in any language, or two of them with a slash between, after :func:`normal`."""
    n = normal(text)
    forms = [normal(x) for x in labels.all()]
    if n in forms:
        return True
    return any(n in (f"{a} / {b}", f"{a}/{b}") for a in forms for b in forms if a != b)


def label(labels: Labels, lang: Lang) -> str:
    return labels(lang)
