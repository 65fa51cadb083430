"""The statistics section of the ranking reports (and of ``sti-review reviewers``): expected
rank and lottery, reviewer effects, reliability. One set of rows, rendered as plain text lines
(terminal), Markdown, JSON and HTML; renderers call these when the ranking carries ``stats``.
"""

from __future__ import annotations

import html
from typing import Any

from ...i18n import Lang, catalog
from ...i18n import t as _t
from ...sanitize import printable
from ...stats.call import CallStats
from .common import number_range, signed

T = catalog("statsview")


def _f(x: float | None, nd: int = 2) -> str:
    return "–" if x is None else signed(x, nd)


def _iv(iv: tuple[float, float] | None, lang: Lang, nd: int = 0) -> str:
    return "–" if iv is None else number_range(iv[0], iv[1], lang, nd)


def tables(
    stats: CallStats, lang: Lang
) -> list[tuple[str, list[str], list[str], list[list[str]], list[str]]]:
    """(title, notes before, header, rows, notes after) for each part, as plain strings."""
    out = []
    er = stats.expected
    if er is not None:
        notes = [
            T(
                "er_fit",
                lang,
                rhat=f"{er.rhat_max:.3f}",
                ess=f"{er.ess_min:,.0f}",
                chains=er.chains,
                draws=er.draws,
                seed=er.seed,
            )
        ]
        if er.refused:
            notes.append(T("er_refused", lang, rhat=f"{er.rhat_max:.3f}"))
        elif er.funding_line_er is not None:
            notes.append(T("er_line", lang, fund=er.fund, er=f"{er.funding_line_er:.2f}"))
        else:
            notes.append(T("er_no_line", lang))
        rows = []
        for p in er.proposals:
            lot = T(p.lottery, lang) if p.lottery else "–"
            if p.drawn is not None:
                lot += f" ({T('drawn' if p.drawn else 'not_drawn', lang)})"
            rows.append(
                [
                    p.proposal,
                    _f(p.mean_grade),
                    _f(p.expected_rank),
                    _iv(p.rank_interval, lang),
                    _iv(p.rank_interval_90, lang) + (" ⚑" if p.line_in_90 else ""),
                    _f(p.pcer, 1),
                    _f(p.sucra),
                    lot,
                ]
            )
        after = []
        if er.funding_line_er is not None:
            after.append(T("flag90", lang))
            if er.draw is not None:
                d = er.draw
                after.append(
                    T(
                        "draw",
                        lang,
                        seed=d.seed,
                        band=len(d.order),
                        places=d.places,
                        order=", ".join(d.order) or "–",
                        winners=", ".join(d.winners) or "–",
                    )
                )
            else:
                after.append(T("no_draw", lang, band=", ".join(p.proposal for p in er.band) or "–"))
        out.append((T("er_title", lang), notes, T("er_cols", lang).split("|"), rows, after))
    fx = stats.effects
    if fx is not None:
        notes = [T("fx_note", lang)]
        if not fx.connected:
            pieces = _t("list_sep", lang).join(
                T("piece", lang, index=c.index, reviewers=", ".join(c.reviewers), n=len(c.proposals))
                for c in fx.components
            )
            notes.append(T("pieces", lang, n=len(fx.components), pieces=pieces))
        rows = []
        for r in fx.reviewers:
            note = T("flat", lang) if r.flat else ""
            if r.effect is None:
                note = T("alone", lang)
            eff = "–" if r.effect is None else ("+" if r.effect > 0 else "") + signed(r.effect)
            rows.append([r.reviewer, str(r.grades), _f(r.mean), eff, _iv(r.ci, lang, 2), note])
        out.append((T("fx_title", lang), notes, T("fx_cols", lang).split("|"), rows, []))
        adj = [
            [a.proposal, str(a.reviews), _f(a.raw), _f(a.adjusted), _f(a.se)]
            for a in sorted(fx.proposals, key=lambda a: -a.adjusted)
        ]
        out.append(("", [], T("adj_cols", lang).split("|"), adj, []))
    if stats.reliability:
        k = stats.reliability[0].k
        rows = [
            [
                T("overall", lang) if r.label == "overall" else r.label,
                str(r.proposals),
                str(r.grades),
                _f(r.alpha),
                _iv(r.alpha_ci, lang, 2),
                _f(r.icc),
                _f(r.icc_k),
            ]
            for r in stats.reliability
        ]
        header = T("rel_cols", lang, k=f"{k:.1f}").split("|")
        out.append((T("rel_title", lang), [], header, rows, [T("rel_note", lang), T("rel_meaning", lang)]))
    return out


