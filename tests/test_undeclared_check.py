"""`check` and `consolidate` read the call's reviewers file as `rank` does (issue 14 item 1): a
possible undeclared conflict is flagged in every format, never excluded, and a broken reviewers
file is bad input (exit 2) named with its place, as for rank."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
JR02 = ("proposals/CALL26-JR-02.yaml", "reviews/CALL26-JR-02")
FLAG_EN = "林 直樹: possible undeclared conflict of interest (南海大学 火山防災研究センター)"
FLAG_JA = "林 直樹: 未申告の利害関係の可能性（南海大学 火山防災研究センター）"


@pytest.fixture
def call(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CALL, tmp_path / "call"))


def _consolidate(invoke, call: Path, *args: str):
    return invoke("consolidate", call / JR02[0], call / JR02[1], *args)


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_consolidate_flags_in_every_format(invoke, fmt):
    en = _consolidate(invoke, CALL, "-f", fmt, "--lang", "en")
    ja = _consolidate(invoke, CALL, "-f", fmt, "--lang", "ja")
    assert en.exit_code == 0 and ja.exit_code == 0, en.stderr + ja.stderr
    assert _flat(FLAG_EN) in _flat(en.stdout) and _flat(FLAG_JA) in _flat(ja.stdout)


def _flat(text: str) -> str:
    """Without white space (the terminal may wrap a line anywhere a space is)."""
    return "".join(text.split())


def test_consolidate_json_carries_the_flag_and_keeps_the_review(invoke):
    data = json.loads(_consolidate(invoke, CALL, "-f", "json").stdout)
    assert data["possible_conflicts"] == [{"reviewer": "林 直樹", "matches": "南海大学 火山防災研究センター"}]
    assert "林 直樹" in [r["name"] for r in data["reviewers"]]  # flagged, not excluded


def test_consolidate_without_a_reviewers_file_flags_nothing(invoke, call):
    (call / "reviewers.yaml").unlink()
    data = json.loads(_consolidate(invoke, call, "-f", "json").stdout)
    assert data["possible_conflicts"] == []


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_check_notes_every_reviewer_of_the_pool_who_may_have_a_conflict(invoke, fmt):
    result = invoke("check", CALL / JR02[0], "-f", fmt, "--lang", "en")
    assert result.exit_code == 0, result.stderr  # a note: the proposal still passes
    assert "possible undeclared conflict of interest (南海大学 火山防災研究センター)" in result.stdout
    assert "林 直樹" in result.stdout


def test_a_conflict_note_does_not_fail_check_even_when_strict(invoke):
    result = invoke("check", CALL / JR02[0], "--strict", "-f", "json")
    notes = [
        f for p in json.loads(result.stdout)["proposals"] for f in p["findings"] if f["severity"] == "note"
    ]
    assert any(f["check"] == "possible_conflict" for f in notes)


def test_check_of_a_proposal_outside_a_call_reads_no_reviewers_file(invoke):
    result = invoke("check", EXAMPLES / "satreps-flood-ews-th.yaml", "-f", "json")
    assert "possible_conflict" not in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "reviewers: 3\n",
        "reviewers:\n  - {name: X}\n",
        "reviewers: [{id: a, name: b, age: 3}]\n",
        "reviewers: [\n",
        "",
        "\ufeff\x00\x01 binary",
    ],
)
@pytest.mark.parametrize("command", ["check", "consolidate"])
def test_a_broken_reviewers_file_is_bad_input_with_its_place(invoke, call, text, command):
    (call / "reviewers.yaml").write_text(text, encoding="utf-8")
    result = invoke("check", call / JR02[0]) if command == "check" else _consolidate(invoke, call)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "reviewers.yaml" in result.stderr and "Traceback" not in result.stderr


def test_a_reviewers_file_in_latin_1_or_huge_is_bad_input(invoke, call):
    (call / "reviewers.yaml").write_bytes("reviewers: [{id: a, name: Müller}]\n".encode("latin-1"))
    result = invoke("check", call / JR02[0])
    assert result.exit_code == 2 and "reviewers.yaml" in result.stderr
    (call / "reviewers.yaml").write_text(
        "reviewers:\n" + "  - {id: a, name: b}\n" * 400_000, encoding="utf-8"
    )
    result = _consolidate(invoke, call)
    assert result.exit_code == 2 and "reviewers.yaml" in result.stderr
