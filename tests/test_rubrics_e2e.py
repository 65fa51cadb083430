"""Every command against three rubrics: the shipped MEXT and Horizon Europe rubrics and a
test-only rubric (tests/data/rubric-likert: a 1-4 scale, other section ids, programmes, risk
areas, procedures, disciplines and career stages). No internal error, the numbers each
rubric's rules imply, and located errors for values a rubric does not declare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from sti_review.errors import InputError
from sti_review.rubric import load_rubric

from .conftest import DATA, EXAMPLES, ROOT

HE = EXAMPLES / "horizon-europe"
LIKERT = DATA / "rubric-likert"
LIKERT_CALL = DATA / "call-likert"

# rubric option, a proposal, its review(s), a call folder
CASES = {
    "mext": (
        None,
        EXAMPLES / "satreps-flood-ews-th.yaml",
        [EXAMPLES / "satreps-flood-ews-th.review.yaml"],
        EXAMPLES / "call-2026",
    ),
    "horizon-europe": (
        "horizon-europe-2021",
        HE / "he-ria-soilsense.yaml",
        [HE / "he-ria-soilsense.review.yaml"],
        HE / "call",
    ),
    "likert": (
        str(LIKERT),
        LIKERT_CALL / "proposals" / "L-MOB-1.yaml",
        sorted((LIKERT_CALL / "reviews" / "L-MOB-1").glob("*.yaml")),
        LIKERT_CALL,
    ),
}


def commands(case: str) -> dict[str, list[object]]:
    rubric, proposal, reviews, call = CASES[case]
    opt = ["--rubric", rubric] if rubric else []
    return {
        "criteria": ["criteria", *opt],
        "validate": ["validate", *opt, proposal, *reviews],
        "check": ["check", *opt, proposal],
        "assess": ["assess", *opt, proposal, "--review", reviews[0], "--no-input"],
        "consolidate": ["consolidate", *opt, proposal, *reviews],
        "rank": ["rank", *opt, call],
        "portfolio": ["portfolio", *opt, call],
        "schema": ["schema", "proposal", *opt],
    }


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fmt", ["terminal", "json"])
@pytest.mark.parametrize(
    "command", ["criteria", "validate", "check", "assess", "consolidate", "rank", "portfolio", "schema"]
)
def test_every_command_runs_on_every_rubric(invoke, case, fmt, command):
    args = commands(case)[command]
    if fmt == "json":
        if command == "criteria":
            args = [*args, "--json"]
        elif command not in ("validate", "schema"):
            args = [*args, "--format", "json"]
    result = invoke(*args, "--lang", "en") if command not in ("validate", "schema") else invoke(*args)
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "internal error" not in out, out[-3000:]
    assert result.exit_code in (0, 1), out[-3000:]
    if fmt == "json" and command not in ("validate",):
        json.loads(result.stdout)


def rank_json(invoke, *args: object) -> dict[str, dict]:
    result = invoke("rank", *args, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    return {p["id"]: p for p in json.loads(result.stdout)["proposals"]}


def test_horizon_europe_call_scores_and_outcomes(invoke):
    rows = rank_json(invoke, HE / "call", "--rubric", "horizon-europe-2021")
    ia = rows["HE-IA-01"]["scores"]
    # EX 3.5, IM 4.75 (weighted 1.5 in an Innovation Action), QI 4: 14.625 of 17.5
    assert ia["sections"] == {"EX": 3.5, "IM": 4.75, "QI": 4.0}  # ES holds gates only: no score
    assert (ia["unweighted"], ia["weighted"], ia["weighted_maximum"]) == (12.25, 14.625, 17.5)
    assert ia["weighted_percent"] == pytest.approx(83.57, abs=0.01)
    ria = rows["HE-RIA-01"]["scores"]  # no weight in a Research and Innovation Action
    assert (ria["unweighted"], ria["weighted"], ria["weighted_maximum"]) == (12.0, 12.0, 15.0)
    assert [rows[i]["rank"] for i in ("HE-IA-01", "HE-RIA-01")] == [1, 2]
    assert rows["HE-IA-02"]["outcome_key"] == "below_threshold"  # Impact 2.75 < 3, total 9.5 < 10
    assert {r["code"] for r in rows["HE-IA-02"]["reasons"]} == {"section_below", "total_below"}
    assert rows["HE-RIA-02"]["outcome_key"] == "gate_failed"
    assert rows["HE-RIA-02"]["reasons"][0]["criterion"] == "ES2"


def test_likert_call_scores_and_outcomes(invoke):
    rows = rank_json(invoke, LIKERT_CALL, "--rubric", LIKERT)
    mob = rows["L-MOB-1"]["scores"]
    # medians of two reviewers; S = mean(3.5, 3); S weighs 2 in the mobility programme
    assert mob["sections"] == {"S": 3.25, "T": 2.5, "M": 4.0}  # G holds a gate only: no score
    assert (mob["unweighted"], mob["maximum"], mob["weighted"], mob["weighted_maximum"]) == (
        9.75,
        12.0,
        13.0,
        16.0,
    )
    assert rows["L-MOB-1"]["outcome_key"] == "pass"
    # default tie-breakers: the programme's weighted section, then the purpose sections S, T
    assert rows["L-MOB-1"]["tie_breakers"] == [3.25, 3.25, 2.5]
    assert rows["L-NET-1"]["outcome_key"] == "below_threshold"  # S = 2.25 < 2.5
    assert rows["L-NET-2"]["outcome_key"] == "gate_failed"  # strictest verdict of G1
    net = rows["L-NET-1"]["scores"]  # T weighs 1.5 for networking (the old `weights:` form)
    assert (net["weighted"], net["weighted_maximum"]) == (2.25 + 1.5 * 3, 4 + 1.5 * 4)


def test_likert_single_review_and_labels(invoke):
    _, proposal, reviews, _ = CASES["likert"]
    result = invoke("assess", proposal, "--review", reviews[0], "--rubric", LIKERT, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert data["outcome"]["key"] == "pass" if isinstance(data.get("outcome"), dict) else True
    text = invoke("assess", proposal, "--review", reviews[0], "--rubric", LIKERT, "--lang", "ja").stdout
    assert "研究者交流" in text  # the programme's label from the rubric
    net = LIKERT_CALL / "proposals" / "L-NET-1.yaml"
    shown = invoke("check", net, "--rubric", LIKERT, "--lang", "ja").stdout
    assert "networking" in shown  # no Japanese label: falls back to English


def test_the_mext_vocabulary_is_refused_by_another_rubric(invoke):
    path = DATA / "proposal-mext-vocab-likert.yaml"
    for command in (["validate"], ["check"], ["assess", "--no-input"]):
        result = invoke(*command, path, "--rubric", LIKERT)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
        for where, what in [
            (":5:12: programme:", "unknown programme 'joint_research'"),
            (":9:12: risks[0].area:", "unknown risk area 'human_rights'"),
            (":11:16: integrity.procedures[0]:", "unknown integrity procedure 'export_control'"),
            (":13:27: team[0].discipline:", "unknown discipline 'natural_sciences'"),
            (":13:59: team[0].career_stage:", "unknown career stage 'postdoc'"),
        ]:
            assert any(where in ln and what in ln for ln in errors), (where, errors)


def test_did_you_mean_a_declared_value(invoke, tmp_path):
    text = (DATA / "proposal-mext-vocab-likert.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("joint_research", "mobilty"), encoding="utf-8")
    result = invoke("validate", path, "--rubric", LIKERT)
    assert "unknown programme 'mobilty' (did you mean mobility?)" in result.stderr


def test_a_shipped_rubric_by_id_or_folder(invoke):
    by_id = invoke("criteria", "--rubric", "horizon-europe-2021", "--json")
    by_folder = invoke("criteria", "--rubric", ROOT / "criteria" / "horizon-europe-2021", "--json")
    assert by_id.exit_code == by_folder.exit_code == 0
    assert json.loads(by_id.stdout) == json.loads(by_folder.stdout)
    unknown = invoke("criteria", "--rubric", "no-such-rubric")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output


def test_horizon_europe_is_marked_unofficial_in_japanese():
    rubric = load_rubric("horizon-europe-2021")
    assert "非公式訳" in rubric.title("ja")
    assert rubric.weight("ia", "IM") == 1.5 and rubric.weight("ria", "IM") == 1.0
    assert [c.id for c in rubric.criteria.values() if c.kind == "gate"] == ["ES1", "ES2"]
    assert rubric.scale.steps()[:3] == [0.0, 0.5, 1.0]


def test_questionnaire_on_horizon_europe(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(HE / "he-ria-soilsense.yaml", "p.yaml")
    # every score needs a comment under this rubric; gates: pass, no comment needed
    answers = [
        "Hanna",
        "4",
        "Clear objectives.",
        "3.5",
        "Credible pathway.",
        "3",
        "Tight plan.",
        "p",
        "",
        "p",
        "",
    ]
    result = invoke(
        "assess", "p.yaml", "--interactive", "--rubric", "horizon-europe-2021", "--lang", "en",
        input="".join(f"{a}\n" for a in answers) + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Outcome: pass" in result.stdout
    saved = yaml.safe_load(Path("p.review.yaml").read_text(encoding="utf-8"))
    assert saved["rubric"] == "horizon-europe-2021@1"
    assert saved["answers"]["IM1"] == {"score": 3.5, "comment": "Credible pathway."}


def test_questionnaire_on_the_likert_rubric(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(LIKERT_CALL / "proposals" / "L-NET-1.yaml", "p.yaml")
    # S1 S2 T1 G1 (no M1: not a mobility proposal); 2.5 is off the 1-4 integer scale
    answers = ["Rev", "2.5", "3", "", "3", "", "2", "", "p", ""]
    result = invoke(
        "assess", "p.yaml", "--interactive", "--rubric", LIKERT, "--lang", "en",
        input="".join(f"{a}\n" for a in answers) + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load(Path("p.review.yaml").read_text(encoding="utf-8"))
    assert list(saved["answers"]) == ["S1", "S2", "T1", "G1"]
    assert saved["answers"]["S1"] == {"score": 3}
    # S = 3, T = 2 (below 2.5), total 5 of 8 (below 0.6 x 8 = 4.8? no: 5 >= 4.8)
    assert "Outcome: below threshold" in result.stdout
    assert "section T scores 2, below the threshold of 2.5" in result.stdout


def test_a_copied_rubric_with_a_renamed_programme_works(invoke, tmp_path):
    """The scenario of issue #10: copy the MEXT rubric and rename a programme in the copy."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "criteria" / "mext-sti-international-2021", copy)
    for f in [copy / "rubric.yaml", *copy.glob("*/*.yaml"), copy / "checks.yaml"]:
        f.write_text(f.read_text(encoding="utf-8").replace("joint_research", "bilateral_exchange"), "utf-8")
    result = invoke("criteria", "--rubric", copy, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "joint research" in result.stdout  # the label, from the copied rubric
    proposal = tmp_path / "p.yaml"
    text = (EXAMPLES / "jr-border-surveillance-ai.yaml").read_text(encoding="utf-8")
    proposal.write_text(text.replace("programme: joint_research", "programme: bilateral_exchange"), "utf-8")
    assert invoke("validate", "--rubric", copy, proposal).exit_code == 0
    assert invoke("validate", proposal).exit_code == 2  # the shipped rubric does not know it


def test_the_rubric_is_frozen_and_reread_when_edited(tmp_path):
    copy = tmp_path / "r"
    shutil.copytree(LIKERT, copy)
    rubric = load_rubric(copy)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        rubric.id = "other"  # type: ignore[misc]
    assert load_rubric(copy) is rubric  # cached while unchanged
    main = copy / "rubric.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("version: 3", "version: 4"), "utf-8")
    import os

    st = main.stat()
    os.utime(main, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert load_rubric(copy).version == 4


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "    networking: {en: networking}\n",
            "    networking: {}\n",
            "vocabularies.programmes.networking",
            "label",
        ),
        (
            "    stem: {en: STEM}\n",
            "    stem: {xx_YY: STEM}\n",
            "vocabularies.disciplines.stem",
            "language code",
        ),
        ("    stem: {en: STEM}\n", "    'bad value': {en: STEM}\n", "vocabularies.disciplines", "value name"),
        (
            "  networking: {T: 1.5}\n",
            "  swimming: {T: 1.5}\n",
            "weights.swimming",
            "unknown programme 'swimming'",
        ),
        (
            "      weights: {S: 2}\n",
            "      weights: {Q: 2}\n",
            "vocabularies.programmes.mobility.weights.Q",
            "unknown section",
        ),
        (
            "      section: M\n",
            "      section: S\n",
            "vocabularies.programmes.mobility.section",
            "not a section of kind programme",
        ),
        (
            "    programme: mobility\n",
            "    programme: mobilty\n",
            "sections[3].programme",
            "unknown programme 'mobilty'",
        ),
        ("  risk_areas:\n", "  risk_areas: [ethical]\n  x_areas:\n", "vocabularies", "must be a mapping"),
        (
            "  career_stages:\n",
            "  partner_regions:\n    r: {label: R, countries: JP jp}\n  career_stages:\n",
            "vocabularies.partner_regions.r.countries[1]",
            "ISO 3166-1",
        ),
    ],
)
def test_hostile_vocabularies_are_located(tmp_path, old, new, where, message):
    copy = tmp_path / "r"
    shutil.copytree(LIKERT, copy)
    main = copy / "rubric.yaml"
    text = main.read_text(encoding="utf-8")
    assert old in text
    main.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_rubric(copy)
    shown = [str(p) for p in exc.value.problems]
    assert any(where in p and message in p and "rubric.yaml:" in p for p in shown), shown


