"""The second-round hostile corpus (issue 11) on the commands that came after the first
hardening: conflicts, assign (and its packets), collect, reviewers, feedback, import, init,
template, schema. Every case is bad input handled: a located error with exit code 2, nothing
blocking, nothing written into the command's inputs, nothing raw on the terminal."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .test_bad_inputs import hang_guard

CALL = EXAMPLES / "call-2026"
LONG = "長" * 100 + "a" * 100  # 500 bytes in UTF-8: over NAME_MAX (255) on every file system
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # C0/C1, bidi overrides


@pytest.fixture
def call(tmp_path: Path) -> Path:
    copy = tmp_path / "call"
    shutil.copytree(CALL, copy)
    return copy


def _bad_input(result, *named: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for text in named:
        assert text in result.stderr
    assert len(result.stderr) < 5000


def _long_path_cases(tmp: Path, call: Path, long: Path) -> list[list[object]]:
    pool = call / "reviewers.yaml"
    return [
        ["conflicts", call, "--reviewers", long],
        ["conflicts", call, "--reviewers", pool, "--aliases", long],
        ["conflicts", call, "--reviewers", pool, "-o", long],
        ["assign", call, "--reviewers", long],
        ["assign", call, "--reviewers", pool, "-o", long],
        ["assign", call, "--reviewers", pool, "--packets", long.parent],
        ["reviewers", long.parent],
        ["reviewers", call, "-o", long],
        ["feedback", long.parent, "-o", tmp / "letters"],
        ["collect", long.parent, call],
        ["import", long.with_suffix(".docx"), "-o", tmp / "p.yaml"],
        ["init", "review", "-o", long],
        ["template", "proposal", "-o", long.with_suffix(".docx")],
        ["schema", "review", "--rubric", long],
    ]


@pytest.mark.parametrize("index", range(14))
def test_a_path_too_long_is_a_located_error_in_every_later_command(invoke, tmp_path, call, index):
    pytest.importorskip("docx")
    long = tmp_path / LONG / "x.yaml"
    args = _long_path_cases(tmp_path, call, long)[index]
    with hang_guard():
        result = invoke(*args)
    _bad_input(result, "長長長")


def _fifo_cases(tmp: Path, call: Path) -> list[list[object]]:
    fifo = tmp / "pipe.yaml"
    pool = call / "reviewers.yaml"
    return [
        ["conflicts", call, "--reviewers", fifo],
        ["conflicts", call, "--reviewers", pool, "--aliases", fifo],
        ["assign", call, "--reviewers", fifo],
        ["import", tmp / "pipe.docx", "-o", tmp / "p.yaml"],
        ["init", "review", "--rubric", fifo],
        ["feedback", call, "-o", tmp / "letters", "--rubric", fifo],
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("index", range(6))
def test_a_named_pipe_given_as_input_is_refused_without_blocking(invoke, tmp_path, call, index):
    pytest.importorskip("docx")
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.docx")
    with hang_guard():
        result = invoke(*_fifo_cases(tmp_path, call)[index])
    _bad_input(result, "named pipe")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["conflicts", "assign", "reviewers", "feedback"])
def test_a_named_pipe_lying_in_the_call_folder_is_refused_without_blocking(invoke, tmp_path, call, command):
    os.mkfifo(call / "proposals" / "zz.yaml")
    args = {
        "conflicts": ["--reviewers", call / "reviewers.yaml"],
        "assign": ["--reviewers", call / "reviewers.yaml"],
        "reviewers": [],
        "feedback": ["-o", tmp_path / "letters"],
    }[command]
    with hang_guard():
        result = invoke(command, call, *args)
    _bad_input(result, "zz.yaml", "named pipe")
    assert not (tmp_path / "letters").exists()


@pytest.mark.parametrize("command", ["conflicts", "assign"])
@pytest.mark.parametrize("how", ["directly", "through a link"])
def test_output_onto_the_reviewer_pool_is_refused_even_with_force(invoke, tmp_path, call, command, how):
    pool = tmp_path / "pool.yaml"  # outside the call: refused as an input file, not as in a folder
    shutil.copy(call / "reviewers.yaml", pool)
    before = pool.read_bytes()
    out = pool
    if how == "through a link":
        out = tmp_path / "link.md"
        out.symlink_to(pool)
    result = invoke(command, call, "--reviewers", pool, "-o", out, "--force")
    _bad_input(result, "pool.yaml")
    assert pool.read_bytes() == before


@pytest.mark.parametrize("where", ["the call folder", "a folder inside it"])
@pytest.mark.parametrize(
    "lang, said", [("en", "would be read as part of the call"), ("ja", "公募の一部として")]
)
def test_packets_are_never_written_into_the_call(invoke, tmp_path, call, where, lang, said):
    """Packets hold copies of proposals and review skeletons: inside the call they would be read
    as duplicates and make every proposal invalid on the next rank."""
    packets = call if where == "the call folder" else call / "packets"
    listing = sorted(p.relative_to(call) for p in call.rglob("*"))
    result = invoke(
        "assign", call, "--reviewers", call / "reviewers.yaml", "--packets", packets, "--lang", lang
    )
    _bad_input(result, said)
    assert sorted(p.relative_to(call) for p in call.rglob("*")) == listing
    assert (
        invoke(
            "assign", call, "--reviewers", call / "reviewers.yaml", "--packets", tmp_path / "out"
        ).exit_code
        == 0
    )


def test_a_report_into_the_call_folder_is_refused(invoke, tmp_path, call):
    review = next((call / "reviews").rglob("*.yaml"))
    before = review.read_bytes()
    result = invoke("reviewers", call, "-o", review, "--force")
    _bad_input(result, "call")
    assert review.read_bytes() == before


HOSTILE = "\x1b]52;c;aGVsbG8=\x1b\\\x1b[2J\x9b31m\u202e"


@pytest.mark.parametrize("command", ["conflicts", "assign"])
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "csv"])
def test_control_sequences_in_the_reviewer_pool_never_reach_the_terminal(invoke, call, command, fmt):
    pool = call / "reviewers.yaml"
    text = pool.read_text(encoding="utf-8")
    escaped = HOSTILE.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    text = text.replace("name: 田中 健一", f'name: "田中{escaped} 健一"', 1)
    text = text.replace("institution: 東京大学 大学院農学生命科学研究科", f'institution: "東京{escaped}"', 1)
    pool.write_text(text, encoding="utf-8")
    result = invoke(command, call, "--reviewers", pool, "--format", fmt, env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.stderr
    assert "田中" in result.stdout  # shown, with its control characters made visible
    assert not RAW.search(result.stdout) and not RAW.search(result.stderr)
