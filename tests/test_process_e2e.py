"""Issue 14, "How it will be checked", end to end on a call of our own (built here, in tmp):
declared and undeclared conflicts, committee-only marker texts in every comment field (answer
comments, gate comments and conditions, the overall grade's comment, the declaration's note, the
panel's consensus review, interview reviews), overall grades, two stages, a decisions file and a
proposal declaring part of the purposes. Rankings per stage and by overall grade follow the
rules; letters (markdown, html, docx) carry every counted feedback text and not one marker text
or reviewer name."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sti_review.cli import app
from sti_review.ranking import rank_call

from .calls import RUBRIC_REF, SECTIONS, proposal_yaml

MARKER = "COMMITTEE-ONLY"
NAMES = {"RA": "審査員 甲野", "RB": "Reviewer Beta", "RC": "審査員 丙田", "PANEL": "Chair Gamma"}
# Section scores per proposal; P3 pursues purposes A and B only, so its C section (scored low)
# is for information and counts in neither thresholds nor the total.
SCORES = {"P1": 5.0, "P2": 4.5, "P3": 4.0, "P4": 3.5}
GRADES = {"P1": (2, 2), "P2": (4, 4, 4), "P3": (3, 3, 3), "P4": (1, 4, 2)}
INTERVIEW = {"P1": 3.5, "P2": 4.5}


def _review(
    pid: str, rid: str, score: float, grade: int | None, *, stage: str | None = None, **extra
) -> dict:
    tag = f"{pid}-{rid}-{stage or 'doc'}"
    answers: dict[str, dict] = {}
    for sec in ("A", "B", "C", "X", "JR"):
        value = 1.0 if (pid == "P3" and sec == "C") else score
        for cid in SECTIONS[sec]:
            answers[cid] = {"score": value, "comment": f"{MARKER}-{tag}-{cid}", "feedback": f"FB-{tag}-{cid}"}
    answers["A2"] = {"verdict": "pass", "comment": f"{MARKER}-{tag}-A2-gate", "feedback": f"FB-{tag}-A2"}
    answers["X7"] = {
        "verdict": "conditional",
        "conditions": [f"{MARKER}-{tag}-X7-condition"],
        "comment": f"{MARKER}-{tag}-X7-gate",
        "feedback": f"FB-{tag}-X7",
    }
    data: dict = {"proposal": pid, "reviewer": NAMES[rid], "rubric": RUBRIC_REF}
    if stage:
        data["stage"] = stage
    data["declaration"] = {
        "confidential": True,
        "conflict": "none",
        "note": f"{MARKER}-{tag}-declaration-note",
        "date": "2026-05-01",
    }
    data["answers"] = answers
    if grade is not None:
        data["overall"] = {
            "grade": grade,
            "comment": f"{MARKER}-{tag}-overall",
            "feedback": f"FB-{tag}-overall",
        }
    data.update(extra)
    return data


@pytest.fixture(scope="module")
def call(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("process") / "call"
    files: dict[str, object] = {}
    for n, pid in enumerate(SCORES, 1):
        text = proposal_yaml(pid, title=f"Project {pid} on coastal data")
        text += f"lead: {{name: Lead {pid}, institution: University {n}}}\n"
        if pid == "P3":
            text += "purposes: [A, B]\n"
        files[f"proposals/{pid}.yaml"] = text
        for k, rid in enumerate(("RA", "RB", "RC")):
            grades = GRADES[pid]
            if k >= len(grades):
                continue
            files[f"reviews/{pid}/{rid}.yaml"] = _review(pid, rid, SCORES[pid], grades[k])
    # A declared conflict: RC on P1, with scores that would have pulled P1 down.
    files["reviews/P1/RC.yaml"] = _review(
        "P1",
        "RC",
        0.5,
        1,
        declaration={
            "confidential": True,
            "conflict": "other",
            "note": f"{MARKER}-P1-RC-conflict-note",
            "date": "2026-05-01",
        },
    )
    # The panel's consensus review of P4 (same scores): its comments are committee-only too.
    files["reviews/P4/panel.yaml"] = _review("P4", "PANEL", 3.5, 2, role="panel")
    # Interviews of the two candidates.
    for pid, score in INTERVIEW.items():
        for rid in ("RA", "RB"):
            files[f"reviews/{pid}/{rid}-interview.yaml"] = _review(pid, rid, score, 3, stage="interview")
    # RB works at P2's lead institution and did not declare it: flagged, not excluded.
    files["reviewers.yaml"] = {
        "reviewers": [
            {"id": "RA", "name": NAMES["RA"], "institution": "Hokushin Institute"},
            {"id": "RB", "name": NAMES["RB"], "institution": "University 2"},
            {"id": "RC", "name": NAMES["RC"], "institution": "Seto Institute"},
        ]
    }
    files["decisions.yaml"] = {
        "decisions": {
            "P1": {"decision": "selected_on_conditions", "conditions": ["予算を精査すること"]},
            "P2": {"decision": "selected"},
            "P4": {"decision": "not_selected"},
        }
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (
            content
            if isinstance(content, str)
            else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        )
        path.write_text(text, encoding="utf-8")
    return root


def _row(ranking, pid):  # type: ignore[no-untyped-def]
    return next(r for r in ranking.rows if r.id == pid)


def test_exclusions_and_flags(call: Path) -> None:
    ranking = rank_call(call)
    p1 = _row(ranking, "P1")
    assert p1.excluded == [(NAMES["RC"], "other")] or [c for _, c in p1.excluded] == ["other"]
    assert "conflict_excluded" in p1.marks and len(p1.reviewers) == 2
    assert not p1.needs_reviewer  # two counted reviews: the MEXT minimum
    p2 = _row(ranking, "P2")
    assert "possible_conflict" in p2.marks and not p2.excluded and len(p2.reviewers) == 3
    assert all("possible_conflict" not in _row(ranking, p).marks for p in ("P1", "P3", "P4"))
    assert "split_grades" in _row(ranking, "P4").marks


def test_rankings_per_stage_and_by_overall(call: Path) -> None:
    weighted = [r.id for r in rank_call(call).rows if r.rank is not None]
    assert weighted == ["P1", "P2", "P3", "P4"]  # RC's low scores on P1 are not counted
    p3 = _row(rank_call(call), "P3")
    assert p3.eligible and not p3.advisories  # its low C section is for information only
    by_overall = [r.id for r in rank_call(call, by="overall").rows if r.rank is not None]
    # P2 4, P3 3; P1 (2, 2: RC's 1 is not counted) and P4 (the consensus review's 2 overrides the
    # reviewers' 1, 4, 2) tie at 2, and the weighted score breaks the tie.
    assert by_overall == ["P2", "P3", "P1", "P4"]
    assert _row(rank_call(call, by="overall"), "P4").overall == 2
    document = rank_call(call, stage="document", interview=2)
    assert [r.id for r in document.rows if r.interview_candidate] == ["P1", "P2"]
    interview = rank_call(call, stage="interview")
    assert [r.id for r in interview.rows if r.rank is not None] == ["P2", "P1"]
    assert all(r.document_percent is not None for r in interview.rows if r.rank is not None)


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def _counted_feedback(call: Path, pid: str) -> set[str]:
    out = set()
    for f in (call / "reviews" / pid).glob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if data["declaration"]["conflict"] != "none":
            continue
        out |= {a["feedback"] for a in data["answers"].values()}
        out.add(data["overall"]["feedback"])
    return out


@pytest.mark.parametrize(
    "fmt, ext, lang",
    [("markdown", "md", "en"), ("markdown", "md", "ja"), ("html", "html", "ja"), ("docx", "docx", "en")],
)
def test_letters_carry_every_feedback_and_no_committee_text(
    call: Path, tmp_path: Path, fmt: str, ext: str, lang: str
) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
    out = tmp_path / fmt
    result = CliRunner().invoke(app, ["feedback", str(call), "-o", str(out), "-f", fmt, "--lang", lang])
    assert result.exit_code == 0, result.output
    letters = {
        p.stem: (_docx_text(p) if ext == "docx" else p.read_text(encoding="utf-8"))
        for p in out.glob(f"*.{ext}")
    }
    assert set(letters) == set(SCORES)
    for pid, text in letters.items():
        assert MARKER not in text, (pid, fmt)
        assert not any(name in text for name in NAMES.values()), (pid, fmt)
        missing = sorted(fb for fb in _counted_feedback(call, pid) if fb not in text)
        assert not missing, (pid, fmt, missing[:5])
        assert "FB-P1-RC" not in text  # the excluded review's feedback is not used
        assert not any(
            f"FB-{other}-" in text or f"Project {other} " in text for other in SCORES if other != pid
        )
    assert "予算を精査すること" in letters["P1"]
    if lang == "ja":
        assert "条件付き採択" in letters["P1"] and "不採択" in letters["P4"]
        assert "採択" not in letters["P3"].replace("採択候補", "")  # no decision for P3: none claimed
