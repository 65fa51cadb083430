"""Charts as inline SVG for the HTML reports: built as XML elements, so every text and attribute
is escaped and every chart well-formed; deterministic (same input, same bytes); no script.

The charts draw; the numbers they show are computed by the caller. Colours are light fills with
dark outlines, and what a colour says is also said by a shape or a word, so that a chart printed
in greyscale still reads. Each chart has a ``<title>`` (its accessible name) and, where it helps,
a ``<desc>``; marks carry a ``<title>`` with the full text that the chart abbreviates.
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...sanitize import printable

INK = "#1d232b"
MUTED = "#5b6470"
GRID = "#d5d9e0"
ACCENT = "#2b5c8a"
ACCENT_FILL = "#cfe0f2"
OK = "#2e7d32"
OK_FILL = "#e3f1e5"
WARN = "#8a5a00"
WARN_FILL = "#ffe9b0"
BAD = "#b3261e"
BAD_FILL = "#fbe3e1"
NEUTRAL_FILL = "#eceef2"

VERDICT_STYLE = {  # fill, stroke, symbol
    "pass": (OK_FILL, OK, "✓"),
    "conditional": (WARN_FILL, WARN, "!"),
    "fail": (BAD_FILL, BAD, "✗"),
    "missing": (NEUTRAL_FILL, MUTED, "?"),
}


class Svg(str):
    """SVG markup that a template may insert as it is (it was escaped when it was built)."""

    def __html__(self) -> str:
        return str(self)


# --- building blocks ------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros (same input, same text)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _clean(text: str) -> str:
    """Untrusted text made safe for XML: control characters shown as escapes (XML forbids most)."""
    return printable(text).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    clean = {k.rstrip("_").replace("_", "-"): _attr(v) for k, v in attrs.items() if v is not None}
    el = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        el.text = _clean(text)
    return el


def _attr(v: object) -> str:
    if isinstance(v, float):
        return _n(v)
    return _clean(str(v))


def _root(width: float, height: float, title: str, desc: str | None = None, css: str = "") -> ET.Element:
    root = _el(
        None,
        "svg",
        viewBox=f"0 0 {_n(width)} {_n(height)}",
        width=_n(width),
        height=_n(height),
        role="img",
        aria_label=title + (f": {desc}" if desc else ""),
        class_=("chart " + css).strip(),
    )
    _el(root, "title", title)
    if desc:
        _el(root, "desc", desc)
    return root


def _done(root: ET.Element) -> Svg:
    return Svg(ET.tostring(root, encoding="unicode", short_empty_elements=True))


def text_width(text: str, size: float) -> float:
    """An estimate of the width of ``text`` at font ``size`` (wide East Asian characters: 1 em)."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += size
        elif ch in "il.,:;|!'()[] ":
            width += size * 0.3
        elif ch.isupper() or ch in "mwMW%@":
            width += size * 0.68
        else:
            width += size * 0.55
    return width


