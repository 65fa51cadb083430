"""The X3 portfolio map: programmes file, matrices, gaps, overlaps, crowding."""

from __future__ import annotations

from pathlib import Path

import pytest

from sti_review.errors import InputError
from sti_review.portfolio import (
    build_map,
    career_stages,
    country_regions,
    load_programmes,
    programme_item,
    proposal_item,
    read_portfolio,
    regions,
)
from sti_review.rubric import load_rubric

from .calls import proposal_yaml, write_call
from .conftest import EXAMPLES

RUBRIC = load_rubric()
CAREER_STAGES = career_stages(RUBRIC)
REGIONS = regions(RUBRIC)
COUNTRY_REGION = country_regions(RUBRIC)
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"


@pytest.fixture(scope="module")
def mext_map():
    items = [programme_item(p, "en") for p in load_programmes(PROGRAMMES, RUBRIC)]
    return build_map(RUBRIC, items)


def test_the_shipped_programmes():
    programmes = load_programmes(PROGRAMMES, RUBRIC)
    assert [p.label for p in programmes] == [
        "ORF", "WPI", "JD", "JSPS-FPD", "SICORP", "SATREPS", "CHALLENGE", "KAKEN-ILR", "JASSO",
    ]  # fmt: skip
    assert programmes[1].title("ja") == "世界トップレベル研究拠点形成プログラム（WPI）"  # the deck's name
    assert programmes[0].title("ja") == "海外特別研究員"
    assert programmes[0].scale is not None and "200" in programmes[0].scale("ja")


@pytest.mark.parametrize(
    ("objective", "empty_stages"),
    [
        ("C.rule_making", list(CAREER_STAGES)),  # no programme works on rule-making
        ("B.implementation", ["student", "doctoral", "postdoc", "staff"]),  # only SATREPS, for faculty
        ("A.strategic_tech", ["student", "doctoral", "postdoc", "staff"]),  # only SICORP
        ("A.talent", []),
        ("C.friendship", ["staff"]),
    ],
)
def test_gaps_by_career_stage(mext_map, objective, empty_stages):
    gaps = dict(mext_map.by_stage.gaps_by_objective())
    assert gaps.get(objective, []) == empty_stages


@pytest.mark.parametrize(
    ("objective", "empty_regions"),
    [
        ("C.rule_making", list(REGIONS)),
        ("B.implementation", ["europe", "north_america"]),  # SATREPS is for ODA partner countries
        ("C.like_minded", ["central_asia", "sub_saharan_africa", "latin_america"]),
        ("A.talent", []),
    ],
)
def test_gaps_by_region(mext_map, objective, empty_regions):
    gaps = dict(mext_map.by_region.gaps_by_objective())
    assert gaps.get(objective, []) == empty_regions


@pytest.mark.parametrize(
    ("objective", "stage", "means", "codes"),
    [
        ("A.talent", "postdoc", "outbound_mobility", ["ORF", "KAKEN-ILR"]),
        ("A.talent", "doctoral", "outbound_mobility", ["CHALLENGE", "KAKEN-ILR", "JASSO"]),
        ("B.sdgs", "faculty", "joint_research", ["SICORP", "SATREPS"]),
        ("A.quality", "faculty", "joint_research", ["SICORP", "SATREPS", "KAKEN-ILR"]),
    ],
)
def test_overlaps_need_the_same_means(mext_map, objective, stage, means, codes):
    cell = mext_map.by_stage.cell(objective, stage)
    assert (means, codes) in [(m, [p.label for p in ps]) for m, ps in cell.overlaps]


def test_different_means_are_no_overlap(mext_map):
    # ORF sends postdocs out, JSPS-FPD brings them in, WPI is a centre: three programmes, no overlap
    cell = mext_map.by_stage.cell("A.diversity", "postdoc")
    assert [p.label for p in cell.programmes] == ["WPI", "JSPS-FPD"]
    assert cell.overlaps == []


