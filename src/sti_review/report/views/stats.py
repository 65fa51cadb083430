"""The statistics section of the ranking reports (and of ``sti-review reviewers``): expected
rank and lottery, reviewer effects, reliability. One set of rows, rendered as plain text lines
(terminal), Markdown, JSON and HTML; renderers call these when the ranking carries ``stats``.
"""

from __future__ import annotations

import html
from typing import Any

from ...i18n import Lang, catalog
from ...sanitize import printable
from ...stats.call import CallStats
from ...stats.reliability import MEANING
from .common import signed, value_range

T = catalog(
    {
        "er_title": ("期待順位（ベイズ、SNSF モデル）", "Expected rank (Bayesian, SNSF model)"),
        "er_fit": (
            "R̂ 最大 {rhat}、有効サンプル数 最小 {ess}、{chains} 連鎖 × {draws} 抽出、乱数シード {seed}",
            "R-hat max {rhat}, effective sample size min {ess}, {chains} chains × {draws} draws, seed {seed}",
        ),
        "er_line": (
            "採択ライン: 上位 {fund} 件目の期待順位 {er}",
            "Funding line: at the expected rank of proposal no. {fund}, {er}",
        ),
        "er_refused": (
            "連鎖が収束していません（R̂ {rhat} > 1.01）: 採択ラインは引きません",
            "The chains did not converge (R-hat {rhat} > 1.01): no funding line is drawn",
        ),
        "er_no_line": ("採択ライン: なし（--fund N で指定）", "Funding line: none (give --fund N)"),
        "er_cols": (
            "ID|平均評点|期待順位|50%区間|90%区間|PCER|SUCRA|抽選",
            "ID|mean grade|expected rank|50% interval|90% interval|PCER|SUCRA|lottery",
        ),
        "selected": ("採択", "selected"),
        "band": ("抽選対象", "lottery band"),
        "not_selected": ("不採択", "not selected"),
        "drawn": ("当選", "drawn"),
        "not_drawn": ("落選", "not drawn"),
        "flag90": (
            "⚑ = 90% 区間が採択ラインを含む",
            "⚑ = the 90% interval contains the funding line",
        ),
        "draw": (
            "抽選: シード {seed}、抽選対象 {band} 件から {places} 件（numpy PCG64）。"
            "順序 {order}。当選 {winners}",
            "Lottery: seed {seed}, {places} place(s) drawn among {band} in the band (numpy PCG64). "
            "Order {order}. Drawn: {winners}",
        ),
        "no_draw": (
            "抽選なし（--lottery-seed S で抽選）。抽選対象: {band}",
            "No draw made (give --lottery-seed S to draw). Lottery band: {band}",
        ),
        "fx_title": ("評価者の甘辛（評価者効果）", "Reviewer effects (leniency)"),
        "fx_note": (
            "評点 = 提案の効果 + 評価者の効果 + 誤差（固定効果の最小二乗）。"
            "効果は平均的な評価者との差（評点、+ は甘い）。"
            "調整後の評点は素点と並べて示すだけで、順位には使いません。",
            "grade = proposal effect + reviewer effect + noise (least squares, fixed effects). An "
            "effect is the difference from the average reviewer (in grade points, + is lenient). "
            "Adjusted scores are shown beside the raw ones, never used for the ranking.",
        ),
        "fx_cols": ("評価者|評点数|平均|効果|95%区間|注記", "reviewer|grades|mean|effect|95% interval|note"),
        "flat": ("評点にほとんど差がない", "grades barely vary"),
        "alone": ("推定不可（単独）", "not estimable (alone)"),
        "pieces": (
            "⚠ 評価者と提案のつながりが {n} つに分かれています。"
            "効果は各グループ内でしか比較できません: {pieces}",
            "⚠ The reviewer–proposal graph falls apart into {n} pieces; effects compare only within "
            "a piece: {pieces}",
        ),
        "adj_cols": ("ID|評点数|素点平均|調整後|標準誤差", "ID|grades|raw mean|adjusted|standard error"),
        "rel_title": ("評価者間の一致度（信頼性）", "Agreement between reviewers (reliability)"),
        "rel_cols": (
            "対象|提案|評点|α|α 95%区間|ICC|ICC×{k}",
            "of|proposals|grades|alpha|alpha 95%|ICC|ICC×{k}",
        ),
        "rel_note": (
            "α: クリッペンドルフの α（間隔尺度）。ICC: 評価者 1 人の級内相関。"
            "ICC×k: 提案あたり平均 k 人の平均評点の信頼性"
            "（スピアマン・ブラウン）。",
            "alpha: Krippendorff's alpha (interval). ICC: intraclass correlation of one review. "
            "ICC×k: reliability of the mean of k reviews per proposal (Spearman–Brown).",
        ),
        "overall": ("総合", "overall"),
    }
)


def _f(x: float | None, nd: int = 2) -> str:
    return "–" if x is None else signed(x, nd)


def _iv(iv: tuple[float, float] | None, lang: Lang, nd: int = 0) -> str:
    return "–" if iv is None else value_range(iv[0], iv[1], nd, lang)


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
            pieces = "; ".join(
                f"{c.index}: {', '.join(c.reviewers)} / {len(c.proposals)} proposal(s)" for c in fx.components
            )
            notes.append(T("pieces", lang, n=len(fx.components), pieces=pieces))
        rows = []
        for r in fx.reviewers:
            note = T("flat", lang) if r.flat else ""
            if r.effect is None:
                note = T("alone", lang)
            eff = "–" if r.effect is None else ("+" if r.effect >= 0 else "") + signed(r.effect, 2)
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
        out.append((T("rel_title", lang), [], header, rows, [T("rel_note", lang), MEANING[lang]]))
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

    out: list[Any] = []
    for title, before, header, rows, after in tables(stats, lang):
        if title:
            out += [Text(""), Text(title, style="bold")]
        out += [Text(printable(n)) for n in before]
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for i, h in enumerate(header):
            table.add_column(h, justify="left" if i == 0 or i == len(header) - 1 else "right", no_wrap=i == 0)
        for row in rows:
            table.add_row(*(Text(printable(c)) for c in row))
        out.append(table)
        out += [Text(printable(n), style="dim") for n in after]
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
