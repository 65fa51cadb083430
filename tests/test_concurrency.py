"""No lost answers, no hangs (issue 11): two questionnaires on one review, a file changed under
a walk, input that is not text, every save read back, files that are not regular files, folders
that cannot be listed, -o onto an input, leftovers of killed saves."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import time
from pathlib import Path

import pytest
import yaml

from sti_review import questionnaire as q
from sti_review.editlock import EditLock, Locked, LockInfo, content_hash, lock_path
from sti_review.errors import InputError
from sti_review.fileio import clean_stale_temporaries
from sti_review.review import Answer, read_review, save_review
from sti_review.rubric import load_rubric

from .conftest import EXAMPLES
from .test_bad_inputs import hang_guard

CALL = EXAMPLES / "call-2026"
STARTED = "2026-11-28T09:00:00+00:00"


@pytest.fixture
def proposal(tmp_path: Path) -> Path:
    path = tmp_path / "ocean.yaml"
    shutil.copy(EXAMPLES / "other-ocean-data-ph.yaml", path)
    return path


def review_of(proposal: Path) -> Path:
    return proposal.with_name("ocean.review.yaml")


def answers_on_disk(proposal: Path) -> dict:
    return yaml.safe_load(review_of(proposal).read_text(encoding="utf-8"))["answers"]


def session(proposal: Path) -> q.Session:
    job, earlier = q.open_for_walk(proposal)
    return q.Session(job, earlier)


def started(proposal: Path) -> None:
    """A review begun by someone: the reviewer's name and A1."""
    s = session(proposal)
    s.set_reviewer("Aya Kobayashi")
    s.set_answer("A1", Answer(score=4))


def write_lock(target: Path, **fields) -> Path:
    info = {
        "user": "ken",
        "host": socket.gethostname(),
        "pid": os.getppid(),
        "started": "2026-11-28T09:00:00+00:00",
    }
    info.update(fields)

    path = lock_path(target)
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- two writers


def test_two_sessions_on_one_file_keep_each_others_answers(proposal):
    started(proposal)
    first, second = session(proposal), session(proposal)
    first.set_answer("A3", Answer(score=3))
    second.set_answer("B1", Answer(score=5))  # the file changed under it: merged, not replaced
    assert second.merged == ["A3"]
    first.set_answer("B2", Answer(score=2, comment="弱い"))
    on_disk = answers_on_disk(proposal)
    assert {k: v.get("score") for k, v in on_disk.items()} == {"A1": 4, "A3": 3, "B1": 5, "B2": 2}


def test_a_clash_with_nobody_to_ask_is_refused_and_nothing_is_overwritten(proposal):
    started(proposal)
    first, second = session(proposal), session(proposal)
    first.set_answer("A3", Answer(score=3))
    before = review_of(proposal).read_bytes()
    with pytest.raises(InputError, match=r"changed by another program.*both changed A3"):
        second.set_answer("A3", Answer(score=5))
    assert review_of(proposal).read_bytes() == before


@pytest.mark.parametrize(("pick", "kept"), [("m", 5), ("t", 3)])
def test_a_clash_is_asked_in_the_walk(proposal, pick, kept):
    started(proposal)
    other = session(proposal)
    s = session(proposal)
    other.set_answer("A3", Answer(score=3))  # saved by another terminal while this one walks
    prompter = q.ScriptedPrompter(["5", "", pick])  # A3 = 5, no comment, then the choice
    walk = q.Questionnaire(s, prompter, "en", default_reviewer="Aya")
    walk._walk(s.index("A3"), single=True)
    assert "A3 was changed by another process. Yours: 5" in prompter.transcript
    assert "on disk: 3" in prompter.transcript
    assert answers_on_disk(proposal)["A3"]["score"] == kept
    assert answers_on_disk(proposal)["A1"]["score"] == 4


def test_a_clash_left_unanswered_at_the_end_of_input_overwrites_nothing(proposal):
    started(proposal)
    other, s = session(proposal), session(proposal)
    other.set_answer("A3", Answer(score=3))
    before = review_of(proposal).read_bytes()
    walk = q.Questionnaire(s, q.ScriptedPrompter(["5", ""]), "en", default_reviewer="Aya")
    with pytest.raises(InputError, match="no choice was made; nothing was overwritten"):
        walk._walk(s.index("A3"), single=True)
    assert review_of(proposal).read_bytes() == before


