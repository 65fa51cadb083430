"""The statistics section of the Word ranking report (``rank --method expected-rank`` or
``--reviewer-stats``): the same tables as the other formats (views/stats.py) and the same two
pictures as the HTML report — the rank-interval plot and the reviewer-leniency plot — drawn once
as SVG (html/svg_stats.py) and rasterised to PNG by CairoSVG (the ``[stats]`` extra; it needs
the system's Cairo library). Without CairoSVG or Cairo the tables are still written and a
bilingual sentence says where the picture would be; the report never fails for a picture.
"""

from __future__ import annotations

import functools
from typing import Any

from ...i18n import Lang, t
from ...stats.call import CallStats
from . import common as c

SCALE = 2.0  # rasterise at twice the SVG's size (sharp when printed at the page's width)
WIDTH_MM = 160.0


FALLBACK_FAMILY = "Noto Sans CJK JP"


@functools.cache
def font_family() -> str:
    """A font with Japanese glyphs, as fontconfig names it (``fc-match 'sans-serif:lang=ja'``).
    Cairo's simple text interface, which CairoSVG uses, does not fall back glyph by glyph, so
    the whole picture is drawn in one family that has both scripts (CJK fonts carry Latin)."""
    import shutil
    import subprocess

    exe = shutil.which("fc-match")
    if exe is None:
        return FALLBACK_FAMILY
    try:
        out = subprocess.run(
            [exe, "-f", "%{family[0]}", "sans-serif:lang=ja"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_FAMILY
    family = out.stdout.strip()
    return family if out.returncode == 0 and family and '"' not in family else FALLBACK_FAMILY


def png(svg: str, scale: float = SCALE) -> bytes | None:
    """The SVG as PNG bytes, or None when CairoSVG or the Cairo library is missing."""
    try:
        import cairosvg
    except (ImportError, OSError):  # OSError: cairocffi finds no libcairo
        return None
    from xml.sax.saxutils import quoteattr

    # the HTML page gives the charts their font through CSS; here the root element does
    svg = svg.replace("<svg ", f"<svg font-family={quoteattr(font_family())} ", 1)
    try:
        return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white"))
    except Exception:  # a picture must never fail the report
        return None


def picture(doc: Any, svg: str, lang: Lang, *, width_mm: float = WIDTH_MM) -> bool:
    """Insert the SVG as a picture at ``width_mm``; a note instead when it cannot be drawn."""
    import io

    from docx.shared import Mm

    data = png(svg)
    if data is None:
        c.para(doc, t("stats.no_picture", lang))
        return False
    doc.add_picture(io.BytesIO(data), width=Mm(width_mm))
    return True


def add_section(doc: Any, stats: CallStats, lang: Lang) -> None:
    """Headings, notes and tables of views/stats.tables(), each plot after its own table."""
    from ..html.svg_stats import leniency_plot, rank_interval_plot
    from ..views.stats import T as ST
    from ..views.stats import tables

    plots = {}
    if stats.expected is not None:
        plots[ST("er_title", lang)] = str(rank_interval_plot(stats.expected, lang))
    if stats.effects is not None and any(r.effect is not None for r in stats.effects.reviewers):
        plots[ST("fx_title", lang)] = str(leniency_plot(stats.effects, lang))
    for title, before, header, rows, after in tables(stats, lang):
        c.heading(doc, title, 1)
        for note in before:
            c.para(doc, note)
        if title in plots:
            picture(doc, plots.pop(title), lang)
        if rows:
            c.table(doc, header, rows)
        for note in after:
            c.para(doc, note)
