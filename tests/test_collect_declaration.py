"""`collect` and the declaration (issue 14): a returned review without the confidentiality pledge
and conflict answer, or with a declared conflict, is reported (located, in the run's language)
and collected, so that rank and consolidate treat it as they treat any such review: counted
without a declaration, left out with a declared conflict and its reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from sti_review.packets import FORMAT, MANIFEST, review_template
from sti_review.ranking import rank_call
from sti_review.rubric import load_rubric

from .calls import review_yaml
from .conftest import DATA

CALL = DATA / "assign" / "call"
PIDS = ("P-KY", "P-OS")


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    call = tmp_path / "call"
    shutil.copytree(CALL, call)
    folder = tmp_path / "packets" / "r1"
    (folder / "reviews").mkdir(parents=True)
    entries = [{"proposal": pid, "review": f"reviews/{pid}.yaml"} for pid in PIDS]
    manifest = {"format": FORMAT, "reviewer": {"id": "r1", "name": "審査 一郎"}, "proposals": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    ref = load_rubric().ref
    for pid in PIDS:
        (folder / "reviews" / f"{pid}.yaml").write_text(
            review_template(pid, "r1", "審査 一郎", ref, None), "utf-8"
        )
    return call, folder


def _answers(pid: str) -> str:
    return review_yaml(pid, "審査 一郎", {"A": 4, "B": 4, "C": 3.5, "X": 4, "JR": 4}).split("answers:\n")[1]


def _fill(path: Path, pid: str, declaration: str | None) -> None:
    text = path.read_text("utf-8").replace("answers: {}\n", "answers:\n" + _answers(pid))
    if declaration is not None:
        text = text.replace("declaration:\n", f"declaration: {declaration}\n")
    path.write_text(text, "utf-8")


def test_a_returned_review_without_declaration_is_reported_located_and_collected(invoke, tmp_path):
    call, folder = _setup(tmp_path)
    _fill(folder / "reviews" / "P-KY.yaml", "P-KY", None)
    _fill(folder / "reviews" / "P-OS.yaml", "P-OS", "{confidential: true, conflict: none, date: 2026-05-01}")
    result = invoke("collect", folder, call, "--lang", "en")
    assert result.exit_code == 0, result.output
    path = folder / "reviews" / "P-KY.yaml"
    line = next(
        n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if t.startswith("declaration:")
    )
    assert f"warning: {path}:{line}:1: declaration: has no declaration" in result.stderr
    assert "P-OS" not in result.stderr  # a declared review is not reported
    assert (call / "reviews" / "P-KY" / "r1.yaml").exists()  # collected, as rank counts it
    assert (call / "reviews" / "P-OS" / "r1.yaml").exists()
    ja = invoke("collect", folder, call, "--lang", "ja")
    assert "警告:" in ja.stderr and "守秘の誓約と利害関係の申告（declaration）がありません" in ja.stderr
    assert "Traceback" not in ja.output


def test_a_declared_conflict_is_collected_without_answers_and_excluded_by_rank(invoke, tmp_path):
    call, folder = _setup(tmp_path)
    path = folder / "reviews" / "P-KY.yaml"
    # What the questionnaire leaves when a conflict is declared: the declaration, no answers.
    path.write_text(
        path.read_text("utf-8").replace(
            "declaration:\n",
            "declaration: {confidential: true, conflict: same_institution, date: 2026-05-01}\n",
        ),
        "utf-8",
    )
    result = invoke("collect", folder, call, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "declares a conflict of interest (same_institution)" in result.stderr
    assert f"{path}:" in result.stderr and "declaration.conflict" in result.stderr
    assert (call / "reviews" / "P-KY" / "r1.yaml").exists()
    assert "1/2 done, — in progress" in result.stdout  # the reviewer's part ends with the declaration
    row = next(r for r in rank_call(call).rows if r.id == "P-KY")
    assert row.excluded and row.excluded[0][1] == "same_institution"
    assert "conflict_excluded" in row.marks


def test_an_untouched_packet_is_not_started_and_not_reported(invoke, tmp_path):
    call, folder = _setup(tmp_path)
    result = invoke("collect", folder, call, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "declaration" not in result.stderr
    assert not (call / "reviews").exists()


def test_hostile_declarations_are_invalid_not_warnings(invoke, tmp_path):
    call, folder = _setup(tmp_path)
    path = folder / "reviews" / "P-KY.yaml"
    for bad in (
        "{confidential: false, conflict: none}",
        "{confidential: yes please}",
        "[1, 2]",
        "{conflict: cousin}",
    ):
        shutil.copy(folder / "reviews" / "P-OS.yaml", path)
        path.write_text(path.read_text("utf-8").replace("P-OS", "P-KY"), "utf-8")
        _fill(path, "P-KY", bad)
        result = invoke("collect", folder, call, "--lang", "en")
        assert result.exit_code == 2, (bad, result.output)
        assert "invalid review file" in result.stdout or "invalid" in result.stdout
        assert "Traceback" not in result.output
        assert not (call / "reviews" / "P-KY").exists()


def test_the_declaration_in_a_collected_file_reads_back(tmp_path):
    call, folder = _setup(tmp_path)
    from sti_review.packets import collect

    _fill(folder / "reviews" / "P-KY.yaml", "P-KY", None)
    got = collect([folder], call, load_rubric())
    assert [w.field for w in got.warnings] == ["declaration"]
    assert not got.failed
    data = yaml.safe_load((call / "reviews" / "P-KY" / "r1.yaml").read_text("utf-8"))
    assert data["declaration"] is None


def test_a_returned_file_in_another_encoding_or_empty_is_invalid_not_a_traceback(invoke, tmp_path):
    call, folder = _setup(tmp_path)
    path = folder / "reviews" / "P-KY.yaml"
    for raw in ("proposal: P-KY\nreviewer: 審査\n".encode("shift_jis"), b"", b"\xff\xfe\x00"):
        path.write_bytes(raw)
        result = invoke("collect", folder, call, "--lang", "en")
        assert "Traceback" not in result.output
        assert "declaration" not in result.stderr  # not a missing declaration: not a review at all
        assert not (call / "reviews" / "P-KY").exists()