def test_a_file_edited_by_hand_into_something_unreadable_is_not_overwritten(proposal):
    started(proposal)
    s = session(proposal)
    review_of(proposal).write_text("proposal: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read now; nothing was overwritten"):
        s.set_answer("A3", Answer(score=3))
    assert review_of(proposal).read_text(encoding="utf-8") == "proposal: [unclosed\n"


def test_a_second_questionnaire_is_told_who_holds_the_review_and_only_reads(proposal):
    started(proposal)
    before = review_of(proposal).read_bytes()
    write_lock(review_of(proposal))  # the parent process stands for another live questionnaire
    prompter = q.ScriptedPrompter(["5", "", "q"])
    done = q.complete_review(proposal, None, None, prompter, "en", "sti-review assess ocean.yaml")
    shown = " ".join(prompter.transcript.split())
    assert "is being edited by ken on" in shown
    assert "since 2026-11-28" in shown and "opened read-only" in shown
    assert prompter.prompts == []  # nothing asked, nothing saved
    assert review_of(proposal).read_bytes() == before
    assert done.job.assessment().missing  # the report of the review as it is


def test_a_lock_left_by_a_dead_process_is_taken_over(proposal):
    started(proposal)
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    write_lock(review_of(proposal), pid=dead)
    # The review was begun without a declaration: the pledge (y) and no conflict (0) come first.
    prompter = q.ScriptedPrompter(["y", "0", "p", "", "q"])
    q.complete_review(proposal, None, None, prompter, "en", "resume")
    assert "being edited" not in prompter.transcript
    assert answers_on_disk(proposal)["A2"] == {"verdict": "pass"}  # the walk went on
    assert not lock_path(review_of(proposal)).exists()  # released at the end


def test_a_lock_from_another_host_or_unreadable_is_never_taken_over(tmp_path):
    target = tmp_path / "r.review.yaml"
    write_lock(target, host="elsewhere.example", pid=1)
    with pytest.raises(Locked) as held:
        EditLock(target).acquire()
    assert held.value.holder == LockInfo("ken", "elsewhere.example", 1, STARTED)
    lock_path(target).write_bytes(b"\xff garbage")
    with pytest.raises(Locked) as held:
        EditLock(target).acquire()
    assert held.value.holder is None


def test_the_lock_is_released_and_a_lock_not_ours_is_left(tmp_path):
    target = tmp_path / "r.review.yaml"
    with EditLock(target) as lock:
        assert lock.info is not None and lock.info.pid == os.getpid()
        assert lock_path(target).exists()
    assert not lock_path(target).exists()


# --------------------------------------------------------------------------- what is saved


def test_input_that_is_not_text_is_refused_at_the_prompt_and_never_saved(proposal):
    started(proposal)
    s = session(proposal)
    prompter = q.ScriptedPrompter(["2", "caf\udce9 \udc82", "a real comment", "feedback", "q"])
    walk = q.Questionnaire(s, prompter, "ja", default_reviewer="Aya")
    walk._walk(s.index("A3"), single=True)
    assert "文字として読めないバイト" in prompter.transcript
    text = review_of(proposal).read_text(encoding="utf-8")
    assert "\\udc" not in text.lower() and "a real comment" in text
    loaded, problems = read_review(review_of(proposal), load_rubric(), None)
    assert problems == [] and loaded is not None


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_a_typed_next_line_is_kept_as_typed_not_as_a_line_break(proposal, char):
    started(proposal)
    s = session(proposal)
    s.set_answer("A3", Answer(score=2, comment=f"前半{char}後半"))
    loaded, problems = read_review(review_of(proposal), load_rubric(), None)
    assert problems == [] and loaded is not None
    assert loaded.review.answers["A3"].comment == f"前半{char}後半"


def test_every_save_is_read_back(proposal, monkeypatch):
    started(proposal)
    s = session(proposal)

    def broken(path, review):  # a writer that loses an answer
        review = review.model_copy(update={"answers": {}})
        save_review(path, review)

    monkeypatch.setattr("sti_review.questionnaire.session.save_review", broken)
    with pytest.raises(InputError, match="does not read back as written"):
        s.set_answer("A3", Answer(score=3))


def test_an_answer_just_off_the_scale_is_told_as_typed():
    rubric = load_rubric()
    with pytest.raises(q.AnswerError) as exc:
        q.parse_score("4.50000001", rubric, rubric.criteria["A1"])
    assert "4.50000001" in exc.value.text("en")


