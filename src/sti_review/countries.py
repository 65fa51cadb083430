"""Country names in the report's language, for the ISO 3166-1 alpha-2 codes proposals use.

Proposals name partner countries by code (``PH``); a report shows the country in words
(フィリピン / Philippines), as issue 16 asks ("words, not codes, in the report's language").
The names come from the Unicode CLDR (``data/country_names.tsv``); a language without a column
falls back to English, and a code that is not in the table (a user-assigned code such as ``ZZ``,
or free text) is shown as written.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_TABLE = Path(__file__).resolve().parent / "data" / "country_names.tsv"


@cache
def _names() -> dict[str, dict[str, str]]:
    """Language -> code -> name."""
    rows = [
        line.split("\t")
        for line in _TABLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    header, body = rows[0], rows[1:]
    return {lang: {row[0]: row[i] for row in body if row[i]} for i, lang in enumerate(header) if i}


def country_name(code: str, lang: str) -> str:
    """The country of ``code`` in ``lang`` (else English), or ``code`` itself when unknown."""
    names = _names()
    key = code.strip().upper()
    return names.get(lang, {}).get(key) or names["en"].get(key) or code


def partner_text(country: str, institution: str, lang: str) -> str:
    """A partner as a report shows it: 「フィリピン Central Visayas Marine Science Institute」."""
    return f"{country_name(country, lang) if country else ''} {institution}".strip()
