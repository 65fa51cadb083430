"""Reviewer assignment (issue 19): the pool file, conflicts, affinity, the assignment, packets."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from sti_review.assignment import Infeasible, Options, assign
from sti_review.institutions import institution_key
from sti_review.proposal import Proposal
from sti_review.reviewers import Reviewer

from .calls import review_yaml
from .conftest import DATA

pytest.importorskip("sklearn")
pytest.importorskip("scipy")

CALL = DATA / "assign" / "call"
POOL = DATA / "assign" / "pool.yaml"
YEAR = ("--year", "2026")
PLANTED = {
    ("r-todai", "P-UT"),
    ("r-fullwidth", "P-UT"),
    ("r-past", "P-KY"),
    ("r-number", "P-KY"),
    ("r-collab", "P-OS"),
    ("r-declared", "P-UT"),
    ("r-declared", "P-XX"),
    ("r-en2", "P-KY"),
}


def copy_call(tmp_path: Path) -> Path:
    dest = tmp_path / "call"
    shutil.copytree(CALL, dest)
    return dest


# ------------------------------------------------------------------------------- institutions


@pytest.mark.parametrize(
    "name",
    [
        "東京大学",
        "東大",
        "The University of Tokyo",
        "University of Tokyo, Institute of Industrial Science",
        "ＵＴｏｋｙｏ",
        "東京大学　大学院工学系研究科",
        "ＴＨＥ ＵＮＩＶＥＲＳＩＴＹ ＯＦ ＴＯＫＹＯ",
    ],
)
def test_spellings_of_the_university_of_tokyo_are_one_institution(name: str) -> None:
    assert institution_key(name) == institution_key("東京大学")


@pytest.mark.parametrize("name", ["東大阪大学", "UM Dearborn", "Tokyo University of Science", "京都産業大学"])
def test_names_that_only_look_alike_are_not_merged(name: str) -> None:
    assert institution_key(name) not in (institution_key("東京大学"), institution_key("Universiti Malaya"))
    assert institution_key(name) != institution_key("京都大学")


def test_kyoto_and_departments() -> None:
    assert institution_key("京大") == institution_key("Kyoto University, Graduate School of Informatics")
    assert institution_key("北辰大学 農学研究院") == institution_key("北辰大学 数理科学研究所")


# ---------------------------------------------------------------------------------- conflicts


def test_every_planted_conflict_is_found_with_its_reasons(invoke) -> None:
    result = invoke("conflicts", CALL, "--reviewers", POOL, *YEAR, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = {(c["reviewer"], c["proposal"]): c for c in data["conflicts"]}
    assert set(found) == PLANTED
    kinds = {k: {r["kind"] for r in c["reasons"]} for k, c in found.items()}
    assert kinds["r-number", "P-KY"] == {"researcher_number"}
    assert kinds["r-collab", "P-OS"] == {"collaborator"}
    assert kinds["r-declared", "P-XX"] == {"declared_proposal"}
    assert kinds["r-declared", "P-UT"] == {"declared_person"}
    assert kinds["r-past", "P-KY"] == {"institution"}
    past = found["r-past", "P-KY"]["reasons"][0]
    assert past["year"] == 2023 and past["reviewer_side"] == "京大"


def test_the_window_decides_past_affiliations_and_collaborations(invoke) -> None:
    # In 2030, r-past's 2023 stay at Kyoto and r-collab's 2024 joint work are over 5 years ago.
    result = invoke("conflicts", CALL, "--reviewers", POOL, "--year", "2030", "-f", "json")
    pairs = {(c["reviewer"], c["proposal"]) for c in json.loads(result.stdout)["conflicts"]}
    assert ("r-past", "P-KY") not in pairs and ("r-collab", "P-OS") not in pairs
    result = invoke("conflicts", CALL, "--reviewers", POOL, "--year", "2030", "--years", "10", "-f", "json")
    pairs = {(c["reviewer"], c["proposal"]) for c in json.loads(result.stdout)["conflicts"]}
    assert {("r-past", "P-KY"), ("r-collab", "P-OS")} <= pairs
    # ...and 2019 at Osaka counts within 10 years of 2026
    result = invoke("conflicts", CALL, "--reviewers", POOL, *YEAR, "--years", "10", "-f", "json")
    pairs = {(c["reviewer"], c["proposal"]) for c in json.loads(result.stdout)["conflicts"]}
    assert ("r-past", "P-OS") in pairs


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "csv"])
def test_conflict_reports_keep_japanese(invoke, fmt: str) -> None:
    result = invoke("conflicts", CALL, "--reviewers", POOL, *YEAR, "-f", fmt, "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "共同研究者 川口　修" in result.stdout or "共同研究者 川口 修" in result.stdout
    assert "所属機関が同じ" in result.stdout


def test_reasons_in_english(invoke) -> None:
    result = invoke("conflicts", CALL, "--reviewers", POOL, *YEAR, "-f", "markdown", "--lang", "en")
    assert "same researcher number 33334444" in result.stdout
    assert "declared by the reviewer: 元指導学生 / former student" in result.stdout


# ---------------------------------------------------------------------------- hostile pools

_GOOD = """reviewers:
  - {id: a, name: A, max_load: 2}
