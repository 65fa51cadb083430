"""Institution names compared as people mean them: NFKC, case, brackets, departments, aliases.

``institution_key("東京大学 大学院工学系研究科") == institution_key("The University of Tokyo")``:
both are ``u-tokyo`` through the shipped alias list (data/institution_aliases.yaml). A name not
in the list is keyed by its head: the part before a comma, or for a name in Japanese script the
part before the first space ("北辰大学 農学研究院" -> "北辰大学").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError, Problem, Text
from .validation import validate
from .yamlio import Document, load_file, parse

_BRACKETS = re.compile(r"[(（\[［【][^)）\]］】]*[)）\]］】]")
_PUNCT = re.compile(r"[\s・･.,'’\"“”&\-‐–—/]+")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def normalise(text: str) -> str:
    """NFKC, case-folded, bracketed remarks dropped, spaces collapsed, a leading 'the' dropped."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = _BRACKETS.sub(" ", s)
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def _squash(text: str) -> str:
    """The comparison form: no spaces or punctuation."""
    return _PUNCT.sub("", text)


def _head(norm: str) -> str:
    head = norm.split(",")[0]
    if _CJK.search(head):
        head = head.split(" ")[0]
    return head


class Aliases:
    """Spellings of institutions mapped to a canonical key."""

    def __init__(self, entries: list[tuple[str, list[str]]]):
        self.by_name: dict[str, str] = {}
        self.names: dict[str, list[str]] = {}
        for key, names in entries:
            self.names.setdefault(key, [])
            for name in names:
                self.by_name[_squash(normalise(name))] = key
                self.names[key].append(name)
        # Longest first, for prefix matching of names followed by a department.
        self._prefixes = sorted(self.by_name, key=len, reverse=True)

    def extend(self, other: Aliases) -> Aliases:
        merged = Aliases([])
        merged.by_name = {**self.by_name, **other.by_name}
        merged.names = {**self.names, **other.names}
        merged._prefixes = sorted(merged.by_name, key=len, reverse=True)
        return merged

    def key(self, text: str) -> str:
        return _key(self, text)


@lru_cache(maxsize=200_000)
def _key_cached(aliases_id: int, text: str) -> str:
    return _key_uncached(_REGISTRY[aliases_id], text)


_REGISTRY: dict[int, Aliases] = {}


def _key(aliases: Aliases, text: str) -> str:
    _REGISTRY.setdefault(id(aliases), aliases)
    return _key_cached(id(aliases), text)


def _key_uncached(aliases: Aliases, text: str) -> str:
    norm = normalise(text)
    if not norm:
        return ""
    for candidate in (norm, _head(norm)):
        hit = aliases.by_name.get(_squash(candidate))
        if hit:
            return hit
    # A known name followed by a department: "京都大学大学院理学研究科", "Kyoto University Hospital".
    squashed = _squash(norm)
    for prefix in aliases._prefixes:
        if squashed.startswith(prefix) and _boundary(norm, prefix):
            return aliases.by_name[prefix]
    return "~" + _squash(_head(norm))


def _boundary(norm: str, prefix: str) -> bool:
    """A prefix counts when it is long and in Japanese script, or when a word ends after it."""
    if _CJK.search(prefix):
        return len(prefix) >= 3
    if len(prefix) < 8:  # acronyms (UM, MIT) match only on their own, not as the start of a name
        return False
    # The Latin prefix must end where a word of the original ends.
    consumed = 0
    for i, ch in enumerate(norm):
        if not _PUNCT.fullmatch(ch):
            consumed += 1
        if consumed == len(prefix):
            rest = norm[i + 1 :]
            return not rest or not rest[0].isalnum()
    return False


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1)
    names: list[str] = Field(min_length=1)


class _AliasFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    institutions: list[_Entry]


def _from_document(doc: Document) -> Aliases:
    if doc.data is None:
        raise InputError(
            [
                Problem(
                    doc.path,
                    None,
                    None,
                    None,
                    Text("err.aliases_empty"),
                )
            ]
        )
    data = validate(_AliasFile, doc)
    return Aliases([(e.key, e.names) for e in data.institutions])


@lru_cache(maxsize=1)
def shipped_aliases() -> Aliases:
    text = resources.files("sti_review").joinpath("data/institution_aliases.yaml").read_text("utf-8")
    return _from_document(parse(text, "institution_aliases.yaml"))


def load_aliases(path: str | Path | None = None) -> Aliases:
    """The shipped aliases, extended with a user's file of the same format."""
    base = shipped_aliases()
    if path is None:
        return base
    return base.extend(_from_document(load_file(path)))


def institution_key(text: str, aliases: Aliases | None = None) -> str:
    return (aliases or shipped_aliases()).key(text)


def person_key(name: str) -> str:
    """A person's name for comparison: NFKC, case-folded, no spaces or punctuation."""
    return _squash(normalise(name))
