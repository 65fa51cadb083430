"""Automated pre-checks (sti_review.checks): every check type, on Japanese and English proposals.

Two complete proposals of our own (tests/data/checks/complete-*.yaml) must pass without a single
finding; two proposals with known gaps (gaps-*.yaml, the gaps listed at their top) must give
exactly those findings. Each check type is then exercised by one edit of a complete proposal,
in both languages, and the checks file itself must report its own mistakes with file and line.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sti_review.api import check_proposal, open_job
from sti_review.checks import Finding, by_criterion, counts, failed, findings_for, iso_countries
from sti_review.errors import InputError
from sti_review.rubric import default_rubric_dir, load_rubric

from .conftest import DATA, EXAMPLES

CHECKS = DATA / "checks"
COMPLETE = {
    "ja": CHECKS / "complete-ja-joint-research.yaml",
    "en": CHECKS / "complete-en-brain-circulation.yaml",
}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


def base(lang: str) -> dict[str, Any]:
    return yaml.safe_load(COMPLETE[lang].read_text(encoding="utf-8"))


def run(tmp_path: Path, data: dict[str, Any], rubric=None) -> list[Finding]:
    """Write ``data`` as a proposal file and return what the pre-checks find in it."""
    path = tmp_path / "proposal.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return check_proposal(path, rubric).findings


def only(findings: list[Finding], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, f"expected one {check} finding, got: {[(f.check, f.field) for f in findings]}"
    return found[0]


def line_of(path: Path, fragment: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(fragment)].count("\n") + 1


# --- the rubric's checks ------------------------------------------------------------------


def test_shipped_rubric_declares_its_checks(rubric):
    assert [c.id for c in rubric.checks] == [
        "x4-indicator-per-objective",
        "x4-indicators-name-declared-objectives",
        "x4-numeric-targets",
        "a2-integrity-procedures",
        "a2-funding-disclosure",
        "a2-strategic-tech-data-management",
        "x7-risk-areas",
        "b4-implementation-risks",
        "own-text-per-criterion",
        "jr3-team-composition",
        "jr7-postdoc-exchange",
        "bc1-numeric-targets",
        "bc5-career-stages",
        "country-codes",
    ]
    types = {c.type for c in rubric.checks}
    assert types == {
        "kpi_per_objective",
        "kpis_declared_only",
        "kpi_numeric_target",
        "procedures_present",
        "risk_areas_present",
        "sections_present",
        "team_has",
        "country_codes",
    }


def test_iso_list_is_the_full_official_list():
    codes = iso_countries()
    assert len(codes) == 249
    assert {"JP", "TH", "NO", "GB", "AQ", "BV", "SX"} <= set(codes)
    assert not {"UK", "EU", "XK", "EL"} & set(codes)


def test_checks_are_not_part_of_the_rubric_schema_or_dump(rubric):
    from sti_review.schemas import json_schemas

    assert "checks" not in json_schemas()["rubric"]["properties"]
    assert "checks" not in rubric.model_dump()


# --- complete proposals pass clean, proposals with gaps give exactly their gaps ------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_complete_proposal_has_no_finding_at_all(rubric, lang):
    assert check_proposal(COMPLETE[lang], rubric).findings == []


def test_strong_example_passes_clean(rubric):
    assert check_proposal(EXAMPLES / "satreps-flood-ews-th.yaml", rubric).findings == []


def keyed(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return sorted((f.check, f.variant, f.field) for f in findings)


def test_japanese_proposal_with_known_gaps(rubric):
    findings = check_proposal(CHECKS / "gaps-ja-joint-research.yaml", rubric).findings
    assert keyed(findings) == sorted(
        [
            ("x4-indicator-per-objective", "no_indicator", "objectives[4]"),
            ("x4-indicator-per-objective", "no_target", "objectives[2]"),
            ("x4-numeric-targets", "no_target", "kpis[2].target"),
            ("x4-indicators-name-declared-objectives", "undeclared", "kpis[4].objective"),
            ("x4-numeric-targets", "not_numeric", "kpis[0].target"),
            ("a2-integrity-procedures", "missing", "integrity.procedures"),
            ("a2-funding-disclosure", "missing", "integrity.procedures"),
            ("a2-strategic-tech-data-management", "missing", "integrity.procedures"),
            ("x7-risk-areas", "missing", "risks"),
            ("b4-implementation-risks", "missing", "risks"),
            ("own-text-per-criterion", "missing", "sections.X6"),
            ("own-text-per-criterion", "missing", "sections.JR5"),
            ("jr3-team-composition", "too_few", "team"),
            ("jr7-postdoc-exchange", "missing", "team"),
            ("country-codes", "unknown", "partners[0].country"),
        ]
    )
    assert counts(findings) == {"error": 7, "warning": 6, "note": 2}
    assert failed(findings) and failed(findings, strict=True)


def test_english_proposal_with_known_gaps(rubric):
    findings = check_proposal(CHECKS / "gaps-en-brain-circulation.yaml", rubric).findings
    assert keyed(findings) == sorted(
        [
            ("x4-indicator-per-objective", "no_indicator", "objectives[0]"),
            ("x4-numeric-targets", "not_numeric", "kpis[0].target"),
            ("x4-numeric-targets", "not_numeric", "kpis[1].target"),
            ("bc1-numeric-targets", "none_numeric", "kpis"),
            ("a2-integrity-procedures", "none_declared", "integrity.procedures"),
            ("a2-funding-disclosure", "none_declared", "integrity.procedures"),
            ("x7-risk-areas", "none_declared", "risks"),
            ("own-text-per-criterion", "missing", "sections.BC1"),
            ("bc5-career-stages", "too_few", "team"),
            ("country-codes", "unknown_hint", "partners[0].country"),
            ("rubric-references", "unknown_criterion", "sections.BC6"),
        ]
    )


def test_findings_are_in_rubric_order_general_first_errors_first(rubric):
    findings = check_proposal(CHECKS / "gaps-ja-joint-research.yaml", rubric).findings
    order = list(rubric.criteria)
    positions = [-1 if f.criterion is None else order.index(f.criterion) for f in findings]
    assert positions == sorted(positions)
    a2 = [f.severity for f in findings if f.criterion == "A2"]
    assert a2 == ["error", "warning", "warning"]


def test_findings_are_located_in_the_file(rubric):
    path = CHECKS / "gaps-ja-joint-research.yaml"
    findings = check_proposal(path, rubric).findings
    by_field = {(f.check, f.field): f for f in findings}
    assert by_field[("country-codes", "partners[0].country")].line == line_of(path, "country: VM")
    assert by_field[("x4-numeric-targets", "kpis[2].target")].line == line_of(path, "target: 未定")
    procedures = by_field[("a2-integrity-procedures", "integrity.procedures")]
    assert (procedures.line, procedures.column) == (line_of(path, "  procedures:"), 3)
    # A missing section text points at the `sections:` key, where it belongs.
    assert by_field[("own-text-per-criterion", "sections.JR5")].line == line_of(path, "sections:")
    assert by_field[("jr3-team-composition", "team")].line == line_of(path, "team:")
    assert all(f.file == str(path) and f.where.startswith(f"{path}:") for f in findings)


def test_messages_are_in_both_languages(rubric):
    findings = check_proposal(CHECKS / "gaps-ja-joint-research.yaml", rubric).findings
    f = only(findings, "x7-risk-areas")
    assert "「環境、人権」" in f.message("ja") and "environment, human_rights" in f.message("ja")
    assert "does not cover environment, human rights" in f.message("en")
    assert f.items == ("environment", "human_rights")


# --- each check type, one edit at a time, in Japanese and in English -----------------------

LANGS = pytest.mark.parametrize("lang", ["ja", "en"])


@LANGS
def test_kpi_per_objective_objective_without_indicator(tmp_path, lang):
    data = base(lang)
    objective = data["objectives"][1]
    data["kpis"] = [k for k in data["kpis"] if k["objective"] != objective]
    f = only(run(tmp_path, data), "x4-indicator-per-objective")
    assert (f.severity, f.criterion, f.variant, f.field) == ("error", "X4", "no_indicator", "objectives[1]")
    assert objective in f.message("ja") and objective in f.message("en")
    assert f.items == (objective,)


@LANGS
@pytest.mark.parametrize("target", ["", "   ", None, "TBD", "未定", "To be decided in year 1"])
def test_kpi_per_objective_target_missing_or_placeholder(tmp_path, lang, target):
    data = base(lang)
    data["kpis"][0]["target"] = target
    findings = run(tmp_path, data)
    f = only(findings, "x4-indicator-per-objective")
    assert (f.variant, f.field) == ("no_target", "objectives[0]")
    note = only(findings, "x4-numeric-targets")
    assert (note.severity, note.variant, note.field) == ("note", "no_target", "kpis[0].target")


@LANGS
def test_kpi_per_objective_one_indicator_with_a_target_is_enough(tmp_path, lang):
    data = base(lang)
    extra = dict(data["kpis"][0], indicator="extra", target="TBD")
    data["kpis"].append(extra)
    findings = run(tmp_path, data)
    assert not [f for f in findings if f.check == "x4-indicator-per-objective"]
    assert only(findings, "x4-numeric-targets").field == f"kpis[{len(data['kpis']) - 1}].target"


@LANGS
def test_kpis_declared_only(tmp_path, lang):
    data = base(lang)
    data["kpis"].append({"objective": "C.rule_making", "indicator": "x", "target": "3"})
    f = only(run(tmp_path, data), "x4-indicators-name-declared-objectives")
    assert (f.severity, f.criterion, f.field) == ("warning", "X4", f"kpis[{len(data['kpis']) - 1}].objective")
    assert "C.rule_making" in f.message(lang)


@LANGS
@pytest.mark.parametrize(
    ("target", "numeric"), [("数回", False), ("several", False), ("５件", True), (12, True)]
)
def test_kpi_numeric_target_each(tmp_path, lang, target, numeric):
    data = base(lang)
    data["kpis"][0]["target"] = target
    found = [f for f in run(tmp_path, data) if f.check == "x4-numeric-targets"]
    if numeric:
        assert found == []
    else:
        [f] = found
        assert (f.severity, f.variant, f.field) == ("note", "not_numeric", "kpis[0].target")
        assert str(target) in f.message("ja") and str(target) in f.message("en")


def test_kpi_numeric_target_any_for_brain_circulation(tmp_path):
    data = base("en")
    for kpi in data["kpis"]:
        kpi["target"] = "as many as possible"
    findings = run(tmp_path, data)
    f = only(findings, "bc1-numeric-targets")
    assert (f.severity, f.criterion, f.variant, f.field) == ("warning", "BC1", "none_numeric", "kpis")
    # one numeric target is enough for BC1
    data["kpis"][0]["target"] = "30 by year 5"
    assert not [f for f in run(tmp_path, data) if f.check == "bc1-numeric-targets"]


def test_programme_items_only_for_their_programme(tmp_path):
    data = base("ja")  # joint research
    for kpi in data["kpis"]:
        kpi["target"] = "大幅に向上"
    data["team"] = [m for m in data["team"] if m["career_stage"] == "faculty"]
    checks = {f.check for f in run(tmp_path, data)}
    assert "bc1-numeric-targets" not in checks and "bc5-career-stages" not in checks
    data = base("en")  # brain circulation
    data["team"] = [m for m in data["team"] if m["discipline"] == "natural_sciences"]
    checks = {f.check for f in run(tmp_path, data)}
    assert "jr3-team-composition" not in checks and "jr7-postdoc-exchange" not in checks


@LANGS
def test_procedures_present_baseline(tmp_path, lang):
    data = base(lang)
    data["integrity"]["procedures"].remove("export_control")
    f = only(run(tmp_path, data), "a2-integrity-procedures")
    assert (f.severity, f.criterion, f.variant, f.field) == ("error", "A2", "missing", "integrity.procedures")
    assert f.items == ("export_control",)
    assert "export_control" in f.message("ja") and "安全保障貿易管理（輸出管理）" in f.message("ja")
    assert "export control" in f.message("en")


@LANGS
def test_procedures_present_none_declared(tmp_path, lang):
    data = base(lang)
    data["integrity"]["procedures"] = []
    findings = run(tmp_path, data)
    f = only(findings, "a2-integrity-procedures")
    assert f.variant == "none_declared" and f.items == ("export_control", "conflict_of_interest")
    assert only(findings, "a2-funding-disclosure").severity == "warning"


@LANGS
def test_procedures_are_matched_leniently(tmp_path, lang):
    data = base(lang)
    procedures = data["integrity"]["procedures"]
    data["integrity"]["procedures"] = [p.replace("_", "-").title() for p in procedures]
    assert run(tmp_path, data) == []


def test_procedures_expected_by_field(tmp_path):
    data = base("ja")  # aims at A.strategic_tech
    data["integrity"]["procedures"].remove("data_management")
    f = only(run(tmp_path, data), "a2-strategic-tech-data-management")
    assert (f.severity, f.items) == ("warning", ("data_management",))
    data = base("en")  # does not aim at A.strategic_tech: no data-management plan expected
    assert "data_management" not in data["integrity"]["procedures"]
    assert run(tmp_path, data) == []
    data["objectives"].append("A.strategic_tech")
    data["kpis"].append({"objective": "A.strategic_tech", "indicator": "x", "target": "3 platforms"})
    assert only(run(tmp_path, data), "a2-strategic-tech-data-management").field == "integrity.procedures"


@LANGS
@pytest.mark.parametrize("area", ["environment", "human_rights", "safety_security"])
def test_risk_areas_present_x7(tmp_path, lang, area):
    data = base(lang)
    data["risks"] = [r for r in data["risks"] if r["area"] != area]
    f = only(run(tmp_path, data), "x7-risk-areas")
    assert (f.severity, f.criterion, f.variant, f.field, f.items) == (
        "error",
        "X7",
        "missing",
        "risks",
        (area,),
    )


@LANGS
def test_risk_areas_none_declared(tmp_path, lang):
    data = base(lang)
    del data["risks"]
    f = only(run(tmp_path, data), "x7-risk-areas")
    assert f.variant == "none_declared"
    assert f.items == ("environment", "human_rights", "safety_security")
    assert (f.line, f.field) == (1, "risks")  # no `risks:` key: the top of the file


@pytest.mark.parametrize("area", ["legal", "culture", "fairness"])
def test_risk_areas_b4_for_social_implementation(tmp_path, area):
    data = base("ja")  # aims at B.implementation
    data["risks"] = [r for r in data["risks"] if r["area"] != area]
    f = only(run(tmp_path, data), "b4-implementation-risks")
    assert (f.severity, f.criterion, f.items) == ("warning", "B4", (area,))
    data["objectives"].remove("B.implementation")
    data["kpis"] = [k for k in data["kpis"] if k["objective"] != "B.implementation"]
    assert run(tmp_path, data) == []


def test_english_proposal_needs_no_b4_risks_without_implementation(tmp_path):
    data = base("en")
    assert {r["area"] for r in data["risks"]} == {"environment", "human_rights", "safety_security"}
    assert run(tmp_path, data) == []


@LANGS
@pytest.mark.parametrize("text", [None, "", "  \n"])
def test_sections_present(tmp_path, lang, text):
    data = base(lang)
    if text is None:
        del data["sections"]["C3"]
    else:
        data["sections"]["C3"] = text
    f = only(run(tmp_path, data), "own-text-per-criterion")
    assert (f.severity, f.criterion, f.field, f.items) == ("error", "C3", "sections.C3", ("C3",))
    assert "C3" in f.message("ja") and "C3" in f.message("en")


def test_sections_present_follows_the_programme(tmp_path, rubric):
    data = base("en")
    del data["sections"]["BC4"]
    assert only(run(tmp_path, data), "own-text-per-criterion").criterion == "BC4"
    data = base("ja")
    del data["sections"]["JR6"]
    assert only(run(tmp_path, data), "own-text-per-criterion").criterion == "JR6"
    # portfolio criteria (X3) have no proposal text of their own
    assert "X3" not in data["sections"]


def test_sections_missing_altogether(tmp_path):
    data = base("ja")
    del data["sections"]
    findings = [f for f in run(tmp_path, data) if f.check == "own-text-per-criterion"]
    assert len(findings) == 24  # A1–A3, B1–B4, C1–C4, X1–X7 less the portfolio X3, JR1–JR7
    assert {f.criterion for f in findings} >= {"A1", "X7", "JR7"}
    assert not {f.criterion for f in findings} & {"X3", "BC1"}


def test_team_has_jr3(tmp_path):
    """「人社系や産業界を含む」 reads "or": either kind of member is enough, neither warns."""
    data = base("ja")
    data["team"] = [m for m in data["team"] if m["discipline"] != "industry"]
    assert not [f for f in run(tmp_path, data) if f.check == "jr3-team-composition"]
    data["team"] = [m for m in data["team"] if m["discipline"] != "humanities_social"]
    f = only(run(tmp_path, data), "jr3-team-composition")
    assert (f.severity, f.criterion, f.variant, f.field) == ("warning", "JR3", "too_few", "team")
    assert "人文・社会科学系の研究者も産業界の参加者もいません" in f.message("ja")
    assert "humanities and social sciences or industry" in f.message("en")


def test_team_has_jr3_and_jr7_on_an_english_proposal(tmp_path):
    data = base("en")  # natural sciences, postdoc and staff only
    data["programme"] = "joint_research"
    findings = run(tmp_path, data)
    assert only(findings, "jr3-team-composition").variant == "too_few"
    assert not [f for f in findings if f.check == "jr7-postdoc-exchange"]
    data["team"] = [m for m in data["team"] if m["career_stage"] != "postdoc"]
    assert only(run(tmp_path, data), "jr7-postdoc-exchange").items == ("postdoc",)


def test_team_has_jr7_postdoc(tmp_path):
    data = base("ja")
    data["team"] = [m for m in data["team"] if m["career_stage"] != "postdoc"]
    f = only(run(tmp_path, data), "jr7-postdoc-exchange")
    assert (f.criterion, f.items) == ("JR7", ("postdoc",))


def test_team_not_listed(tmp_path):
    data = base("ja")
    del data["team"]
    findings = run(tmp_path, data)
    assert only(findings, "jr3-team-composition").variant == "no_team"
    assert only(findings, "jr7-postdoc-exchange").variant == "no_team"
    data = base("en")
    data["team"] = []
    assert only(run(tmp_path, data), "bc5-career-stages").variant == "no_team"


def test_team_has_bc5_more_than_one_career_stage(tmp_path):
    data = base("en")
    data["team"] = [m for m in data["team"] if m["career_stage"] in ("faculty", "staff")]
    f = only(run(tmp_path, data), "bc5-career-stages")
    assert (f.severity, f.criterion, f.variant, f.items) == ("warning", "BC5", "too_few", ("faculty",))
    assert "「教員・研究者」" in f.message("ja")
    # staff are not a career stage of the student-to-researcher ladder
    data["team"].append({"name": "A. Doctoral", "discipline": "natural_sciences", "career_stage": "doctoral"})
    assert run(tmp_path, data) == []


@LANGS
@pytest.mark.parametrize(
    ("code", "variant", "hint"),
    [("JA", "unknown", None), ("UK", "unknown_hint", "GB"), ("EL", "unknown_hint", "GR")],
)
def test_country_codes_of_partners(tmp_path, lang, code, variant, hint):
    data = base(lang)
    data["partners"][1]["country"] = code
    f = only(run(tmp_path, data), "country-codes")
    assert (f.severity, f.criterion, f.variant, f.field) == ("error", None, variant, "partners[1].country")
    if hint:
        assert hint in f.message("ja") and hint in f.message("en")


@LANGS
def test_country_codes_of_team_members_and_user_assigned_kosovo(tmp_path, lang):
    data = base(lang)
    data["team"][1]["country"] = "VM"
    data["partners"][0]["country"] = "XK"  # accepted by the shipped rubric
    f = only(run(tmp_path, data), "country-codes")
    assert f.field == "team[1].country"


@pytest.mark.parametrize("code", ["AA", "QM", "QZ", "XA", "XZ", "ZZ"])
def test_user_assigned_codes_name_a_fictional_country(tmp_path, code):
    """ISO 3166-1 leaves AA, QM-QZ, XA-XZ and ZZ to users: an example can name a fictional country."""
    data = base("ja")
    data["partners"][0]["country"] = code
    data["team"][1]["country"] = code
    assert not [f for f in run(tmp_path, data) if f.check == "country-codes"]


@pytest.mark.parametrize("code", ["QL", "AB", "ZY", "JA"])
def test_codes_beside_the_user_assigned_ranges_are_still_unknown(tmp_path, code):
    data = base("ja")
    data["partners"][0]["country"] = code
    assert only(run(tmp_path, data), "country-codes").variant == "unknown"


@LANGS
def test_unknown_ids_are_findings_not_bad_input(tmp_path, lang):
    data = base(lang)
    data["objectives"][0] = data["objectives"][0] + "x"
    data["sections"]["Z9"] = "text"
    findings = run(tmp_path, data)
    refs = [f for f in findings if f.check == "rubric-references"]
    assert [(f.variant, f.field, f.severity, f.criterion) for f in refs] == [
        ("unknown_objective", "objectives[0]", "error", None),
        ("unknown_criterion", "sections.Z9", "error", None),
    ]
    assert "のことですか" in refs[0].message("ja") and "Did you mean" in refs[0].message("en")
    # the unknown objective is not reported twice (no "objective without indicator")
    assert not [f for f in findings if f.check == "x4-indicator-per-objective"]


def test_invalid_proposal_is_bad_input_with_every_problem(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("id: X-1\ntitle: t\nprogramme: joint\npartners: []\nobjectives: [A.qualty]\n")
    with pytest.raises(InputError) as caught:
        check_proposal(path)
    messages = [str(p) for p in caught.value.problems]
    assert any("programme" in m for m in messages)
    assert any("A.qualty" in m for m in messages)


# --- grouping for the questionnaire and the assessment ------------------------------------


def test_findings_for_a_criterion(rubric):
    findings = check_proposal(CHECKS / "gaps-ja-joint-research.yaml", rubric).findings
    assert [f.check for f in findings_for(findings, "A2")] == [
        "a2-integrity-procedures",
        "a2-funding-disclosure",
        "a2-strategic-tech-data-management",
    ]
    assert [f.check for f in findings_for(findings, None)] == ["country-codes"]
    assert findings_for(findings, "C1") == []
    groups = by_criterion(findings)
    assert list(groups)[:3] == [None, "A2", "B4"]


def test_review_job_has_the_findings_of_its_proposal():
    job = open_job(EXAMPLES / "bc-quantum-mobility-de.yaml")
    assert [f.check for f in job.findings] == ["a2-strategic-tech-data-management"]
    assert [f.check for f in job.findings_for("A2")] == ["a2-strategic-tech-data-management"]
    assert job.findings_for("X7") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("satreps-flood-ews-th", set()),
        (
            "bc-quantum-mobility-de",
            {("a2-strategic-tech-data-management", "A2")},
        ),
        (
            "jr-border-surveillance-ai",
            {
                ("a2-integrity-procedures", "A2"),
                ("a2-funding-disclosure", "A2"),
                ("a2-strategic-tech-data-management", "A2"),
                ("b4-implementation-risks", "B4"),
                ("x7-risk-areas", "X7"),
            },
        ),
        (
            "other-ocean-data-ph",
            {
                ("a2-integrity-procedures", "A2"),
                ("a2-funding-disclosure", "A2"),
                ("x4-indicator-per-objective", "X4"),
                ("x4-numeric-targets", "X4"),
                ("x7-risk-areas", "X7"),
            },
        ),
    ],
)
def test_shipped_examples(rubric, name, expected):
    findings = check_proposal(EXAMPLES / f"{name}.yaml", rubric).findings
    assert {(f.check, f.criterion) for f in findings} == expected


# --- the checks file: another rubric, and mistakes in it -----------------------------------


@pytest.fixture
def rubric_copy(tmp_path) -> Path:
    folder = tmp_path / "my-rubric"
    shutil.copytree(default_rubric_dir(), folder)
    return folder


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rubric(folder)
    return [str(p) for p in caught.value.problems]


def test_a_rubric_without_checks_file_has_only_the_reference_checks(rubric_copy, tmp_path):
    (rubric_copy / "checks.yaml").unlink()
    rub = load_rubric(rubric_copy)
    assert rub.checks == []
    data = base("ja")
    data["integrity"]["procedures"] = []
    assert run(tmp_path, data, rub) == []
    data["objectives"].append("A.nothing")
    assert [f.check for f in run(tmp_path, data, rub)] == ["rubric-references"]


def test_another_funder_brings_its_own_checks(rubric_copy, tmp_path):
    (rubric_copy / "checks.yaml").write_text(
        """
