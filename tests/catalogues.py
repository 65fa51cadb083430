"""Helpers for the catalogue tests: read the shipped .po files, write new ones, make the
pseudo-locale (every message wrapped in ⟦…⟧ and accented, placeholders kept)."""

from __future__ import annotations

import re
from pathlib import Path

from sti_review.i18n import LOCALES, parse_po

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
ACCENTS = str.maketrans(
    "aceinorsuyzACEINORSUYZ",
    "áçéîñöŕšûýžÁÇÉÎÑÖŔŠÛÝŽ",
)


def shipped(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "sti_review.po"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def pseudo(text: str) -> str:
    """'Outcome: {value}' -> '⟦Öûtçöméšsi: {value}⟧': accented, wrapped, placeholders intact."""
    parts = PLACEHOLDER.split(text)
    holes = PLACEHOLDER.findall(text)
    out = parts[0].translate(ACCENTS)
    for hole, part in zip(holes, parts[1:], strict=True):
        out += hole + part.translate(ACCENTS)
    return "⟦" + out + "⟧" if text.strip() else text


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_catalogue(folder: Path, lang: str, transform=pseudo, plural: str = "(n != 1)") -> Path:  # type: ignore[no-untyped-def]
    """A catalogue for ``lang`` in ``folder``: the English one put through ``transform``."""
    en = parse_po(shipped("en").read_text(encoding="utf-8"), "en")
    lines = [
        'msgid ""',
        'msgstr ""',
        _q(f"Language: {lang}\n"),
        _q("Content-Type: text/plain; charset=UTF-8\n"),
        _q(f"Plural-Forms: nplurals=2; plural={plural};\n"),
        "",
    ]
    for key, text in en.messages.items():
        lines += [f"msgid {_q(key)}", f"msgstr {_q(transform(text))}", ""]
    for key, forms in en.plurals.items():
        lines += [f"msgid {_q(key)}", f"msgid_plural {_q(key + '.plural')}"]
        lines += [f"msgstr[{i}] {_q(transform(form))}" for i, form in enumerate(forms)]
        lines.append("")
    path = folder / lang / "LC_MESSAGES" / "sti_review.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