def fit(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis to fit an estimated ``width``."""
    text = _clean(text)
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out.rstrip() + "…"


def _text(parent: ET.Element, x: float, y: float, text: str, size: float = 11, **attrs: object) -> ET.Element:
    return _el(parent, "text", text, x=x, y=y, font_size=_n(size), **attrs)


def _with_title(el: ET.Element, title: str | None) -> ET.Element:
    if title:
        _el(el, "title", title)
    return el


# --- one proposal: radar of section scores, section bars, gate badges -----------------------


@dataclass(frozen=True)
class Axis:
    """One section on the radar: its short label, its score (None: not scored) and whether the
    score meets the threshold."""

    label: str
    score: float | None
    meets: bool | None
    tooltip: str = ""
    shown: str = ""  # the score as the report writes it


def radar(
    axes: Sequence[Axis],
    maximum: float,
    threshold: float | None,
    *,
    title: str,
    legend_score: str,
    legend_threshold: str,
    minimum: float = 0,
) -> Svg:
    """Section scores as a polygon over rings of the scale, the threshold as a dashed polygon.
    Sections below the threshold are hollow squares, the others filled dots; a section that is
    not scored keeps its axis, with no point. Fewer than three axes make no polygon: bars then."""
    if len(axes) < 3:
        return section_bars(axes, maximum, threshold, title=title, minimum=minimum)
    width, height = 440.0, 330.0
    cx, cy, radius = 220.0, 160.0, 112.0
    root = _root(width, height, title, css="radar")
    span = (maximum - minimum) or 1

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / len(axes)
        r = radius * (value - minimum) / span
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    grid = _el(root, "g", fill="none", stroke=GRID, stroke_width="1")
    for ring in _rings(minimum, maximum):
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(len(axes))))
        _el(grid, "polygon", points=pts)
    for i in range(len(axes)):
        x, y = point(i, maximum)
        _el(grid, "line", x1=cx, y1=cy, x2=x, y2=y)
    for ring in _rings(minimum, maximum):
        x, y = point(0, ring)
        _text(root, x + 4, y + 3, _num(ring), 9, fill=MUTED)

    if threshold is not None:
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, threshold) for i in range(len(axes))))
        _with_title(
            _el(
                root,
                "polygon",
                points=pts,
                fill="none",
                stroke=INK,
                stroke_width="1.5",
                stroke_dasharray="5 4",
            ),
            legend_threshold,
        )
    scored = [(i, a) for i, a in enumerate(axes) if a.score is not None]
    if len(scored) >= 2:
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, a.score or 0) for i, a in scored))
        _with_title(
            _el(
                root,
                "polygon",
                points=pts,
                fill=ACCENT_FILL,
                fill_opacity="0.75",
                stroke=ACCENT,
                stroke_width="2",
            ),
            legend_score,
        )
    for i, a in scored:
        x, y = point(i, a.score or 0)
        if a.meets is False:
            mark = _el(
                root,
                "rect",
                x=x - 5,
                y=y - 5,
                width="10",
                height="10",
                fill="#ffffff",
                stroke=BAD,
                stroke_width="2",
            )
        else:
            mark = _el(root, "circle", cx=x, cy=y, r="4.5", fill=ACCENT, stroke="#ffffff", stroke_width="1")
        _with_title(mark, a.tooltip or f"{a.label} {a.shown}")
    for i, a in enumerate(axes):
        x, y = point(i, maximum + span * 0.16)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        label = _el(root, "text", None, x=x, y=y + 3, font_size="13", text_anchor=anchor)
        _el(label, "tspan", a.label, font_weight="bold")
        shown = a.shown or ("—" if a.score is None else _num(a.score))
        mark = "" if a.meets is None else (" ✓" if a.meets else " ✗")
        _el(label, "tspan", f" {shown}{mark}", fill=BAD if a.meets is False else INK)
        _with_title(label, a.tooltip)
    # The legend: what the two polygons are.
    ly = height - 14
    _el(
        root,
        "rect",
        x="20",
        y=ly - 9,
        width="18",
        height="10",
        fill=ACCENT_FILL,
        stroke=ACCENT,
        stroke_width="2",
    )
    _text(root, 44, ly, legend_score, 11, fill=INK)
    if threshold is not None:
        lx = 54 + text_width(legend_score, 11) + 16
        _el(
            root,
            "line",
            x1=lx,
            y1=ly - 4,
            x2=lx + 20,
            y2=ly - 4,
            stroke=INK,
            stroke_width="1.5",
            stroke_dasharray="5 4",
        )
        _text(root, lx + 26, ly, legend_threshold, 11, fill=INK)
    return _done(root)


def _rings(minimum: float, maximum: float) -> list[float]:
    """Ring values: every whole point of a small scale, else five even steps."""
    span = maximum - minimum
    if span <= 10 and float(span).is_integer():
        return [minimum + k for k in range(1, int(span) + 1)]
    return [minimum + span * k / 5 for k in range(1, 6)]


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def section_bars(
    axes: Sequence[Axis], maximum: float, threshold: float | None, *, title: str, minimum: float = 0
) -> Svg:
    """Section scores as horizontal bars with the threshold as a dashed line."""
    row, label_w, bar_w = 28.0, 56.0, 270.0
    height = row * len(axes) + 30
    summary = ", ".join(a.tooltip or f"{a.label} {a.shown}" for a in axes)
    root = _root(label_w + bar_w + 80, height, title, desc=summary, css="bars")
    span = (maximum - minimum) or 1
    for k, a in enumerate(axes):
        y = 6 + k * row
        _text(
            root,
            label_w - 8,
            y + 14,
            fit(a.label, label_w - 10, 15),
            15,
            text_anchor="end",
            font_weight="bold",
        )
        _el(root, "rect", x=label_w, y=y + 3, width=bar_w, height="14", fill=NEUTRAL_FILL)
        if a.score is not None:
            w = bar_w * (a.score - minimum) / span
            fill, stroke = (BAD_FILL, BAD) if a.meets is False else (ACCENT_FILL, ACCENT)
            _with_title(
                _el(root, "rect", x=label_w, y=y + 3, width=w, height="14", fill=fill, stroke=stroke),
                a.tooltip or f"{a.label} {a.shown}",
            )
        shown = a.shown or ("—" if a.score is None else _num(a.score))
        mark = "" if a.meets is None else (" ✓" if a.meets else " ✗")
        _text(root, label_w + bar_w + 6, y + 15, f"{shown}{mark}", 15, fill=BAD if a.meets is False else INK)
    if threshold is not None:
        x = label_w + bar_w * (threshold - minimum) / span
        _el(
            root,
            "line",
            x1=x,
            y1="2",
            x2=x,
            y2=height - 18,
            stroke=INK,
            stroke_width="1.5",
            stroke_dasharray="4 3",
        )
        _text(root, x, height - 6, _num(threshold), 13, text_anchor="middle", fill=MUTED)
    return _done(root)


def score_bar(
    score: float | None,
    maximum: float,
    threshold: float | None,
    *,
    title: str,
    minimum: float = 0,
    meets: bool | None = None,
) -> Svg:
    """A small bar of one score with a tick at the threshold (for a table cell)."""
    width, height = 120.0, 14.0
    root = _root(width, height, title, css="mini")
    span = (maximum - minimum) or 1
    _el(root, "rect", x="0", y="2", width=width, height="10", fill=NEUTRAL_FILL)
    if score is not None:
        fill, stroke = (BAD_FILL, BAD) if meets is False else (ACCENT_FILL, ACCENT)
        _el(
            root,
            "rect",
            x="0",
            y="2",
            width=width * (score - minimum) / span,
            height="10",
            fill=fill,
            stroke=stroke,
        )
    if threshold is not None:
        x = width * (threshold - minimum) / span
        _el(root, "line", x1=x, y1="0", x2=x, y2=height, stroke=INK, stroke_width="1.5")
    return _done(root)


@dataclass(frozen=True)
class Badge:
    """A gate: its id, its verdict key (pass | conditional | fail | missing) and the words."""

    label: str
    verdict: str
    text: str
    tooltip: str = ""


def badges(items: Sequence[Badge], *, title: str) -> Svg:
    """Gates as badges: a symbol and a colour per verdict, the verdict in words."""
    size, pad, gap, height = 12.0, 8.0, 10.0, 28.0
    widths = [pad * 2 + 18 + text_width(b.label, size) + 6 + text_width(b.text, size) for b in items]
    total = sum(widths) + gap * max(0, len(items) - 1) or 10
    root = _root(total + 2, height + 2, title, css="badges")
    x = 1.0
    for b, w in zip(items, widths, strict=True):
        fill, stroke, symbol = VERDICT_STYLE.get(b.verdict, VERDICT_STYLE["missing"])
        g = _el(root, "g")
        _with_title(g, b.tooltip or f"{b.label} {b.text}")
        _el(
            g,
            "rect",
            x=x,
            y="1",
            width=w,
            height=height,
            rx="6",
            fill=fill,
            stroke=stroke,
            stroke_width="1.5",
        )
        _el(g, "circle", cx=x + pad + 7, cy=1 + height / 2, r="7.5", fill=stroke)
        _text(
            g,
            x + pad + 7,
            1 + height / 2 + 4,
            symbol,
            11,
            text_anchor="middle",
            fill="#ffffff",
            font_weight="bold",
        )
        label = _el(g, "text", None, x=x + pad + 19, y=1 + height / 2 + 4, font_size=_n(size), fill=INK)
        _el(label, "tspan", b.label, font_weight="bold")
        _el(label, "tspan", f" {b.text}")
        x += w + gap
    return _done(root)


# --- a panel: each reviewer's score as a dot on the scale -----------------------------------

STRIP_WIDTH = 300.0
_STRIP_PAD = 10.0


@dataclass(frozen=True)
class Dot:
    """One reviewer's score (``key`` is what the dot shows, e.g. 1 for R1)."""

    key: str
    value: float
    tooltip: str = ""
    radius: float = 6.5  # wider for a group of reviewers whose count is the key


def _strip_x(value: float, minimum: float, maximum: float) -> float:
    span = (maximum - minimum) or 1
    return _STRIP_PAD + (STRIP_WIDTH - 2 * _STRIP_PAD) * (value - minimum) / span


def dot_strip(
    dots: Sequence[Dot],
    *,
    minimum: float,
    maximum: float,
    threshold: float | None,
    disagreement: bool,
    panel: float | None,
    title: str,
    panel_tooltip: str = "",
) -> Svg:
    """One criterion: reviewers' scores as numbered dots, their range as a line (a highlighted
    band when it is a disagreement), the panel's score as a black triangle, the threshold dashed."""
    counts: dict[float, int] = {}
    for d in dots:
        counts[d.value] = counts.get(d.value, 0) + 1
    stack = max(counts.values(), default=1)
    height = max(30.0, 12.0 + 13.0 * stack)
    mid = height / 2 + 2
    root = _root(STRIP_WIDTH, height, title, css="strip" + (" disagreement" if disagreement else ""))
    for tick in _rings(minimum, maximum) + [minimum]:
        x = _strip_x(tick, minimum, maximum)
        _el(root, "line", x1=x, y1="6", x2=x, y2=height - 2, stroke=GRID, stroke_width="1")
    if threshold is not None:
        x = _strip_x(threshold, minimum, maximum)
        _el(
            root,
            "line",
            x1=x,
            y1="4",
            x2=x,
            y2=height,
            stroke=INK,
            stroke_width="1.2",
            stroke_dasharray="3 3",
        )
    values = sorted(d.value for d in dots)
    if len(values) > 1:
        lo, hi = _strip_x(values[0], minimum, maximum), _strip_x(values[-1], minimum, maximum)
        if disagreement:
            _el(
                root,
                "rect",
                x=lo - 8,
                y="7",
                width=hi - lo + 16,
                height=height - 10,
                rx="8",
                fill=WARN_FILL,
                stroke=WARN,
                stroke_width="1.5",
            )
        else:
            _el(
                root,
                "line",
                x1=lo,
                y1=mid,
                x2=hi,
                y2=mid,
                stroke=MUTED,
                stroke_width="3",
                stroke_linecap="round",
            )
    if panel is not None:
        x = _strip_x(panel, minimum, maximum)
        _with_title(
            _el(root, "polygon", points=f"{_n(x - 5)},0 {_n(x + 5)},0 {_n(x)},7", fill=INK),
            panel_tooltip,
        )
    placed: dict[float, int] = {}
    for d in dots:
        k = placed.get(d.value, 0)
        placed[d.value] = k + 1
        n = counts[d.value]
        x = _strip_x(d.value, minimum, maximum)
        y = mid + (k - (n - 1) / 2) * 13
        g = _el(root, "g")
        _with_title(g, d.tooltip)
        _el(g, "circle", cx=x, cy=y, r=_n(d.radius), fill=ACCENT, stroke="#ffffff", stroke_width="1")
        _text(g, x, y + 3.5, d.key, 9, text_anchor="middle", fill="#ffffff", font_weight="bold")
    return _done(root)


def strip_axis(*, minimum: float, maximum: float, threshold: float | None, title: str) -> Svg:
    """The scale under (or over) a column of dot strips."""
    height = 18.0
    root = _root(STRIP_WIDTH, height, title, css="strip-axis")
    for tick in [minimum, *_rings(minimum, maximum)]:
        x = _strip_x(tick, minimum, maximum)
        bold = threshold is not None and abs(tick - threshold) < 1e-9
        _text(
            root,
            x,
            13,
            _num(tick),
            11,
            text_anchor="middle",
            fill=INK if bold else MUTED,
            font_weight="bold" if bold else None,
        )
    return _done(root)


# --- a call: the ranked list with the funding line and the border zone ----------------------


@dataclass(frozen=True)
class RankRow:
    rank: str
    id: str
    title: str
    value: float | None
    shown: str
    funded: bool
    border: bool
    tie_at_line: bool = False
    tooltip: str = ""


def ranking_chart(
    rows: Sequence[RankRow],
    *,
    line_after: int | None,
    title: str,
    line_label: str,
    zone_label: str,
    axis_label: str,
    narrow: bool = False,
) -> Svg:
    """The ranked proposals as dots on a percentage axis (filled: funded; hollow: not), the
    funding line drawn after row ``line_after`` (0-based, -1 above the first; None: no line),
    the border zone as a band behind its rows.

    Two layouts, the same marks: the wide one (700 units, drawn about 1:1 on a desktop page and
    on A4, where its smallest text prints at 8.25 pt) puts rank, id and title left of the axis;
    the ``narrow`` one (360 units, for a phone's 390 px, text never below 11 px) puts them on a
    line of their own above each row's dot (issue 16: the chart's text shrank to 4 px)."""
    if narrow:
        row_h, top, label_h, left, plot_w, right = 44.0, 26.0, 17.0, 8.0, 290.0, 62.0
        width = left + plot_w + right
    else:
        row_h, top, label_h, left, plot_w, right = 24.0, 26.0, 0.0, 330.0, 280.0, 90.0
        width = left + plot_w + right
    height = top + row_h * len(rows) + 34
    root = _root(width, height, title, css="ranking" + (" narrow" if narrow else " wide"))
    values = [r.value for r in rows if r.value is not None]
    lo = max(0.0, math.floor((min(values, default=0.0) - 5) / 10) * 10)
    hi = 100.0
    bottom = top + row_h * len(rows)
    small = 11.0
    big = 13.0 if narrow else 12.0

    def xof(v: float) -> float:
        return left + plot_w * (v - lo) / ((hi - lo) or 1)

    zone = [i for i, r in enumerate(rows) if r.border]
    if zone:
        y0, y1 = top + row_h * zone[0], top + row_h * (zone[-1] + 1)
        _el(
            root,
            "rect",
            x="2",
            y=y0,
            width=width - 4,
            height=y1 - y0,
            fill=WARN_FILL,
            fill_opacity="0.6",
            stroke=WARN,
            stroke_width="1",
            stroke_dasharray="4 3",
        )
        _text(root, width - 6, y1 - 5, zone_label, small, text_anchor="end", fill=WARN, font_weight="bold")
    step = 20 if narrow and hi - lo > 50 else 10
    for tick in range(int(lo), int(hi) + 1, step):
        x = xof(tick)
        _el(root, "line", x1=x, y1=top - 4, x2=x, y2=bottom, stroke=GRID, stroke_width="1")
        _text(root, x, top - 9, f"{tick}", small, text_anchor="middle", fill=MUTED)
        _text(root, x, bottom + 14, f"{tick}", small, text_anchor="middle", fill=MUTED)
    _text(root, left + plot_w / 2, bottom + 30, axis_label, small, text_anchor="middle", fill=MUTED)
    for i, r in enumerate(rows):
        y = top + row_h * i + label_h + (row_h - label_h) / 2
        g = _el(root, "g")
        _with_title(g, r.tooltip)
        if narrow:
            ty = top + row_h * i + 14
            _text(g, 6, ty, r.rank, big, font_weight="bold")
            _text(g, 30, ty, r.id, big)
            id_end = 30 + text_width(r.id, big) + 8
            _text(g, id_end, ty, fit(r.title, width - id_end - 6, small), small, fill=MUTED)
        else:
            _text(g, 26, y + 4, r.rank, big, text_anchor="end", font_weight="bold")
            _text(g, 32, y + 4, r.id, big)
            _text(g, 136, y + 4, fit(r.title, left - 146, small), small)
        if r.value is None:
            continue
        x = xof(r.value)
        _el(
            g,
            "line",
            x1=left,
            y1=y,
            x2=x,
            y2=y,
            stroke=ACCENT_FILL if r.funded else GRID,
            stroke_width="3",
        )
        if r.tie_at_line:
            diamond = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y)} {_n(x)},{_n(y + 6)} {_n(x - 6)},{_n(y)}"
            _el(g, "polygon", points=diamond, fill="#ffffff", stroke=WARN, stroke_width="2")
        elif r.funded:
            _el(g, "circle", cx=x, cy=y, r="6", fill=ACCENT)
        else:
            _el(g, "circle", cx=x, cy=y, r="5.5", fill="#ffffff", stroke=ACCENT, stroke_width="2")
        _text(g, x + 10, y + 4, r.shown, small, fill=INK)
    if line_after is not None:
        y = top + row_h * (line_after + 1)
        _el(root, "line", x1="2", y1=y, x2=width - 2, y2=y, stroke=BAD, stroke_width="2.5")
        _text(
            root,
            width - 6,
            y - 5 if line_after >= 0 else y + 14,
            line_label,
            small,
            text_anchor="end",
            fill=BAD,
            font_weight="bold",
        )
    return _done(root)


