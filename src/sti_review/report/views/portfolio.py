"""Words and groupings shared by the portfolio-map reports."""

from __future__ import annotations

from dataclasses import dataclass

from ...i18n import Lang, catalog
from ...portfolio import Cell, Item, Matrix, PortfolioMap
from ...rubric import objective_title

T = catalog(
    {
        "map_title": ("ポートフォリオ・マップ（X3: 不足と重複）", "Portfolio map (X3: gaps and overlaps)"),
        "mapped": (
            "既存事業 {programmes} 件・提案 {proposals} 件を、"
            "評価基準の目的 {objectives} 項目に対してマッピング",
            "{programmes} programmes and {proposals} proposals mapped on the rubric's "
            "{objectives} objectives",
        ),
        "rule_gap": ("不足: どの事業・提案も対象としていないセル", "Gap: a cell nothing covers"),
        "rule_overlap": (
            "重複: 同じ手段の既存事業が {n} 件以上重なるセル",
            "Overlap: a cell that {n} or more programmes with the same means cover",
        ),
        "rule_crowded": ("集中: 提案が {n} 件以上集まるセル", "Crowded: a cell with {n} or more proposals"),
        "axis_career_stage": ("目的 × 対象（キャリア段階）", "Objectives × target group (career stage)"),
        "axis_region": ("目的 × 相手国・地域", "Objectives × partner region"),
        "objective": ("目的", "Objective"),
        "gaps": ("不足", "Gaps"),
        "overlaps": ("重複", "Overlaps"),
        "crowded": ("提案の集中", "Crowded cells"),
        "fillers": ("既存事業の不足を埋める提案", "Proposals that fill a gap left by the programmes"),
        "none": ("なし", "none"),
        "all_columns": ("全て", "all"),
        "legend_codes": (
            "セル: 事業の略号、·n は提案の件数",
            "Cells: programme codes; ·n is the number of proposals",
        ),
        "legend_counts": (
            "セル: 事業の件数、·n は提案の件数。— は不足",
            "Cells: number of programmes; ·n is the number of proposals; — is a gap",
        ),
        "programmes": ("既存事業", "Programmes"),
        "code": ("略号", "Code"),
        "name": ("事業名", "Programme"),
        "means": ("手段", "Means"),
        "stages": ("対象", "Target group"),
        "regions": ("地域", "Regions"),
        "scale": ("規模", "Scale"),
        "regions_legend": ("地域の略号", "Region codes"),
        "unplaced_no_objectives": ("目的の記載がない提案", "proposals declaring no objective"),
        "unplaced_no_career_stage": (
            "チームのキャリア段階の記載がない提案（対象の表に出ません）",
            "proposals with no career stage in their team (left out of the target-group matrix)",
        ),
        "unplaced_unknown_country": ("不明な国コードの相手国", "partners with an unknown country code"),
        "notes": ("注記", "Notes"),
        "overlap_line": ("{codes}（{means}）: {cells}", "{codes} ({means}): {cells}"),
        "all_regions": ("全地域", "all regions"),
        "stage_student": ("学生", "student"),
        "stage_doctoral": ("博士課程", "doctoral"),
        "stage_postdoc": ("ポスドク", "postdoc"),
        "stage_faculty": ("研究者", "faculty"),
        "stage_staff": ("職員・URA", "staff / URA"),
        "region_east_asia": ("東アジア", "East Asia"),
        "region_southeast_asia": ("東南アジア", "Southeast Asia"),
        "region_south_asia": ("南アジア", "South Asia"),
        "region_central_asia": ("中央アジア", "Central Asia"),
        "region_middle_east_north_africa": ("中東・北アフリカ", "Middle East & North Africa"),
        "region_sub_saharan_africa": ("サブサハラ・アフリカ", "Sub-Saharan Africa"),
        "region_europe": ("欧州", "Europe"),
        "region_north_america": ("北米", "North America"),
        "region_latin_america": ("中南米", "Latin America & Caribbean"),
        "region_oceania": ("オセアニア", "Oceania"),
        "means_outbound_mobility": ("派遣", "outbound mobility"),
        "means_inbound_mobility": ("受入れ", "inbound mobility"),
        "means_joint_research": ("共同研究", "joint research"),
        "means_research_centre": ("研究拠点", "research centre"),
        "means_joint_degree": ("共同学位", "joint degree"),
        "means_exchange": ("交流", "exchange"),
        "means_other": ("その他", "other"),
    }
)

REGION_CODE = {
    "east_asia": "EA",
    "southeast_asia": "SEA",
    "south_asia": "SA",
    "central_asia": "CA",
    "middle_east_north_africa": "MENA",
    "sub_saharan_africa": "SSA",
    "europe": "EU",
    "north_america": "NA",
    "latin_america": "LAC",
    "oceania": "OC",
}


def column_text(matrix: Matrix, column: str, lang: Lang) -> str:
    if matrix.axis == "career_stage":
        return T(f"stage_{column}", lang)
    return T(f"region_{column}", lang)


def column_short(matrix: Matrix, column: str, lang: Lang) -> str:
    return column_text(matrix, column, lang) if matrix.axis == "career_stage" else REGION_CODE[column]


def axis_title(matrix: Matrix, lang: Lang) -> str:
    return T(f"axis_{matrix.axis}", lang)


def objective_text(m: PortfolioMap, objective: str, lang: Lang) -> str:
    return f"{objective} {objective_title(m.rubric, objective, lang)}"


def cell_codes(cell: Cell) -> str:
    text = " ".join(p.label for p in cell.programmes)
    if cell.proposals:
        text += f" ·{len(cell.proposals)}"
    return text.strip() or "—"


def cell_counts(cell: Cell, with_programmes: bool, with_proposals: bool) -> str:
    if cell.empty:
        return "—"
    parts = []
    if with_programmes:
        parts.append(str(len(cell.programmes)) if cell.programmes else "0")
    if with_proposals and cell.proposals:
        parts.append(f"·{len(cell.proposals)}")
    return "".join(parts)


def gap_lines(m: PortfolioMap, matrix: Matrix, lang: Lang) -> list[tuple[str, str]]:
    """(objective, the empty columns or 'all') for every objective with gaps."""
    sep = "、" if lang == "ja" else ", "
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


def overlap_text(m: PortfolioMap, matrix: Matrix, group: OverlapGroup, lang: Lang) -> str:
    sep = "、" if lang == "ja" else ", "
    by_obj: dict[str, list[str]] = {}
    for cell in group.cells:
        by_obj.setdefault(cell.objective, []).append(cell.column)
    parts = []
    for obj, cols in by_obj.items():
        if len(cols) == len(matrix.columns):
            where = T("all_columns", lang) if matrix.axis == "career_stage" else T("all_regions", lang)
        else:
            where = "/".join(column_short(matrix, c, lang) for c in cols)
        parts.append(f"{obj} × {where}")
    return T(
        "overlap_line",
        lang,
        codes=" + ".join(p.label for p in group.programmes),
        means=T(f"means_{group.means}", lang),
        cells=sep.join(parts),
    )


def fillers(matrix: Matrix) -> dict[str, list[Cell]]:
    """Proposal id -> the cells it covers where no programme does."""
    out: dict[str, list[Cell]] = {}
    for cell in matrix.gap_fillers:
        for p in cell.proposals:
            out.setdefault(p.id, []).append(cell)
    return out
