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
