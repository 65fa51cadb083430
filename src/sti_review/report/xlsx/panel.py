"""The consolidation of one proposal's reviews as a workbook: a summary with the panel's
outcome, one row per criterion with every reviewer's answer and the spread, and the raw scores."""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...i18n import Lang, t
from ...i18n import t as _t
from ...limits import MAX_REVIEWERS
from ...panel import Consolidation
from ..views import PanelView
from ..views.common import outcome_text, reason_text
from ..views.panel import T, basis_text, flag_text, outcome_state, panel_text, reviewer_keys
from . import common as x


def _render(con: Consolidation, *, lang: Lang) -> bytes:
    wb = x.workbook()
    a = con.assessment
    pairs: list[tuple[str, Any]] = [
        (T("id", lang), con.proposal.id),
        (T("title", lang), con.proposal.title),
        (
            T("panel_outcome", lang),
            outcome_text(a, lang) + _t("paren_note", lang, text=outcome_state(con, lang)),
        ),
        (T("reasons", lang), "\n".join(_reason(r, a, lang) for r in a.reasons)),
        ("", basis_text(con, lang)),
        (T("total_unweighted", lang), float(a.total)),
        (T("required", lang), float(a.required_total) if a.required_total is not None else ""),
        *[
            (f"{T('reviewer', lang)} {key}", r.label)
            for key, r in zip(reviewer_keys(con, lang), con.reviews, strict=True)
        ],
        (T("rubric", lang), con.rubric.ref),
        ("", T("generated_by", lang, version=__version__)),
    ]
    x.key_values(wb.create_sheet(x.sheet_title(x.W("summary", lang))), pairs)
    criteria_sheet(wb.create_sheet(x.sheet_title(T("panel_title", lang))), con, lang)
    raw_scores(wb.create_sheet(x.sheet_title(x.W("raw_scores", lang))), con, lang)
    return x.to_bytes(wb)


def _reason(reason: Any, a: Any, lang: Lang) -> str:
    text = reason_text(reason, a, lang)
    return (
        text + "".join("\n" + _t("bullet_item", lang, text=item) for item in reason.items)
        if reason.code == "conditions"
        else text
    )


def criteria_sheet(ws: Any, con: Consolidation, lang: Lang) -> None:
    all_keys = reviewer_keys(con, lang)
    keys = all_keys[:MAX_REVIEWERS]  # an overview: every reviewer's scores are on the raw sheet
    names = [T("id", lang), T("criterion", lang), *keys]
    names += [T(k, lang) for k in ("min", "median", "mean", "max", "spread", "panel", "flag")]
    x.header(ws, names, widths=[8, 40] + [12] * len(keys) + [8, 8, 8, 8, 8, 16, 12])
    row = 2
    for cp in con.criteria:
        if cp.criterion.kind == "portfolio":
            continue
        values: list[Any] = [cp.criterion.id, cp.criterion.title(lang)]
        values += [x.answer_value(a, lang) for a in cp.answers[:MAX_REVIEWERS]]  # numbers stay numbers
        values += [cp.minimum, cp.median, cp.mean, cp.maximum, cp.spread]
        panel = x.answer_value(cp.outcome_answer, lang) if cp.outcome_answer is not None else ""
        values += [panel if panel != "" else panel_text(cp, con.rubric, lang), flag_text(cp, lang)]
        for col, v in enumerate(values, start=1):
            x.put(ws, row, col, "" if v is None else v, fmt=x.SCORE if col > 2 else None)
        if cp.unresolved:
            x.fill(ws, row, len(names), x.FILL_ZONE)
        row += 1
    x.autofilter(ws, len(names), row - 1)
    if len(all_keys) > len(keys):
        sheet = x.sheet_title(x.W("raw_scores", lang))
        more = f"{len(all_keys) - len(keys):,}"
        x.put(ws, row + 1, 2, t("xlsx.panel.more_reviewers", lang, limit=len(keys), count=more, sheet=sheet))


def raw_scores(ws: Any, con: Consolidation, lang: Lang) -> None:
    crits = [cp.criterion for cp in con.criteria if cp.criterion.kind != "portfolio"]
    names = [T("reviewer", lang), x.W("role", lang), *[c.id for c in crits]]
    x.header(ws, names, widths=[24, 10] + [7] * len(crits))
    reviews = list(con.reviews) + ([con.consensus] if con.consensus is not None else [])
    for row, r in enumerate(reviews, start=2):
        x.put(ws, row, 1, r.label)
        x.put(ws, row, 2, T("consensus", lang) if r.review.role == "panel" else T("reviewer", lang))
        for col, crit in enumerate(crits, start=3):
            x.put(ws, row, col, x.answer_value(r.review.answers.get(crit.id), lang), fmt=x.SCORE)
    x.autofilter(ws, len(names), len(reviews) + 1)


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    """The registry's entry point (report/registry.py): the view's result as a file."""
    return _render(view.consolidation, lang=lang)
