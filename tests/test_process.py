"""The review process (issue 14): declarations and conflicts, feedback, overall grade, stages,
advisory thresholds and declared purposes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sti_review.errors import InputError, UsageError
from sti_review.ranking import rank_call
from sti_review.review import load_review, missing_feedback, read_review
from sti_review.rubric import load_rubric

ROOT = Path(__file__).resolve().parent.parent
CALL = ROOT / "examples" / "call-2026"


@pytest.fixture
def call(tmp_path: Path) -> Path:
    target = tmp_path / "call"
    shutil.copytree(CALL, target)
    return target


def _edit(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _row(ranking, pid):  # type: ignore[no-untyped-def]
    return next(r for r in ranking.rows if r.id == pid)


def test_a_declared_conflict_is_excluded_with_its_reason(call: Path) -> None:
    review = call / "reviews" / "CALL26-JR-01" / "becker.yaml"
    _edit(review, declaration={"confidential": True, "conflict": "close_collaboration", "date": "2026-05-01"})
    row = _row(rank_call(call), "CALL26-JR-01")
    assert ("Dr. Anna Becker", "close_collaboration") in row.excluded or row.excluded[0][1] == (
        "close_collaboration"
    )
    assert "conflict_excluded" in row.marks
    assert len(row.reviewers) == 2 and all("Becker" not in r for r in row.reviewers)


def test_too_few_counted_reviews_need_another_reviewer(call: Path) -> None:
    review = call / "reviews" / "CALL26-OT-01" / "becker.yaml"
    _edit(review, declaration={"confidential": True, "conflict": "relative"})
    row = _row(rank_call(call), "CALL26-OT-01")
    assert row.needs_reviewer and "needs_reviewer" in row.marks


def test_declaration_mistakes_are_located(call: Path) -> None:
    rubric = load_rubric()
    review = call / "reviews" / "CALL26-JR-01" / "becker.yaml"
    _edit(review, declaration={"confidential": False, "conflict": "cousin"})
    _, problems = read_review(review, rubric, None)
    messages = " | ".join(str(p) for p in problems)
    assert "confidential" in messages and "unknown conflict category 'cousin'" in messages
    assert all(p.line for p in problems)
    _edit(review, declaration={"confidential": True, "conflict": "other"})
    _, problems = read_review(review, rubric, None)
    assert any("needs a note" in str(p) for p in problems)
    for bad in ("yes", 1, [], {"confidential": "true"}):
        _edit(review, declaration=bad)
        with pytest.raises(InputError):
            load_review(review)


def test_old_review_files_stay_valid_and_keep_their_outcomes() -> None:
    ranking = rank_call(CALL)
    assert not ranking.problems
    assert [r.id for r in ranking.ranked][:3] == ["CALL26-BC-01", "CALL26-JR-01", "CALL26-JR-02"]


def test_overall_grades_rank_and_split(call: Path) -> None:
    grades = {"CALL26-OT-01": (4, 1), "CALL26-OT-02": (3, 3)}
    for pid, (g1, g2) in grades.items():
        files = sorted((call / "reviews" / pid).glob("*.yaml"))
        _edit(files[0], overall={"grade": g1, "comment": "委員会のみ"})
        _edit(files[1], overall={"grade": g2})
    by_overall = rank_call(call, by="overall")
    ot1, ot2 = _row(by_overall, "CALL26-OT-01"), _row(by_overall, "CALL26-OT-02")
    assert ot1.split_grades and "split_grades" in ot1.marks and not ot2.split_grades
    assert ot2.overall == 3 and ot1.overall == 2.5
    assert ot2.rank < ot1.rank  # equal weighted score: the grade decides
    assert by_overall.ranked[0].overall is not None or by_overall.ranked[0].id


def test_an_unknown_grade_is_refused(call: Path) -> None:
    review = call / "reviews" / "CALL26-OT-01" / "becker.yaml"
    _edit(review, overall={"grade": 7})
    _, problems = read_review(review, load_rubric(), None)
    assert any("not a grade of the rubric" in str(p) for p in problems)


def test_stages_interview_candidates_and_interview_ranking(call: Path) -> None:
    document = rank_call(call, interview=2)
    candidates = [r.id for r in document.rows if r.interview_candidate]
    assert candidates == ["CALL26-BC-01", "CALL26-JR-01"]
    for pid in candidates:
        src = sorted((call / "reviews" / pid).glob("*.yaml"))[0]
        dst = src.with_name("interview-" + src.name)
        shutil.copy(src, dst)
        _edit(dst, stage="interview")
    interview = rank_call(call, stage="interview")
    assert {r.id for r in interview.rows} == set(candidates)
    assert all(r.document_percent is not None for r in interview.rows)
    assert interview.stage == "interview"
    with pytest.raises(UsageError):
        rank_call(call, stage="hearing")
    with pytest.raises(UsageError):
        rank_call(call, stage="interview", interview=2)


def test_advisory_thresholds_keep_the_proposal_ranked_and_marked(tmp_path: Path) -> None:
    rubric_dir = tmp_path / "rubric"
    rubric_dir.mkdir()
    (rubric_dir / "rubric.yaml").write_text(
        "extends: mext-sti-call-2026@1\nid: advisory-test\nversion: 1\n"
        "title: {ja: 試験, en: test}\nthresholds: {mode: advisory}\n",
        encoding="utf-8",
    )
    call = tmp_path / "call"
    shutil.copytree(CALL, call)
    for f in call.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("mext-sti-call-2026@1", "advisory-test@1"), encoding="utf-8")
    row = _row(rank_call(call, rubric_dir), "CALL26-BC-03")  # an explicit rubric wins over call.yaml
    assert row.rank is not None and "below_threshold_advisory" in row.marks
    assert {a.code for a in row.advisories} >= {"section_below"}


def test_undeclared_purposes_are_for_information_only(call: Path) -> None:
    proposal = call / "proposals" / "CALL26-BC-03.yaml"
    before = _row(rank_call(call), "CALL26-BC-03")
    assert before.outcome is not None and before.outcome.key == "below_threshold"
    _edit(proposal, purposes=["A", "B"])  # C scores 2.5: now for information only
    after = _row(rank_call(call), "CALL26-BC-03")
    assert "C" in after.sections  # still shown
    assert after.reasons and all(r.section != "C" for r in after.reasons)


def test_unknown_purposes_are_refused(call: Path) -> None:
    from sti_review.proposal import load_proposal

    proposal = call / "proposals" / "CALL26-BC-03.yaml"
    for bad, words in ((["D"], "unknown purpose 'D'"), ([], "at least one purpose"), (["A", "A"], "twice")):
        _edit(proposal, purposes=bad)
        with pytest.raises(InputError) as err:
            load_proposal(proposal, load_rubric("mext-sti-call-2026"))
        assert words in str(err.value.problems[0])


def test_feedback_is_asked_where_the_rubric_requires_it() -> None:
    rubric = load_rubric("mext-sti-call-2026")
    review = load_review(CALL / "reviews" / "CALL26-BC-03" / "tanaka.yaml").review
    low = {cid for cid, a in review.answers.items() if a.score is not None and a.score < 3}
    given = {cid for cid in low if review.answers[cid].feedback}
    assert given == low and {"P1", "P2", "P4"} <= given  # every low score comes with feedback
    assert missing_feedback(review, rubric) == []


MARKER = "COMMITTEE-ONLY-MARKER"


def test_letters_carry_feedback_and_never_committee_only_text(call: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sti_review.cli import app

    names = []
    for i, f in enumerate(sorted((call / "reviews").rglob("*.yaml"))):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        names.append(data["reviewer"])
        for cid, answer in data["answers"].items():
            answer["comment"] = f"{MARKER}-{i}-{cid}"
            answer["feedback"] = f"FEEDBACK-{data['proposal']}-{i}-{cid}"
        data["overall"] = {"grade": 3, "comment": f"{MARKER}-overall-{i}", "feedback": f"FB-OVERALL-{i}"}
        data["declaration"] = {"confidential": True, "conflict": "none", "note": f"{MARKER}-note-{i}"}
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (call / "decisions.yaml").write_text(
        "decisions:\n  CALL26-JR-01: {decision: selected_on_conditions, conditions: [予算を精査すること]}\n"
        "  CALL26-OT-02: {decision: not_selected}\n",
        encoding="utf-8",
    )
    out = tmp_path / "letters"
    result = CliRunner().invoke(app, ["feedback", str(call), "-o", str(out)])
    assert result.exit_code == 0, result.output
    letters = {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.md")}
    assert len(letters) == 11
    titles = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["id"]: yaml.safe_load(p.read_text(encoding="utf-8"))[
            "title"
        ]
        for p in (call / "proposals").glob("*.yaml")
    }
    for pid, text in letters.items():
        assert MARKER not in text
        assert not any(name in text for name in names)
        assert f"FEEDBACK-{pid}-" in text
        assert not any(t in text for other, t in titles.items() if other != pid)
    assert "条件付き採択" in letters["CALL26-JR-01"] and "予算を精査すること" in letters["CALL26-JR-01"]
    assert "上位 0–20%" in letters["CALL26-BC-01"] or "top 0–20%" in letters["CALL26-BC-01"]
    assert "不採択" in letters["CALL26-OT-02"]
    # without a decision, no letter claims one
    assert "採択" not in letters["CALL26-JR-02"].replace("採択候補", "")
    again = CliRunner().invoke(app, ["feedback", str(call), "-o", str(out)])
    assert again.exit_code == 2
    html_out = tmp_path / "html"
    assert CliRunner().invoke(app, ["feedback", str(call), "-o", str(html_out), "-f", "html"]).exit_code == 0
    assert all(MARKER not in p.read_text(encoding="utf-8") for p in html_out.glob("*.html"))


def test_a_broken_decisions_file_is_located(call: Path, tmp_path: Path) -> None:
    from sti_review.letters import load_decisions

    for text in ("decisions:\n  X: {decision: approved}\n", "decisions: [1, 2]\n", "\xff\xfe", ""):
        (call / "decisions.yaml").write_bytes(text.encode("latin-1") if text == "\xff\xfe" else text.encode())
        with pytest.raises(InputError):
            load_decisions(call)
    (call / "decisions.yaml").write_text("decisions:\n  X: {decision: selected_on_conditions}\n")
    with pytest.raises(InputError) as err:
        load_decisions(call)
    assert err.value.problems[0].line == 2


def test_the_reviewers_file_flags_possible_undeclared_conflicts() -> None:
    row = _row(rank_call(CALL), "CALL26-JR-02")
    # 林 直樹 is at "Ｎａｎｋａｉ　Ｕｎｉｖｅｒｓｉｔｙ" (full width): an alias of the lead's 南海大学
    assert row.conflict_flags == [("林 直樹", "南海大学 火山防災研究センター")]
    assert "possible_conflict" in row.marks and row.rank is not None  # flagged, not excluded


def test_researcher_numbers_match_after_nfkc(call: Path) -> None:
    proposal = call / "proposals" / "CALL26-JR-01.yaml"
    data = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    data["team"] = [{"name": "X", "researcher_number": "１０２３４５６７"}]
    proposal.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    row = _row(rank_call(call), "CALL26-JR-01")
    assert ("鈴木 一郎", "10234567") in row.conflict_flags


@pytest.mark.parametrize(
    "text",
    [
        "reviewers: 3\n",
        "reviewers:\n  - {name: X}\n",
        "reviewers: [{id: a, name: b, age: 3}]\n",
        "reviewers: [\n",
    ],
)
def test_a_broken_reviewers_file_is_bad_input(call: Path, text: str) -> None:
    from typer.testing import CliRunner

    from sti_review.cli import app

    (call / "reviewers.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["rank", str(call)])
    assert result.exit_code == 2 and "reviewers.yaml" in result.output + (result.stderr or "")
    assert "Traceback" not in result.output


def test_consolidate_shows_the_exclusion_grades_and_a_missing_reviewer(call: Path) -> None:
    from typer.testing import CliRunner

    from sti_review.cli import app

    folder = call / "reviews" / "CALL26-OT-01"
    _edit(folder / "becker.yaml", declaration={"confidential": True, "conflict": "direct_competitor"})
    _edit(folder / "takahashi.yaml", overall={"grade": 3})
    args = ["consolidate", str(call / "proposals" / "CALL26-OT-01.yaml"), str(folder), "--lang", "en"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "excluded: conflict of interest (a direct competitor)" in result.output
    assert "needs another reviewer" in result.output and "A (very good) × 1" in result.output


def test_consolidate_counts_the_reviews_of_the_stage_asked(call: Path) -> None:
    from typer.testing import CliRunner

    from sti_review.cli import app

    folder = call / "reviews" / "CALL26-OT-01"
    shutil.copy(folder / "becker.yaml", folder / "interview-becker.yaml")
    _edit(folder / "interview-becker.yaml", stage="interview")
    base = ["consolidate", str(call / "proposals" / "CALL26-OT-01.yaml"), str(folder), "--lang", "en"]
    result = CliRunner().invoke(app, [*base, "--stage", "interview"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Stage: interview" in result.output and "needs another reviewer" in result.output
    bad = CliRunner().invoke(app, [*base, "--stage", "hearing"])
    assert bad.exit_code == 2


def test_expected_rank_by_overall_models_the_overall_grades(call: Path) -> None:
    """Issue 18: with --by overall the model's grade is the reviewer's overall grade, on the
    range of the rubric's levels; without it, the weighted percentage on the score scale."""
    from sti_review.stats.call import grade_range, grades_of

    files = sorted((call / "reviews" / "CALL26-OT-01").glob("*.yaml"))
    _edit(files[0], overall={"grade": 4, "comment": "委員会のみ"})
    _edit(files[1], overall={"grade": 1})
    by_overall = rank_call(call, by="overall")
    levels = [lv.value for lv in by_overall.rubric.overall.levels]
    assert grade_range(by_overall) == (min(levels), max(levels))
    grades = grades_of(by_overall).overall
    mine = sorted(g.grade for g in grades if g.proposal == "CALL26-OT-01")
    assert mine[:2] == [1.0, 4.0]
    assert all(g.grade in levels for g in grades)  # only overall grades, never a percentage
    weighted = rank_call(call)
    top = weighted.rubric.scale.max
    assert grade_range(weighted) == (weighted.rubric.scale.min, top)
    assert any(g.grade not in levels for g in grades_of(weighted).overall)


def test_the_example_call_gives_feedback_wherever_its_rubric_requires_it(invoke, tmp_path) -> None:
    """Every low score and every conditional or failed gate of the example call carries text for
    the applicant: `feedback` writes its letters without a warning."""
    res = invoke("feedback", CALL, "-o", tmp_path / "letters")
    assert res.exit_code == 0, res.output
    assert "feedback for the applicant missing" not in res.stderr
