"""Statistics charts as inline SVG (built with report/svg.py's escaped XML helpers), and the
same charts as PNG-free table bars for the future Word report (:func:`interval_bars`).

- :func:`rank_interval_plot`: each proposal's expected rank (dot) with its 50% (thick) and
  90% (thin) rank intervals, the funding line (dashed) and the lottery band shaded.
- :func:`leniency_plot`: each reviewer's effect with its 95% interval around zero.
"""

from __future__ import annotations

from ...i18n import Lang, catalog
from ...stats.effects import ReviewerEffects
from ...stats.expected_rank import ExpectedRanking
from .svg import (
    ACCENT,
    BAD,
    GRID,
    INK,
    MUTED,
    OK,
    WARN,
    WARN_FILL,
    Svg,
    _done,
    _el,
    _root,
    _text,
    _with_title,
    fit,
)

T = catalog("svgstats")

LIMIT = 60  # proposals drawn; the table lists them all
COLOUR = {"selected": OK, "band": WARN, "not_selected": MUTED, None: ACCENT}


def rank_interval_plot(er: ExpectedRanking, lang: Lang) -> Svg:
    rows = er.proposals[:LIMIT]
    n = len(er.proposals)
    label_w, plot_w, row_h, top = 110.0, 420.0, 16.0, 28.0
    height = top + row_h * len(rows) + 24
    root = _root(label_w + plot_w + 20, height, T("ri_title", lang), T("ri_desc", lang))

    def x(rank: float) -> float:
        return label_w + (rank - 1) / max(1, n - 1) * plot_w

    band_rows = [i for i, p in enumerate(rows) if p.lottery == "band"]
    if band_rows:
        y0 = top + row_h * band_rows[0]
        _el(
            root,
            "rect",
            x=0.0,
            y=y0,
            width=label_w + plot_w + 20,
            height=row_h * len(band_rows),
            fill=WARN_FILL,
        )
    for tick in sorted({1, n, *range(5, n, 5)}):
        _el(root, "line", x1=x(tick), x2=x(tick), y1=top - 6, y2=height - 20, stroke=GRID)
        _text(root, x(tick), height - 6, str(tick), size=10, text_anchor="middle", fill=MUTED)
    _text(root, label_w + plot_w, 14, T("rank", lang), size=10, text_anchor="end", fill=MUTED)
    for i, p in enumerate(rows):
        y = top + row_h * i + row_h / 2
        colour = COLOUR.get(p.lottery, ACCENT)
        g = _with_title(
            _el(root, "g"),
            T(
                "ri_point",
                lang,
                id=p.proposal,
                er=f"{p.expected_rank:.2f}",
                lo=f"{p.rank_interval[0]:.0f}",
                hi=f"{p.rank_interval[1]:.0f}",
                lo90=f"{p.rank_interval_90[0]:.0f}",
                hi90=f"{p.rank_interval_90[1]:.0f}",
            )
            + (f", {p.lottery}" if p.lottery else ""),
        )
        _text(g, label_w - 6, y + 4, fit(p.proposal, label_w - 10, 11), size=11, text_anchor="end", fill=INK)
        lo90, hi90 = p.rank_interval_90
        _el(g, "line", x1=x(lo90), x2=x(hi90), y1=y, y2=y, stroke=colour, stroke_width=1.0)
        lo, hi = p.rank_interval
        _el(g, "line", x1=x(lo), x2=x(hi), y1=y, y2=y, stroke=colour, stroke_width=4.0)
        _el(g, "circle", cx=x(p.expected_rank), cy=y, r=3.5, fill="#ffffff", stroke=INK)
    if er.funding_line_er is not None:
        xl = x(er.funding_line_er)
        _el(root, "line", x1=xl, x2=xl, y1=top - 8, y2=height - 20, stroke=BAD, stroke_dasharray="4 3")
    return _done(root)


def leniency_plot(fx: ReviewerEffects, lang: Lang) -> Svg:
    rows = [r for r in fx.reviewers if r.effect is not None][:LIMIT]
    label_w, plot_w, row_h, top = 110.0, 360.0, 16.0, 28.0
    height = top + row_h * max(1, len(rows)) + 10
    root = _root(label_w + plot_w + 20, height, T("len_title", lang))
    reach = max([abs(v) for r in rows for v in ((r.ci or (r.effect, r.effect)) + (r.effect,))] + [0.5])  # type: ignore[operator]

    def x(v: float) -> float:
        return label_w + (v + reach) / (2 * reach) * plot_w

    _el(root, "line", x1=x(0), x2=x(0), y1=top - 6, y2=height - 6, stroke=GRID)
    _text(root, label_w, 14, T("strict", lang), size=10, fill=MUTED)
    _text(root, label_w + plot_w, 14, T("lenient", lang), size=10, text_anchor="end", fill=MUTED)
    for i, r in enumerate(rows):
        y = top + row_h * i + row_h / 2
        flat = T("flat_mark", lang) if r.flat else ""
        g = _with_title(_el(root, "g"), f"{r.reviewer}: {r.effect:+.2f}{flat}")
        _text(g, label_w - 6, y + 4, fit(r.reviewer, label_w - 10, 11), size=11, text_anchor="end", fill=INK)
        if r.ci is not None:
            _el(g, "line", x1=x(r.ci[0]), x2=x(r.ci[1]), y1=y, y2=y, stroke=ACCENT, stroke_width=2.0)
        _el(g, "circle", cx=x(r.effect), cy=y, r=3.5, fill="#ffffff" if not r.flat else WARN_FILL, stroke=INK)  # type: ignore[arg-type]
    return _done(root)


def interval_bars(er: ExpectedRanking, width: int = 30) -> list[tuple[str, str]]:
    """For a Word report (tables, no pictures): (proposal, a text bar) where ``·`` is outside the
    90% interval, ``-`` the 90% interval, ``=`` the 50% interval, ``o`` the expected rank and
    ``|`` the funding line."""
    n = len(er.proposals)

    def col(rank: float) -> int:
        return min(width - 1, max(0, round((rank - 1) / max(1, n - 1) * (width - 1))))

    out = []
    for p in er.proposals:
        cells = ["·"] * width
        for c in range(col(p.rank_interval_90[0]), col(p.rank_interval_90[1]) + 1):
            cells[c] = "-"
        for c in range(col(p.rank_interval[0]), col(p.rank_interval[1]) + 1):
            cells[c] = "="
        if er.funding_line_er is not None:
            cells[col(er.funding_line_er)] = "|"
        cells[col(p.expected_rank)] = "o"
        out.append((p.proposal, "".join(cells)))
    return out
