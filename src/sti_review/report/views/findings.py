"""Pre-check findings in words, shared by every format: for `sti-review check` and for the
findings section of the assessment report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...checks import SEVERITIES, Finding, counts
from ...i18n import Lang, catalog, join, tn
from ...rubric import Rubric

if TYPE_CHECKING:
    pass

t = catalog("findings")

MARK = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}


def severity_text(severity: str, lang: Lang) -> str:
    return t(f"severity_{severity}", lang)


def summary_text(findings: Sequence[Finding], lang: Lang) -> str:
    """'エラー 2 件、警告 1 件、注記 0 件' / '2 errors, 1 warning, 0 notes'."""
    n = counts(findings)
    return join((tn(f"findings.count_{s}", n[s], lang) for s in SEVERITIES), lang)


def verdict_text(failed: bool, strict: bool, lang: Lang) -> str:
    return t("failed" if failed else "passed", lang) + (t("strict", lang) if strict else "")


def criterion_text(f: Finding, rubric: Rubric, lang: Lang) -> str:
    """'A2 研究インテグリティ…' or 'general'."""
    if f.criterion is None:
        return t("general", lang)
    crit = rubric.criteria.get(f.criterion)
    return f"{f.criterion} {crit.title(lang)}" if crit else f.criterion


def where_text(f: Finding) -> str:
    """'40:5 integrity.procedures' (the file is named once, above the findings)."""
    place = f"{f.line}:{f.column}" if f.line is not None else ""
    return " ".join(x for x in (place, f.field or "") if x)


# --- JSON ---------------------------------------------------------------------------------


def finding_data(f: Finding, rubric: Rubric, lang: Lang) -> dict[str, Any]:
    crit = rubric.criteria.get(f.criterion or "")
    return {
        "check": f.check,
        "type": f.type,
        "variant": f.variant,
        "severity": f.severity,
        "criterion": f.criterion,
        "criterion_title": crit.title(lang) if crit else None,
        "message": f.message(lang),
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "field": f.field,
        "items": list(f.items),
    }
