"""Words and groupings shared by the portfolio-map reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...i18n import Lang, catalog
from ...i18n import t as _t
from ...portfolio import Cell, Item, Matrix, PortfolioMap
from ...rubric import objective_title

T = catalog("portfolio")


def column_text(matrix: Matrix, column: str, lang: Lang) -> str:
    return matrix.label(column, lang)


def column_short(matrix: Matrix, column: str, lang: Lang) -> str:
    return column_text(matrix, column, lang) if matrix.axis == "career_stage" else matrix.code(column)


def axis_title(matrix: Matrix, lang: Lang) -> str:
    return T(f"axis_{matrix.axis}", lang)


def objective_text(m: PortfolioMap, objective: str, lang: Lang) -> str:
    """A row of the map: the section's letter, then the objective in words; the objective's id
    (``<section>.<name>``) is a key of the YAML file, not a word of the report."""
    section = objective.split(".", 1)[0]
    return f"{section} {objective_title(m.rubric, objective, lang)}"


def place_text(m: PortfolioMap, matrix: Matrix, objective: str, column: str, lang: Lang) -> str:
    """A cell of the map in words, for the lists under it: the objective × the column."""
    return f"{objective_text(m, objective, lang)} × {column_text(matrix, column, lang)}"


def proposals_text(cell: Cell, lang: Lang) -> str:
    """The cell's proposal count as a labelled number (「提案7」 / "7 prop."), '' without any:
    never "4·7", which reads as a decimal (issue 16)."""
    return T("cell_proposals", lang, n=len(cell.proposals)) if cell.proposals else ""


def cell_codes(cell: Cell, lang: Lang = "ja") -> str:
    """Programme codes, then the labelled proposal count: 「JD JASSO + 提案3」."""
    codes = " ".join(p.label for p in cell.programmes)
    count = proposals_text(cell, lang)
    text = f"{codes} + {count}" if codes and count else codes or count
    return text or "—"


def cell_counts(cell: Cell, with_programmes: bool, with_proposals: bool, lang: Lang = "ja") -> str:
    """The number of programmes, then the labelled proposal count: 「4 + 提案7」."""
    if cell.empty:
        return "—"
    parts = []
    if with_programmes:
        parts.append(str(len(cell.programmes)) if cell.programmes else "0")
    if with_proposals and cell.proposals:
        parts.append(proposals_text(cell, lang))
    return " + ".join(parts)


def gap_lines(m: PortfolioMap, matrix: Matrix, lang: Lang) -> list[tuple[str, str]]:
    """(objective, the empty columns or 'all') for every objective with gaps."""
    sep = _t("list_sep", lang)
    out = []
    for obj, cols in matrix.gaps_by_objective():
        if len(cols) == len(matrix.columns):
            what = T("all_columns", lang)
        else:
            what = sep.join(column_text(matrix, c, lang) for c in cols)
        out.append((objective_text(m, obj, lang), what))
    return out


@dataclass
class OverlapGroup:
    means: str
    programmes: tuple[Item, ...]
    cells: list[Cell]


def stages_text(m: PortfolioMap, stages: frozenset[str], lang: Lang) -> str:
    """An existing programme's career stages, labelled, in the rubric's order."""
    return ", ".join(m.by_stage.label(s, lang) for s in m.by_stage.columns if s in stages)


def regions_text(m: PortfolioMap, regions: frozenset[str], lang: Lang) -> str:
    """A programme's regions in words of the report's language, each with its code beside
    (「東南アジア (SEA)、南アジア (SA)」), or 'all regions' (issue 16: words, not codes)."""
    if len(regions) == len(m.by_region.columns):
        return T("all_regions", lang)
    sep = _t("list_sep", lang)
    out = []
    for r in m.by_region.columns:
        if r in regions:
            word, code = m.by_region.label(r, lang), m.by_region.code(r)
            out.append(word if word == code else f"{word} ({code})")
    return sep.join(out)


def overlap_groups(matrix: Matrix) -> list[OverlapGroup]:
    """Overlaps grouped by the programmes that share a means, in first-seen order."""
    groups: dict[tuple[str, tuple[str, ...]], OverlapGroup] = {}
    for obj in matrix.rows:
        for col in matrix.columns:
            cell = matrix.cells[(obj, col)]
            for means, progs in cell.overlaps:
                key = (means, tuple(p.id for p in progs))
                groups.setdefault(key, OverlapGroup(means, tuple(progs), [])).cells.append(cell)
    return list(groups.values())


def places_text(m: PortfolioMap, matrix: Matrix, cells: Iterable[Cell], lang: Lang) -> str:
    """Cells of the map in words, one objective once with its columns ("A title × column/column,
    B title × every column")."""
    sep = _t("list_sep", lang)
    by_obj: dict[str, list[str]] = {}
    for cell in cells:
        by_obj.setdefault(cell.objective, []).append(cell.column)
    parts = []
    for obj, cols in by_obj.items():
        if len(cols) == len(matrix.columns):
            where = T("all_columns", lang) if matrix.axis == "career_stage" else T("all_regions", lang)
        else:
            where = "/".join(column_text(matrix, c, lang) for c in cols)  # words, not codes
        parts.append(f"{objective_text(m, obj, lang)} × {where}")  # the objective in words
    return sep.join(parts)


def overlap_text(m: PortfolioMap, matrix: Matrix, group: OverlapGroup, lang: Lang) -> str:
    return T(
        "overlap_line",
        lang,
        codes=" + ".join(p.label for p in group.programmes),
        means=m.rubric.label("means", group.means, lang),
        cells=places_text(m, matrix, group.cells, lang),
    )


def fillers(matrix: Matrix) -> dict[str, list[Cell]]:
    """Proposal id -> the cells it covers where no programme does."""
    out: dict[str, list[Cell]] = {}
    for cell in matrix.gap_fillers:
        for p in cell.proposals:
            out.setdefault(p.id, []).append(cell)
    return out
