"""The shipped rubric is the contract of DESIGN.md; a broken rubric folder is reported, located."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from sti_review.errors import InputError
from sti_review.rubric import Scale, default_rubric_dir, load_rubric

from .conftest import ALL_IDS, DATA

SCORED = set(ALL_IDS) - {"A2", "X7", "X3"}
OBJECTIVES = {
    "A": ["A.quality", "A.strategic_tech", "A.complementarity", "A.diversity", "A.networks", "A.talent"],
    "B": ["B.public_goods", "B.sdgs", "B.implementation", "B.field_sites", "B.crisis"],
    "C": ["C.shared_vision", "C.like_minded", "C.presence", "C.friendship", "C.rule_making"],
}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


# --- the shipped rubric -------------------------------------------------------------------


def test_shipped_rubric_loads_with_its_contract_id(rubric):
    assert rubric.id == "mext-sti-international-2021"
    assert str(rubric.version) == "1"
    assert rubric.ref == "mext-sti-international-2021@1"


def test_exactly_thirty_criteria_in_rubric_order(rubric):
    assert list(rubric.criteria) == ALL_IDS


def test_sections_and_their_criteria(rubric):
    by_section = {s.id: [c.id for c in s.criteria] for s in rubric.sections}
    assert by_section == {
        "A": ["A1", "A2", "A3"],
        "B": ["B1", "B2", "B3", "B4"],
        "C": ["C1", "C2", "C3", "C4"],
        "X": ["X1", "X2", "X3", "X4", "X5", "X6", "X7"],
        "BC": ["BC1", "BC2", "BC3", "BC4", "BC5"],
        "JR": ["JR1", "JR2", "JR3", "JR4", "JR5", "JR6", "JR7"],
    }


def test_programme_sections_apply_to_their_programme_only(rubric):
    assert rubric.section("BC").programme == "brain_circulation"
    assert rubric.section("JR").programme == "joint_research"
    assert all(rubric.section(s).programme is None for s in "ABCX")


def test_kinds_a2_x7_gates_x3_portfolio_rest_scored(rubric):
    kinds = {cid: c.kind for cid, c in rubric.criteria.items()}
    assert {cid for cid, k in kinds.items() if k == "gate"} == {"A2", "X7"}
    assert {cid for cid, k in kinds.items() if k == "portfolio"} == {"X3"}
    assert {cid for cid, k in kinds.items() if k == "score"} == SCORED


def test_sixteen_objectives_with_the_design_ids(rubric):
    assert list(rubric.objectives) == OBJECTIVES["A"] + OBJECTIVES["B"] + OBJECTIVES["C"]
    for section_id, ids in OBJECTIVES.items():
        assert [o.id for o in rubric.section(section_id).objectives] == ids


def test_criteria_point_only_at_known_objectives(rubric):
    for crit in rubric.criteria.values():
        assert set(crit.objectives) <= set(rubric.objectives), crit.id


@pytest.fixture(scope="module")
def source_text() -> str:
    """The first page of the MEXT overview (2021-06-30), as extracted, with line breaks removed:
    the extraction breaks lines in the middle of sentences."""
    return (DATA / "source-mext-2021.txt").read_text(encoding="utf-8").replace("\n", "")


@pytest.mark.parametrize("cid", ALL_IDS)
def test_japanese_question_is_verbatim_from_the_source(rubric, source_text, cid):
    question = rubric.criteria[cid].question.ja
    assert question and question in source_text


@pytest.mark.parametrize("cid", ALL_IDS)
def test_every_text_is_bilingual(rubric, cid):
    crit = rubric.criteria[cid]
    for text in (crit.title, crit.question):
        assert text.ja.strip() and text.en.strip()
        assert re.search("[\u3040-\u30ff\u4e00-\u9fff]", text.ja), "ja text should be Japanese"


@pytest.mark.parametrize("cid", sorted(SCORED))
def test_scored_criteria_have_low_middle_high_guidance_in_both_languages(rubric, cid):
    guidance = rubric.criteria[cid].guidance
    assert set(guidance) == {"low", "middle", "high"}
    for level in ("low", "middle", "high"):
        assert guidance[level].ja.strip() and guidance[level].en.strip(), level


@pytest.mark.parametrize("cid", sorted(SCORED))
def test_scored_criteria_say_what_earns_a_3(rubric, cid):
    """The pass line (3.0) sits inside the middle band: each criterion says what reaches it."""
    line = rubric.criteria[cid].pass_line
    assert line is not None and "2.5" in line.ja and "2.5" in line.en


def test_kpis_and_continuity_each_rewarded_in_one_owning_criterion(rubric):
    owners = {
        "KPIs": [
            c
            for c, x in rubric.criteria.items()
            if x.pass_line and "only criterion that rewards having KPIs" in x.pass_line.en
        ],
        "continuity": [
            c
            for c, x in rubric.criteria.items()
            if x.pass_line and "continuity after the project is judged here" in x.pass_line.en
        ],
    }
    assert owners == {"KPIs": ["X4"], "continuity": ["BC2", "JR1"]}


def test_programme_level_readings_are_marked(rubric):
    marked = [c for c, x in rubric.criteria.items() if x.reading == "programme_level"]
    assert marked == [c for c in ALL_IDS if c.startswith(("BC", "JR"))]
    assert rubric.na_allowed_for(rubric.criteria["JR5"]) and rubric.na_allowed_for(rubric.criteria["JR6"])
    assert "not the ministry's" in rubric.policy_note.en and "戦略的自律性" in rubric.context.ja


def test_a_pass_line_on_a_gate_is_refused(rubric_copy):
    section = rubric_copy / "sections" / "A.yaml"
    edit(
        section,
        "    evidence: [integrity, partners, team]\n",
        "    evidence: [integrity, partners, team]\n    pass_line: {ja: あ, en: a}\n",
    )
    [problem] = load_problems(rubric_copy)
    assert "pass_line belongs to score criteria only" in problem


@pytest.mark.parametrize("cid", ["A2", "X7"])
def test_gates_have_pass_conditional_fail_guidance(rubric, cid):
    assert set(rubric.criteria[cid].guidance) == {"pass", "conditional", "fail"}


def test_scale_is_zero_to_five_in_half_points(rubric):
    assert rubric.scale.steps() == [x / 2 for x in range(11)]
    assert rubric.scale.on_scale(4.5)
    assert not rubric.scale.on_scale(4.3)
    assert not rubric.scale.on_scale(5.5)
    assert not rubric.scale.on_scale(-0.5)
    assert not rubric.scale.on_scale(float("nan"))


def test_scale_labels_in_both_languages(rubric):
    assert set(rubric.scale.labels) == {0, 1, 2, 3, 4, 5}
    assert rubric.scale.label(3).en == "good"
    assert rubric.scale.label(3.5).en == "good", "a half point takes the label below it"
    assert rubric.scale.label(5).ja == "極めて優れている"


def test_thresholds_section_min_three_and_two_thirds_of_the_total(rubric):
    assert rubric.thresholds.section_min == 3.0
    assert rubric.thresholds.total_fraction == Fraction(2, 3)


def test_weights_b_for_joint_research_a_for_brain_circulation(rubric):
    assert rubric.weight("joint_research", "B") == 1.5
    assert rubric.weight("brain_circulation", "A") == 1.5
    for programme in ("joint_research", "brain_circulation", "other"):
        for section in ("C", "X", "JR", "BC"):
            assert rubric.weight(programme, section) == 1.0
    assert rubric.weight("joint_research", "A") == 1.0
    assert rubric.weight("brain_circulation", "B") == 1.0


def test_na_allowed_on_scored_criteria_never_on_gates(rubric):
    for cid, crit in rubric.criteria.items():
        assert rubric.na_allowed_for(crit) == (cid in SCORED), cid


def test_comment_rules(rubric):
    assert rubric.comments.score_at_or_below == 2
    assert set(rubric.comments.verdicts) == {"conditional", "fail"}
    assert rubric.comments.na is True


def test_default_rubric_dir_holds_the_rubric():
    folder = default_rubric_dir()
    assert (folder / "rubric.yaml").is_file()
    assert {p.stem for p in (folder / "sections").glob("*.yaml")} == {"A", "B", "C", "X", "BC", "JR"}


# --- a broken copy of the rubric ----------------------------------------------------------


@pytest.fixture
def rubric_copy(tmp_path) -> Path:
    """A private copy of the shipped rubric folder, free to break."""
    folder = tmp_path / "my-rubric"
    shutil.copytree(default_rubric_dir(), folder)
    return folder


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a rubric file; return the (1-based) line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    position = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, position) + 1


def load_problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rubric(folder)
    return [str(p) for p in caught.value.problems]


def test_untouched_copy_loads(rubric_copy):
    assert len(load_rubric(rubric_copy).criteria) == 30


def test_rubric_yaml_path_is_accepted_too(rubric_copy):
    assert load_rubric(rubric_copy / "rubric.yaml").ref == "mext-sti-international-2021@1"


def test_unknown_objective_on_a_criterion(rubric_copy):
    section = rubric_copy / "sections" / "A.yaml"
    line = edit(section, "objectives: [A.talent]", "objectives: [A.talents]")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{section}:{line}:")
    assert "objectives[0]" in problem and "unknown objective 'A.talents'" in problem


def test_duplicate_criterion_is_reported(rubric_copy):
    edit(rubric_copy / "sections" / "X.yaml", "- id: X1\n", "- id: A1\n")
    [problem] = load_problems(rubric_copy)
    assert "A1" in problem and "twice" in problem


def test_duplicate_criterion_points_at_the_second_definition(rubric_copy):
    section = rubric_copy / "sections" / "X.yaml"
    line = edit(section, "- id: X1\n", "- id: A1\n")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{section}:{line}:")


def test_gate_with_na_allowed(rubric_copy):
    section = rubric_copy / "sections" / "X.yaml"
    line = edit(section, "  - id: X7\n    kind: gate\n", "  - id: X7\n    kind: gate\n    na_allowed: true\n")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{section}:{line}:")
    assert "na_allowed" in problem and "gate" in problem


def test_missing_guidance_level(rubric_copy):
    section = rubric_copy / "sections" / "A.yaml"
    text = section.read_text(encoding="utf-8")
    start, end = text.index("      middle:"), text.index("      high:")
    section.write_text(text[:start] + text[end:], encoding="utf-8")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{section}:")
    assert re.match(rf"{re.escape(str(section))}:\d+:\d+: criteria\[0\]", problem)
    assert "missing middle" in problem


def test_all_problems_of_all_rubric_files_at_once(rubric_copy):
    edit(rubric_copy / "sections" / "A.yaml", "objectives: [A.talent]", "objectives: [A.talents]")
    edit(
        rubric_copy / "sections" / "X.yaml",
        "  - id: X7\n    kind: gate\n",
        "  - id: X7\n    kind: gate\n    na_allowed: true\n",
    )
    edit(rubric_copy / "rubric.yaml", "weights: {B: 1.5}", "weights: {Q: 1.5}")
    problems = load_problems(rubric_copy)
    assert len(problems) == 3
    assert any("A.yaml" in p for p in problems)
    assert any("X.yaml" in p for p in problems)
    assert any(
        "rubric.yaml" in p and "vocabularies.programmes.joint_research.weights.Q" in p for p in problems
    )


def test_missing_section_file(rubric_copy):
    (rubric_copy / "sections" / "JR.yaml").unlink()
    [problem] = load_problems(rubric_copy)
    assert "JR.yaml" in problem and "no such file" in problem


def test_section_file_naming_another_section(rubric_copy):
    section = rubric_copy / "sections" / "A.yaml"
    line = edit(section, "section: A\n", "section: B\n")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{section}:{line}:")


def test_scale_that_is_not_a_whole_number_of_steps(rubric_copy):
    main = rubric_copy / "rubric.yaml"
    edit(main, "step: 0.5", "step: 0.7")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{main}:")
    assert "steps" in problem


def test_threshold_fraction_above_one(rubric_copy):
    main = rubric_copy / "rubric.yaml"
    line = edit(main, "total_min_fraction: 2/3", "total_min_fraction: 3/2")
    [problem] = load_problems(rubric_copy)
    assert problem.startswith(f"{main}:{line}:")
    assert "thresholds.total_min_fraction" in problem


# --- another funder's scale ---------------------------------------------------------------


def test_a_one_to_seven_whole_point_scale():
    scale = Scale(min=1, max=7, step=1)
    assert scale.steps() == [1, 2, 3, 4, 5, 6, 7]
    assert not scale.on_scale(3.5)


def test_a_decimal_step_scale():
    scale = Scale(min=0, max=10, step=0.1)
    assert scale.on_scale(7.3)
    assert not scale.on_scale(7.35)
