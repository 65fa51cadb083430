"""`extends:`: a rubric built on another (issue #15, item 4). The shipped example is
criteria/mext-sti-call-2026: the MEXT rubric plus a plan-and-implementation section P."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sti_review.errors import InputError
from sti_review.rubric import load_rubric

from .conftest import DATA, EXAMPLES, ROOT

CALL = ROOT / "criteria" / "mext-sti-call-2026"
BASE = ROOT / "criteria" / "mext-sti-international-2021"
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = DATA / "extends" / "satreps-flood-ews-th.call-2026.review.yaml"


def test_the_call_rubric_inherits_and_adds():
    call, base = load_rubric("mext-sti-call-2026"), load_rubric()
    assert call.ref == "mext-sti-call-2026@1" and call.extends == "mext-sti-international-2021@1"
    assert [s.id for s in call.sections] == [*(s.id for s in base.sections), "P"]
    assert list(call.criteria) == [*base.criteria, "P1", "P2", "P3", "P4"]
    assert call.section("P").title("ja") == "計画・実施体制"
    assert call.weight("joint_research", "P") == 1.2 and call.weight("joint_research", "B") == 1.5
    assert call.vocabulary("risk_areas") == base.vocabulary("risk_areas")
    # the base's pre-checks and the call's own
    ids = [c.id for c in call.checks]
    assert ids[: len(base.checks)] == [c.id for c in base.checks] and ids[-2:] == [
        "p2-career-stages",
        "p3-partner-funding-agency",
    ]


def test_assess_under_the_call_rubric(invoke):
    result = invoke("assess", PROPOSAL, "--review", REVIEW, "--rubric", CALL, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sections = {s["id"]: s for s in data["sections"]}
    assert sections["P"]["score"] == 3.125  # mean of 4, 3.5, 2 and 3
    assert sections["P"]["weight"] == 1.2
    totals = data["totals"]
    assert (totals["maximum"], totals["required"], totals["weighted_maximum"]) == (30.0, 20.0, 33.5)
    assert data["outcome_key"] == "pass"
    # the base rubric's review of the same proposal is refused: it names the other rubric
    other = invoke(
        "assess", PROPOSAL, "--review", EXAMPLES / "satreps-flood-ews-th.review.yaml", "--rubric", CALL
    )
    assert other.exit_code == 2 and "mext-sti-international-2021@1" in other.stderr


def test_every_command_on_the_call_rubric(invoke, tmp_path):
    call = tmp_path / "call"
    (call / "proposals").mkdir(parents=True)
    (call / "reviews" / "SATREPS-2026-017").mkdir(parents=True)
    shutil.copy(PROPOSAL, call / "proposals")
    shutil.copy(REVIEW, call / "reviews" / "SATREPS-2026-017" / "r1.yaml")
    for args in (
        ["criteria"],
        ["validate", PROPOSAL, REVIEW],
        ["check", PROPOSAL],
        ["consolidate", PROPOSAL, REVIEW],
        ["rank", call],
        ["portfolio", call],
        ["schema", "review"],
    ):
        result = invoke(*args, "--rubric", "mext-sti-call-2026")
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output
    checked = invoke("check", PROPOSAL, "--rubric", CALL, "--format", "json", "--lang", "en")
    assert "P3" in checked.stdout  # the inherited text-per-criterion check covers section P too


def child(tmp_path: Path, extends: str, extra: str = "", name: str = "child") -> Path:
    folder = tmp_path / name
    (folder / "sections").mkdir(parents=True)
    (folder / "rubric.yaml").write_text(
        f"extends: {extends}\nid: {name}\nversion: 1\ntitle: {{ja: 子, en: child}}\n{extra}",
        encoding="utf-8",
    )
    return folder


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_rubric(path)
    return [str(p) for p in exc.value.problems]


def test_a_base_given_as_a_relative_folder(tmp_path):
    shutil.copytree(BASE, tmp_path / "base")
    folder = child(
        tmp_path, "../base@1", "sections:\n  - {id: A, kind: purpose, title: {ja: 甲, en: Alpha}}\n"
    )
    rubric = load_rubric(folder)
    assert rubric.section("A").title("en") == "Alpha"  # retitled here, criteria from the base
    assert [c.id for c in rubric.section("A").criteria] == ["A1", "A2", "A3"]


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("mext-sti-international-2021@2", "at version 1, not 2 (write mext-sti-international-2021@1)"),
        ("mext-sti-internacional-2021@1", "unknown rubric 'mext-sti-internacional-2021'"),
        ("mext-sti-international-2021", "must be id@version"),
        ("[a, b]", "must be id@version"),
        ("../nowhere@1", "unknown rubric '../nowhere'"),
    ],
)
def test_bad_bases_are_located(tmp_path, extends, message):
    found = problems(child(tmp_path, extends))
    assert any("rubric.yaml:1:" in p and "extends" in p and message in p for p in found), found


def test_cycles_are_located(tmp_path):
    a = child(tmp_path, "../b@1", name="a")
    child(tmp_path, "../a@1", name="b")
    found = problems(a)
    assert any("extends" in p and "cycle" in p for p in found), found
    itself = child(tmp_path, "../c@1", name="c")
    assert any("cycle" in p for p in problems(itself))


def test_a_bad_own_section_is_located_in_the_child(tmp_path):
    folder = child(
        tmp_path, "mext-sti-international-2021@1", "sections:\n  - {id: P, kind: plan, title: x}\n"
    )
    found = problems(folder)
    assert any("rubric.yaml:6:" in p and "sections[0].kind" in p for p in found), found


def test_an_edited_base_is_read_again(tmp_path):
    shutil.copytree(BASE, tmp_path / "base")
    folder = child(tmp_path, "../base@1")
    assert load_rubric(folder).title("en") == "child"
    main = tmp_path / "base" / "rubric.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8")
    found = problems(folder)  # no cache to clear: the base's change is seen
    assert any("at version 2, not 1" in p for p in found), found