def markdown(stats: CallStats, lang: Lang) -> str:
    from ...sanitize import markdown_inline as cell

    lines: list[str] = []
    for title, before, header, rows, after in tables(stats, lang):
        if title:
            lines += [f"## {title}", ""]
        lines += [cell(n) + "  " for n in before] + ([""] if before else [])
        lines.append("| " + " | ".join(cell(h) for h in header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        lines.append("")
        lines += [cell(n) + "  " for n in after] + ([""] if after else [])
    return "\n".join(lines)


def renderables(stats: CallStats, lang: Lang) -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ...text.richwrap import JapaneseText

    out: list[Any] = []
    for title, before, header, rows, after in tables(stats, lang):
        if title:
            out += [Text(""), Text(title, style="bold")]
        out += [JapaneseText(printable(n)) for n in before]  # broken by the shared rules
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for i, h in enumerate(header):
            table.add_column(h, justify="left" if i == 0 or i == len(header) - 1 else "right", no_wrap=i == 0)
        for row in rows:
            table.add_row(*(Text(printable(c)) for c in row))
        out.append(table)
        out += [JapaneseText(printable(n), style="dim") for n in after]
    return out


def add_to_json(data: dict[str, Any], stats: CallStats) -> None:
    """Into a ranking's JSON: the call-level keys into ``call``, the per-proposal keys into each
    ranked proposal, reviewer effects and reliability at the top level."""
    top = json_call(stats)
    for key in ("reviewer_effects", "reliability"):
        if key in top:
            data[key] = top.pop(key)
    data.setdefault("call", {}).update(top)
    for row in data.get("proposals", []):
        row.update(json_row(stats, row.get("id", "")))


def json_call(stats: CallStats | None) -> dict[str, Any]:
    """Call-level keys: ``funding_line_er``, ``rhat_max``, ``seed`` (the lottery's), and more."""
    if stats is None:
        return {}
    out: dict[str, Any] = {}
    er = stats.expected
    if er is not None:
        out.update(
            {
                "method": "expected_rank",
                "funding_line_er": None if er.funding_line_er is None else round(er.funding_line_er, 4),
                "rhat_max": round(er.rhat_max, 4),
                "ess_min": round(er.ess_min, 1),
                "seed": er.lottery_seed,
                "sampler_seed": er.seed,
                "chains": er.chains,
                "draws": er.draws,
                "funding_line_refused": er.refused,
                "draw": None
                if er.draw is None
                else {
                    "seed": er.draw.seed,
                    "generator": er.draw.generator,
                    "places": er.draw.places,
                    "order": list(er.draw.order),
                    "drawn": list(er.draw.winners),
                },
            }
        )
    fx = stats.effects
    if fx is not None:
        out["reviewer_effects"] = {
            "model": "grade = proposal + reviewer + noise (least squares, fixed effects)",
            "connected": fx.connected,
            "components": [
                {"reviewers": list(c.reviewers), "proposals": list(c.proposals)} for c in fx.components
            ],
            "sigma": fx.sigma,
            "reviewers": [
                {
                    "reviewer": r.reviewer,
                    "grades": r.grades,
                    "mean": round(r.mean, 4),
                    "sd": round(r.sd, 4),
                    "effect": None if r.effect is None else round(r.effect, 4),
                    "se": None if r.se is None else round(r.se, 4),
                    "ci95": None if r.ci is None else [round(r.ci[0], 4), round(r.ci[1], 4)],
                    "component": r.component,
                    "flat": r.flat,
                }
                for r in fx.reviewers
            ],
        }
    if stats.reliability:
        out["reliability"] = [
            {
                "of": r.label,
                "proposals": r.proposals,
                "grades": r.grades,
                "alpha": None if r.alpha is None else round(r.alpha, 4),
                "alpha_ci95": None if r.alpha_ci is None else [round(x, 4) for x in r.alpha_ci],
                "icc": None if r.icc is None else round(r.icc, 4),
                "icc_k": None if r.icc_k is None else round(r.icc_k, 4),
                "k": round(r.k, 3),
            }
            for r in stats.reliability
        ]
    return out


def json_row(stats: CallStats | None, proposal: str) -> dict[str, Any]:
    """Per ranked proposal: ``expected_rank``, ``pcer``, ``sucra``, ``rank_interval``, ``lottery``
    (plus the adjusted score beside the raw one)."""
    if stats is None:
        return {}
    out: dict[str, Any] = {}
    if stats.expected is not None:
        p = next((x for x in stats.expected.proposals if x.proposal == proposal), None)
        if p is not None:
            out.update(
                {
                    "expected_rank": round(p.expected_rank, 4),
                    "pcer": round(p.pcer, 4),
                    "sucra": round(p.sucra, 4),
                    "rank_interval": [p.rank_interval[0], p.rank_interval[1]],
                    "rank_interval_90": [p.rank_interval_90[0], p.rank_interval_90[1]],
                    "line_in_90": p.line_in_90,
                    "lottery": p.lottery,
                    "drawn": p.drawn,
                }
            )
    if stats.effects is not None:
        a = next((x for x in stats.effects.proposals if x.proposal == proposal), None)
        if a is not None:
            out["grade"] = {"raw_mean": round(a.raw, 4), "adjusted": round(a.adjusted, 4)}
    return out


def html_section(stats: CallStats, lang: Lang) -> str:
    """The section as HTML (escaped), with the rank-interval and leniency plots inline."""
    from ..html.svg_stats import leniency_plot, rank_interval_plot

    e = html.escape
    parts = ['<section id="statistics">']
    for i, (title, before, header, rows, after) in enumerate(tables(stats, lang)):
        if title:
            parts.append(f"<h2>{e(title)}</h2>")
        parts += [f"<p>{e(n)}</p>" for n in before]
        if i == 0 and stats.expected is not None:
            parts.append(f"<figure>{rank_interval_plot(stats.expected, lang)}</figure>")
        if title and stats.effects is not None and header == T("fx_cols", lang).split("|"):
            parts.append(f"<figure>{leniency_plot(stats.effects, lang)}</figure>")
        parts.append(
            "<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>"
        )
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
        parts += [f'<p class="note">{e(n)}</p>' for n in after]
    parts.append("</section>")
    return "\n".join(parts)