labels: {data_management: {ja: データ管理計画, en: data plan}}
checks:
  - id: dmp-for-finland
    type: procedures_present
    criterion: A2
    severity: error
    when: {countries_any: FI, programme: brain_circulation}
    required: [data_management]
    message: {ja: "{missing}がありません", en: "no {missing} ({criterion_title})"}
  - id: targets-optional
    type: kpi_per_objective
    criterion: X4
    severity: warning
    require_target: false
    message: {ja: "{objective} の指標なし", en: "no indicator for {objective}"}
""",
        encoding="utf-8",
    )
    rub = load_rubric(rubric_copy)
    data = base("en")
    data["kpis"][0]["target"] = "TBD"  # no target needed by this rubric
    [f] = run(tmp_path, data, rub)
    assert (f.check, f.severity) == ("dmp-for-finland", "error")
    assert f.message("ja") == "データ管理計画がありません"
    assert f.message("en") == "no data plan (Research integrity and technology-leakage safeguards)"
    data["partners"] = data["partners"][:1]  # no Finnish partner: the condition does not hold
    assert run(tmp_path, data, rub) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("type: kpis_declared_only", "type: kpis_declared", "checks[1].type", "did you mean kpis_declared_"),
        ("criterion: JR3", "criterion: JR8", "checks[9].criterion", "unknown criterion 'JR8'"),
        ("severity: note", "severity: info", "checks[2].severity", "must be one of"),
        (
            "when: {objectives_any: [A.strategic_tech]}",
            "when: {objectives_any: [A.strategic]}",
            "checks[5].when.objectives_any[0]",
            "unknown objective 'A.strategic'",
        ),
        ("values: [postdoc]", "values: [postdocs]", "checks[10].values[0]", "not a career_stage"),
        ("min_distinct: 2", "min_distinct: 0", "checks[12].min_distinct", "greater than or equal to 1"),
        (
            "required: [environment, human_rights, safety_security]",
            "required: [environment, climate]",
            "checks[6].required[1]",
            "unknown risk area 'climate'",
        ),
        ("    scope: each\n", "    scope: each\n    bogus: 1\n", "checks[2].bogus", "unknown field"),
        ("hints: {UK: GB, EL: GR}", "hints: {UK: UK}", "checks[13].hints.UK", "not an ISO 3166-1"),
        ("  - id: x4-numeric-targets", "  - id: x4-indicator-per-objective", "checks[2].id", "defined twice"),
    ],
)
def test_mistakes_in_the_checks_file_are_located(rubric_copy, old, new, field, says):
    checks = rubric_copy / "checks.yaml"
    line = edit(checks, old, new)
    [problem] = problems_of(rubric_copy)
    assert problem.startswith(f"{checks}:"), problem
    assert f" {field}: " in problem and says in problem, problem
    got_line = int(problem.split(":")[1])
    assert abs(got_line - line) <= 1, problem


def test_unknown_placeholder_in_a_message(rubric_copy):
    checks = rubric_copy / "checks.yaml"
    line = edit(
        checks,
        'en: "The team has no postdoc (career_stage postdoc).',
        'en: "The team has no {postdocs} (career_stage postdoc).',
    )
    [problem] = problems_of(rubric_copy)
    assert problem.startswith(f"{checks}:{line}:")
    assert "checks[10].message.en" in problem and "unknown placeholder {postdocs}" in problem


def test_unknown_message_variant(rubric_copy):
    checks = rubric_copy / "checks.yaml"
    edit(checks, "      no_indicator:\n", "      no_indicators:\n")
    [problem] = problems_of(rubric_copy)
    assert "checks[0].messages.no_indicators" in problem and "no_indicator, no_target" in problem


def test_checks_file_that_is_not_yaml(rubric_copy):
    (rubric_copy / "checks.yaml").write_text("checks: [\n", encoding="utf-8")
    [problem] = problems_of(rubric_copy)
    assert "checks.yaml:" in problem and "YAML syntax error" in problem


def test_checks_inside_rubric_yaml_are_refused(rubric_copy):
    main = rubric_copy / "rubric.yaml"
    text = main.read_text(encoding="utf-8")
    main.write_text(text + "checks: []\n", encoding="utf-8")
    [problem] = problems_of(rubric_copy)
    assert problem.startswith(f"{main}:") and "checks.yaml" in problem


def test_checks_are_cross_checked_with_the_rest_of_the_rubric(rubric_copy):
    edit(rubric_copy / "checks.yaml", "criterion: JR3", "criterion: JR8")
    edit(rubric_copy / "rubric.yaml", "weights: {B: 1.5}", "weights: {Q: 1.5}")
    problems = problems_of(rubric_copy)
    assert len(problems) == 2


def test_a_broken_section_file_does_not_cascade_into_the_checks(rubric_copy):
    (rubric_copy / "sections" / "JR.yaml").unlink()
    [problem] = problems_of(rubric_copy)
    assert "JR.yaml" in problem


def test_deep_copy_of_findings_is_equal(rubric):
    findings = check_proposal(CHECKS / "gaps-en-brain-circulation.yaml", rubric).findings
    assert copy.deepcopy(findings) == findings
