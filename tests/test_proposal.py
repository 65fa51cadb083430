"""The proposal file: each mistake a user makes is reported with file, line and field.

Cases start from a valid Japanese proposal (tests/data/proposal-ja-joint-research.yaml) and
make one edit; the problem must point at the line of the edit."""

from __future__ import annotations

import pytest

from sti_review.errors import InputError
from sti_review.proposal import load_proposal
from sti_review.rubric import load_rubric

from .conftest import DATA, problem_matching

VALID = (DATA / "proposal-ja-joint-research.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


@pytest.fixture
def load(tmp_path, monkeypatch, rubric):
    """Write the proposal as ``proposal.yaml`` in the working folder (as a user would name it
    on the command line) and return its problems, as printed."""
    monkeypatch.chdir(tmp_path)

    def _load(text: str) -> list[str]:
        (tmp_path / "proposal.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_proposal("proposal.yaml", rubric)
        return [str(p) for p in caught.value.problems]

    return _load


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_valid_japanese_proposal_loads(rubric):
    loaded = load_proposal(DATA / "proposal-ja-joint-research.yaml", rubric)
    p = loaded.proposal
    assert p.id == "JR-2026-101"
    assert p.programme == "joint_research"
    assert p.lead is not None and p.lead.name == "高橋 美咲"
    assert [x.country for x in p.partners] == ["ID", "ID"]
    assert loaded.fingerprint.startswith("sha256:")


def test_valid_english_proposal_with_norway_loads(rubric):
    p = load_proposal(DATA / "proposal-en-brain-circulation.yaml", rubric).proposal
    assert [x.country for x in p.partners] == ["CA", "NO"]


@pytest.mark.parametrize(
    "name",
    ["satreps-flood-ews-th", "bc-quantum-mobility-de", "jr-border-surveillance-ai", "other-ocean-data-ph"],
)
def test_examples_load(rubric, examples, name):
    assert load_proposal(examples / f"{name}.yaml", rubric).proposal.title


# (case id, text to replace, replacement, field, words of the message)
MISTAKES = [
    (
        "wrong-programme",
        "programme: joint_research",
        "programme: jointresearch",
        "programme",
        "joint_research",
    ),
    ("lowercase-country", "country: ID", "country: id", "partners[0].country", ""),
    ("three-letter-country", "country: ID", "country: IDN", "partners[0].country", ""),
    (
        "unknown-objective",
        "  - B.sdgs\n",
        "  - B.sdg\n",
        "objectives[1]",
        "unknown objective 'B.sdg' (did you mean B.sdgs?)",
    ),
    (
        "unknown-kpi-objective",
        "objective: B.crisis",
        "objective: B.crises",
        "kpis[2].objective",
        "did you mean B.crisis?",
    ),
    (
        "unknown-criterion-in-sections",
        "  JR3: 文化人類学者",
        "  JR8: 文化人類学者",
        "sections.JR8",
        "unknown criterion 'JR8'",
    ),
    ("bad-risk-area", "area: safety_security", "area: safety", "risks[1].area", "safety_security"),
    (
        "bad-career-stage",
        "career_stage: postdoc",
        "career_stage: post-doc",
        "team[1].career_stage",
        "postdoc",
    ),
    ("bad-id", "id: JR-2026-101", "id: JR 2026/101", "id", ""),
    (
        "empty-title",
        "title: インドネシア泥炭地における火災早期検知と住民参加型の消火体制の構築",
        "title: ''",
        "title",
        "",
    ),
    ("number-as-section-text", "  X7: 環境・人権", "  X7: 7\n  X6: 環境・人権", "sections.X7", "text"),
    ("unknown-field", "summary: >-", "sumary: >-", "sumary", "unknown field"),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_mistake_is_located(load, old, new, field, words):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    problems = load(text)
    line = line_of(text, new.split("\n")[0])
    problem_matching(problems, f"proposal.yaml:{line}", field, words)
    assert len(problems) == 1, problems


def test_missing_title(load):
    text = VALID.replace("title: インドネシア泥炭地における火災早期検知と住民参加型の消火体制の構築\n", "")
    [problem] = load(text)
    assert problem.startswith("proposal.yaml:")
    assert " title: required field is missing" in problem


def test_no_partners(load):
    start, end = VALID.index("partners:"), VALID.index("objectives:")
    text = VALID[:start] + "partners: []\n" + VALID[end:]
    [problem] = load(text)
    problem_matching([problem], f"proposal.yaml:{line_of(text, 'partners: []')}", "partners", "")


def test_a_file_that_is_a_list(load):
    [problem] = load("- JR-2026-101\n- 泥炭火災\n")
    assert problem.startswith("proposal.yaml:1:")
    assert "mapping" in problem


def test_schema_and_cross_reference_mistakes_are_reported_together(rubric):
    """The broken English fixture: no title, a made-up programme, a lower-case country,
    an unknown objective and an unknown criterion key -- all in one run."""
    with pytest.raises(InputError) as caught:
        load_proposal(DATA / "proposal-en-broken.yaml", rubric)
    fields = sorted(p.field or "" for p in caught.value.problems)
    assert fields == ["objectives[1]", "partners[0].country", "programme", "sections.X8", "title"]


def test_cross_reference_mistakes_are_reported_together(load):
    text = (
        VALID.replace("  - B.sdgs\n", "  - B.sdg\n")
        .replace("objective: B.crisis", "objective: B.crises")
        .replace("  JR3: 文化人類学者", "  JR8: 文化人類学者")
    )
    problems = load(text)
    assert len(problems) == 3
    assert all(p.startswith("proposal.yaml:") for p in problems)


# --- the budget in full: unit, period, direct/indirect ---------------------------------------

FULL_BUDGET = (
    "budget:\n  total: 130000000\n  unit: JPY\n  period: 2026-2030\n"
    "  direct: 100000000\n  indirect: 30000000\n"
)


def test_budget_in_full_stands_for_its_total(tmp_path, rubric):
    path = tmp_path / "p.yaml"
    path.write_text(VALID + FULL_BUDGET, encoding="utf-8")
    p = load_proposal(path, rubric).proposal
    assert p.budget == 130_000_000
    assert p.budget_detail is not None
    assert (p.budget_detail.unit, p.budget_detail.period, p.budget_detail.indirect) == (
        "JPY",
        "2026-2030",
        30e6,
    )


def test_plain_yen_budget_is_still_accepted(tmp_path, rubric):
    path = tmp_path / "p.yaml"
    path.write_text(VALID + "budget: 120000000\n", encoding="utf-8")
    p = load_proposal(path, rubric).proposal
    assert (p.budget, p.budget_detail) == (120_000_000, None)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "indirect: 30000000",
            "indirect: 20000000",
            "direct + indirect (120,000,000) must equal total (130,000,000)",
        ),
        ("  indirect: 30000000\n", "", "give both direct and indirect"),
        ("unit: JPY", "unit: USD", "JPY"),
        ("total: 130000000", "total: -5", "total"),
        ("total: 130000000", "total: true", "must be a number"),
        ("total: 130000000", "total: .nan", "total"),
        ("  total: 130000000\n", "", "total: required field is missing"),
        ("period: 2026-2030", "periode: 2026-2030", "unknown field"),
        ("total: 130000000", "total: 1億3千万円", "must be a number"),
        ("total: 130000000", "total: 1e400", "total"),
        ("period: 2026-2030", "period: [2026, 2030]", "period"),
        ("direct: 100000000", "direct: -100000000", "direct"),
    ],
)
def test_budget_mistakes_are_located(load, old, new, words):
    text = VALID + FULL_BUDGET.replace(old, new)
    problems = load(text)
    problem_matching(problems, f"proposal.yaml:{line_of(text, 'budget:') + 1}", "budget", words)
    assert len(problems) == 1, problems


