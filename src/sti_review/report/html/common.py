"""What the HTML reports share: the template engine (Jinja2, auto-escaping), the page's words
and the outcome styles. Imported only when HTML is asked for: Jinja2 is not loaded otherwise.

Templates live in ``report/templates/*.html.j2`` (package data). Every value a template prints
is escaped by the engine; control characters in user text are made visible first (``printable``).
Charts come in as :class:`svg.Svg`, which the engine inserts as it is (it was escaped when built).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from ... import __version__
from ...checks import Finding
from ...i18n import Lang, catalog
from ...rubric import Rubric
from ...sanitize import printable
from ...scoring import Outcome

TEMPLATES = Path(__file__).with_name("templates")

T = catalog("html")

OUTCOME_CLASS = {
    Outcome.PASS: "pass",
    Outcome.CONDITIONAL: "conditional",
    Outcome.BELOW_THRESHOLD: "below",
    Outcome.GATE_FAILED: "failed",
    Outcome.INCOMPLETE: "incomplete",
}


def _finalize(value: object) -> object:
    """Every printed value: control characters made visible; markup (charts) left as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return printable(value)
    return value


_PAGE_LANG: ContextVar[str] = ContextVar("page_lang", default="ja")


def _japanese(text: str) -> bool:
    """Kana, CJK ideographs or full-width forms in ``text``. ``max`` first (one pass in C): most
    cells of a large page are numbers and ids, and a Japanese text usually starts Japanese. (A
    regular expression of these ranges costs 5 ms to compile, at every start of the command.)"""
    if not text or max(text) < "\u3040":
        return False
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff01" <= ch <= "\uff5e" for ch in text
    )


def other_language(value: object) -> object:
    """User text in a cell or list item: on a page not in Japanese, Japanese text is marked lang="ja" so
    screen readers and fonts read it as Japanese (the ``ol`` filter of the templates)."""
    if value is None:
        return ""
    if not isinstance(value, str) or hasattr(value, "__html__"):
        return value
    shown = printable(value)
    if _PAGE_LANG.get() != "ja" and _japanese(shown):
        return markupsafe.Markup('<span lang="ja">{}</span>').format(shown)
    return shown


@cache
def environment() -> jinja2.Environment:
    from ... import templating

    env = templating.environment(  # compiled once per tool version (a bytecode cache)
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ol"] = other_language
    return env


def render_page(template: str, lang: Lang, **context: Any) -> str:
    """Render one of the templates with the page's common context."""
    page = environment().get_template(template)
    _PAGE_LANG.set(lang)
    return page.render(
        lang=lang,
        version=__version__,
        generated_by=T("generated_by", lang, version=__version__),
        print_note=T("print_note", lang),
        **context,
    )


def findings_view(findings: Sequence[Finding] | None, rubric: Rubric, lang: Lang) -> dict[str, Any] | None:
    """The pre-check findings as rows for the shared ``findings`` macro (None: not run)."""
    if findings is None:
        return None
    from ..views.findings import criterion_text, severity_text, summary_text, where_text
    from ..views.findings import t as ft

    return {
        "title": ft("findings_title", lang),
        "summary": summary_text(findings, lang),
        "none": ft("no_findings", lang),
        "head": [ft(k, lang) for k in ("severity", "criterion", "where", "finding")],
        "rows": [
            {
                "severity": f.severity,
                "severity_text": severity_text(f.severity, lang),
                "criterion": criterion_text(f, rubric, lang),
                "where": where_text(f),
                "message": f.message(lang),
            }
            for f in findings
        ],
        "note": ft("informs_note", lang),
    }
