"""The review being written: what is left, the rubric's rules, saving and resuming."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..api import ReviewJob, default_review_path
from ..editlock import content_hash
from ..errors import InputError, Problem, Text
from ..proposal import LoadedProposal, Proposal, load_proposal
from ..review import (
    Answer,
    Declaration,
    LoadedReview,
    OverallAnswer,
    Review,
    check_review,
    read_review,
    save_review,
)
from ..rubric import Criterion, Rubric, load_rubric
from ..rules import is_answered
from ..scoring import required_criteria
from .answers import AnswerError


def resume_command(
    proposal: str | os.PathLike[str],
    *,
    review: str | os.PathLike[str] | None = None,
    rubric: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    options: Sequence[str] = (),
) -> str:
    """The command that picks the walk up again, quoted for a POSIX shell."""
    parts = ["sti-review", "assess", os.fspath(proposal)]
    if review is not None:
        parts += ["--review", os.fspath(review)]
    if rubric is not None:
        parts += ["--rubric", os.fspath(rubric)]
    if lang:
        parts += ["--lang", lang]
    parts += list(options)
    return shlex.join(parts)


# --------------------------------------------------------------------------- the session


def open_for_walk(
    proposal_path: str | os.PathLike[str],
    review_path: str | os.PathLike[str] | None = None,
    rubric_path: str | os.PathLike[str] | None = None,
) -> tuple[ReviewJob, str | None]:
    """Like ``api.open_job``, but a review begun against another rubric version is accepted
    (when its answers still fit) so that the reviewer can be told and asked; returns the job and
    the rubric the review was begun against when it differs from the one in use."""
    rubric = load_rubric(rubric_path)
    proposal = load_proposal(proposal_path, rubric)
    path = Path(review_path) if review_path is not None else default_review_path(proposal_path)
    from ..fileio import file_exists

    if not file_exists(path):
        review = Review(proposal=proposal.proposal.id, rubric=rubric.ref)
        return ReviewJob(rubric, proposal, LoadedReview(review, None, str(path)), path, False), None
    loaded, problems = read_review(path, rubric, proposal.proposal)
    earlier = None
    if loaded is not None and loaded.review.rubric != rubric.ref:
        earlier = loaded.review.rubric
        problems = [p for p in problems if p.field != "rubric"]
    if problems or loaded is None:
        raise InputError(problems)
    return ReviewJob(rubric, proposal, loaded, path, True), earlier


@dataclass
class Change:
    """Something that changed since the review was last saved."""

    what: Literal["rubric", "proposal"]
    old: str
    new: str


class Session:
    """The review being written: what is left, the rubric's rules, and saving to its file."""

    def __init__(self, job: ReviewJob, earlier_rubric: str | None = None):
        self.job = job
        self.rubric: Rubric = job.rubric
        self.loaded: LoadedProposal = job.proposal
        self.path: Path = job.review_path
        self.existed = job.review_exists
        self.review: Review = job.review.review.model_copy(deep=True)
        # What this process last read or wrote: the base of a merge, and its hash on disk.
        self.base: Review = self.review.model_copy(deep=True)
        self.disk_hash = content_hash(self.path) if self.existed else None
        # Asked which answer to keep when another process changed the same one (None: refuse).
        self.resolve: Resolver | None = None
        self.merged: list[str] = []  # what the last save took from the file on disk
        self.earlier_rubric = earlier_rubric
        self.saved_once = False
        self.criteria: list[Criterion] = required_criteria(
            self.rubric, self.proposal.programme, self.proposal.purposes
        )
        self.sections = [
            s
            for s in self.rubric.sections_for(self.proposal.programme)
            if any(c.kind != "portfolio" for c in s.criteria)
        ]

    @property
    def proposal(self) -> Proposal:
        return self.loaded.proposal

    # what is asked
    def answer(self, cid: str) -> Answer | None:
        return self.review.answers.get(cid)

    def is_answered(self, cid: str) -> bool:
        return is_answered(self.rubric.criteria[cid].kind, self.review.answers.get(cid))

    def missing(self) -> list[str]:
        return [c.id for c in self.criteria if not self.is_answered(c.id)]

    def overall_needed(self) -> bool:
        """The rubric defines an overall grade and the review gives none yet."""
        return self.rubric.overall is not None and self.review.overall is None

    def done(self) -> int:
        return len(self.criteria) - len(self.missing())

    def index(self, cid: str) -> int:
        return next(i for i, c in enumerate(self.criteria) if c.id == cid)

    def progress(self) -> list[tuple[str, int, int]]:
        """(section id, answered, to answer) for every section with something to answer."""
        out = []
        for s in self.sections:
            ids = [c.id for c in s.criteria if c.kind != "portfolio"]
            out.append((s.id, sum(self.is_answered(i) for i in ids), len(ids)))
        return out

    def changes(self) -> list[Change]:
        out = []
        if self.earlier_rubric and self.earlier_rubric != self.rubric.ref:
            out.append(Change("rubric", self.earlier_rubric, self.rubric.ref))
        old = self.review.proposal_fingerprint
        if self.existed and old and self.loaded.fingerprint and old != self.loaded.fingerprint:
            out.append(Change("proposal", old, self.loaded.fingerprint))
        return out

    # what is kept
    def check(self, cid: str, answer: Answer) -> list[str]:
        """The rubric's own rules (as ``sti-review validate`` applies them) on one answer."""
        probe = Review(proposal=self.proposal.id, rubric=self.rubric.ref, answers={cid: answer})
        return [p.message for p in check_review(probe, None, self.rubric, self.proposal)]

    def set_answer(self, cid: str, answer: Answer) -> None:
        problems = self.check(cid, answer)
        if problems:
            raise AnswerError("err_check", problem=_joined(problems))
        self.review.answers[cid] = answer
        self.save()

    def set_overall(self, overall: OverallAnswer) -> None:
        """The overall grade, checked against the rubric as ``validate`` checks it, then saved."""
        probe = Review(proposal=self.proposal.id, rubric=self.rubric.ref, overall=overall)
        problems = [p.message for p in check_review(probe, None, self.rubric, self.proposal)]
        if problems:
            raise AnswerError("err_check", problem=_joined(problems))
        self.review.overall = overall
        self.save()

    def set_declaration(self, declaration: Declaration) -> None:
        self.review.declaration = declaration
        self.save()

    def set_reviewer(self, name: str) -> None:
        self.review.reviewer = name
        self.save()

    def check_writable(self) -> None:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        target_ok = not self.path.exists() or os.access(self.path, os.W_OK)
        if not (folder.is_dir() and os.access(folder, os.W_OK) and target_ok):
            raise InputError([Problem(str(self.path), None, None, None, Text("err.cannot_save_answers"))])

    def save(self) -> None:
        """Record the rubric and proposal in use, order answers as the rubric does, merge what
        another process saved meanwhile, write atomically, and read the file back."""
        self.merged = []
        now = content_hash(self.path)
        if now != self.disk_hash:
            self._merge_from_disk()
        self.review.rubric = self.rubric.ref
        if self.loaded.fingerprint:
            self.review.proposal_fingerprint = self.loaded.fingerprint
        order = {cid: i for i, cid in enumerate(self.rubric.criteria)}
        self.review.answers = dict(
            sorted(self.review.answers.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
        save_review(self.path, self.review)
        self._verify()
        self.disk_hash = content_hash(self.path)
        self.base = self.review.model_copy(deep=True)
        self.saved_once = True

    def _problem(self, message: str) -> InputError:
        return InputError([Problem(str(self.path), None, None, None, message)])

    def _merge_from_disk(self) -> None:
        """Another process changed the file since this one last read or wrote it: take its
        answers where only it changed them, keep ours where only we did, and ask (or refuse)
        where both did differently. Never a silent overwrite."""
        if not self.path.exists():
            theirs = Review(proposal=self.review.proposal, rubric=self.review.rubric)
        else:
            try:
                loaded, problems = read_review(self.path, self.rubric, self.proposal)
            except InputError as exc:
                loaded, problems = None, exc.problems
            if loaded is None or problems:
                raise InputError(
                    [
                        *problems,
                        Problem(str(self.path), None, None, None, Text("err.save_changed_unreadable")),
                    ]
                )
            theirs = loaded.review
        base, mine = self.base, self.review
        clashes: list[str] = []
        ids = list(dict.fromkeys([*base.answers, *mine.answers, *theirs.answers]))
        merged: dict[str, Answer] = {}
        taken: list[str] = []
        for cid in ids:
            b, m, t = base.answers.get(cid), mine.answers.get(cid), theirs.answers.get(cid)
            choice = m
            if m != t and m == b:  # only they changed it
                choice = t
                taken.append(cid)
            elif m != t and t != b:  # both changed it, differently
                clashes.append(cid)
            if choice is not None:
                merged[cid] = choice
        # the fields beside the answers follow the same rule (one questionnaire must not drop
        # another's name or overall grade)
        fields = {name: getattr(mine, name) for name in _MERGED_FIELDS}
        for name in _MERGED_FIELDS:
            b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
            if m != t and m == b:
                fields[name] = t
                taken.append(name)
            elif m != t and t != b:
                clashes.append(name)
        for cid in clashes:
            if self.resolve is None:
                raise self._problem(Text("err.save_clash", ids=", ".join(clashes)))
            if cid in _MERGED_FIELDS:
                pick = self.resolve(cid, getattr(mine, cid), getattr(theirs, cid))
                fields[cid] = getattr(mine if pick == "mine" else theirs, cid)
            else:
                pick = self.resolve(cid, mine.answers.get(cid), theirs.answers.get(cid))
                answer = mine.answers.get(cid) if pick == "mine" else theirs.answers.get(cid)
                merged.pop(cid, None)
                if answer is not None:
                    merged[cid] = answer
            if pick != "mine":
                taken.append(cid)
        self.review.answers = merged
        for name, value in fields.items():
            setattr(self.review, name, value)
        self.merged = taken

    def _verify(self) -> None:
        """A file the tool writes is one it can read back, with the answers it meant to write."""
        try:
            loaded, problems = read_review(self.path, self.rubric, self.proposal)
        except InputError as exc:
            loaded, problems = None, exc.problems
        if (
            loaded is None
            or problems
            or loaded.review.answers != self.review.answers
            or loaded.review.overall != self.review.overall
        ):
            parts = [
                x for i, p in enumerate(problems[:3]) for x in (("; ", p.message) if i else (p.message,))
            ]
            detail = Text.concat(*parts) if problems else Text("err.answers_differ")
            raise self._problem(Text("err.save_not_read_back", detail=detail))


def _joined(messages: list[str]) -> Text:
    """Messages one after another ("a; b"), each still said in the language of the screen."""
    return Text.concat(*[x for i, m in enumerate(messages) for x in (("; ", m) if i else (m,))])


# Beside the answers, merged by the same rule: the reviewer's name, the declaration, the overall grade.
_MERGED_FIELDS = ("reviewer", "declaration", "overall")

Resolver = Callable[[str, object, object], Literal["mine", "theirs"]]


def default_reviewer_name() -> str:
    """The account's full name (from the password database), else the login name, but only when
    it looks like a person's (issue 12): never root, admin, ubuntu, a CI runner, a service
    account or a number. Empty otherwise, and the questionnaire asks without a default."""
    if hasattr(os, "getuid") and os.getuid() == 0:
        return ""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos if looks_like_a_person(gecos) else ""
    except (ImportError, KeyError, OSError):
        pass
    import getpass

    try:
        name = getpass.getuser()
    except Exception:
        return ""
    return name if looks_like_a_person(name) else ""


# Accounts that are no one's name: superusers, cloud images' default users, CI runners, services.
_NOT_PEOPLE = frozenset(
    """root admin administrator adm sysadmin superuser su toor operator sys system daemon bin
    nobody nogroup guest user users default owner ubuntu debian centos fedora rocky alma
    ec2-user azureuser cloud-user opc pi vagrant docker podman runner gitlab-runner jenkins
    buildbot build builder ci travis circleci github actions codespace vscode node app www
    www-data http httpd nginx apache postgres mysql oracle git svn test tester testuser demo
    local localuser student lab kiosk shared public anonymous me dev developer""".split()
)
# Words that make a full name a machine's, wherever they stand in it.
_MACHINE_WORDS = frozenset("service daemon runner bot account admin administrator system root".split())


def looks_like_a_person(name: str) -> bool:
    """Whether a login or full name may stand for the reviewer (a guess, never a rule: the
    reviewer can always type another name)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", name).strip()
    if not text or len(text) > 80 or not any(c.isalpha() for c in text):
        return False
    if text.startswith("_") or text.endswith("$"):  # macOS service accounts, Windows machine accounts
        return False
    folded = text.casefold()
    bare = re.sub(r"[\d_.-]+$", "", folded)  # user1, admin-01, ubuntu2
    if folded in _NOT_PEOPLE or bare in _NOT_PEOPLE or not bare:
        return False
    words = set(re.split(r"[\s_.@-]+", folded))
    if words & _MACHINE_WORDS or any(w.startswith("svc") for w in words):
        return False
    return not folded.endswith("svc")
