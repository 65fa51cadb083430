"""A call names its rubric in call.yaml (issue 15 item 4): the example call is assessed on
mext-sti-call-2026 (the MEXT rubric plus section P) without anyone giving --rubric."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sti_review.callfile import call_rubric, find_call_dir, load_call
from sti_review.errors import InputError
from sti_review.ranking import rank_call

from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
BC01 = CALL / "proposals" / "CALL26-BC-01.yaml"


@pytest.fixture
def call(tmp_path: Path) -> Path:
    dest = tmp_path / "call"
    shutil.copytree(CALL, dest)
    return dest


def _set_rubric(call: Path, value: str) -> None:
    (call / "call.yaml").write_text(f"call:\n  rubric: {value}\n", encoding="utf-8")


def _rank_json(invoke, *args: object) -> dict:
    result = invoke("rank", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- the call file is honoured ------------------------------------------------------------------


def test_the_example_call_names_its_rubric_and_title() -> None:
    found = load_call(CALL)
    assert found is not None and found.rubric == "mext-sti-call-2026"
    assert found.title == {
        "ja": "2026年度 国際共同研究公募（記入例）",
        "en": "2026 international joint research call (example)",
    }
    assert find_call_dir(BC01) == CALL  # a proposal belongs to the call folder above it
    assert find_call_dir(CALL / "reviews" / "CALL26-BC-01" / "tanaka.yaml") == CALL
    assert call_rubric(CALL, None)[0] == "mext-sti-call-2026"
    assert call_rubric(CALL, "mext-sti-international-2021")[0] == "mext-sti-international-2021"


def test_rank_uses_the_call_rubric_and_shows_section_p(invoke) -> None:
    data = _rank_json(invoke, CALL)
    assert data["rubric"]["ref"] == "mext-sti-call-2026@1"
    first = data["proposals"][0]
    assert first["id"] == "CALL26-BC-01" and first["scores"]["sections"]["P"] == 4.125
    terminal = invoke("rank", CALL, "--lang", "en", env={"COLUMNS": "200"})
    assert terminal.exit_code == 0, terminal.stderr
    assert "call.yaml" not in terminal.stdout  # never taken for a proposal
    assert "11 proposals, 30 reviews" in terminal.stdout


def test_the_call_file_is_not_a_proposal(call: Path) -> None:
    r = rank_call(call)
    assert not r.problems and len(r.rows) == 11


def test_consolidate_and_check_on_files_of_the_call_use_its_rubric(invoke) -> None:
    result = invoke(
        "consolidate", BC01, CALL / "reviews" / "CALL26-BC-01", "--lang", "en", env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.stderr
    assert "Plan and implementation" in result.stdout and "P3" in result.stdout
    ja = invoke(
        "consolidate", BC01, CALL / "reviews" / "CALL26-BC-01", "--lang", "ja", env={"COLUMNS": "120"}
    )
    assert "計画・実施体制" in ja.stdout
    check = invoke("check", BC01, "-f", "json")
    assert check.exit_code == 0, check.stderr
    assert "mext-sti-call-2026" in check.stdout


def test_an_explicit_rubric_wins_with_a_note(invoke) -> None:
    result = invoke("rank", CALL, "--rubric", "mext-sti-international-2021", "--lang", "en")
    # the reviews were written against the call's rubric: every one is refused, located
    assert result.exit_code == 2
    assert "note: using --rubric mext-sti-international-2021" in result.stderr
    assert "call.yaml names mext-sti-call-2026" in result.stderr
    assert "written against mext-sti-call-2026@1" in result.stderr
    same = invoke("rank", CALL, "--rubric", "mext-sti-call-2026", "--lang", "en")
    assert same.exit_code == 0 and "note:" not in same.stderr  # the same rubric: nothing to say


def test_a_call_without_a_call_file_keeps_the_default_rubric(call: Path) -> None:
    (call / "call.yaml").unlink()
    assert load_call(call) is None and call_rubric(call, None) == (None, None)
    r = rank_call(call)  # proposals with a P section are refused by the MEXT rubric, located
    assert r.problems and any("unknown criterion 'P1'" in p.message for p in r.problems)


def test_a_rubric_of_the_call_folder_by_relative_path(call: Path) -> None:
    shutil.copytree(EXAMPLES.parent / "criteria" / "mext-sti-call-2026", call / "_rubric")
    _set_rubric(call, "_rubric")  # "_": discovery leaves the folder alone
    found = load_call(call)
    assert found is not None and Path(found.rubric) == call / "_rubric"
    assert not rank_call(call).problems


# --- the cache follows the call file ----------------------------------------------------------


def test_changing_call_yaml_invalidates_the_cached_ranking(call: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    local = call / "_rubric"
    shutil.copytree(EXAMPLES.parent / "criteria" / "mext-sti-call-2026", local)
    text = (local / "rubric.yaml").read_text(encoding="utf-8")
    (local / "rubric.yaml").write_text(
        text.replace("  joint_research: {P: 1.2}", "  joint_research: {P: 1.2}\n  brain_circulation: {P: 2}"),
        encoding="utf-8",
    )
    before = {row.id: row.weighted_percent for row in rank_call(call, cache=True).rows}
    _set_rubric(call, "_rubric")  # same id and version, the plan weighs double for BC
    after = {row.id: row.weighted_percent for row in rank_call(call, cache=True).rows}
    fresh = {row.id: row.weighted_percent for row in rank_call(call, cache=False).rows}
    assert after == fresh
    assert after["CALL26-BC-01"] != before["CALL26-BC-01"]
    assert after["CALL26-JR-01"] == before["CALL26-JR-01"]  # joint research weighs as before


# --- hostile call files ------------------------------------------------------------------------

HOSTILE = {
    "unknown id": ("call:\n  rubric: no-such-rubric\n", "call.yaml:2:11", "no rubric no-such-rubric"),
    "wrong version": (
        "call:\n  rubric: mext-sti-call-2026@7\n",
        "call.yaml:2:11",
        "the rubric found is mext-sti-call-2026@1",
    ),
    "malformed": ("call: [\n", "call.yaml:2:1", "YAML"),
    "a list": ("call:\n  rubric: [a, b]\n", "call.yaml:2:11", "call.rubric"),
    "a number": ("call:\n  rubric: 5\n", "call.yaml:2:11", "call.rubric"),
    "no rubric": ("call:\n  title: {ja: 公募, en: call}\n", "call.yaml", "rubric"),
    "unknown key": ("call:\n  rubric: mext-sti-call-2026\n  rubrik: x\n", "call.yaml:3:3", "call.rubrik"),
    "half a title": ("call:\n  rubric: mext-sti-call-2026\n  title: {ja: 公募}\n", "call.yaml", "title.en"),
    "empty": ("", "call.yaml", ""),
    "not a mapping": ("- call\n", "call.yaml", ""),
    "empty rubric": ("call:\n  rubric: ''\n", "call.yaml:2:11", "call.rubric"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_call_files_are_located_errors(invoke, call: Path, case: str) -> None:
    text, where, words = HOSTILE[case]
    (call / "call.yaml").write_text(text, encoding="utf-8")
    for args in (("rank", call), ("portfolio", call), ("check", call / "proposals" / "CALL26-BC-01.yaml")):
        result = invoke(*args, "--lang", "en")
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert where in result.stderr and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_a_call_file_in_the_wrong_encoding(invoke, call: Path) -> None:
    (call / "call.yaml").write_bytes("call:\n  title: {ja: 公募, en: call}\n".encode("shift_jis"))
    result = invoke("rank", call)
    assert result.exit_code == 2 and "call.yaml" in result.stderr


def test_a_huge_call_file(invoke, call: Path) -> None:
    (call / "call.yaml").write_text(
        "call:\n  rubric: mext-sti-call-2026\n" + "#" * (6 * 1024 * 1024), encoding="utf-8"
    )
    result = invoke("rank", call)
    assert result.exit_code == 2 and "call.yaml" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_for_a_call_file(invoke, call: Path) -> None:
    (call / "call.yaml").unlink()
    os.mkfifo(call / "call.yaml")
    result = invoke("rank", call)
    assert result.exit_code == 2 and "named pipe" in result.stderr


def test_a_folder_for_a_call_file(call: Path) -> None:
    (call / "call.yaml").unlink()
    (call / "call.yaml").mkdir()
    with pytest.raises(InputError) as err:
        load_call(call)
    assert "call.yaml" in str(err.value)


def test_validate_and_schema_know_the_call_file(invoke, call: Path) -> None:
    ok = invoke("validate", CALL / "call.yaml")
    assert ok.exit_code == 0 and "(call)" in ok.stdout
    _set_rubric(call, "zz")
    bad = invoke("validate", call / "call.yaml", "--lang", "en")
    assert bad.exit_code == 2 and "call.yaml:2:11" in bad.stderr and "no rubric zz" in bad.stderr
    schema = json.loads(invoke("schema", "call").stdout)
    assert schema["required"] == ["call"] and schema["additionalProperties"] is False
    assert "call" in json.loads(invoke("schema").stdout)


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("ja", "2026年度 国際共同研究公募（記入例）（call-2026）"),
        ("en", "2026 international joint research call (example) (call-2026)"),
    ],
)
def test_the_ranking_is_titled_with_the_call_title(invoke, lang: str, title: str) -> None:
    for fmt in ("terminal", "markdown", "html"):
        result = invoke("rank", CALL, "--lang", lang, "-f", fmt, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert title in result.stdout, fmt
