"""Ranking a call: known rankings, tie-breakers, funding lines, border zones, marks, bad files."""

from __future__ import annotations

import multiprocessing
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from sti_review import callfolder, ranking
from sti_review.errors import InputError, UsageError
from sti_review.ranking import rank_call
from sti_review.rubric import default_rubric_dir
from sti_review.scoring import Outcome

from .calls import proposal_yaml, review_yaml, simple_call, write_call
from .conftest import EXAMPLES

JR, BC, OTHER = "joint_research", "brain_circulation", "other"


def s(a, b, c, x, p=None):
    out = {"A": a, "B": b, "C": c, "X": x}
    if p is not None:
        out["JR"] = out["BC"] = p
    return out


# id -> (programme, section scores, budget). Weighted % by hand: JR and BC (A+1.5B+C+X+P)/27.5
# with B (JR) or A (BC) weighted; other (A+B+C+X)/20.
KNOWN = {
    "J-TOP": (JR, s(5, 5, 5, 5, 5), 100),  # 100%
    "J-S1": (JR, s(5, 4, 4, 4, 4), 50),  # 23/27.5: ties J-S2 and B, broken by A
    "J-S2": (JR, s(4, 4, 5, 4, 4), 80),
    "J-T1": (JR, s(4, 4.5, 4, 4, 4), 60),  # 22.75/27.5: ties J-T2, broken by B (the weighted section)
    "J-T2": (JR, {"A": 4.75, "B": 4, "C": 4, "X": 4, "JR": 4}, 40),
    "J-F1": (JR, s(4, 4, 4, 4, 4), 30),  # 80%: a full tie of three across programmes
    "J-F2": (JR, s(4, 4, 4, 4, 4), 30),
    "B-1": (BC, s(4, 4, 4, 4, 4), 30),
    "O-1": (OTHER, s(4, 4, 4, 4), 10),  # 80% too, but "other" has no weighted section: after
    "J-LOW": (JR, s(4, 2.5, 4, 4, 4), 70),  # below threshold (B < 3)
}
ORDER = ["J-TOP", "J-S1", "J-S2", "J-T1", "J-T2", "B-1", "J-F1", "J-F2", "O-1"]
RANKS = [1, 2, 3, 4, 5, 6, 6, 6, 9]


