"""Pre-check findings as data, JSON and Markdown: for `sti-review check` and for the findings
section of the assessment report. (The terminal version is in findings_terminal.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..checks import SEVERITIES, Finding, counts
from ..errors import Problem
from ..i18n import Lang, catalog
from ..rubric import Rubric
from ..sanitize import json_text
from ..sanitize import markdown_inline as esc

if TYPE_CHECKING:
    from ..api import CheckedProposal

SCHEMA = "sti-review/checks@1"

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


def findings_data(
    findings: Sequence[Finding] | None, rubric: Rubric, lang: Lang
) -> list[dict[str, Any]] | None:
    return None if findings is None else [finding_data(f, rubric, lang) for f in findings]


def _problem_data(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "column": p.column, "field": p.field, "message": p.message}


def to_data(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> dict[str, Any]:
    everything = [f for r in results for f in r.findings]
    failed = any(r.failed(strict) for r in results)
    return {
        "schema": SCHEMA,
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "rubric": {"id": rubric.id, "version": rubric.version, "ref": rubric.ref},
        "strict": strict,
        "passed": not failed and not invalid,
        "counts": counts(everything),
        "proposals": [
            {
                "file": str(r.path),
                "id": r.proposal.proposal.id,
                "title": r.proposal.proposal.title,
                "programme": r.proposal.proposal.programme,
                "passed": not r.failed(strict),
                "counts": counts(r.findings),
                "findings": [finding_data(f, rubric, lang) for f in r.findings],
            }
            for r in results
        ],
        "invalid": [
            {"file": path, "problems": [_problem_data(p) for p in problems]} for path, problems in invalid
        ],
    }


def render_json(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> str:
    return json_text(to_data(results, invalid, rubric, lang, strict))


# --- Markdown -----------------------------------------------------------------------------


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown_table(findings: Sequence[Finding], rubric: Rubric, lang: Lang) -> list[str]:
    """The findings as a GitHub table (or a line saying there are none)."""
    if not findings:
        return [f"_{t('no_findings', lang)}_"]
    lines = [
        _row(t("severity", lang), t("criterion", lang), t("where", lang), t("finding", lang)),
        "|---|---|---|---|",
    ]
    for f in findings:
        lines.append(
            _row(
                f"{MARK[f.severity]} {severity_text(f.severity, lang)}",
                esc(criterion_text(f, rubric, lang)),
                esc(where_text(f)),
                esc(f.message(lang)),
            )
        )
    return lines


def render_markdown(
    results: Sequence[CheckedProposal],
    invalid: Sequence[tuple[str, list[Problem]]],
    rubric: Rubric,
    lang: Lang,
    strict: bool,
) -> str:
    lines = [f"# {t('checks_title', lang)}", "", f"{t('rubric', lang)}: {esc(rubric.ref)}", ""]
    lines += [
        _row(t("id", lang), t("file", lang), t("result", lang), t("finding", lang)),
        "|---|---|---|---|",
    ]
    for r in results:
        failed = r.failed(strict)
        lines.append(
            _row(
                esc(r.proposal.proposal.id),
                esc(str(r.path)),
                f"{'❌' if failed else '✅'} {verdict_text(failed, strict, lang)}",
                esc(summary_text(r.findings, lang)),
            )
        )
    for path, _ in invalid:
        lines.append(_row("—", esc(path), f"⛔ {t('unreadable', lang)}", ""))
    lines.append("")
    for r in results:
        p = r.proposal.proposal
        lines += [f"## {esc(p.id)} {esc(p.title)}", "", f"{t('file', lang)}: {esc(str(r.path))}", ""]
        lines += markdown_table(r.findings, rubric, lang)
        lines.append("")
    for path, problems in invalid:
        lines += [f"## {esc(path)}: {t('unreadable', lang)}", ""]
        lines += [f"- {esc(str(p))}" for p in problems]
        lines.append("")
    lines.append(f"<sub>{esc(t('informs_note', lang))} {t('generated_by', lang, version=__version__)}</sub>")
    return "\n".join(lines) + "\n"
