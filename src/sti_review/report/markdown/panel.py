"""The panel report in Markdown: every reviewer's answer side by side, spread, disagreements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import __version__
from ...i18n import Lang, t
from ...i18n import t as _t
from ...limits import MAX_REVIEWERS, MAX_TEXT, clip, more_text
from ...panel import Consolidation
from ...sanitize import markdown_inline as esc
from ..views.common import num, outcome_text, programme_text
from ..views.lead import T as LT
from ..views.lead import panel_lead
from ..views.panel import (
    OUTCOME_MARK,
    T,
    answer_text,
    basis_text,
    flag_text,
    outcome_state,
    panel_text,
    reviewer_keys,
    settled_text,
    why_text,
)
from .lead import lead_lines
from .table import row as _row

if TYPE_CHECKING:
    from ..views import PanelView


def render_text(c: Consolidation, lang: Lang) -> str:
    a = c.assessment
    p = c.proposal
    rubric = c.rubric
    all_keys = reviewer_keys(c, lang)
    keys = all_keys[:MAX_REVIEWERS]  # as in every document report: the first reviewers, then a count
    more = len(all_keys) - len(keys)
    lines = [f"# {T('panel_title', lang)}: {esc(p.title)}", ""]
    mark = OUTCOME_MARK[a.outcome]
    state = _t("paren_note", lang, text=outcome_state(c, lang))
    heading = f"{T('panel_outcome', lang)}: {mark} **{outcome_text(a, lang)}**{state}"
    lines += lead_lines(panel_lead(c, lang), heading, basis_text(c, lang))
    lines += [_row(T("proposal", lang), ""), "|---|---|"]
    lines.append(_row(T("id", lang), esc(p.id)))
    lines.append(_row(T("programme", lang), esc(programme_text(rubric, p.programme, lang))))
    for key, r, ind in zip(keys, c.reviews, c.individual, strict=False):
        state = T("complete" if ind.complete else "incomplete", lang)
        lines.append(_row(f"{T('reviewer', lang)} {key}", f"{esc(r.label)} ({state})"))
    if more:
        lines.append(_row("", more_text(more, lang)))
    consensus = esc(c.consensus.label) if c.consensus else T("none_yet", lang)
    lines.append(_row(T("consensus_review", lang), consensus))
    lines.append(_row(T("rubric", lang), esc(rubric.ref)))
    lines.append("")

    settled = [cp for cp in c.disagreements if not cp.unresolved]  # the open ones lead the report
    if settled:
        lines += [f"## {LT('settled_title', lang)}", ""]
    for cp in settled:
        crit = cp.criterion
        lines.append(f"### {crit.id} {esc(crit.title(lang))}")
        lines.append("")
        lines.append(f"- {esc(why_text(cp, rubric, lang))}")
        for key, r, ans in zip(keys, c.reviews, cp.answers, strict=False):
            comment = (
                f" — {esc(clip(ans.comment, MAX_TEXT, lang))}" if ans is not None and ans.comment else ""
            )
            lines.append(f"- {key} {esc(r.label)}: **{esc(answer_text(ans, crit, rubric, lang))}**{comment}")
        if more:
            lines.append(f"- {more_text(more, lang)}")
        lines.append(f"- **{esc(settled_text(cp, rubric, lang))}**")
        if cp.consensus is not None and cp.consensus.comment:
            lines.append(f"  - {T('panel_comment', lang)}: {esc(clip(cp.consensus.comment, MAX_TEXT, lang))}")
        lines.append("")

    individual = c.individual
    if more:
        lines += [t("markdown.panel.more_reviewers", lang, limit=MAX_REVIEWERS, count=f"{more:,}"), ""]
    for idx, section in enumerate(a.sections):
        title = f"## {esc(section.section.id)} {esc(section.section.title(lang))}"
        lines += [title, ""]
        head = [T("id", lang), T("criterion", lang), *keys]
        head += [T(k, lang) for k in ("min", "median", "mean", "max", "spread", "panel", "flag")]
        lines += [_row(*head), "|" + "---|" * len(head)]
        ids = {r.criterion.id for r in section.results}
        for cp in c.criteria:
            if cp.criterion.id not in ids:
                continue
            cells = [cp.criterion.id, esc(cp.criterion.title(lang))]
            cells += [esc(answer_text(x, cp.criterion, rubric, lang)) for x in cp.answers[:MAX_REVIEWERS]]
            cells += [num(cp.minimum), num(cp.median), num(cp.mean), num(cp.maximum), num(cp.spread)]
            source = T(f"source_{cp.source}", lang) if cp.source != "missing" else ""
            shown = panel_text(cp, rubric, lang)
            cells.append(f"**{esc(shown)}** ({source})" if source else esc(shown))
            cells.append(esc(flag_text(cp, lang)))
            lines.append(_row(*cells))
        per = [num(ind.sections[idx].score) for ind in individual[:MAX_REVIEWERS]]
        lines.append(
            _row(
                "",
                f"**{T('section_score', lang)}**",
                *per,
                "",
                "",
                "",
                "",
                "",
                f"**{num(section.score)}**",
                "",
            )
        )
        lines.append("")

    gates = [cp for cp in c.criteria if cp.criterion.kind == "gate"]
    if gates:
        lines += [f"## {T('gates', lang)}", ""]
        head = [T("id", lang), T("criterion", lang), *keys, T("panel", lang), T("flag", lang)]
        lines += [_row(*head), "|" + "---|" * len(head)]
        for cp in gates:
            cells = [cp.criterion.id, esc(cp.criterion.title(lang))]
            cells += [esc(answer_text(x, cp.criterion, rubric, lang)) for x in cp.answers[:MAX_REVIEWERS]]
            source = T(f"source_{cp.source}", lang) if cp.source != "missing" else ""
            shown = panel_text(cp, rubric, lang)
            cells.append(f"**{esc(shown)}** ({source})" if source else esc(shown))
            cells.append(esc(flag_text(cp, lang)))
            lines.append(_row(*cells))
        lines.append("")

    lines += [f"## {T('each_reviewer', lang)}", ""]
    head = ["", T("outcome", lang), T("total_unweighted", lang), T("weighted_percent", lang)]
    lines += [_row(*head), "|---|---|---|---|"]
    for key, r, ind in zip(keys, c.reviews, individual, strict=False):
        lines.append(
            _row(
                f"{key} {esc(r.label)}",
                outcome_text(ind, lang),
                f"{num(ind.total)} / {num(ind.maximum)}",
                num(ind.weighted_percent, 1),
            )
        )
    if more:
        lines.append(_row(more_text(more, lang), "", "", ""))
    lines.append(
        _row(
            f"**{T('panel', lang)}**",
            f"**{outcome_text(a, lang)}**",
            f"{num(a.total)} / {num(a.maximum)}",
            num(a.weighted_percent, 1),
        )
    )
    lines.append("")
    from ..views.panel import process_lines

    lines += [f"- {esc(x)}" for x in process_lines(c, lang)] + ([""] if process_lines(c, lang) else [])
    from ..views.panel import agreement_lines

    agreement = agreement_lines(c, lang)
    if agreement:
        lines += [f"### {esc(agreement[0])}", "", esc(agreement[1]), "", esc(agreement[2]), ""]
        lines += [f"<sub>{esc(agreement[3])}</sub>", ""]
    lines.append(f"<sub>{T('generated_by', lang, version=__version__)}</sub>")
    return "\n".join(lines) + "\n"


def render(view: PanelView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.consolidation, lang).encode()