@pytest.fixture(scope="module")
def known_call(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("known")
    files: dict[str, str] = {}
    for pid, (programme, scores, budget) in KNOWN.items():
        files[f"proposals/{pid}.yaml"] = proposal_yaml(pid, programme, budget=budget)
        crit = {"A1": 5, "A3": 4.5} if scores["A"] == 4.75 else None
        for k in range(3):
            files[f"reviews/{pid}/r{k}.yaml"] = review_yaml(
                pid, f"審査員{k}", scores, programme, criteria=crit
            )
    files["proposals/J-GATE.yaml"] = proposal_yaml("J-GATE", budget=90)
    for k, verdict in enumerate(["fail", "fail"]):
        files[f"reviews/J-GATE/r{k}.yaml"] = review_yaml(
            "J-GATE", f"審査員{k}", s(5, 5, 5, 5, 5), gates={"A2": verdict}
        )
    return write_call(root, files)


def ids(r: ranking.Ranking) -> list[str]:
    return [row.id for row in r.ranked]


def by_id(r: ranking.Ranking) -> dict[str, ranking.RankedProposal]:
    return {row.id: row for row in r.rows}


def test_known_ranking(known_call):
    r = rank_call(known_call)
    assert ids(r) == ORDER
    assert [row.rank for row in r.ranked] == RANKS
    rows = by_id(r)
    assert rows["J-TOP"].weighted_percent == 100
    assert rows["J-S1"].weighted_percent == rows["J-S2"].weighted_percent == Fraction(23 * 100, 55) * 2
    assert rows["O-1"].weighted_percent == rows["J-F1"].weighted_percent == 80
    assert [row.tied for row in r.ranked] == [False] * 5 + [True] * 3 + [False]
    assert not r.problems and r.line is None
    assert all(row.status == "eligible" for row in r.ranked)


def test_ineligible_follow_with_their_outcome(known_call):
    r = rank_call(known_call)
    others = [row for row in r.rows if row.position is None]
    assert [(row.id, row.outcome) for row in others] == [
        ("J-LOW", Outcome.BELOW_THRESHOLD),
        ("J-GATE", Outcome.GATE_FAILED),
    ]
    assert all(row.status == "ineligible" for row in others)


@pytest.mark.parametrize(
    ("tie_breakers", "expected"),
    [
        # the default: the programme's weighted section (B for JR), then B, A, C
        (None, ORDER),
        # A first: J-T2 (A 4.75) now beats J-T1; J-S1 (A 5) still beats J-S2
        (["A", "B", "C"], ["J-TOP", "J-S1", "J-S2", "J-T2", "J-T1", "B-1", "J-F1", "J-F2", "O-1"]),
        # C first: J-S2 (C 5) beats J-S1, then A: J-T2 beats J-T1; "other" joins the 80% tie
        (["C", "A"], ["J-TOP", "J-S2", "J-S1", "J-T2", "J-T1", "B-1", "J-F1", "J-F2", "O-1"]),
    ],
)
def test_tie_breakers_come_from_the_rubric(known_call, tmp_path, tie_breakers, expected):
    rubric = None
    if tie_breakers is not None:
        rubric = tmp_path / "rubric"
        shutil.copytree(default_rubric_dir(), rubric)
        main = rubric / "rubric.yaml"
        text = main.read_text(encoding="utf-8").replace(
            "tie_breakers: [programme_weighted_section, B, A, C]",
            f"tie_breakers: [{', '.join(tie_breakers)}]",
        )
        main.write_text(text, encoding="utf-8")
    r = rank_call(known_call, rubric)
    assert ids(r) == expected
    if tie_breakers == ["C", "A"]:
        assert [row.rank for row in r.ranked][-4:] == [6, 6, 6, 6]  # O-1 joins the tie


def test_an_unknown_tie_breaker_is_a_located_error(tmp_path):
    rubric = tmp_path / "rubric"
    shutil.copytree(default_rubric_dir(), rubric)
    main = rubric / "rubric.yaml"
    text = main.read_text(encoding="utf-8").replace("[programme_weighted_section, B, A, C]", "[B, Q]")
    main.write_text(text, encoding="utf-8")
    from sti_review.rubric import load_rubric

    with pytest.raises(InputError) as exc:
        load_rubric(rubric)
    assert "ranking.tie_breakers[1]: unknown tie-breaker 'Q'" in str(exc.value)


# --- funding line by count -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fund", "funded", "tie_at_line", "border"),
    [
        (1, ["J-TOP"], [], ["J-TOP", "J-S1"]),
        (5, ORDER[:5], [], ["J-T2", "B-1", "J-F1", "J-F2"]),  # zone places 5-6; 6 is a tie of 3
        (6, ORDER[:5], ["B-1", "J-F1", "J-F2"], ["J-T2", "B-1", "J-F1", "J-F2"]),
        (8, ORDER[:8], [], ["B-1", "J-F1", "J-F2", "O-1"]),
        (20, ORDER, [], []),
    ],
)
def test_funding_line_by_count(known_call, fund, funded, tie_at_line, border):
    r = rank_call(known_call, fund=fund)
    status = {row.id: row.status for row in r.ranked}
    assert [i for i in ORDER if status[i] == "funded"] == funded
    assert [i for i in ORDER if status[i] == "tie_at_line"] == tie_at_line
    assert [row.id for row in r.ranked if row.border] == border
    assert r.line.funded == len(funded) and r.line.tie_at_line == bool(tie_at_line)
    assert all(status[i] == "not_funded" for i in ORDER if i not in funded + tie_at_line)
    assert all(row.rereview for row in r.ranked if row.border)


