"""The plain-data YAML path (issue 17): a well-formed file is built from libyaml's events
without a node tree; anything else goes through the located path. Both must give the same
data and, for every bad file, the same output, exit code and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sti_review import yamlio
from sti_review.errors import InputError

from .bad_inputs import CASES
from .conftest import DATA, EXAMPLES
from .test_bad_inputs import HEAVY, expectation

BAD = DATA / "bad"
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"


def both_paths(run):
    """run() with the plain-data path, then with the located path only."""
    fast = run()
    yamlio.FAST = False
    try:
        slow = run()
    finally:
        yamlio.FAST = True
    return fast, slow


def outcome(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def commands(kind: str, path: Path) -> list[tuple[object, ...]]:
    if kind == "proposal":
        return [("validate", path), ("assess", path, "--no-input", "--lang", "en"), ("check", path)]
    return [("validate", PROPOSAL, path), ("assess", PROPOSAL, "--review", path, "--no-input")]


CORPUS = [("proposal", p) for p in sorted((BAD / "proposal").glob("*.yaml"))] + [
    ("review", p) for p in sorted((BAD / "review").glob("*.yaml"))
]
GOOD = [("proposal", p) for p in sorted(EXAMPLES.glob("*.yaml")) if "review" not in p.name] + [
    ("review", p) for p in sorted(EXAMPLES.glob("*.review.yaml"))
]


@pytest.mark.parametrize("kind, path", CORPUS + GOOD, ids=lambda x: getattr(x, "stem", x))
def test_corpus_gives_the_same_output_on_both_paths(invoke, kind, path):
    for args in commands(kind, path):
        fast, slow = both_paths(lambda: outcome(invoke(*args)))  # noqa: B023
        assert fast == slow, args


@pytest.mark.parametrize("case", [c for c in CASES if c.name not in HEAVY], ids=str)
def test_generated_bad_files_give_the_same_output_on_both_paths(invoke, tmp_path, case):
    path = tmp_path / f"{case.name}.yaml"
    case.make(path)
    for args in commands(case.kind, path):
        fast, slow = both_paths(lambda: outcome(invoke(*args)))  # noqa: B023
        assert fast == slow, args


@pytest.mark.parametrize("path", sorted((BAD / "rubric").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_rubrics_give_the_same_output_on_both_paths(invoke, tmp_path, path):
    e = expectation(path)
    results = []
    for mode in ("fast", "slow"):  # a fresh copy each time: rubrics are remembered by path
        folder = tmp_path / mode
        shutil.copytree(BAD / "rubric" / "_base", folder)
        shutil.copyfile(path, folder / e.replaces)
        yamlio.FAST = mode == "fast"
        try:
            result = outcome(invoke("criteria", "--rubric", folder, "--lang", "en"))
        finally:
            yamlio.FAST = True
        results.append(result[0:1] + tuple(x.replace(str(folder), "RUBRIC") for x in result[1:]))
    assert results[0] == results[1]


def test_the_plain_path_is_taken_for_a_well_formed_file():
    doc = yamlio.parse(PROPOSAL.read_text(encoding="utf-8"), "p.yaml")
    assert doc._root is None  # no node tree built …
    assert doc.locate(("partners", 0)) != (None, None)  # … until a value is located


# --- generated documents ----------------------------------------------------------------------

SCALARS = st.sampled_from(
    [
        "1", "010", "0x1F", "0b11", "0o17", "1:30", "-1:30", "1_000", "3.5", ".5", "1e3", "1e400",
        ".inf", "-.Inf", ".nan", "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~",
        "", "2026-04-01", "2026-04-01T10:00:00Z", "日本語", "'quoted'", '"dq\\n"', "'010'",
        "!!str 12", "!!int 12", "! 12", "!custom x", "!!binary aGk=", "!!python/name:os.system",
        "&a 1", "*a", "<<: {}", "[1, 2]", "{a: 1}", "[]", "{}", "- x", "x: y: z", "'unclosed",
        "\t1", "1" * 30, "-0", "+1", "0", "00", "1.", "é", "\x85", "#c",
    ]
)  # fmt: skip
KEYS = st.sampled_from(["a", "b", "id", "1", "yes", "010", "null", "~", "'a'", "[k]", "? a", "<<", "a b"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    style = draw(st.sampled_from(["map", "seq", "scalar", "folded", "flow"] if depth < 3 else ["scalar"]))
    pad = "  " * depth
    if style == "scalar":
        return draw(SCALARS)
    if style == "folded":
        lines = draw(
            st.lists(st.sampled_from(["日本語の文", "です。", "english words", "混在 text"]), min_size=1)
        )
        return ">\n" + "".join(f"{pad}  {x}\n" for x in lines)
    if style == "flow":
        items = draw(st.lists(SCALARS, max_size=4))
        return "[" + ", ".join(items) + "]"
    items = draw(st.lists(st.deferred(lambda: documents(depth + 1)), min_size=1, max_size=4))
    out = []
    for item in items:
        head = f"{pad}- " if style == "seq" else f"{pad}{draw(KEYS)}: "
        if "\n" in item and not item.startswith(">"):
            out.append(head.rstrip() + "\n" + item)
        else:
            out.append(head + item + ("" if item.endswith("\n") else "\n"))
    return "".join(out)


def parsed(text: str):
    try:
        doc = yamlio.parse(text, "doc.yaml")
    except InputError as exc:
        return "error", [str(p) for p in exc.problems]
    return "data", _typed(doc.data)


def _typed(x):
    """Data with types made visible (1 == 1.0 == True in Python)."""
    if isinstance(x, dict):
        return {(type(k).__name__, k): _typed(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_typed(v) for v in x]
    if isinstance(x, float) and x != x:
        return ("float", "nan")
    return (type(x).__name__, x)


@settings(max_examples=400, deadline=None)
@given(documents())
def test_generated_documents_parse_the_same_on_both_paths(text):
    fast, slow = both_paths(lambda: parsed(text))
    assert fast == slow


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "a: &x 1\nb: *x\n", "--- 1\n--- 2\n", "", "# only a comment\n", "---\n", "? [a]\n: 1\n",
     "a: !!map {b: 1}\n", "<<: {a: 1}\n", "a: 0x10\nb: 1:30\nc: yes\n", "x: >\n  日本\n  語\n"],
)  # fmt: skip
def test_edge_documents_parse_the_same_on_both_paths(text):
    fast, slow = both_paths(lambda: parsed(text))
    assert fast == slow
