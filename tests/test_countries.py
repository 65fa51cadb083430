"""Reports name partner countries and objectives in words of the report's language (issue 16)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sti_review.cli import app
from sti_review.countries import country_name, partner_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_every_iso_code_has_a_name_in_both_languages():
    from sti_review.checks import iso_countries

    for code, english in iso_countries().items():
        assert country_name(code, "en"), code
        assert country_name(code, "ja") != code, code  # a Japanese name, not the code again
        assert english


def test_unknown_codes_and_languages_fall_back():
    assert country_name("ZZ", "ja") == "ZZ"  # user-assigned: shown as written
    assert country_name("ph", "ja") == "フィリピン"
    assert country_name("PH", "fr") == "Philippines"  # no French column: English
    assert partner_text("", "Some Institute", "ja") == "Some Institute"


def _assess(lang: str, fmt: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "assess",
            str(EXAMPLES / "other-ocean-data-ph.yaml"),
            "--review",
            str(EXAMPLES / "other-ocean-data-ph.review.yaml"),
            "--lang",
            lang,
            "--format",
            fmt,
        ],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_assessment_reports_show_the_country_and_objectives_in_words():
    for fmt in ("terminal", "markdown", "html"):
        ja = _assess("ja", fmt)
        assert "フィリピン Central Visayas" in ja, fmt
        assert "PH Central Visayas" not in ja, fmt
        assert "A.networks 新たな" not in ja, fmt  # the objective's title, not its id before it
        en = _assess("en", fmt)
        assert "Philippines Central Visayas" in en, fmt