@pytest.mark.parametrize(
    ("fund", "first", "last"),
    [(5, 5, 6), (10, 9, 12), (20, 17, 24), (3, 3, 4), (1, 1, 2), (7, 6, 9)],
)
def test_border_zone_is_80_to_120_percent_of_the_count(tmp_path, fund, first, last):
    # 30 proposals with distinct weighted scores: one proposal per place
    files = {}
    for i in range(30):
        pid = f"P-{i:02d}"
        files[f"proposals/{pid}.yaml"] = proposal_yaml(pid)
        jr = {f"JR{k}": (5 if k <= 7 - (i % 8) else 4.5) for k in range(1, 8)}
        files[f"reviews/{pid}/r.yaml"] = review_yaml(
            pid, "R", s(5, 5, 5, 5, 5), criteria=jr | {"X1": 5 - 0.5 * (i // 8)}
        )
    r = rank_call(write_call(tmp_path, files), fund=fund)
    assert len({row.weighted_percent for row in r.ranked}) == 30
    assert [row.position for row in r.ranked if row.border] == list(range(first, last + 1))


# --- funding line by budget ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "funded", "tie_at_line", "remainder", "border"),
    [
        # cumulative: 100 150 230 290 330 | 360 390 420 (tie) | 430
        (300, ORDER[:4], [], 10, ["J-T1", "J-T2", "B-1", "J-F1", "J-F2"]),
        (350, ORDER[:5], [], 20, ["J-T1", "J-T2", "B-1", "J-F1", "J-F2"]),  # strict: O-1 not slipped in
        (365, ORDER[:5], ["B-1", "J-F1", "J-F2"], 35, ["J-T2", "B-1", "J-F1", "J-F2", "O-1"]),
        (420, ORDER[:8], [], 0, ["B-1", "J-F1", "J-F2", "O-1"]),
        (5000, ORDER, [], 4570, []),
    ],
)
def test_funding_line_by_budget(known_call, budget, funded, tie_at_line, remainder, border):
    r = rank_call(known_call, budget=budget)
    status = {row.id: row.status for row in r.ranked}
    assert [i for i in ORDER if status[i] == "funded"] == funded
    assert [i for i in ORDER if status[i] == "tie_at_line"] == tie_at_line
    assert r.line.mode == "budget" and r.line.remainder == remainder
    assert [row.id for row in r.ranked if row.border] == border
    assert [row.cumulative_budget for row in r.ranked] == [100, 150, 230, 290, 330, 360, 390, 420, 430]


def test_budget_line_needs_every_budget(tmp_path):
    root = simple_call(
        tmp_path,
        {
            "A-1": (JR, s(4, 4, 4, 4, 4), 10),
            "A-2": (JR, s(5, 5, 5, 5, 5), None),
            "A-3": (JR, s(2, 2, 2, 2, 2), None),  # not eligible: its amount does not matter
        },
    )
    r = rank_call(root, budget=100)
    rows = by_id(r)
    assert rows["A-3"].status == "ineligible" and not rows["A-3"].problems
    assert rows["A-2"].status == "invalid"
    assert [str(p) for p in rows["A-2"].problems] == [
        f"{root}/proposals/A-2.yaml:1:1: budget: the requested amount is needed for a --budget line"
    ]
    assert rows["A-1"].status == "funded"
    assert rank_call(root, fund=1).rows[0].id == "A-2"  # without --budget no budget is needed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fund": 2, "budget": 10}, "either --fund or --budget"),
        ({"fund": 0}, "--fund"),
        ({"budget": -1}, "--budget"),
        ({"budget": float("nan")}, "--budget"),
    ],
)
def test_bad_lines_are_usage_errors(known_call, kwargs, message):
    with pytest.raises(UsageError, match=message):
        rank_call(known_call, **kwargs)


# --- disagreement marks ----------------------------------------------------------------------


def test_unresolved_disagreement_marks_a_proposal(tmp_path):
    scores = s(4, 4, 4, 4, 4)
    files = {
        "proposals/D-1.yaml": proposal_yaml("D-1"),
        "reviews/D-1/a.yaml": review_yaml("D-1", "A", scores, criteria={"B3": 2}),
        "reviews/D-1/b.yaml": review_yaml("D-1", "B", scores, criteria={"B3": 4.5}),
        "proposals/D-2.yaml": proposal_yaml("D-2"),
        "reviews/D-2/a.yaml": review_yaml("D-2", "A", scores, criteria={"B3": 2}),
        "reviews/D-2/b.yaml": review_yaml("D-2", "B", scores, criteria={"B3": 4.5}),
        "reviews/D-2/panel.yaml": review_yaml(
            "D-2", "Panel", {}, role="panel", criteria={"B3": 3.5}, gates={"A2": "", "X7": ""}
        ),
        "proposals/D-3.yaml": proposal_yaml("D-3"),
        "reviews/D-3/a.yaml": review_yaml("D-3", "A", scores, gates={"X7": "conditional"}),
        "reviews/D-3/b.yaml": review_yaml("D-3", "B", scores, gates={"X7": "fail"}),
    }
    r = rank_call(write_call(tmp_path, files))
    rows = by_id(r)
    assert rows["D-1"].unresolved == ["B3"] and "disagreement" in rows["D-1"].marks
    assert rows["D-1"].rereview and rows["D-1"].basis == "derived"
    assert rows["D-2"].disagreements == ["B3"] and rows["D-2"].unresolved == []
    assert not rows["D-2"].rereview and rows["D-2"].consensus == "Panel"
    # ineligible proposals are marked too: the discussion may make them eligible
    assert rows["D-3"].outcome is Outcome.GATE_FAILED and rows["D-3"].unresolved == ["X7"]
    assert [row.id for row in r.rereview] == ["D-1", "D-3"]


# --- bad files never drop a proposal silently -------------------------------------------------