def test_an_older_rubric_without_vocabularies_still_works(invoke, tmp_path):
    """A rubric written before vocabularies: top-level weights, programmes from the sections
    and weights, every other vocabulary open (any value accepted and shown as written)."""
    copy = tmp_path / "old"
    shutil.copytree(ROOT / "criteria" / "mext-sti-international-2021", copy)
    main = copy / "rubric.yaml"
    text = main.read_text(encoding="utf-8")
    start, end = text.index("vocabularies:"), text.index("# Panels")
    old = "weights:\n  joint_research: {B: 1.5}\n  brain_circulation: {A: 1.5}\n  other: {}\n\n"
    main.write_text(text[:start] + old + text[end:], encoding="utf-8")
    rubric = load_rubric(copy)
    assert list(rubric.programme_terms) == ["brain_circulation", "joint_research", "other"]
    assert rubric.label("programmes", "joint_research", "ja") == "国際共同研究"  # the section's title
    assert rubric.vocabulary("risk_areas") is None
    proposal = tmp_path / "p.yaml"
    source = (EXAMPLES / "other-ocean-data-ph.yaml").read_text(encoding="utf-8")
    proposal.write_text(source.replace("- area: other", "- area: piracy"), encoding="utf-8")
    assert "area: piracy" in proposal.read_text(encoding="utf-8")
    assert invoke("validate", "--rubric", copy, proposal).exit_code == 0
    assert invoke("validate", proposal).exit_code == 2
    review = EXAMPLES / "other-ocean-data-ph.review.yaml"
    result = invoke("assess", proposal, "--review", review, "--rubric", copy, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome_key"] == "below_threshold"


def test_a_huge_vocabulary_and_thousands_of_unknown_values(invoke, tmp_path):
    """Bounded work: 1,000 declared risk areas and 3,000 unknown ones in a proposal give the
    first problems, located, then how many more there are (no hint is computed for those)."""
    copy = tmp_path / "r"
    shutil.copytree(LIKERT, copy)
    main = copy / "rubric.yaml"
    areas = "".join(f"    area_{i}: {{en: area {i}}}\n" for i in range(1000))
    text = main.read_text(encoding="utf-8").replace("  risk_areas:\n", "  risk_areas:\n" + areas, 1)
    main.write_text(text, encoding="utf-8")
    risks = "".join(f"  - {{area: zone_{i}, description: x}}\n" for i in range(3000))
    proposal = tmp_path / "p.yaml"
    proposal.write_text(
        "id: P\ntitle: t\nprogramme: mobility\npartners: [{country: NO}]\nrisks:\n" + risks, "utf-8"
    )
    result = invoke("validate", "--rubric", copy, proposal)
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert errors[0].startswith(f"error: {proposal}:6:") and "unknown risk area 'zone_0'" in errors[0]
    assert 100 <= len(errors) <= 201 and "more" in errors[-1]
