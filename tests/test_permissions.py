"""Written files get the permissions the user's umask gives (issue 12 item 5): colleagues on a
shared call folder can read a report or a review when the umask lets them, and a user who keeps
a review private (umask 077, or chmod 600 on the file) keeps it private."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import pytest

from sti_review import fileio
from sti_review.review import read_review, save_review
from sti_review.rubric import load_rubric

from .conftest import EXAMPLES

PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: os.PathLike[str]) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_umask_is_read_without_changing_it(umask):
    assert fileio.current_umask() == umask
    assert fileio.current_umask() == umask


def test_a_new_report_gets_what_the_umask_gives(invoke, tmp_path, umask):
    out = tmp_path / "report.md"
    result = invoke("assess", PROPOSAL, "-f", "markdown", "-o", out)
    assert result.exit_code in (0, 1), result.stderr
    assert mode(out) == 0o666 & ~umask


def test_a_new_review_gets_what_the_umask_gives(tmp_path, umask):
    path = tmp_path / "my.review.yaml"
    review, _ = read_review(REVIEW, load_rubric(), None)
    save_review(path, review.review)
    assert mode(path) == 0o666 & ~umask


def test_a_replaced_file_keeps_its_own_permissions_whatever_the_umask(tmp_path, umask):
    for kept in (0o600, 0o644, 0o660):
        path = tmp_path / f"r{kept:o}.yaml"
        path.write_text("old\n", encoding="utf-8")
        path.chmod(kept)
        fileio.atomic_write(path, "new\n")
        assert mode(path) == kept and path.read_text(encoding="utf-8") == "new\n"


def test_no_temporary_file_is_left_beside_the_target(tmp_path, umask):
    fileio.atomic_write(tmp_path / "a.md", "text\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
