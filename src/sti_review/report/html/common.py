"""What the HTML reports share: the template engine (Jinja2, auto-escaping), the page's words
and the outcome styles. Imported only when HTML is asked for: Jinja2 is not loaded otherwise.

Templates live in ``report/templates/*.html.j2`` (package data). Every value a template prints
is escaped by the engine; control characters in user text are made visible first (``printable``).
Charts come in as :class:`svg.Svg`, which the engine inserts as it is (it was escaped when built).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ... import __version__
from ...checks import Finding
from ...i18n import Lang, catalog
from ...rubric import Rubric
from ...sanitize import printable
from ...scoring import Outcome

TEMPLATES = Path(__file__).with_name("templates")

T = catalog(
    {
        "at_a_glance": ("概要", "At a glance"),
        "radar_title": ("区分ごとの評点と基準", "Section scores against the threshold"),
        "legend_score": ("区分評点", "section score"),
        "legend_threshold": ("基準 {value}", "threshold {value}"),
        "gates_title": ("要件（ゲート）の判定", "Gate verdicts"),
        "bar_title": (
            "{id} の評点 {score}（満点 {max}、基準 {threshold}）",
            "{id}: {score} of {max} (threshold {threshold})",
        ),
        "not_counted": (
            "全ての観点が該当なしの区分は、基準と満点の計算から除かれます: {ids}",
            "Sections whose criteria are all N/A are left out of the thresholds and the maximum: {ids}",
        ),
        "below": ("✗ 基準 {value} 未満", "✗ below the threshold of {value}"),
        "meets": ("✓ 基準 {value} 以上", "✓ meets the threshold of {value}"),
        "bars_title": ("区分評点（棒）と基準（破線）", "Section scores (bars) and the threshold (dashed)"),
        "contents": ("目次", "Contents"),
        "print_note": (
            "A4 で印刷できます（ブラウザの印刷機能）。図の色は白黒印刷でも形と文字で区別できます。",
            "Prints to A4 from a browser; what a colour says in a chart is also said by a shape or a word.",
        ),
    }
)

OUTCOME_CLASS = {
    Outcome.PASS: "pass",
    Outcome.CONDITIONAL: "conditional",
    Outcome.BELOW_THRESHOLD: "below",
    Outcome.GATE_FAILED: "failed",
    Outcome.INCOMPLETE: "incomplete",
}
OUTCOME_SYMBOL = {
    Outcome.PASS: "✓",
    Outcome.CONDITIONAL: "!",
    Outcome.BELOW_THRESHOLD: "✗",
    Outcome.GATE_FAILED: "⛔",
    Outcome.INCOMPLETE: "…",
}


def _finalize(value: object) -> object:
    """Every printed value: control characters made visible; markup (charts) left as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return printable(value)
    return value


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(template: str, lang: Lang, **context: Any) -> str:
    """Render one of the templates with the page's common context."""
    page = environment().get_template(template)
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