"""


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("reviewers:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", 3, "reviewers[1].id", "used twice"),
        ("reviewers:\n  - {id: a, name: A, min_load: 3, max_load: 2}\n", 2, "reviewers[0]", "min_load (3)"),
        ("reviewers:\n  - {id: a, name: A, researcher_number: '1234'}\n", 2, "researcher_number", "pattern"),
        ("reviewers:\n  - {id: a, name: A, researcher_number: 12345678}\n", 2, "researcher_number", "text"),
        (
            "reviewers:\n  - id: a\n    name: A\n    conflicts: [{proposal: P-UX}]\n",
            4,
            "proposal",
            "unknown proposal 'P-UX' in the call (did you mean",
        ),
        ("reviewers:\n  - {id: a, name: A, max_load: three}\n", 2, "max_load", "whole number"),
        ("reviewers:\n  - {id: a, name: A, max_load: 2.5}\n", 2, "max_load", "whole number"),
        ("reviewers:\n  - {id: a, name: A, languages: [japanese]}\n", 2, "languages", "ISO 639-1"),
        ("reviewers:\n  - {id: a, name: A, country: jp}\n", 2, "country", "did you mean JP"),
        ("reviewers:\n  - {id: a, name: A, colleagues: []}\n", 2, "colleagues", "unknown field"),
        ("reviewers:\n  - {id: a, name: A, conflicts: [{note: x}]}\n", 2, "conflicts[0]", "exactly one"),
        (
            "reviewers:\n  - id: a\n    name: A\n"
            "    affiliations: [{institution: X, since: 2020, until: 2010}]\n",
            4,
            "affiliations[0]",
            "after until",
        ),
        ("reviewers:\n  - {id: a, name: A, collaborators: [{name: B, year: last}]}\n", 2, "year", "year"),
        ("reviewers: []\n", 1, "reviewers", "at least 1"),
        ("reviewers: a list\n", 1, "reviewers", "must be a list"),
        ("- a\n- b\n", 1, None, "must be a YAML mapping"),
    ],
)
def test_bad_pools_are_located(invoke, write, text, line, field, message) -> None:
    pool = write("pool.yaml", text)
    result = invoke("conflicts", CALL, "--reviewers", pool, *YEAR)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [x for x in result.stderr.splitlines() if x.startswith(f"error: {pool}:{line}:")]
    assert any(message in x and (field is None or field in x) for x in lines), result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        ("reviewers:\n  - {id: a, name: 審査員}\n".encode("shift_jis"), "UTF-8"),
        (b"reviewers: [\n", "YAML"),
        (b"\x00\x01\x02", ""),
    ],
)
def test_unreadable_pools(invoke, write, content: bytes, message: str) -> None:
    pool = write("pool.yaml", content)
    result = invoke("conflicts", CALL, "--reviewers", pool, *YEAR)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(pool) in result.stderr and message in result.stderr


def test_huge_pool_is_refused_at_once(invoke, write) -> None:
    pool = write("pool.yaml", "reviewers:\n" + "  - {id: a, name: A}\n" * 300_000)
    result = invoke("conflicts", CALL, "--reviewers", pool, *YEAR)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_missing_pool_file(invoke, tmp_path) -> None:
    result = invoke("conflicts", CALL, "--reviewers", tmp_path / "nope.yaml", *YEAR)
    assert result.exit_code == 2 and "nope.yaml" in result.stderr


def test_pool_validates_and_has_a_schema(invoke, examples) -> None:
    result = invoke("validate", POOL, examples / "call-2026" / "reviewers.yaml")
    assert result.exit_code == 0, result.output
    assert "(reviewers)" in result.stdout
    schema = json.loads(invoke("schema", "reviewers").stdout)
    reviewer = schema["$defs"]["Reviewer"]["properties"]
    assert {"researcher_number", "affiliations", "collaborators", "max_load", "languages"} <= set(reviewer)


# --------------------------------------------------------------------------------- assignment


def assigned(invoke, *args, pool: Path = POOL, call: Path = CALL):  # type: ignore[no-untyped-def]
    result = invoke("assign", call, "--reviewers", pool, *YEAR, "-f", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_assignment_holds_every_constraint(invoke) -> None:
    data = assigned(invoke, "-k", "3")
    pairs = {(p["reviewer"], p["proposal"]) for p in data["pairs"]}
    assert not pairs & PLANTED
    by_proposal: dict[str, list[str]] = {}
    for reviewer, proposal in pairs:
        by_proposal.setdefault(proposal, []).append(reviewer)
    assert sorted(by_proposal) == ["P-KY", "P-OS", "P-UT", "P-XX"]
    assert all(len(v) == 3 for v in by_proposal.values())
    loads = {row["id"]: row for row in data["loads"]}
    for row in loads.values():
        assert row["min"] <= row["load"] <= (row["max"] if row["max"] is not None else 99)
    reads_ja = {"r-todai", "r-fullwidth", "r-past", "r-collab", "r-declared", "r-ja1"}
    for pid in ("P-UT", "P-OS"):  # the Japanese proposals
        assert set(by_proposal[pid]) & reads_ja
    total = sum(p["affinity"] for p in data["pairs"])
    assert total == pytest.approx(data["objective"])
    # the evidence shown is words both texts use, never a piece of a word ("ostd", 「レーシ」)
    terms = {(p["proposal"], p["reviewer"]): p["terms"] for p in data["pairs"]}
    assert "biodiversity" in terms["P-XX", "r-en1"] and "薬剤耐性" in terms["P-OS", "r-past"]
    texts = {f.stem: f.read_text(encoding="utf-8").casefold() for f in (CALL / "proposals").glob("*.yaml")}
    pool = POOL.read_text(encoding="utf-8").casefold()
    for p in data["pairs"]:
        for term in p["terms"]:
            assert term in texts[p["proposal"]] and term in pool, term
            if term.isascii():
                assert re.search(rf"\b{re.escape(term)}\b", texts[p["proposal"]]), term


def test_the_objective_is_the_optimum_an_exhaustive_search_finds(invoke) -> None:
    """Brute force over every way to give each proposal 2 of its eligible reviewers."""
    data = assigned(invoke, "-k", "2")
    from sti_review.affinity import compute
    from sti_review.conflicts import read_call_and_pool
    from sti_review.rubric import load_rubric

    call = read_call_and_pool(CALL, POOL, load_rubric(None))
    scores = compute(call.proposals, call.reviewers).scores
    best = _brute_force(call.proposals, call.reviewers, scores, PLANTED, k=2)
    assert data["objective"] == pytest.approx(best, abs=1e-6)


def _brute_force(proposals, reviewers, scores, conflicts, k, outside_region=False):  # type: ignore[no-untyped-def]
    from sti_review.assignment import outside, proposal_language, proposal_regions

    options = []
    for i, p in enumerate(proposals):
        ok = [j for j, r in enumerate(reviewers) if (r.id, p.id) not in conflicts]
        combos = []
        for c in itertools.combinations(ok, k):
            if not any(reviewers[j].reads(proposal_language(p)) for j in c):
                continue
            if outside_region and not any(outside(reviewers[j], proposal_regions(p)) for j in c):
                continue
            combos.append((sum(float(scores[i, j]) for j in c), c))
        combos.sort(reverse=True)
        options.append(combos)
    best = -1.0
    for choice in itertools.product(*options):
        loads = [0] * len(reviewers)
        for _, c in choice:
            for j in c:
                loads[j] += 1
        if all(
            r.min_load <= loads[j] <= (r.max_load if r.max_load is not None else 10**9)
            for j, r in enumerate(reviewers)
        ):
            best = max(best, sum(s for s, _ in choice))
    return best


def _people(
    n: int, langs: list[list[str]], max_load: int, countries: list[str] | None = None
) -> list[Reviewer]:
    return [
        Reviewer(
            id=f"r{j}",
            name=f"R{j}",
            languages=langs[j % len(langs)],
            max_load=max_load,
            country=(countries[j % len(countries)] if countries else None),
        )
        for j in range(n)
    ]


def _proposals(n: int, ja: int, country: str = "TH") -> list[Proposal]:
    return [
        Proposal(
            id=f"p{i}",
            title="日本語の課題名" if i < ja else "An English title",
            programme="joint_research",
            partners=[{"country": country}],
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_on_random_instances_with_language_and_region(seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    props = _proposals(4, ja=2)
    people = _people(6, [["ja"], ["en"], ["ja", "en"]], max_load=2, countries=["JP", "TH", "VN"])
    people[0] = people[0].model_copy(update={"min_load": 1})
    scores = rng.random((4, 6)).astype("float32")
    conflicts = {("r1", "p0"), ("r2", "p3")}
    for region in (False, True):
        result = assign(props, people, scores, conflicts, Options(2, outside_region=region))
        best = _brute_force(props, people, scores, conflicts, 2, outside_region=region)
        assert result.objective == pytest.approx(best, abs=1e-5)


def test_fair_raises_the_weakest_proposal() -> None:
    import numpy as np

    # Reviewer r0 is excellent for both proposals; one of them must do without.
    scores = np.array([[0.9, 0.1, 0.0], [0.8, 0.0, 0.5]], dtype="float32")
    people = _people(3, [["ja", "en"]], max_load=1)
    props = _proposals(2, ja=0)
    plain = assign(props, people, scores, set(), Options(1))
    fair = assign(props, people, scores, set(), Options(1, fair=True))
    assert plain.objective == pytest.approx(1.4)  # 0.9 + 0.5
    assert plain.weakest == pytest.approx(0.5)
    assert fair.weakest == pytest.approx(0.5)
    scores = np.array([[1.0, 0.3, 0.0], [0.2, 0.0, 0.0]], dtype="float32")
    plain = assign(props, people, scores, set(), Options(1))
    fair = assign(props, people, scores, set(), Options(1, fair=True))
    assert plain.weakest == pytest.approx(0.0) and plain.objective == pytest.approx(1.0)
    assert fair.weakest == pytest.approx(0.2) and fair.objective == pytest.approx(0.5)


def test_sparsified_assignment_is_feasible_and_not_better_than_exact() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    props = _proposals(30, ja=10)
    people = _people(20, [["ja", "en"], ["en"]], max_load=6)
    scores = rng.random((30, 20)).astype("float32")
    exact = assign(props, people, scores, set(), Options(3))
    sparse = assign(props, people, scores, set(), Options(3, candidates=6))
    assert sparse.objective <= exact.objective + 1e-6
    assert sparse.objective >= 0.9 * exact.objective
    assert sparse.variables < exact.variables


def test_outside_region_option(invoke) -> None:
    data = assigned(invoke, "-k", "2", "--outside-region")
    countries = {"r-en1": "GB", "r-en2": "DE", "r-number": "US", "r-ke": "KE"}
    partner = {"P-UT": "TH", "P-KY": "DE", "P-OS": "KE", "P-XX": "BR"}
    from sti_review.assignment import rubric_regions

    COUNTRY_REGION = rubric_regions()

    for pid, country in partner.items():
        mine = [p["reviewer"] for p in data["pairs"] if p["proposal"] == pid]
        regions = {COUNTRY_REGION[countries.get(r, "JP")] for r in mine}
        assert regions - {COUNTRY_REGION[country]}, (pid, mine)


# ------------------------------------------------------------------------------- infeasible


def test_too_few_reviewers_free_of_conflicts(invoke) -> None:
    result = invoke("assign", CALL, "--reviewers", POOL, *YEAR, "-k", "8", "--lang", "en")
    assert result.exit_code == 2
    assert "No assignment is possible" in result.stderr
    assert "P-KY (7 of 8 without a conflict)" in result.stderr
    assert "Traceback" not in result.output


def test_language_shortfall_is_named(invoke, write) -> None:
    pool = write(
        "pool.yaml",
        "reviewers:\n" + "".join(f"  - {{id: e{i}, name: E{i}, languages: [en]}}\n" for i in range(6)),
    )
    result = invoke("assign", CALL, "--reviewers", pool, *YEAR, "-k", "2", "--lang", "ja")
    assert result.exit_code == 2
    assert "言語を読める審査委員" in result.stderr
    assert "P-UT (ja)" in result.stderr and "P-OS (ja)" in result.stderr


def test_capacity_shortfall_says_how_many(invoke, write) -> None:
    pool = write(
        "pool.yaml",
        "reviewers:\n" + "".join(f"  - {{id: e{i}, name: E{i}, max_load: 1}}\n" for i in range(6)),
    )
    result = invoke("assign", CALL, "--reviewers", pool, *YEAR, "-k", "2", "--lang", "en")
    assert result.exit_code == 2
    assert "maximum loads fall short by 2" in result.stderr


def test_combined_infeasibility_is_diagnosed() -> None:
    # Each proposal alone is fine and capacity suffices, but the only Japanese reader can take one.
    props = _proposals(2, ja=2)
    people = [
        Reviewer(id="ja", name="J", languages=["ja"], max_load=1),
        Reviewer(id="en1", name="E1", languages=["en"], max_load=2),
        Reviewer(id="en2", name="E2", languages=["en"], max_load=2),
    ]
    import numpy as np

    with pytest.raises(Infeasible) as err:
        assign(props, people, np.ones((2, 3), dtype="float32"), set(), Options(2))
    kinds = {s.constraint for s in err.value.shortfalls}
    assert "language" in kinds or "max_load" in kinds


def test_missing_extra_is_a_clear_message(invoke, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    result = invoke("assign", CALL, "--reviewers", POOL, *YEAR)
    assert result.exit_code == 2
    assert "pip install 'sti-review[assign]'" in result.stderr
    assert "追加パッケージ" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "terminal"])
def test_assignment_reports(invoke, fmt: str, tmp_path) -> None:
    out = tmp_path / f"a.{fmt}"
    result = invoke("assign", CALL, "--reviewers", POOL, *YEAR, "-f", fmt, "-o", out, "--lang", "ja")
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "松本 六子" in text or "Emma Brown" in text
    if fmt != "csv":
        assert "専門性の適合が最も低い提案" in text
    again = invoke("assign", CALL, "--reviewers", POOL, *YEAR, "-f", fmt, "-o", out)
    assert again.exit_code == 2  # no overwrite without --force


# ---------------------------------------------------------------------------------- packets


def _fill(path: Path, reviewer: str) -> None:
    """What a reviewer's program does: keep the header, write complete answers."""
    text = path.read_text("utf-8")
    pid = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("proposal: "))
    answers = review_yaml(pid, reviewer, {"A": 4, "B": 4, "C": 3.5, "X": 4, "JR": 4}).split("answers:\n")[1]
    path.write_text(text.replace("answers: {}\n", "answers:\n" + answers), "utf-8")


