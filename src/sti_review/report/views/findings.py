"""Pre-check findings in words, shared by every format: for `sti-review check` and for the
findings section of the assessment report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...checks import SEVERITIES, Finding, counts
from ...i18n import Lang, catalog
from ...rubric import Rubric

if TYPE_CHECKING:
    pass

t = catalog(
    {
        "findings_title": ("事前チェック", "Pre-checks"),
        "checks_title": ("事前チェックの結果", "Pre-check results"),
        "severity": ("重大度", "Severity"),
        "where": ("箇所", "Where"),
        "finding": ("指摘", "Finding"),
        "general": ("全般", "general"),
        "severity_error": ("エラー", "error"),
        "severity_warning": ("警告", "warning"),
        "severity_note": ("注記", "note"),
        "no_findings": ("指摘はありません", "no findings"),
        "passed": ("合格", "passed"),
        "failed": ("不合格", "failed"),
        "strict": ("（--strict：警告も不合格）", " (--strict: warnings fail too)"),
        "file": ("ファイル", "File"),
        "result": ("結果", "Result"),
        "unreadable": ("読み込めません", "could not be read"),
        "checked": ("{n} 件のファイルを確認", "{n} files checked"),
        "informs_note": (
            "自動チェックは審査の参考情報です。判断は審査者が行います。",
            "The checks inform; the reviewer decides.",
        ),
    }
)

MARK = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}


def severity_text(severity: str, lang: Lang) -> str:
    return t(f"severity_{severity}", lang)


def summary_text(findings: Sequence[Finding], lang: Lang) -> str:
    """'エラー 2 件、警告 1 件、注記 0 件' / '2 errors, 1 warning, 0 notes'."""
    n = counts(findings)
    if lang == "ja":
        return "、".join(f"{severity_text(s, lang)} {n[s]} 件" for s in SEVERITIES)
    return ", ".join(f"{n[s]} {s}{'' if n[s] == 1 else 's'}" for s in SEVERITIES)


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