# --- a call: the portfolio map as a heat table ----------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    level: int  # how many programmes (or proposals, without programmes) cover it
    text: str  # what the cell shows
    gap: bool = False
    overlap: bool = False
    crowded: bool = False
    tooltip: str = ""
    sub: str = ""  # a second, labelled number under the first (「提案7」: proposals in the cell)


@dataclass
class Heat:
    rows: list[str]
    row_tooltips: list[str]
    columns: list[str]
    column_tooltips: list[str]
    cells: list[list[HeatCell]] = field(default_factory=list)


PRINT_WIDTH = 703.0  # CSS px across A4 inside the print margins (186 mm)

HEAT_FILLS = ("#ffffff", "#dce8f4", "#b8d0e8", "#93b6db", "#6f9ccb")


def heat_table(heat: Heat, *, title: str, gap_label: str) -> Svg:
    """Objectives (rows) against an axis (columns); the darker a cell, the more programmes cover
    it. A gap is hatched and says so; an overlap has a thick dark frame and ⚠; crowded ▲."""
    label_w = 250.0
    col_w = 92.0 if len(heat.columns) <= 6 else 60.0
    two_lines = any(c.sub and c.text for row in heat.cells for c in row)
    width = label_w + col_w * len(heat.columns) + 2
    # A wide map is drawn smaller on A4 (about 700 px wide): its text and rows grow by the same
    # factor, so that printed text stays >= 8 pt (issue 16).
    grow = max(1.0, width / PRINT_WIDTH)
    fs = round(11 * grow, 1)
    row_h, head_h = (36.0 if two_lines else 26.0) * grow, 30.0 * grow
    height = head_h + row_h * len(heat.rows) + 2
    root = _root(width, height, title, css="heat")
    for j, col in enumerate(heat.columns):
        x = label_w + col_w * j + col_w / 2
        t = _text(
            root, x, head_h - 10 * grow, fit(col, col_w - 4, fs), fs, text_anchor="middle", font_weight="bold"
        )
        _with_title(t, heat.column_tooltips[j] if j < len(heat.column_tooltips) else "")
    for i, row in enumerate(heat.rows):
        y = head_h + row_h * i
        t = _text(root, 4, y + row_h / 2 + 4 * grow, fit(row, label_w - 10, fs), fs)
        _with_title(t, heat.row_tooltips[i] if i < len(heat.row_tooltips) else "")
        for j, cell in enumerate(heat.cells[i]):
            x = label_w + col_w * j
            g = _el(root, "g")
            _with_title(g, cell.tooltip)
            fill = HEAT_FILLS[min(cell.level, len(HEAT_FILLS) - 1)]
            _el(
                g,
                "rect",
                x=x + 1,
                y=y + 1,
                width=col_w - 2,
                height=row_h - 2,
                fill=BAD_FILL if cell.gap else fill,
                stroke=GRID,
                stroke_width="1",
            )
            if cell.gap:
                # Hatching drawn as lines (no pattern ids, so several maps fit in one page).
                w, h = col_w - 2, row_h - 2
                for k in range(4, int(w + h), 8):
                    t0, t1 = max(0.0, k - w), min(h, float(k))
                    if t0 < t1:
                        _el(
                            g,
                            "line",
                            x1=x + 1 + k - t0,
                            y1=y + 1 + t0,
                            x2=x + 1 + k - t1,
                            y2=y + 1 + t1,
                            stroke="#eeb4ae",
                            stroke_width="1",
                        )
                _text(
                    g,
                    x + col_w / 2,
                    y + row_h / 2 + 4 * grow,
                    gap_label,
                    fs,
                    text_anchor="middle",
                    fill=BAD,
                    font_weight="bold",
                )
                continue
            if cell.overlap:
                _el(
                    g,
                    "rect",
                    x=x + 2.5,
                    y=y + 2.5,
                    width=col_w - 5,
                    height=row_h - 5,
                    fill="none",
                    stroke=INK,
                    stroke_width="2.5",
                )
            first = cell.text or cell.sub
            second = cell.sub if cell.text else ""
            shown = first + (" ⚠" if cell.overlap else "") + (" ▲" if cell.crowded else "")
            _text(
                g,
                x + col_w / 2,
                y + row_h / 2 + (-2 * grow if second else 4 * grow),
                fit(shown, col_w - 6, fs),
                fs,
                text_anchor="middle",
                fill=INK,
                font_weight="bold" if cell.overlap else None,
            )
            if second:
                _text(
                    g,
                    x + col_w / 2,
                    y + row_h / 2 + 11 * grow,
                    fit(second, col_w - 6, fs),
                    fs,
                    text_anchor="middle",
                    fill=INK,
                )
    return _done(root)