def test_packets_round_trip_then_rank(invoke, tmp_path) -> None:
    call = copy_call(tmp_path)
    packets = tmp_path / "packets"
    result = invoke("assign", call, "--reviewers", POOL, *YEAR, "-k", "2", "--packets", packets, "-f", "json")
    assert result.exit_code == 0, result.output
    manifest = json.loads((packets / "assignment.json").read_text("utf-8"))
    pairs = {(p["reviewer"], p["proposal"]) for p in json.loads(result.stdout)["pairs"]}
    assert {(r, p) for r, v in manifest["reviewers"].items() for p in v["proposals"]} == pairs
    folders = sorted(p for p in packets.iterdir() if p.is_dir())
    prepared = sorted(packets.glob("*/reviews/*.yaml"))
    assert len(prepared) == len(pairs)
    # The prepared files are valid, in-progress reviews.
    validated = invoke("validate", *prepared)
    assert validated.exit_code == 0, validated.output
    text = prepared[0].read_text("utf-8")
    assert "利益相反・守秘の申告" in text and "Conflict-of-interest and confidentiality" in text
    readme = (folders[0] / "README.md").read_text("utf-8")
    assert "sti-review assess" in readme
    assert any((f / "proposals").iterdir() for f in folders)

    # Nothing filled in yet: everything is missing, nothing is copied.
    first = invoke("collect", packets, call)
    assert first.exit_code == 0, first.output
    assert not (call / "reviews").exists()
    assert "missing P-" in first.stdout

    for path in prepared:
        _fill(path, path.parent.parent.name)
    done = invoke("collect", packets, call, "--lang", "en")
    assert done.exit_code == 0, done.output
    collected = sorted(call.glob("reviews/*/*.yaml"))
    assert {(p.stem, p.parent.name) for p in collected} == pairs
    assert "missing —" in done.stdout
    ranked = invoke("rank", call)
    assert ranked.exit_code == 0, ranked.output
    # Collecting again changes nothing.
    again = invoke("collect", packets, call, "--lang", "en")
    assert again.exit_code == 0 and "already collected (unchanged)" in again.stdout


