"""Fuzzing the loaders: generated and mangled YAML, and random bytes, never crash them.

Whatever the text, ``yamlio`` and the proposal / review / rubric-checked loaders either return
a result or raise ``InputError`` with located problems that name the file; nothing else
escapes. What loads is then assessed, checked and rendered without crashing either.
"""

from __future__ import annotations

import math
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sti_review.checks import run_checks
from sti_review.errors import InputError
from sti_review.proposal import from_document
from sti_review.report.json import assessment as json_report
from sti_review.report.markdown import assessment as markdown
from sti_review.review import review_from_document
from sti_review.rubric import load_rubric
from sti_review.scoring import assess
from sti_review.validate import detect_kind
from sti_review.yamlio import decode, parse

from .conftest import EXAMPLES

RUBRIC = load_rubric()
SHOWN = "fuzz.yaml"
# STI_REVIEW_FUZZ_EXAMPLES=20000 for a longer run; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("STI_REVIEW_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PROPOSAL_TEXT = (EXAMPLES / "satreps-flood-ews-th.yaml").read_text(encoding="utf-8")
REVIEW_TEXT = (EXAMPLES / "satreps-flood-ews-th.review.yaml").read_text(encoding="utf-8")

# Text that YAML, the contract and terminals find interesting.
SPECIAL = [
    ":",
    ": ",
    "- ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!str ",
    "!!binary ",
    "<<: ",
    "|",
    ">",
    "'",
    '"',
    "\t",
    "\n",
    "\r\n",
    "\ufeff",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\x1b[31m",
    "\u202e",
    "\x85",
    "\u2028",
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "0x1F",
    "010",
    "1:30",
    "yes",
    "NO",
    "~",
    "null",
    "true",
    "4.5",
    "４．５",
    "A1",
    "B.sdgs",
    "score",
    "verdict",
    "na",
    "answers",
    "programme",
    "partners",
    "joint_research",
    "conditional",
    "9" * 5000,
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(SPECIAL),
)
keys = st.one_of(st.text(max_size=12), st.sampled_from(SPECIAL), st.integers(-3, 3))
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)


@st.composite
def mangled(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """YAML text with a few random edits: characters inserted, deleted or repeated, lines
    duplicated or swapped."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            text = draw(st.sampled_from(SPECIAL))
            continue
        i = draw(st.integers(0, len(text)))
        edit = draw(st.integers(0, 4))
        if edit == 0:
            text = text[:i] + draw(st.sampled_from(SPECIAL)) + text[i:]
        elif edit == 1:
            text = text[:i] + draw(st.text(max_size=4)) + text[i:]
        elif edit == 2:
            text = text[:i] + text[i + draw(st.integers(1, 20)) :]
        else:
            lines = text.split("\n")
            j, k = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
            if edit == 3:
                lines.insert(k, lines[j])
            else:
                lines[j], lines[k] = lines[k], lines[j]
            text = "\n".join(lines)
    return text


def dumped(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


generated_yaml = values.map(dumped)
document_shaped = st.fixed_dictionaries(
    {"id": scalars, "title": scalars, "programme": st.sampled_from(["joint_research", "other", "x"])},
    optional={
        "partners": values,
        "answers": values,
        "proposal": scalars,
        "rubric": scalars,
        "objectives": values,
    },
).map(dumped)


def load_everything(text: str) -> None:
    """Every loader on one text; only InputError may come out, and its problems are located."""
    try:
        doc = parse(text, SHOWN)
    except InputError as exc:
        assert_located(exc)
        return
    detect_kind(doc.data)
    loaded = None
    try:
        loaded = from_document(doc, RUBRIC, "sha256:fuzz")
    except InputError as exc:
        assert_located(exc)
    if loaded is not None:
        findings = run_checks(RUBRIC, loaded)
        assert all(f.file == SHOWN for f in findings)
    proposal = loaded.proposal if loaded is not None else example_proposal()
    try:
        review, problems = review_from_document(doc, RUBRIC, proposal)
    except InputError as exc:
        assert_located(exc)
        return
    assert all(p.file == SHOWN for p in problems)
    if review is not None and not problems:
        a = assess(RUBRIC, proposal, review.review)
        json_report.render_text(a, "en")
        markdown.render_text(a, "ja")


def assert_located(exc: InputError) -> None:
    assert exc.problems
    for p in exc.problems:
        assert p.file == SHOWN
        assert p.line is None or p.line >= 1
        assert str(p)


_EXAMPLE = []


def example_proposal():
    if not _EXAMPLE:
        _EXAMPLE.append(from_document(parse(PROPOSAL_TEXT, "p.yaml"), RUBRIC).proposal)
    return _EXAMPLE[0]


@FUZZ
@given(generated_yaml)
def test_generated_yaml(text):
    load_everything(text)


@FUZZ
@given(mangled(document_shaped))
def test_mangled_document_shaped_yaml(text):
    load_everything(text)


@FUZZ
@given(mangled(st.just(PROPOSAL_TEXT)))
def test_mangled_example_proposal(text):
    load_everything(text)


@FUZZ
@given(mangled(st.just(REVIEW_TEXT)))
def test_mangled_example_review(text):
    load_everything(text)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(raw):
    try:
        text = decode(raw, SHOWN)
    except InputError as exc:
        assert_located(exc)
        return
    load_everything(text)


@FUZZ
@given(st.lists(st.sampled_from(SPECIAL), max_size=25).map("".join))
def test_special_tokens_glued_together(text):
    load_everything(text)


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=8))
def test_any_score_is_accepted_or_located(value):
    text = REVIEW_TEXT.replace("score: 4.5", f"score: {dumped(value).splitlines()[0]}", 1)
    try:
        doc = parse(text, SHOWN)
    except InputError as exc:
        assert_located(exc)
        return
    _, problems = review_from_document(doc, RUBRIC, example_proposal())
    score = doc.data["answers"]["A1"].get("score") if isinstance(doc.data["answers"]["A1"], dict) else None
    on_scale = (
        isinstance(score, int | float)
        and not isinstance(score, bool)
        and math.isfinite(score)
        and RUBRIC.scale.on_scale(score)
    )
    assert (not problems) == on_scale, problems
