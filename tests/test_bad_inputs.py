"""The bad-input corpus: every broken, hostile or mangled file ends with exit code 2 and a
message naming the file and, where there is one, the line — never a traceback — and with a
bounded amount of output (a bound on work done, which a slow machine cannot break; how long it
takes is measured by benchmarks/bad_inputs.py).

- ``tests/data/bad/{proposal,review,rubric}/*.yaml`` are text files; the first line of each says
  where the error is and what the message says: ``# expect: LINE TEXT`` (``-`` for no line).
  A rubric file replaces one file (``# replaces: …``) of the small valid rubric in
  ``tests/data/bad/rubric/_base``.
- ``tests/bad_inputs.py`` writes the files whose bytes matter (encodings, binary, huge, bombs).
- A copy of the shipped rubric is broken in many ways and passed with ``--rubric``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sti_review.errors import MAX_PROBLEMS

from .bad_inputs import CASES, Case, good_variants
from .conftest import BASE_ENV, DATA, EXAMPLES, ROOT

BAD = DATA / "bad"
OUTPUT_BOUND = 128 * 1024  # characters of stdout + stderr, for each command on each file
HANG_AFTER = 60  # seconds: a hang guard, not a speed goal
ERROR_LINES_BOUND = MAX_PROBLEMS + 5  # error lines: the cap on problems, and a summary
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
SHIPPED_RUBRIC = ROOT / "criteria" / "mext-sti-international-2021"


@dataclass(frozen=True)
class Expect:
    line: int | None
    text: str
    check_exit: int = 2
    validate_exit: int = 2
    replaces: str | None = None


def expectation(path: Path) -> Expect:
    head = path.read_text(encoding="utf-8").splitlines()[:4]
    m = re.fullmatch(r"# expect: (\d+|-) (.+)", head[0])
    assert m, f"{path}: the first line must be '# expect: LINE TEXT'"
    check = next((int(x.group(1)) for h in head if (x := re.match(r"# check: (\d)", h))), 2)
    valid = next((int(x.group(1)) for h in head if (x := re.match(r"# validate: (\d)", h))), 2)
    replaces = next((x.group(1) for h in head if (x := re.match(r"# replaces: (\S+)", h))), None)
    return Expect(None if m.group(1) == "-" else int(m.group(1)), m.group(2), check, valid, replaces)


def assert_valid(result) -> None:
    """For the few files that are bad only in context: `validate` alone finds them valid."""
    assert result.exit_code == 0 and "Traceback" not in result.stdout + result.stderr, result.stderr


def corpus(kind: str) -> list[Path]:
    return sorted((BAD / kind).glob("*.yaml"))


def assert_located(result, shown: str | Path, line: int | None, text: str, code: int = 2) -> None:
    """Exit code, no traceback, and an error line naming the file (and line) with the text."""
    out = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out
    assert result.exit_code == code, out[-2000:]
    where = f"{shown}:{line}:" if line is not None else f"{shown}:"
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert any(ln.startswith(f"error: {where}") and text in ln for ln in lines), (
        f"no error at {where} saying {text!r}; got:\n" + "\n".join(lines[:20])
    )


def assert_bounded(out: str, err: str, what: str) -> None:
    """However large or hostile the input, what is said about it is bounded."""
    assert len(out) + len(err) <= OUTPUT_BOUND, f"{what}: {len(out) + len(err)} characters of output"
    errors = sum(1 for ln in err.splitlines() if ln.startswith("error: "))
    assert errors <= ERROR_LINES_BOUND, f"{what}: {errors} error lines"


class Hung(Exception):
    pass


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_AFTER):
    """Turn a hang (a named pipe opened for reading, say) into a failure instead of a suite that
    never ends. Not a speed limit: far above anything a slow machine takes."""

    def fail(signum, frame):
        raise Hung(f"still running after {seconds} s: it hangs")

    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def bounded(invoke):
    """``invoke`` that also checks the output is bounded (no clock: see benchmarks/bad_inputs.py)."""

    def run(*args):
        with hang_guard():
            result = invoke(*args)
        assert_bounded(result.stdout, result.stderr, " ".join(map(str, args)))
        return result

    return run


# --- the committed corpus ---------------------------------------------------------------------


def test_the_corpus_is_large_enough():
    committed = sum(len(corpus(k)) for k in ("proposal", "review", "rubric"))
    assert committed + len(CASES) >= 40
    assert all(len(corpus(k)) >= 15 for k in ("proposal", "review", "rubric"))


@pytest.mark.parametrize("path", corpus("proposal"), ids=lambda p: p.stem)
def test_bad_proposal(bounded, path):
    e = expectation(path)
    if e.validate_exit == 0:  # a valid file of another kind: a review given as a proposal
        assert_valid(bounded("validate", path))
    else:
        assert_located(bounded("validate", path), path, e.line, e.text)
    assert_located(bounded("assess", path, "--no-input"), path, e.line, e.text)
    result = bounded("check", path)
    if e.check_exit == 2:
        assert_located(result, path, e.line, e.text)
    else:  # unknown ids are findings of `check`, located in its report
        assert result.exit_code == e.check_exit and "Traceback" not in result.stdout
        assert f"{path}:{e.line}" in result.stdout


@pytest.mark.parametrize("path", corpus("review"), ids=lambda p: p.stem)
def test_bad_review(bounded, path):
    e = expectation(path)
    if e.validate_exit == 0:  # a review of a proposal not given: nothing to cross-check
        assert_valid(bounded("validate", PROPOSAL, path))
    else:
        assert_located(bounded("validate", PROPOSAL, path), path, e.line, e.text)
    assert_located(bounded("assess", PROPOSAL, "--review", path, "--no-input"), path, e.line, e.text)


@pytest.fixture
def rubric_copy(tmp_path):
    """A fresh copy of a rubric folder in tmp_path (a new path each time, so never cached)."""

    def copy(source: Path) -> Path:
        target = tmp_path / f"rubric-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(source, target)
        return target

    yield copy


@pytest.mark.parametrize("path", corpus("rubric"), ids=lambda p: p.stem)
def test_bad_rubric(bounded, rubric_copy, path):
    e = expectation(path)
    assert e.replaces, f"{path}: say which file it replaces ('# replaces: …')"
    folder = rubric_copy(BAD / "rubric" / "_base")
    shutil.copyfile(path, folder / e.replaces)
    shown = folder / e.replaces
    assert_located(bounded("validate", folder / "rubric.yaml"), shown, e.line, e.text)
    assert_located(bounded("assess", PROPOSAL, "--rubric", folder, "--no-input"), shown, e.line, e.text)
    assert_located(bounded("criteria", "--rubric", folder), shown, e.line, e.text)


def test_the_base_rubric_is_valid(invoke):
    result = invoke("criteria", "--rubric", BAD / "rubric" / "_base")
    assert result.exit_code == 0, result.stderr
    assert "S1" in result.stdout and "S2" in result.stdout


# --- files whose bytes matter -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_generated_bad_file(bounded, tmp_path, case: Case):
    path = tmp_path / f"{case.name}.yaml"
    case.make(path)
    if case.kind == "proposal":
        commands = [("validate", path), ("assess", path, "--no-input"), ("check", path)]
    else:
        commands = [("validate", PROPOSAL, path), ("assess", PROPOSAL, "--review", path, "--no-input")]
    for args in commands:
        assert_located(bounded(*args), path, case.line, case.expect)


HEAVY = ["billion-laughs", "deep-flow-lists", "deep-flow-mappings", "deep-block-mappings", "many-values"]


@pytest.mark.parametrize("name", HEAVY)
def test_heavy_files_in_a_real_process(tmp_path, name):
    """The process itself (not only the library in pytest) survives and answers in time:
    libyaml's own recursion, memory and the interpreter's start-up included."""
    case = next(c for c in CASES if c.name == name)
    path = tmp_path / f"{name}.yaml"
    case.make(path)
    env = {k: v for k, v in BASE_ENV.items() if v is not None}
    proc = subprocess.run(
        [sys.executable, "-m", "sti_review", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.startswith(f"error: {path}:")
    assert case.expect in proc.stderr
    assert_bounded(proc.stdout, proc.stderr, name)


@pytest.mark.parametrize(("name", "data"), good_variants(), ids=[n for n, _ in good_variants()])
def test_encodings_and_line_ends_that_are_read_correctly(invoke, tmp_path, name, data):
    """A BOM, UTF-16/32 with a BOM, CRLF: the same report as the original file."""
    review = tmp_path / "review.yaml"
    review.write_bytes(data)
    original = invoke("assess", PROPOSAL, "-f", "json", "--lang", "en")
    result = invoke("assess", PROPOSAL, "--review", review, "-f", "json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == original.stdout


def test_a_large_file_within_the_limits_is_read(bounded, tmp_path):
    """4.9 MB of applicant text is a proposal, not an attack."""
    text = PROPOSAL.read_text(encoding="utf-8").replace(
        "summary: >-\n", "summary: >-\n  " + "長文" * 800_000 + "\n", 1
    )
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    assert 4_000_000 < path.stat().st_size < 5 * 1024 * 1024
    result = bounded("validate", path)
    assert result.exit_code == 0, result.stderr


# --- the shipped rubric, broken in many ways ---------------------------------------------------


def billion_line(i: int) -> str:
    if i == 0:
        return "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    return f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]"


# (id, file, text to replace, replacement, message); the error must be located in that file.
SHIPPED_BREAKAGES = [
    ("tab", "rubric.yaml", "  min: 0", "\tmin: 0", "YAML syntax error"),
    ("duplicate-key", "rubric.yaml", "  min: 0\n", "  min: 0\n  min: 1\n", "duplicate key 'min'"),
    ("step-zero", "rubric.yaml", "step: 0.5", "step: 0", "needs step > 0"),
    ("step-off", "rubric.yaml", "step: 0.5", "step: 0.3", "whole number of steps"),
    ("step-tiny", "rubric.yaml", "step: 0.5", "step: 1.0e-300", "at most 1,000 steps"),
    ("max-nan", "rubric.yaml", "max: 5", "max: .nan", "must be a finite number"),
    ("section-min-inf", "rubric.yaml", "section_min: 3.0", "section_min: .inf", "must be a finite number"),
    (
        "fraction-words",
        "rubric.yaml",
        "total_min_fraction: 2/3",
        "total_min_fraction: two thirds",
        "fraction",
    ),
    (
        "fraction-exponent",
        "rubric.yaml",
        "total_min_fraction: 2/3",
        'total_min_fraction: "1e-99999999"',
        "fraction",
    ),
    (
        "fraction-above-one",
        "rubric.yaml",
        "total_min_fraction: 2/3",
        "total_min_fraction: 3/2",
        "between 0 and 1",
    ),
    ("weight-zero", "rubric.yaml", "{B: 1.5}", "{B: 0}", "above 0 and at most 100"),
    ("weight-huge", "rubric.yaml", "{B: 1.5}", "{B: 1.0e+308}", "above 0 and at most 100"),
    ("weight-101", "rubric.yaml", "{B: 1.5}", "{B: 101}", "above 0 and at most 100"),
    ("weight-negative", "rubric.yaml", "{B: 1.5}", "{B: -1}", "above 0 and at most 100"),
    ("section-min-above", "rubric.yaml", "section_min: 3.0", "section_min: 6", "within the scale"),
    ("section-min-below", "rubric.yaml", "section_min: 3.0", "section_min: -1", "within the scale"),
    ("scale-huge", "rubric.yaml", "max: 5", "max: 1.0e+300", "between -1,000,000 and"),
    ("version-space", "rubric.yaml", "version: 1", 'version: "1 2"', "a version is a letter or digit"),
    ("version-empty", "rubric.yaml", "version: 1", 'version: ""', "a version is a letter or digit"),
    ("version-at", "rubric.yaml", "version: 1", 'version: "1@2"', "a version is a letter or digit"),
    ("version-long", "rubric.yaml", "version: 1", "version: " + "9" * 400, "a version is a letter or digit"),
    ("weight-nan", "rubric.yaml", "{B: 1.5}", "{B: .nan}", "must be a finite number"),
    ("weight-unknown", "rubric.yaml", "{B: 1.5}", "{Q: 1.5}", "unknown section 'Q'"),
    ("spread-inf", "rubric.yaml", "disagreement_spread: 2", "disagreement_spread: .inf", "finite"),
    ("border-reversed", "rubric.yaml", "border_zone: [0.8, 1.2]", "border_zone: [1.2, 0.8]", "0 <= from"),
    (
        "tie-breaker",
        "rubric.yaml",
        "tie_breakers: [programme_weighted_section, B, A, C]",
        "tie_breakers: [Z]",
        "'Z'",
    ),
    ("verdict", "rubric.yaml", "verdicts: [conditional, fail]", "verdicts: [maybe]", "'maybe'"),
    ("na-yes", "rubric.yaml", "na_allowed: true", "na_allowed: yes", "must be true or false"),
    ("version-list", "rubric.yaml", "version: 1", "version: [1]", "version:"),
    ("python-tag", "rubric.yaml", "version: 1", "version: !!python/object/apply:os.getpid []", "not allowed"),
    (
        "alias-bomb",
        "rubric.yaml",
        "version: 1",
        "version: 1\n" + "\n".join(billion_line(i) for i in range(8)),
        "alias bomb",
    ),
    ("section-twice", "rubric.yaml", "  - id: B\n", "  - id: A\n", "defined twice"),
    ("section-kind", "rubric.yaml", "kind: purpose", "kind: aim", "must be one of"),
    ("objective-id", "rubric.yaml", "{id: A.strategic_tech,", "{id: strategic,", "objectives[1].id"),
    ("criterion-kind", "sections/A.yaml", "kind: score", "kind: scored", "must be one of"),
    ("criterion-twice", "sections/B.yaml", "  - id: B1\n", "  - id: A1\n", "criterion A1 is defined twice"),
    (
        "gate-na",
        "sections/A.yaml",
        "kind: gate",
        "kind: gate\n    na_allowed: true",
        "a gate is always judged",
    ),
    ("guidance-level", "sections/A.yaml", "      middle:", "      medium:", "guidance of a score criterion"),
    (
        "evidence-field",
        "sections/A.yaml",
        "evidence: [summary, objectives, partners, team]",
        "evidence: [summery]",
        "'summery'",
    ),
    ("section-names-another", "sections/C.yaml", "section: C\n", "section: B\n", "expected 'C'"),
    ("check-type", "checks.yaml", "type: kpi_per_objective", "type: kpi_everything", "unknown check type"),
    (
        "check-placeholder",
        "checks.yaml",
        "{objective}（{title}）を掲げていますが",
        "{objectve}（{title}）を掲げていますが",
        "{objectve}",
    ),
    (
        "check-format-bomb",
        "checks.yaml",
        "{objective}（{title}）を掲げていますが",
        "{objective:>999999999}（{title}）を掲げていますが",
        "without a format",
    ),
    ("check-severity", "checks.yaml", "severity: error", "severity: fatal", "'fatal'"),
]


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "text"), SHIPPED_BREAKAGES, ids=[b[0] for b in SHIPPED_BREAKAGES]
)
def test_shipped_rubric_broken(bounded, rubric_copy, name, file, old, new, text):
    folder = rubric_copy(SHIPPED_RUBRIC)
    target = folder / file
    content = target.read_text(encoding="utf-8")
    assert old in content, f"the shipped {file} no longer contains {old!r}: update this case"
    target.write_text(content.replace(old, new, 1), encoding="utf-8")
    result = bounded("assess", PROPOSAL, "--rubric", folder, "--no-input")
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"error: {target}:")]
    assert any(re.match(rf"error: {re.escape(str(target))}:\d+:", ln) and text in ln for ln in lines), (
        result.stderr
    )
    result = bounded("validate", folder / "rubric.yaml", PROPOSAL)
    assert result.exit_code == 2 and f"{target}:" in result.stderr


@pytest.mark.parametrize("missing", ["sections/C.yaml", "rubric.yaml"])
def test_shipped_rubric_with_a_file_missing(bounded, rubric_copy, missing):
    folder = rubric_copy(SHIPPED_RUBRIC)
    (folder / missing).unlink()
    result = bounded("assess", PROPOSAL, "--rubric", folder, "--no-input")
    assert result.exit_code == 2 and f"error: {folder / missing}: no such file" in result.stderr


def test_shipped_rubric_with_a_section_file_that_is_a_folder(bounded, rubric_copy):
    folder = rubric_copy(SHIPPED_RUBRIC)
    (folder / "sections" / "C.yaml").unlink()
    (folder / "sections" / "C.yaml").mkdir()
    result = bounded("criteria", "--rubric", folder)
    assert result.exit_code == 2 and "C.yaml: is a directory" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_is_refused_without_reading_it(bounded):
    """/dev/zero has no size and no end: only regular files are read."""
    result = bounded("validate", "/dev/zero")
    assert result.exit_code == 2
    assert "error: /dev/zero: is a device, not a regular file; sti-review reads only regular files" in (
        result.stderr
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_japanese(encoding):
    """Output that the terminal's encoding cannot show is escaped, not a crash mid-report."""
    env = {k: v for k, v in BASE_ENV.items() if v is not None}
    env["PYTHONIOENCODING"] = encoding
    outputs = []
    for args in (
        ["assess", str(PROPOSAL), "--lang", "ja"],
        ["validate", str(BAD / "review" / "na-yes.yaml")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "sti_review", *args], capture_output=True, env=env, timeout=30, check=False
        )
        assert proc.returncode in (0, 2), proc.stderr
        assert b"internal error" not in proc.stderr and b"Traceback" not in proc.stderr
        outputs.append(proc.stdout)
    assert b"\\u63a1\\u629e\\u5019\\u88dc" in outputs[0]  # the outcome, 採択候補, escaped