def test_collect_refuses_unassigned_and_never_overwrites(invoke, tmp_path) -> None:
    call = copy_call(tmp_path)
    packets = tmp_path / "packets"
    invoke("assign", call, "--reviewers", POOL, *YEAR, "-k", "2", "--packets", packets, "-f", "json")
    manifest = json.loads((packets / "assignment.json").read_text("utf-8"))
    rid, info = next(iter(manifest["reviewers"].items()))
    folder = packets / rid
    review = folder / "reviews" / f"{info['proposals'][0]}.yaml"
    _fill(review, rid)
    stranger = next(p for p in ("P-UT", "P-KY", "P-OS", "P-XX") if p not in info["proposals"])
    (folder / "reviews" / "extra.yaml").write_text(
        review_yaml(stranger, rid, {"A": 3, "B": 3, "C": 3, "X": 3, "JR": 3}), "utf-8"
    )
    # Adding the proposal to the reviewer's own copy of the manifest does not help.
    mine = json.loads((folder / "assignment.json").read_text("utf-8"))
    mine["proposals"].append({"proposal": stranger, "review": f"reviews/{stranger}.yaml"})
    (folder / "assignment.json").write_text(json.dumps(mine), "utf-8")
    result = invoke("collect", folder, call, "--lang", "en")
    assert result.exit_code == 2
    assert f"refused: {folder / 'reviews' / 'extra.yaml'}" in result.stdout
    assert f"{stranger} was not assigned to {rid}" in result.stdout
    assert not (call / "reviews" / stranger).exists()
    dest = call / "reviews" / info["proposals"][0] / f"{rid}.yaml"
    assert dest.exists()
    (folder / "reviews" / "extra.yaml").unlink()

    # A different review of the same pair is not overwritten without --force.
    review.write_text(review.read_text("utf-8").replace("score: 4,", "score: 2,"), "utf-8")
    before = dest.read_text("utf-8")
    kept = invoke("collect", folder, call, "--lang", "en")
    assert kept.exit_code == 2 and "use --force" in kept.stdout
    assert dest.read_text("utf-8") == before
    forced = invoke("collect", folder, call, "--force")
    assert forced.exit_code == 0
    assert "score: 2," in dest.read_text("utf-8")