def test_overlap_threshold_is_a_rule(mext_map):
    items = mext_map.programmes
    strict = build_map(RUBRIC, items, overlap_at=3)
    assert [[p.label for p in ps] for _, ps in strict.by_stage.cell("A.quality", "faculty").overlaps] == [
        ["SICORP", "SATREPS", "KAKEN-ILR"]
    ]
    assert strict.by_stage.cell("A.talent", "postdoc").overlaps == []


def test_proposals_on_the_map():
    props = [
        proposal_item("P-1", "t", ["C.rule_making", "B.sdgs"], ["staff"], ["FJ"]),
        proposal_item("P-2", "t", ["B.sdgs"], ["faculty", "staff"], ["KE", "ZZ"]),
        proposal_item("P-3", "t", ["B.sdgs"], ["staff"], ["KE"]),
        proposal_item("P-4", "t", [], [], ["KE"]),
    ]
    items = [programme_item(p, "en") for p in load_programmes(PROGRAMMES, RUBRIC)]
    m = build_map(RUBRIC, items, props)
    cell = m.by_stage.cell("B.sdgs", "staff")
    assert [p.id for p in cell.proposals] == ["P-1", "P-2", "P-3"]
    assert cell in m.by_stage.crowded and cell in m.by_stage.gap_fillers
    assert not m.by_stage.cell("C.rule_making", "staff").empty
    assert m.by_region.cell("C.rule_making", "oceania").proposals[0].id == "P-1"
    assert m.unplaced == {"no_objectives": ["P-4"], "no_career_stage": ["P-4"], "unknown_country": ["P-2"]}


def test_every_country_has_one_region():
    declared = RUBRIC.vocabularies.partner_regions or {}
    codes = [c for term in declared.values() for c in term.countries]
    assert len(codes) == len(set(codes)) == len(COUNTRY_REGION)
    expected = {
        "TH": "southeast_asia", "KE": "sub_saharan_africa", "DE": "europe", "BR": "latin_america",
        "US": "north_america", "FJ": "oceania", "IN": "south_asia", "IL": "middle_east_north_africa",
        "UZ": "central_asia", "KR": "east_asia",
    }  # fmt: skip
    assert {code: COUNTRY_REGION[code] for code in expected} == expected


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ("objectives: [A.quality, A.networks, A.talent]", "objectives[1]", "unknown objective 'A.netwrks'"),
        ("regions: [any]", "regions[0]", "unknown region 'asia'"),
        ("means: [outbound_mobility]", "means[0]", "unknown means 'travel'"),
        ("career_stages: [postdoc]", "career_stages[0]", "unknown career stage 'professor'"),
    ],
)
def test_bad_programmes_file(tmp_path: Path, change, where, message):
    bad = {
        "objectives: [A.quality, A.networks, A.talent]": "objectives: [A.quality, A.netwrks, A.talent]",
        "regions: [any]": "regions: [asia]",
        "means: [outbound_mobility]": "means: [travel]",
        "career_stages: [postdoc]": "career_stages: [professor]",
    }[change]
    text = PROGRAMMES.read_text(encoding="utf-8").replace(change, bad, 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if bad in t)
    with pytest.raises(InputError) as exc:
        load_programmes(path, RUBRIC)
    shown = [str(p) for p in exc.value.problems]
    assert any(
        p.startswith(f"{path}:{line}:") and f"programmes[0].{where}:" in p and message in p for p in shown
    )


def test_a_programme_needs_somewhere(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "programmes:\n  - {id: x, name: X, means: [other], objectives: [A.quality],\n"
        "     career_stages: [faculty]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="give regions"):
        load_programmes(path, RUBRIC)


def test_read_a_call_for_the_map(tmp_path: Path):
    files = {
        "proposals/P-1.yaml": proposal_yaml("P-1", objectives=("C.rule_making",), countries=("TO",)),
        "proposals/P-2.yaml": proposal_yaml("P-2").replace("programme: joint_research\n", ""),
        "reviews/P-1/a.yaml": "proposal: P-1\nanswers: {}\n",
    }
    data = read_portfolio(write_call(tmp_path, files), PROGRAMMES)
    assert [p.id for p in data.proposals] == ["P-1"]
    assert [p.field for p in data.problems] == ["programme"]
    assert len(data.programmes) == 9 and data.files == 3
