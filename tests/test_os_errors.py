"""Operating-system errors on paths are bad input (exit 2, the path named), never an internal
error (exit 70): paths longer than the file system allows, folders that cannot be read
(issue 11, item 6)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from sti_review.errors import MAX_SHOWN_PATH, os_problem, shown_path

from .conftest import EXAMPLES

PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"
LONG = "長" * 100 + "a" * 100  # 500 bytes in UTF-8: over NAME_MAX (255) on every file system


def commands(tmp_path: Path, long: Path) -> list[list[object]]:
    return [
        ["assess", PROPOSAL, "--review", long, "--no-input"],
        ["assess", PROPOSAL, "--review", REVIEW, "--rubric", long],
        ["assess", PROPOSAL, "--review", REVIEW, "-o", long],
        ["consolidate", PROPOSAL, long],
        ["consolidate", PROPOSAL, REVIEW, "-o", long],
        ["criteria", "--rubric", long],
        ["validate", long],
        ["check", long],
        ["rank", long],
        ["portfolio", long],
    ]


@pytest.mark.parametrize("index", range(10))
@pytest.mark.parametrize("where", ["name", "folder"])
def test_a_path_too_long_is_a_located_error(invoke, tmp_path, index, where):
    long = tmp_path / (LONG + ".yaml") if where == "name" else tmp_path / LONG / "x.yaml"
    args = commands(tmp_path, long)[index]
    result = invoke(*args)
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "長長長" in result.stderr  # the path is named …
    assert len(result.stderr) < 2000  # … but not 500 characters of it on every line


@pytest.mark.parametrize("index", range(6))
def test_a_folder_that_cannot_be_read(invoke, tmp_path, monkeypatch, index):
    """As root chmod does not bite: every os call under the folder fails as it would."""
    secret = tmp_path / "secret"
    secret.mkdir()
    target = secret / "x.yaml"
    target.write_bytes(REVIEW.read_bytes())
    prefix = os.fsencode(str(secret))

    def guarded(real):
        def call(path, *args, **kwargs):
            raw = path if isinstance(path, bytes | int) else os.fsencode(os.fspath(path))
            if isinstance(raw, bytes) and raw.startswith(prefix):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(raw))
            return real(path, *args, **kwargs)

        return call

    for name in ("stat", "lstat", "open", "scandir", "listdir"):
        monkeypatch.setattr(os, name, guarded(getattr(os, name)))
    args = commands(tmp_path, target)[index]
    result = invoke(*args)
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr
    assert str(secret) in result.stderr


def test_os_problem_wording():
    exc = OSError(errno.ENAMETOOLONG, "File name too long", "x" * 5000)
    problem = os_problem(exc)
    text = str(problem)
    assert "ENAMETOOLONG" in text and "the path is longer" in text and "5,000 characters" in text
    assert "パスが長すぎます (ENAMETOOLONG)" in problem.render("ja")  # in the language of the run
    assert len(text) < MAX_SHOWN_PATH + 200
    assert shown_path("short/path.yaml") == "short/path.yaml"