def test_collect_rejects_a_broken_review_and_a_folder_without_manifest(invoke, tmp_path) -> None:
    call = copy_call(tmp_path)
    packets = tmp_path / "packets"
    invoke("assign", call, "--reviewers", POOL, *YEAR, "-k", "2", "--packets", packets, "-f", "json")
    rid = next(p.name for p in packets.iterdir() if p.is_dir())
    review = next((packets / rid / "reviews").glob("*.yaml"))
    review.write_text(review.read_text("utf-8").replace("answers: {}", "answers:\n  A1: {score: 9}"), "utf-8")
    result = invoke("collect", packets / rid, call)
    assert result.exit_code == 2 and "invalid review file" in result.stdout
    bare = tmp_path / "bare"
    bare.mkdir()
    result = invoke("collect", bare, call)
    assert result.exit_code == 2 and "assignment.json" in result.stderr
    (bare / "assignment.json").write_text("{not json", "utf-8")
    result = invoke("collect", bare, call)
    assert result.exit_code == 2 and "not a packet manifest" in result.stderr
    assert "Traceback" not in result.output


def test_example_pool_runs_on_the_example_call(invoke, examples) -> None:
    call = examples / "call-2026"
    result = invoke("conflicts", call, "--reviewers", call / "reviewers.yaml", *YEAR, "-f", "json")
    assert result.exit_code == 0, result.output
    pairs = {(c["reviewer"], c["proposal"]) for c in json.loads(result.stdout)["conflicts"]}
    assert ("nakamura", "CALL26-OT-01") not in pairs  # left in 2015, outside the window
    assert len(pairs) >= 5
    result = invoke("assign", call, "--reviewers", call / "reviewers.yaml", *YEAR, "-f", "json")
    assert result.exit_code == 0, result.output
    assert not {(p["reviewer"], p["proposal"]) for p in json.loads(result.stdout)["pairs"]} & pairs
    assert invoke("rank", call).exit_code == 0


