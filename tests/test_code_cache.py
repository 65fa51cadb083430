"""The compiled-snippet cache of the command-line process (code_cache, issue 17 start-up):
a second run reuses what the first compiled, prints the same bytes, and a damaged or
unwritable cache costs only the speed-up."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sti_review import code_cache

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str], cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sti_review", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env={**os.environ, "STI_REVIEW_CACHE": str(cache), "STI_REVIEW_NO_CACHE": "", "COLUMNS": "80", **env},
    )


def _files(cache: Path) -> list[Path]:
    return sorted((cache / "code").glob("*.marshal"))


@pytest.fixture
def assess_argv() -> list[str]:
    proposal = ROOT / "examples" / "satreps-flood-ews-th.yaml"
    review = proposal.with_name("satreps-flood-ews-th.review.yaml")
    return ["assess", str(proposal), "--review", str(review), "--lang", "ja"]


def test_second_run_reuses_the_compiled_code_and_prints_the_same(assess_argv, tmp_path):
    plain = _run(assess_argv, tmp_path / "off", STI_REVIEW_NO_CACHE="1")
    assert not (tmp_path / "off" / "code").exists()
    first = _run(assess_argv, tmp_path / "c")
    (entry,) = _files(tmp_path / "c")
    written = entry.read_bytes()
    second = _run(assess_argv, tmp_path / "c")
    assert plain.stdout == first.stdout == second.stdout
    assert plain.returncode == first.returncode == second.returncode
    assert "審査" in second.stdout or "評価" in second.stdout  # Japanese intact
    assert entry.read_bytes() == written  # nothing new to compile: the file is not rewritten


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",  # empty
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b"not a cache at all\n" + b,  # wrong header
        lambda b: b[:18] + marshal.dumps([1, 2, 3]),  # not a table
        lambda b: b[:18] + marshal.dumps({("exec", "x = 1"): "text, not code"}),  # wrong entry type
        lambda b: b[:18] + marshal.dumps({("exec", "pass"): b"\x00garbage"}),  # damaged entry
        lambda b: bytes(range(256)) * 100,  # binary noise
    ],
)
def test_damaged_cache_is_ignored_and_rewritten(assess_argv, tmp_path, damage):
    good = _run(assess_argv, tmp_path / "c")
    (entry,) = _files(tmp_path / "c")
    entry.write_bytes(damage(entry.read_bytes()))
    again = _run(assess_argv, tmp_path / "c")
    assert again.stdout == good.stdout and again.returncode == good.returncode
    assert "Traceback" not in again.stderr
    assert entry.read_bytes().startswith(b"sti-review-code-1\n")


def test_unwritable_cache_folder_costs_only_the_speed_up(assess_argv, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    good = _run(assess_argv, tmp_path / "c")
    blocked = _run(assess_argv, blocker)
    assert blocked.stdout == good.stdout and "Traceback" not in blocked.stderr


def test_cached_code_is_compiled_without_this_modules_future_flags(monkeypatch):
    """code_cache itself uses `from __future__ import annotations`; the code it compiles for
    dataclasses and typing must not (a dataclass's annotations stay objects, not strings)."""
    monkeypatch.setattr(code_cache, "_table", {})
    ns: dict[str, object] = {}
    code_cache._exec("def f(x: int) -> int:\n    return x\n", {"int": int}, ns)
    assert ns["f"].__annotations__ == {"x": int, "return": int}  # type: ignore[attr-defined]
    # the second time it comes from the table, and is the same
    ns2: dict[str, object] = {}
    code_cache._exec("def f(x: int) -> int:\n    return x\n", {"int": int}, ns2)
    assert ns2["f"].__annotations__ == {"x": int, "return": int}  # type: ignore[attr-defined]
    assert eval(code_cache._compile("1 + 2", "<string>", "eval")) == 3
    # anything but plain '<string>' text goes to the built-in unchanged
    assert eval(code_cache._compile("1 + 2", "other.py", "eval")) == 3