def test_bad_files_are_located_and_mark_their_proposal_invalid(tmp_path):
    scores = s(4, 4, 4, 4, 4)
    files = {
        "proposals/OK-1.yaml": proposal_yaml("OK-1"),
        "reviews/OK-1/a.yaml": review_yaml("OK-1", "A", scores),
        # a review with a YAML syntax error
        "proposals/BAD-R.yaml": proposal_yaml("BAD-R"),
        "reviews/BAD-R/a.yaml": review_yaml("BAD-R", "A", scores),
        "reviews/BAD-R/b.yaml": review_yaml("BAD-R", "B", scores).replace(
            "A1: {score: 4,", "A1: {score: [4,"
        ),
        # a proposal missing its programme
        "proposals/BAD-P.yaml": proposal_yaml("BAD-P").replace("programme: joint_research\n", ""),
        "reviews/BAD-P/a.yaml": review_yaml("BAD-P", "A", scores),
        # two files with one id
        "proposals/DUP.yaml": proposal_yaml("DUP"),
        "proposals/DUP-copy.yaml": proposal_yaml("DUP"),
        # a review of a proposal that is not in the call
        "reviews/GHOST/a.yaml": review_yaml("GHOST", "A", scores),
        # a review answering brain-circulation items for a joint-research proposal
        "proposals/WRONG.yaml": proposal_yaml("WRONG"),
        "reviews/WRONG/a.yaml": review_yaml("WRONG", "A", scores) + "  BC1: {score: 4}\n",
        # a review against another rubric
        "proposals/OLD.yaml": proposal_yaml("OLD"),
        "reviews/OLD/a.yaml": review_yaml("OLD", "A", scores).replace("@1", "@0"),
    }
    root = write_call(tmp_path, files)
    r = rank_call(root)
    rows = by_id(r)
    assert ids(r) == ["OK-1"]
    assert [row.id for row in r.invalid] == ["BAD-P", "BAD-R", "DUP", "OLD", "WRONG"]
    text = "\n".join(str(p) for p in r.problems)
    assert f"{root}/reviews/BAD-R/b.yaml:5:" in text and "YAML syntax error" in text
    assert f"{root}/proposals/BAD-P.yaml:1:1: programme: required field is missing" in text
    assert f"{root}/proposals/DUP-copy.yaml:1:1: id: proposal id 'DUP' is used by 2 files" in text
    assert f"{root}/reviews/GHOST/a.yaml:1:1: proposal: no proposal with id 'GHOST'" in text
    assert f"{root}/reviews/WRONG/a.yaml:" in text and "BC1 belongs to section BC" in text
    assert f"{root}/reviews/OLD/a.yaml:3:" in text and "written against mext-sti-international-2021@0" in text
    assert rows["BAD-R"].review_files == [f"{root}/reviews/BAD-R/a.yaml", f"{root}/reviews/BAD-R/b.yaml"]
    assert all(row.outcome is None for row in r.invalid)


def test_an_unreadable_proposal_without_an_id_is_still_listed(tmp_path):
    files = {"proposals/x.yaml": "title: [unclosed\n", "proposals/OK.yaml": proposal_yaml("OK")}
    r = rank_call(write_call(tmp_path, files))
    assert [row.id for row in r.invalid] == [f"{tmp_path}/proposals/x.yaml"]
    assert r.problems[0].line is not None


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputError, match="holds no YAML files"):
        rank_call(tmp_path)
    with pytest.raises(InputError, match="is not a folder"):
        rank_call(tmp_path / "missing")


# --- layouts ---------------------------------------------------------------------------------