def test_fair_on_the_cli_reports_whether_it_is_proven(invoke) -> None:
    plain = assigned(invoke, "-k", "2")
    fair = assigned(invoke, "-k", "2", "--fair")
    assert fair["fair_status"] == "optimal"
    assert fair["weakest"] >= plain["weakest"] - 1e-9
    assert fair["objective"] <= plain["objective"] + 1e-9
    assert plain["fair_status"] is None


def test_assignment_workbook_lists_every_pair(invoke, tmp_path) -> None:
    import openpyxl

    out = tmp_path / "assignment.xlsx"
    result = invoke(
        "assign", CALL, "--reviewers", POOL, *YEAR, "-k", "2", "-f", "xlsx", "-o", out, "--lang", "ja"
    )
    assert result.exit_code == 0, result.output
    data = assigned(invoke, "-k", "2")
    wb = openpyxl.load_workbook(out)
    pairs_sheet = wb.worksheets[1]
    rows = list(pairs_sheet.iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[3]) for r in rows} == {(p["proposal"], p["reviewer"]) for p in data["pairs"]}
    assert all(isinstance(r[5], int | float) for r in rows)  # affinities are numbers, not text
    assert pairs_sheet.cell(row=1, column=1).value == "提案"  # headers in the report language


def test_assignment_workbook_needs_an_output_file(invoke) -> None:
    result = invoke("assign", CALL, "--reviewers", POOL, *YEAR, "-f", "xlsx")
    assert result.exit_code == 2  # refused before any work, never an internal error
    assert "-o FILE.xlsx" in result.stderr