# --------------------------------------------------------------------------- reading


def test_a_named_pipe_in_a_call_folder_is_an_invalid_file_not_a_hang(invoke, tmp_path):
    call = tmp_path / "call"
    shutil.copytree(CALL, call)
    os.mkfifo(call / "reviews" / "stuck.review.yaml")
    with hang_guard():
        result = invoke("rank", call)
    assert result.exit_code == 2
    assert "stuck.review.yaml: is a named pipe, not a regular file" in result.stderr


@pytest.mark.parametrize("command", ["rank", "portfolio"])
def test_a_folder_of_reviews_that_cannot_be_listed_is_an_error(invoke, tmp_path, monkeypatch, command):
    """As root nothing is unreadable, so listing the folder is made to fail as it would."""
    call = tmp_path / "call"
    shutil.copytree(CALL, call)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("reviews"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(command, call)
    assert result.exit_code == 2, result.stderr
    assert f"{call / 'reviews'}: folder cannot be read: permission denied" in result.stderr


def test_content_hash_tells_a_changed_file():
    assert content_hash("/nonexistent/file") is None


# --------------------------------------------------------------------------- writing


@pytest.fixture
def here(tmp_path, monkeypatch):
    for name in ("satreps-flood-ews-th.yaml", "satreps-flood-ews-th.review.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("target", ["satreps-flood-ews-th.yaml", "satreps-flood-ews-th.review.yaml", "link"])
def test_output_onto_an_input_is_refused_even_with_force(invoke, here, target):
    (here / "link").symlink_to("satreps-flood-ews-th.review.yaml")
    before = {p.name: p.read_bytes() for p in here.glob("*.yaml")}
    result = invoke("assess", "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", target, "--force")
    assert result.exit_code == 2
    assert "is one of the command's inputs" in result.stderr
    assert {p.name: p.read_bytes() for p in here.glob("*.yaml")} == before


def test_output_into_the_call_folder_being_ranked_is_refused(invoke, tmp_path):
    call = tmp_path / "call"
    shutil.copytree(CALL, call)
    result = invoke("rank", call, "-f", "json", "-o", call / "ranking.yaml", "--force")
    assert result.exit_code == 2 and "is inside the input folder" in result.stderr
    assert not (call / "ranking.yaml").exists()


def test_output_onto_a_dangling_symlink_needs_force(invoke, here):
    (here / "report.md").symlink_to(here / "elsewhere.md")
    result = invoke("assess", "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", "report.md")
    assert result.exit_code == 2 and "which does not exist; use --force" in result.stderr
    assert not (here / "elsewhere.md").exists()
    result = invoke("assess", "satreps-flood-ews-th.yaml", "-f", "markdown", "-o", "report.md", "--force")
    assert result.exit_code == 0 and (here / "elsewhere.md").exists()


def test_stale_temporary_files_are_cleaned_on_the_next_save(tmp_path):
    target = tmp_path / "r.review.yaml"
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    of_dead = tmp_path / f".r.review.yaml.{dead}.abc123.tmp"
    old = tmp_path / ".r.review.yaml.old.tmp"
    live = tmp_path / f".r.review.yaml.{os.getppid()}.xyz.tmp"  # a save under way elsewhere
    other = tmp_path / ".other.yaml.12345.tmp"
    for p in (of_dead, old, live, other):
        p.write_text("half", encoding="utf-8")
    os.utime(old, (time.time() - 120, time.time() - 120))
    removed = clean_stale_temporaries(target)
    assert sorted(removed) == sorted([of_dead.name, old.name])
    assert live.exists() and other.exists()


def test_a_declaration_saved_by_another_session_is_kept(proposal):
    """The confidentiality pledge and conflict answer follow the answers' merge rule: a session
    opened earlier that saves an answer does not remove a declaration made meanwhile."""
    import datetime as dt

    from sti_review.review import Declaration

    started(proposal)
    first, second = session(proposal), session(proposal)
    first.set_declaration(Declaration(confidential=True, conflict="none", date=dt.date(2026, 11, 28)))
    second.set_answer("B1", Answer(score=5))
    data = yaml.safe_load(review_of(proposal).read_text(encoding="utf-8"))
    assert data["declaration"]["conflict"] == "none"
    assert data["answers"]["B1"]["score"] == 5
    assert "declaration" in second.merged