def test_side_by_side_layout_and_routing_mistakes_are_put_right(tmp_path):
    scores = s(4, 4, 4, 4, 4)
    flow_review = (
        "{proposal: SIDE-2, reviewer: Flow, rubric: mext-sti-international-2021@1, answers: {"
        + ", ".join(
            f"{c}: {{score: 4}}" for c in ["A1", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"]
        )
        + ", "
        + ", ".join(f"{c}: {{score: 4}}" for c in ["X1", "X2", "X4", "X5", "X6"])
        + ", "
        + ", ".join(f"JR{i}: {{score: 4}}" for i in range(1, 8))
        + ", A2: {verdict: pass}, X7: {verdict: pass}}}\n"
    )
    files = {
        "SIDE-1.yaml": proposal_yaml("SIDE-1").replace("id: SIDE-1", 'id: "SIDE-1"'),
        "SIDE-1.review.yaml": review_yaml("SIDE-1", "A", scores),
        "SIDE-1.review.b.yaml": review_yaml("SIDE-1", "B", scores),
        "panel-a/x/SIDE-2.yaml": proposal_yaml("SIDE-2"),
        "panel-a/x/notes-by-flow.yaml": flow_review,  # routing cannot read the id: fixed afterwards
        "_drafts/ignored.yaml": "not: [valid",
        ".hidden.yaml": "also: ignored",
        "programmes.yaml": (EXAMPLES / "programmes-mext.yaml").read_text(encoding="utf-8"),
    }
    r = rank_call(write_call(tmp_path, files))
    rows = by_id(r)
    assert not r.problems
    assert rows["SIDE-1"].reviewers == ["B", "A"]  # in the order of their files
    assert rows["SIDE-2"].reviewers == ["Flow"]
    assert r.files == 6 and r.review_count == 3


def test_parallel_reading_gives_the_same_ranking(known_call, monkeypatch):
    serial = rank_call(known_call, fund=6, workers=1)
    monkeypatch.setattr(callfolder, "PARALLEL_FROM", 1)
    parallel = rank_call(known_call, fund=6, workers=2)
    key = [(x.id, x.rank, x.status, x.border, x.weighted_percent) for x in serial.rows]
    assert key == [(x.id, x.rank, x.status, x.border, x.weighted_percent) for x in parallel.rows]


def test_workers_started_fresh_for_a_very_large_call_rank_the_same(known_call, monkeypatch):
    """Above SPAWN_FROM files the workers are new interpreters, not forks of a process holding
    the call's listing (issue 17: memory summed over the tree); the ranking is the same."""
    serial = rank_call(known_call, fund=6, workers=1)
    monkeypatch.setattr(callfolder, "PARALLEL_FROM", 1)
    monkeypatch.setattr(callfolder, "SPAWN_FROM", 1)
    methods: list[str] = []
    real = multiprocessing.get_context

    def spy(method=None):  # type: ignore[no-untyped-def]
        methods.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    spawned = rank_call(known_call, fund=6, workers=2)
    assert methods and set(methods) == {"spawn"}
    key = [(x.id, x.rank, x.status, x.border, x.weighted_percent) for x in serial.rows]
    assert key == [(x.id, x.rank, x.status, x.border, x.weighted_percent) for x in spawned.rows]


def test_progress_is_reported(known_call):
    seen: list[tuple[str, int, int]] = []
    rank_call(known_call, progress=lambda *a: seen.append(a))
    assert seen and seen[-1] == ("read", 43, 43)  # 11 proposals, 32 reviews


# --- the shipped example call ----------------------------------------------------------------


def test_example_call():
    r = rank_call(EXAMPLES / "call-2026", fund=5)
    assert ids(r) == [
        "CALL26-BC-01",
        "CALL26-JR-01",
        "CALL26-JR-02",  # ties JR-03 on the weighted score; B decides
        "CALL26-JR-03",
        "CALL26-JR-04",
        "CALL26-BC-02",
        "CALL26-OT-01",  # a full tie
        "CALL26-OT-02",
    ]
    rows = by_id(r)
    assert rows["CALL26-JR-02"].weighted_percent == rows["CALL26-JR-03"].weighted_percent
    assert rows["CALL26-OT-01"].rank == rows["CALL26-OT-02"].rank == 7
    assert [row.id for row in r.rereview] == ["CALL26-JR-04", "CALL26-BC-02", "CALL26-JR-05"]
    assert rows["CALL26-JR-03"].consensus and not rows["CALL26-JR-03"].unresolved
    assert rows["CALL26-JR-05"].outcome is Outcome.GATE_FAILED
    assert rows["CALL26-BC-03"].outcome is Outcome.BELOW_THRESHOLD
    assert rows["CALL26-BC-04"].outcome is Outcome.INCOMPLETE  # one review stopped after section C
    assert r.review_count == 30 and not r.problems


def test_example_call_proposals_carry_their_own_text():
    """Reviewers score what the applicant wrote: only the two proposals whose outcome rests on
    their gaps (BC-03 below threshold, JR-05's A2 gate) fail the pre-check."""
    from sti_review.api import check_proposal
    from sti_review.rubric import load_rubric

    rubric = load_rubric("mext-sti-call-2026")  # the call's own rubric (examples/call-2026/call.yaml)
    failing = {}
    for path in sorted((EXAMPLES / "call-2026" / "proposals").glob("*.yaml")):
        errors = [f for f in check_proposal(path, rubric).findings if f.severity == "error"]
        if errors:
            failing[path.stem] = sorted({f.criterion for f in errors})
    assert failing == {"CALL26-BC-03": ["X4"], "CALL26-JR-05": ["A2"]}