def test_a_budget_of_the_wrong_type(load):
    problems = load(VALID + "budget: [1, 2]\n")
    assert len(problems) == 1 and "budget" in problems[0]


# --- an objective of the proposal's own (the source's lists end with 「等」) ------------------

OWN = "own_objectives:\n  - {id: B.treaty_data, title: 条約交渉を支える観測データ基盤}\n"


def test_own_objective_under_a_purpose_can_carry_indicators(tmp_path, rubric):
    path = tmp_path / "p.yaml"
    text = VALID.replace("objective: B.crisis", "objective: B.treaty_data") + OWN
    path.write_text(text, encoding="utf-8")
    p = load_proposal(path, rubric).proposal
    assert [(o.id, o.title) for o in p.own_objectives] == [
        ("B.treaty_data", "条約交渉を支える観測データ基盤")
    ]


@pytest.mark.parametrize(
    ("own_id", "words"),
    [
        ("Z.treaty_data", "must start with a purpose and a dot (A., B., C.)"),
        ("X.treaty_data", "must start with a purpose"),
        ("B.sdgs", "already an objective of the rubric"),
        ("B treaty", "own_objectives[0].id"),
    ],
)
def test_own_objective_mistakes_are_located(load, own_id, words):
    text = VALID + OWN.replace("B.treaty_data", own_id)
    problems = load(text)
    problem_matching(
        problems, f"proposal.yaml:{line_of(text, 'own_objectives:') + 1}", "own_objectives[0].id", words
    )


@pytest.mark.parametrize(
    ("own", "words"),
    [
        ("own_objectives: B.treaty_data\n", "must be a list"),
        ("own_objectives:\n  - {id: B.treaty_data, title: ''}\n", "title"),
        ("own_objectives:\n  - {id: B.treaty_data}\n", "required field is missing"),
        ("own_objectives:\n  - B.treaty_data\n", "must be a mapping"),
    ],
)
def test_own_objectives_of_the_wrong_shape(load, own, words):
    problems = load(VALID + own)
    assert any("own_objectives" in p and words in p for p in problems), problems


def test_own_objective_given_twice(load):
    text = VALID + OWN + "  - {id: B.treaty_data, title: 同じもの}\n"
    problems = load(text)
    assert len(problems) == 1 and "given twice" in problems[0]


def test_the_json_schema_allows_both_budget_forms():
    from sti_review.schemas import json_schemas

    schema = json_schemas()["proposal"]
    forms = schema["properties"]["budget"]["anyOf"]
    assert {"type": "number", "minimum": 0} in forms
    full = next(f for f in forms if f.get("type") == "object")
    assert set(full["properties"]) == {"total", "unit", "period", "direct", "indirect"}
    assert "own_objectives" in schema["properties"]
