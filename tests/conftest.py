"""Shared fixtures: a CLI runner with a pinned, neutral environment, paths to the examples
and to the fixture files in tests/data, and small helpers to write files into tmp_path."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# CI runs the property tests on a fixed sequence of examples: a red build is then the code's
# fault and reproducible, never a new random draw (locally they keep exploring).
from hypothesis import settings as _hypothesis_settings
from typer.testing import CliRunner, Result

from sti_review.cli import app

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
EXAMPLES = ROOT / "examples"
# Every criterion id of the shipped rubric, in rubric order (DESIGN.md).
ALL_IDS = (
    "A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 C4 X1 X2 X3 X4 X5 X6 X7 BC1 BC2 BC3 BC4 BC5 JR1 JR2 JR3 JR4 JR5 JR6 JR7"
).split()

# The four example proposals and the outcome their complete review must give.
EXAMPLE_OUTCOMES = {
    "satreps-flood-ews-th": "pass",
    "bc-quantum-mobility-de": "conditional",
    "jr-border-surveillance-ai": "gate failed",
    "other-ocean-data-ph": "below threshold",
}

# A neutral, reproducible terminal: fixed width, no colour, no fancy terminal and an
# English locale, so that output assertions hold on any machine and in CI.
# ``None`` removes a variable that the developer's own shell may have set.
BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "LINES": "50",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FORCE_COLOR": None,
    "STI_REVIEW_LANG": None,
    "STI_REVIEW_DEBUG": None,
    "STI_REVIEW_LOCALES": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANGUAGE": None,
    "LANG": "C.UTF-8",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(runner: CliRunner) -> Invoke:
    """Run ``sti-review ARGS…`` in-process; ``env`` adds to (or, with None, removes from)
    the neutral environment. Paths are turned into strings."""

    def _invoke(
        *args: object, env: Mapping[str, str | None] | None = None, input: str | None = None
    ) -> Result:
        merged = {**BASE_ENV, **(env or {})}
        return runner.invoke(app, [str(a) for a in args], env=merged, input=input)

    return _invoke


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def data() -> Path:
    return DATA


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    """Write a text (UTF-8) or bytes file under tmp_path, creating folders; return its path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(name="write")
def write_fixture(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """``write(name, text)`` bound to this test's tmp_path."""
    return lambda name, text: write(tmp_path, name, text)


def problem_matching(problems: list[str], where: str, field: str | None, text: str) -> str:
    """The one problem located at ``where`` (``file:line``), on ``field``, saying ``text``.

    Fails with every problem listed, so a wrong line or field is easy to see."""
    for p in problems:
        located = p.startswith(f"{where}:")
        on_field = field is None or f" {field}: " in p
        if located and on_field and text in p:
            return p
    listed = "\n  ".join(problems) or "(none)"
    pytest.fail(f"no problem at {where!r} on {field!r} saying {text!r}; got:\n  {listed}")


# The rank cache (issue 17) goes to a throw-away folder, never the developer's ~/.cache.
os.environ.setdefault("STI_REVIEW_CACHE", tempfile.mkdtemp(prefix="sti-review-cache-"))
