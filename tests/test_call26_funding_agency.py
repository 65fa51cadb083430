"""The call rubric's SICORP-style pre-check (issue #15, item 4): the partner country's funding
agency is named (partners[*].funding_agency), one per partner country."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

CALL = ROOT / "criteria" / "mext-sti-call-2026"
PROPOSALS = EXAMPLES / "call-2026" / "proposals"
CHECK_ID = "p3-partner-funding-agency"


def _proposal(tmp_path: Path, partners: str) -> Path:
    text = (PROPOSALS / "CALL26-JR-01.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\npartners:\n")
    tail = rest[rest.index("\nobjectives:") :]
    path = tmp_path / "p.yaml"
    path.write_text(f"{head}\n{partners}{tail}", encoding="utf-8")
    return path


def _findings(invoke, path: Path, lang: str = "en") -> list[dict]:
    result = invoke("check", path, "--rubric", CALL, "--format", "json", "--lang", lang)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    return [f for f in json.loads(result.stdout)["proposals"][0]["findings"] if f["check"] == CHECK_ID]


def test_a_partner_without_its_agency_is_an_error_located_on_the_partner(invoke, tmp_path):
    path = _proposal(
        tmp_path,
        "partners:\n  - {country: KR, institution: Hanbit University}\n",
    )
    found = _findings(invoke, path)
    assert len(found) == 1, found
    f = found[0]
    assert f["severity"] == "error" and f["criterion"] == "P3"
    assert f["field"] == "partners[0]" and f["line"] is not None
    assert "funding agency (KR)" in f["message"] and "Korea" in f["message"]
    ja = _findings(invoke, path, "ja")[0]
    assert "相手国（KR）側の資金配分機関が記載されていません" in ja["message"]
    result = invoke("check", path, "--rubric", CALL)
    assert result.exit_code == 1


def test_one_partner_per_country_naming_the_agency_is_enough(invoke, tmp_path):
    path = _proposal(
        tmp_path,
        "partners:\n"
        "  - {country: KR, institution: Hanbit University, funding_agency: NRF Korea}\n"
        "  - {country: KR, institution: Hanbit Institute}\n"
        "  - {country: DE, institution: Rhein University}\n"
        "  - {country: DE, institution: Rhein Institute, funding_agency: '  '}\n",
    )
    found = _findings(invoke, path)
    # KR is covered by its first partner; DE by neither (blank is not a name), reported once
    assert [f["field"] for f in found] == ["partners[2]"], found
    assert "(DE)" in found[0]["message"]


def test_a_proposal_without_partners_is_bad_input_not_a_finding(invoke, tmp_path):
    result = invoke("check", _proposal(tmp_path, "partners: []\n"), "--rubric", CALL)
    assert result.exit_code == 2 and "partners" in result.stderr


@pytest.mark.parametrize(
    "value",
    ["[NRF]", "{name: NRF}", "12"],
)
def test_a_funding_agency_that_is_not_a_text_is_bad_input(invoke, tmp_path, value):
    path = _proposal(tmp_path, f"partners:\n  - {{country: KR, funding_agency: {value}}}\n")
    result = invoke("check", path, "--rubric", CALL)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "funding_agency" in result.stderr


def test_the_check_is_the_call_rubrics_not_the_bases(invoke, tmp_path):
    path = _proposal(tmp_path, "partners:\n  - {country: KR}\n")
    result = invoke("check", path, "--format", "json")
    assert CHECK_ID not in result.stdout


def test_a_misdeclared_partners_have_check_is_located(tmp_path):
    from sti_review.errors import InputError
    from sti_review.rubric import load_rubric

    folder = tmp_path / "r"
    (folder / "sections").mkdir(parents=True)
    (folder / "rubric.yaml").write_text(
        "extends: mext-sti-international-2021@1\nid: r\nversion: 1\ntitle: {ja: 子, en: child}\n",
        encoding="utf-8",
    )
    (folder / "checks.yaml").write_text(
        "checks:\n  - id: x\n    type: partners_have\n    severity: error\n    field: budget\n"
        "    message: {ja: あ, en: a}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_rubric(folder)
    assert any("checks.yaml:5:" in str(p) and "field" in str(p) for p in exc.value.problems)


def test_the_proposal_schema_carries_the_field(invoke):
    result = invoke("schema", "proposal", "--rubric", CALL)
    assert result.exit_code == 0
    assert "funding_agency" in result.stdout


@pytest.mark.parametrize("path", sorted(PROPOSALS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_proposal_names_its_partners_agencies(invoke, path):
    assert _findings(invoke, path) == []
    assert "funding_agency:" in path.read_text(encoding="utf-8")


def test_a_full_width_blank_is_missing_and_a_long_name_is_accepted(invoke, tmp_path):
    blank = _proposal(tmp_path, "partners:\n  - {country: KR, funding_agency: '\u3000'}\n")
    assert len(_findings(invoke, blank)) == 1
    long = _proposal(tmp_path, f"partners:\n  - {{country: KR, funding_agency: '{'韓国研究財団' * 5000}'}}\n")
    assert _findings(invoke, long) == []


def test_per_partner_asks_every_partner(invoke, tmp_path):
    folder = tmp_path / "r"
    (folder / "sections").mkdir(parents=True)
    (folder / "rubric.yaml").write_text(
        "extends: mext-sti-international-2021@1\nid: r\nversion: 1\ntitle: {ja: 子, en: child}\n",
        encoding="utf-8",
    )
    (folder / "checks.yaml").write_text(
        "checks:\n  - id: every-partner\n    type: partners_have\n    severity: warning\n"
        "    field: institution\n    per: partner\n"
        "    message: {ja: '{country}の機関名がありません。', en: 'No institution for {country}.'}\n",
        encoding="utf-8",
    )
    path = _proposal(tmp_path, "partners:\n  - {country: KR, institution: Hanbit}\n  - {country: KR}\n")
    result = invoke("check", path, "--rubric", folder, "--format", "json", "--lang", "ja")
    found = [
        f for f in json.loads(result.stdout)["proposals"][0]["findings"] if f["check"] == "every-partner"
    ]
    assert [(f["field"], f["message"]) for f in found] == [("partners[1]", "KRの機関名がありません。")]
