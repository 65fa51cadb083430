"""The fifth robustness pass (issue 11, round 5): a fresh adversarial corpus, written as the
attacker the issue describes, on every command that reads input.

Each case builds its hostile situation in tmp_path (nothing big is committed), runs the real CLI
entry point and asserts what a user would notice: the documented exit code (2 for bad input),
no traceback, no raw ESC / C1 / bidi control on the terminal, the file named in the message,
Japanese messages under ``--lang ja``, and nothing previously saved lost or changed. Timings of
the huge cases live in benchmarks/hostile_sizes.py; here only behaviour is asserted.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, ROOT
from .test_bad_inputs import hang_guard

CALL = EXAMPLES / "call-2026"
PROPOSAL = EXAMPLES / "satreps-flood-ews-th.yaml"
REVIEW = EXAMPLES / "satreps-flood-ews-th.review.yaml"
PARTIAL = EXAMPLES / "satreps-flood-ews-th.partial.review.yaml"
RUBRIC = ROOT / "criteria" / "mext-sti-international-2021"
# OSC 52 clipboard write ended with ST, a screen clear, a one-character C1 CSI, bidi overrides.
HOSTILE = "\x1b]52;c;SGFja2Vk\x1b\\\x1b[2J\x9b2J\u202e\u2066"
FILE_HOSTILE = "\x1b[2J\u202e"  # what a file name may hold (no "/" or NUL)
RAW = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Three English words in a row: a sentence a --lang ja user should not see.
ENGLISH = re.compile(r"\b[A-Za-z]{3,} [a-z]{2,} [a-z]{3,}\b")
LONG = "長" * 100 + "a" * 100  # 500 bytes: over NAME_MAX on every file system


@dataclass
class Case:
    args: list[object]
    codes: tuple[int, ...] = (2,)
    named: tuple[str, ...] = ()
    env: dict[str, str | None] = field(default_factory=dict)
    input: str | bytes | None = None
    after: Callable[[], None] | None = None  # a further check (nothing lost, nothing written)
    ja: bool = False  # the run asked for Japanese: no English sentence in the message
    absent: tuple[str, ...] = ()  # what must not be printed (stdout and stderr)


class World:
    """The hostile world of one case: a copy of the example call, a proposal, its reviews."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.call = tmp / "call"
        shutil.copytree(CALL, self.call)
        self.proposal = tmp / "p.yaml"
        shutil.copy(PROPOSAL, self.proposal)
        self.review = tmp / "p.review.yaml"
        shutil.copy(REVIEW, self.review)
        self.pool = self.call / "reviewers.yaml"

    def file(self, name: str, text: str | bytes) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def edit(self, path: Path, change: Callable[[dict], None]) -> Path:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def rubric(self, change: Callable[[dict], None] | None = None, text: str | None = None) -> Path:
        folder = self.tmp / "rubric"
        if not folder.exists():
            shutil.copytree(RUBRIC, folder)
        path = folder / "rubric.yaml"
        if text is not None:
            path.write_text(text, encoding="utf-8")
        elif change is not None:
            self.edit(path, change)
        return path

    def unchanged(self, *paths: Path) -> Callable[[], None]:
        before = {p: p.read_bytes() for p in paths}

        def check() -> None:
            for p, content in before.items():
                assert p.read_bytes() == content, f"{p} was changed"

        return check


CASES: dict[str, Callable[[World], Case]] = {}


def case(name: str):
    def register(build: Callable[[World], Case]) -> Callable[[World], Case]:
        assert name not in CASES, name
        CASES[name] = build
        return build

    return register


def many(prefix: str, items: dict[str, Callable[[World], Case]]) -> None:
    for key, build in items.items():
        case(f"{prefix}-{key}")(build)


# --- control sequences from every source we did not write ----------------------------------


def _hostile_call_title(w: World) -> None:
    w.edit(
        w.call / "call.yaml", lambda d: d["call"]["title"].update(ja=HOSTILE + "公募", en=HOSTILE + "call")
    )


for command, extra in {
    "rank": [],
    "rank-md": ["-f", "markdown"],
    "rank-html": ["-f", "html"],
    "portfolio": [],
    "feedback": ["-o", "LETTERS"],
    "conflicts": ["--reviewers", "POOL"],
    "assign": ["--reviewers", "POOL"],
    "reviewers": [],
}.items():

    def _build(w: World, command=command, extra=extra) -> Case:
        _hostile_call_title(w)
        args = [{"LETTERS": w.tmp / "letters", "POOL": w.pool}.get(a, a) for a in extra]
        return Case([command.split("-")[0], w.call, *args], codes=(0, 1, 2, 3, 4))

    case(f"ctl-call-title-{command}")(_build)
    case(f"ctl-call-title-{command}-ja")(
        lambda w, _build=_build: (lambda c: Case([*c.args, "--lang", "ja"], codes=c.codes))(_build(w))
    )


def _hostile_pool(w: World) -> None:
    def change(d: dict) -> None:
        for r in d["reviewers"]:
            r["name"] = HOSTILE + r["name"]
            r["institution"] = HOSTILE + r["institution"]
            r["keywords"] = [HOSTILE + k for k in r.get("keywords", [])]

    w.edit(w.pool, change)


for command in ["conflicts", "assign"]:
    case(f"ctl-pool-{command}")(
        lambda w, command=command: (
            _hostile_pool(w),
            Case([command, w.call, "--reviewers", w.pool], codes=(0, 1, 2)),
        )[1]
    )
    case(f"ctl-pool-{command}-md")(
        lambda w, command=command: (
            _hostile_pool(w),
            Case([command, w.call, "--reviewers", w.pool, "-f", "markdown"], codes=(0, 1, 2)),
        )[1]
    )


def _hostile_decisions(w: World) -> None:
    def change(d: dict) -> None:
        d["decisions"]["CALL26-JR-03"]["conditions"] = [HOSTILE + "条件"]

    w.edit(w.call / "decisions.yaml", change)


case("ctl-decisions-feedback")(
    lambda w: (_hostile_decisions(w), Case(["feedback", w.call, "-o", w.tmp / "letters"], codes=(0, 1, 2)))[1]
)
case("ctl-decisions-rank")(
    lambda w: (_hostile_decisions(w), Case(["rank", w.call], codes=(0, 1, 2, 3, 4)))[1]
)
case("ctl-decisions-unknown-id")(
    lambda w: (
        w.edit(
            w.call / "decisions.yaml",
            lambda d: d["decisions"].update({HOSTILE + "X": {"decision": "selected"}}),
        ),
        Case(["feedback", w.call, "-o", w.tmp / "letters"], codes=(0, 1, 2)),
    )[1]
)
case("ctl-decisions-bad-value")(
    lambda w: (
        w.edit(
            w.call / "decisions.yaml",
            lambda d: d["decisions"].update({"CALL26-BC-01": {"decision": HOSTILE}}),
        ),
        Case(["feedback", w.call, "-o", w.tmp / "letters"], named=("decisions.yaml",)),
    )[1]
)
case("ctl-reviewer-name-in-review")(
    lambda w: (
        w.edit(w.review, lambda d: d.update(reviewer=HOSTILE + "名前")),
        Case(["assess", w.proposal, "--review", w.review], codes=(0, 1, 2, 3)),
    )[1]
)
case("ctl-unknown-rubric-name")(
    lambda w: Case(["assess", w.proposal, "--review", w.review, "--rubric", HOSTILE], named=())
)
case("ctl-unknown-programme-init")(
    lambda w: Case(["init", "proposal", "-p", HOSTILE, "-o", w.tmp / "x.yaml"])
)
case("ctl-unknown-criterion")(lambda w: Case(["criteria", HOSTILE], codes=(2,)))
case("ctl-unknown-format")(lambda w: Case(["assess", w.proposal, "-f", HOSTILE], codes=(2,)))
case("ctl-unknown-lang")(lambda w: Case(["assess", w.proposal, "--lang", HOSTILE], codes=(2,)))
case("ctl-unknown-schema")(lambda w: Case(["schema", HOSTILE], codes=(2,)))
case("ctl-unknown-init-kind")(lambda w: Case(["init", HOSTILE], codes=(2,)))
case("ctl-missing-file-name")(
    lambda w: Case(["validate", w.tmp / f"nope{FILE_HOSTILE}.yaml"], named=("nope",))
)
case("ctl-review-key")(
    lambda w: (
        w.edit(w.review, lambda d: d["answers"].update({HOSTILE: {"score": 3}})),
        Case(["validate", w.review], named=("p.review.yaml",)),
    )[1]
)
case("ctl-proposal-key")(
    lambda w: (
        w.edit(w.proposal, lambda d: d.update({HOSTILE: 1})),
        Case(["check", w.proposal], codes=(0, 1, 2), named=()),
    )[1]
)
case("ctl-rubric-bad-key")(
    lambda w: Case(["criteria", "--rubric", w.rubric(lambda d: d.update({HOSTILE: 1}))], codes=(0, 2))
)
case("ctl-yaml-error-snippet")(
    lambda w: Case(["validate", w.file("bad.yaml", "id: [\x1b[2J unclosed\n")], named=("bad.yaml",))
)
case("ctl-call-folder-name")(
    lambda w: (
        w.call.rename(w.tmp / f"call{FILE_HOSTILE}"),
        Case(["rank", w.tmp / f"call{FILE_HOSTILE}"], codes=(0, 1, 2, 3, 4)),
    )[1]
)
case("ctl-review-folder-name")(
    lambda w: (
        (w.call / "reviews" / "CALL26-BC-01").rename(w.call / "reviews" / f"CALL26-BC-01{FILE_HOSTILE}"),
        Case(["rank", w.call], codes=(0, 1, 2, 3, 4)),
    )[1]
)
case("ctl-review-file-name-in-call")(
    lambda w: (
        (w.call / "reviews" / "CALL26-BC-01" / "tanaka.yaml").rename(
            w.call / "reviews" / "CALL26-BC-01" / f"tanaka{FILE_HOSTILE}.yaml"
        ),
        Case(["rank", w.call], codes=(0, 1, 2, 3, 4)),
    )[1]
)
case("ctl-collect-file-name")(
    lambda w: (
        shutil.copy(
            w.call / "reviews" / "CALL26-BC-01" / "tanaka.yaml", w.tmp / "inbox" / f"t{FILE_HOSTILE}.yaml"
        )
        if (w.tmp / "inbox").mkdir() is None
        else None,
        Case(["collect", w.tmp / "inbox", w.call], codes=(0, 1, 2)),
    )[1]
)
for name, env in {
    "home": {"HOME": "/tmp/\x1b[2J\u202e"},
    "columns-negative": {"COLUMNS": "-5"},
    "columns-text": {"COLUMNS": "\x1b[2Jabc"},
    "columns-huge": {"COLUMNS": "99999999999999999999"},
    "columns-zero": {"COLUMNS": "0"},
    "lines-text": {"LINES": "\x9b2J"},
    "lang-escape": {"LANG": "\x1b[2J", "LC_ALL": "\u202e"},
    "sti-lang": {"STI_REVIEW_LANG": "xx\x1b[2J"},
    "term": {"TERM": "\x1b]52;c;x\x07", "NO_COLOR": None},
    "locales": {"STI_REVIEW_LOCALES": "/nonexistent/\x1b[2J"},
}.items():
    for command in ["assess", "rank"]:

        def _env_case(w: World, env=env, command=command) -> Case:
            args = ["assess", w.proposal, "--review", w.review] if command == "assess" else ["rank", w.call]
            return Case(args, codes=(0, 1, 2, 3, 4), env=env)

        case(f"ctl-env-{name}-{command}")(_env_case)


# --- hangs: pipes, devices, sockets, loops, folders named like files ---------------------------


def _fifo(w: World, name: str) -> Path:
    path = w.tmp / name
    os.mkfifo(path)
    return path


def _socket(w: World, name: str) -> Path:
    path = w.tmp / name
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    w.sockets = [*getattr(w, "sockets", []), s]
    return path


def _loop(w: World, name: str) -> Path:
    path = w.tmp / name
    other = w.tmp / f"{name}.other"
    path.symlink_to(other)
    other.symlink_to(path)
    return path


def _dir(w: World, name: str) -> Path:
    path = w.tmp / name
    path.mkdir()
    return path


SPECIALS: dict[str, Callable[[World, str], Path]] = {
    "fifo": _fifo,
    "socket": _socket,
    "loop": _loop,
    "dir": _dir,
    "devzero": lambda w, name: Path("/dev/zero"),
    "devnull": lambda w, name: Path("/dev/null"),
    "stdin": lambda w, name: Path("/dev/stdin"),
}
WHERE: dict[str, Callable[[World, Path], list[object]]] = {
    "validate": lambda w, p: ["validate", p],
    "assess-proposal": lambda w, p: ["assess", p, "--review", w.review],
    "assess-review": lambda w, p: ["assess", w.proposal, "--review", p],
    "assess-rubric": lambda w, p: ["assess", w.proposal, "--rubric", p],
    "check": lambda w, p: ["check", p],
    "consolidate-review": lambda w, p: ["consolidate", w.proposal, w.review, p],
    "criteria-rubric": lambda w, p: ["criteria", "--rubric", p],
    "schema-rubric": lambda w, p: ["schema", "review", "--rubric", p],
    "portfolio-programmes": lambda w, p: ["portfolio", w.call, "-p", p],
    "init-rubric": lambda w, p: ["init", "review", "--rubric", p, "-o", w.tmp / "new.yaml"],
    "import": lambda w, p: ["import", p, "-o", w.tmp / "new.yaml"],
}
for kind, make in SPECIALS.items():
    for where, args in WHERE.items():
        if kind in ("devnull", "stdin") and where not in ("validate", "assess-review", "criteria-rubric"):
            continue
        if kind == "socket" and where not in ("validate", "assess-review", "portfolio-programmes"):
            continue

        def _special(w: World, make=make, args=args, where=where) -> Case:
            suffix = ".docx" if where == "import" else ".yaml"
            path = make(w, f"special{suffix}")
            return Case(args(w, path), codes=(2,), input="" if "stdin" in str(path) else None)

        case(f"hang-{kind}-{where}")(_special)


def _special_at(w: World, kind: str, target: Path) -> None:
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "loop":
        target.symlink_to(target.with_name("zz2.yaml"))
        target.with_name("zz2.yaml").symlink_to(target)
    elif kind == "dir":  # a folder named like a file is a folder: walked, not refused
        target.mkdir()
        shutil.copy(PROPOSAL, target / "inner.yaml")
    else:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(target))
        w.sockets = [s]


IN_CALL = {
    "rank": lambda w: ["rank", w.call],
    "rank-json": lambda w: ["rank", w.call, "-f", "json"],
    "portfolio": lambda w: ["portfolio", w.call],
    "feedback": lambda w: ["feedback", w.call, "-o", w.tmp / "letters"],
    "conflicts": lambda w: ["conflicts", w.call, "--reviewers", w.pool],
    "assign": lambda w: ["assign", w.call, "--reviewers", w.pool],
    "reviewers": lambda w: ["reviewers", w.call],
}
for kind in ["fifo", "loop", "dir", "socket"]:
    for command, args in IN_CALL.items():

        def _in_call(w: World, kind=kind, command=command, args=args) -> Case:
            where = "reviews/CALL26-BC-01" if command.startswith(("rank", "reviewers")) else "proposals"
            _special_at(w, kind, w.call / where / "zz.yaml")
            if kind == "dir":  # a folder named like a file is walked: what it holds counts
                return Case(args(w), codes=(0, 1, 2, 3, 4))
            return Case(args(w), codes=(2,), named=("zz",))

        case(f"hang-in-call-{kind}-{command}")(_in_call)


def _packet(w: World) -> Path:
    """A returned review packet for the call in tests/data/assign (as collect expects)."""
    import json

    from sti_review.packets import FORMAT, MANIFEST, review_template
    from sti_review.rubric import load_rubric

    from .calls import review_yaml
    from .conftest import DATA

    shutil.rmtree(w.call)
    shutil.copytree(DATA / "assign" / "call", w.call)
    folder = w.tmp / "packets" / "r1"
    (folder / "reviews").mkdir(parents=True)
    pids = ("P-KY", "P-OS")
    entries = [{"proposal": pid, "review": f"reviews/{pid}.yaml"} for pid in pids]
    manifest = {"format": FORMAT, "reviewer": {"id": "r1", "name": "審査 一郎"}, "proposals": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    ref = load_rubric().ref
    for pid in pids:
        text = review_template(pid, "r1", "審査 一郎", ref, None)
        answers = review_yaml(pid, "審査 一郎", {"A": 4, "B": 4, "C": 3.5, "X": 4, "JR": 4}).split(
            "answers:\n"
        )[1]
        text = text.replace("answers: {}\n", "answers:\n" + answers)
        (folder / "reviews" / f"{pid}.yaml").write_text(text, "utf-8")
    return folder


for kind in ["fifo", "loop", "dir", "socket"]:

    def _collect_special(w: World, kind=kind) -> Case:
        folder = _packet(w)
        (folder / "reviews" / "P-KY.yaml").unlink()
        _special_at(w, kind, folder / "reviews" / "P-KY.yaml")
        return Case(["collect", folder, w.call], codes=(2,), named=("P-KY.yaml",))

    case(f"hang-collect-{kind}")(_collect_special)
    case(f"hang-collect-{kind}-ja")(
        lambda w, b=_collect_special: (
            lambda c: Case([*c.args, "--lang", "ja"], codes=c.codes, named=c.named, ja=True)
        )(b(w))
    )


def _collect_manifest(text: str | bytes) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        folder = _packet(w)
        target = folder / "assignment.json"
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return Case(
            ["collect", folder, w.call, "--lang", "ja"], codes=(2,), named=("assignment.json",), ja=True
        )

    return build


many(
    "collect-manifest",
    {
        "garbage": _collect_manifest(b"\xff\xfe{not json"),
        "empty": _collect_manifest(b""),
        "list": _collect_manifest("[1, 2]"),
        "hostile-name": _collect_manifest(
            '{"format": 1, "reviewer": {"id": "r1", "name": "\\u001b[2J\\u202e"}, "proposals": "x"}'
        ),
        "nan": _collect_manifest('{"format": NaN, "reviewer": {}, "proposals": []}'),
    },
)


def _collect_unassigned(w: World) -> Case:
    folder = _packet(w)
    path = folder / "reviews" / "P-KY.yaml"
    path.write_text(path.read_text("utf-8").replace("proposal: P-KY", "proposal: P-OTHER"), "utf-8")
    return Case(["collect", folder, w.call, "--lang", "ja"], codes=(0, 1, 2), named=("P-KY.yaml",), ja=True)


case("collect-unassigned-ja")(_collect_unassigned)


def _retarget(c: Case, command: str, *extra: object) -> Case:
    return Case([command, *c.args[1:], *extra], codes=c.codes, named=c.named)


# --- OS errors on paths ----------------------------------------------------------------------
for where, args in WHERE.items():
    if where == "import":
        continue
    case(f"os-long-{where}")(lambda w, args=args: Case(args(w, w.tmp / LONG / "x.yaml"), named=("長長長",)))
    case(f"os-notdir-{where}")(
        lambda w, args=args: Case(args(w, w.file("plain.txt", "x") / "x.yaml"), named=("plain.txt",))
    )
for flag in ["-o"]:
    for command in [
        "assess",
        "check",
        "consolidate",
        "rank",
        "portfolio",
        "conflicts",
        "assign",
        "reviewers",
    ]:

        def _long_out(w: World, command=command, flag=flag) -> Case:
            base = {
                "assess": ["assess", w.proposal, "--review", w.review],
                "check": ["check", w.proposal],
                "consolidate": ["consolidate", w.proposal, w.review],
                "rank": ["rank", w.call],
                "portfolio": ["portfolio", w.call],
                "conflicts": ["conflicts", w.call, "--reviewers", w.pool],
                "assign": ["assign", w.call, "--reviewers", w.pool],
                "reviewers": ["reviewers", w.call],
            }[command]
            return Case([*base, flag, w.tmp / LONG / "r.md", "-f", "markdown"], named=("長長長",))

        case(f"os-long-output-{command}")(_long_out)
case("os-output-is-dir")(
    lambda w: Case(["assess", w.proposal, "-o", _dir(w, "out.md"), "--force", "-f", "markdown"])
)
case("os-output-parent-is-file")(
    lambda w: Case(
        ["assess", w.proposal, "-o", w.file("f.txt", "x") / "r.md", "-f", "markdown"], named=("f.txt",)
    )
)
case("os-output-dangling-symlink")(
    lambda w: (
        (w.tmp / "dangling.md").symlink_to(w.tmp / "target.md"),
        Case(
            ["assess", w.proposal, "-o", w.tmp / "dangling.md", "-f", "markdown"],
            codes=(2,),
            named=("dangling.md",),
            after=lambda: _absent(w.tmp / "target.md"),
        ),
    )[1]
)


def _absent(path: Path) -> None:
    assert not path.exists(), f"{path} was created"


# --- -o onto the command's own inputs ---------------------------------------------------------


def _onto(how: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        target = w.review
        check = w.unchanged(w.review, w.proposal)
        if how == "symlink":
            out = w.tmp / "link.md"
            out.symlink_to(target)
        elif how == "hardlink":
            out = w.tmp / "hard.md"
            os.link(target, out)
        elif how == "dotdot":
            (w.tmp / "sub").mkdir()
            out = w.tmp / "sub" / ".." / target.name
        elif how == "dot":
            out = w.tmp / "." / "." / target.name
        elif how == "relative":
            out = Path(os.path.relpath(target))
        elif how == "symlinked-folder":
            (w.tmp / "alias").symlink_to(w.tmp)
            out = w.tmp / "alias" / target.name
        elif how == "double-slash":
            out = Path(str(w.tmp) + "//" + target.name)
        else:
            out = target
        return Case(
            ["assess", w.proposal, "--review", w.review, "-o", out, "--force", "-f", "markdown"],
            named=(),
            after=check,
        )

    return build


many(
    "onto-review",
    {
        h: _onto(h)
        for h in [
            "direct",
            "symlink",
            "hardlink",
            "dotdot",
            "dot",
            "relative",
            "symlinked-folder",
            "double-slash",
        ]
    },
)


def _onto_other(command: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        check = w.unchanged(w.proposal, w.review, w.call / "call.yaml", w.pool, w.call / "decisions.yaml")
        args = {
            "check": ["check", w.proposal, "-o", w.tmp / "x" / ".." / "p.yaml"],
            "consolidate": ["consolidate", w.proposal, w.review, "-o", w.review],
            "rank-call-file": ["rank", w.call, "-o", w.call / "call.yaml", "-f", "csv"],
            "rank-decisions": ["rank", w.call, "-o", w.call / "decisions.yaml", "-f", "json"],
            "rank-review-in-call": [
                "rank",
                w.call,
                "-o",
                w.call / "reviews" / "CALL26-BC-01" / "tanaka.yaml",
            ],
            "portfolio-programmes": [
                "portfolio",
                w.call,
                "-p",
                w.tmp / "prog.yaml",
                "-o",
                w.tmp / "prog.yaml",
            ],
            "conflicts-pool": ["conflicts", w.call, "--reviewers", w.pool, "-o", w.pool],
            "init-rubric": ["init", "review", "--rubric", w.rubric(), "-o", w.rubric()],
            "import-form": ["import", w.tmp / "f.docx", "-o", w.tmp / "f.docx"],
        }[command]
        if command == "portfolio-programmes":
            shutil.copy(EXAMPLES / "programmes-mext.yaml", w.tmp / "prog.yaml")
            check = w.unchanged(w.tmp / "prog.yaml")
        if command == "init-rubric":
            check = w.unchanged(w.rubric())
        if command == "import-form":
            (w.tmp / "f.docx").write_bytes(b"PK\x03\x04 not really")
            check = w.unchanged(w.tmp / "f.docx")
        return Case([*args, "--force"], after=check)

    return build


many(
    "onto",
    {
        c: _onto_other(c)
        for c in [
            "check",
            "consolidate",
            "rank-call-file",
            "rank-decisions",
            "rank-review-in-call",
            "portfolio-programmes",
            "conflicts-pool",
            "init-rubric",
            "import-form",
        ]
    },
)


# --- reviewer spoofing ------------------------------------------------------------------------
SPOOFS = {
    "nbsp": "Anna\u00a0Becker",
    "zwsp": "Anna \u200bBecker",
    "word-joiner": "Anna \u2060Becker",
    "bom-inside": "Anna \ufeffBecker",
    "fullwidth": "Ａｎｎａ Ｂｅｃｋｅｒ",
    "case": "ANNA becker",
    "double-space": "Anna   Becker",
    "tab": "Anna\tBecker",
    "bidi-mark": "\u200eAnna Becker\u200f",
    "combining": "Anna Bec\u0306ker".replace("\u0306", ""),  # same after removal of nothing: exact copy
    "soft-hyphen": "Anna Bec\u00adker",
    "ideographic-space": "Anna\u3000Becker",
    "trailing": " Anna Becker ",
}


def _spoof(variant: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        w.edit(w.review, lambda d: d.update(reviewer="Anna Becker"))
        second = w.tmp / "second.review.yaml"
        shutil.copy(w.review, second)
        w.edit(second, lambda d: d.update(reviewer=variant))
        return Case(
            ["consolidate", w.proposal, w.review, second], named=("second.review.yaml", "p.review.yaml")
        )

    return build


many("spoof", {k: _spoof(v) for k, v in SPOOFS.items()})
case("spoof-composed-vs-decomposed")(
    lambda w: (
        w.edit(w.review, lambda d: d.update(reviewer="José Müller")),
        shutil.copy(w.review, w.tmp / "second.review.yaml"),
        w.edit(w.tmp / "second.review.yaml", lambda d: d.update(reviewer="Jose\u0301 Mu\u0308ller")),
        Case(
            ["consolidate", w.proposal, w.review, w.tmp / "second.review.yaml"], named=("second.review.yaml",)
        ),
    )[3]
)
case("spoof-katakana-halfwidth")(
    lambda w: (
        w.edit(w.review, lambda d: d.update(reviewer="タナカ")),
        shutil.copy(w.review, w.tmp / "second.review.yaml"),
        w.edit(w.tmp / "second.review.yaml", lambda d: d.update(reviewer="ﾀﾅｶ")),
        Case(
            ["consolidate", w.proposal, w.review, w.tmp / "second.review.yaml"], named=("second.review.yaml",)
        ),
    )[3]
)
for label, name in {
    "empty": "",
    "spaces": "   ",
    "ideographic-spaces": "\u3000\u3000",
    "zero-width-only": "\u200b\u200c\u200d\u2060",
    "bidi-only": "\u202e\u202c",
    "bom-only": "\ufeff",
    "soft-hyphen-only": "\u00ad",
}.items():
    case(f"spoof-name-{label}")(
        lambda w, name=name: (
            shutil.copy(w.review, w.tmp / "second.review.yaml"),
            w.edit(w.tmp / "second.review.yaml", lambda d: d.update(reviewer=name)),
            Case(
                ["consolidate", w.proposal, w.review, w.tmp / "second.review.yaml"],
                named=("second.review.yaml",),
            ),
        )[2]
    )
case("spoof-in-call-rank")(
    lambda w: (
        shutil.copy(
            w.call / "reviews" / "CALL26-OT-02" / sorted(os.listdir(w.call / "reviews" / "CALL26-OT-02"))[0],
            w.call / "reviews" / "CALL26-OT-02" / "zz-copy.yaml",
        ),
        w.edit(
            w.call / "reviews" / "CALL26-OT-02" / "zz-copy.yaml",
            lambda d: d.update(reviewer=d["reviewer"].replace(" ", "\u00a0") + "\u200b"),
        ),
        Case(["rank", w.call], named=("zz-copy.yaml",)),
    )[2]
)


# --- rubric values at their bounds ------------------------------------------------------------
def _weights(value: object) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        rubric = w.rubric(lambda d: d.__setitem__("weights", {"joint_research": {"A": value}}))
        return Case(["validate", rubric, w.proposal], named=("rubric.yaml",))

    return build


many(
    "bound-weight",
    {
        "zero-all": lambda w: Case(
            [
                "validate",
                w.rubric(
                    lambda d: d.__setitem__(
                        "weights", {"joint_research": {s["id"]: 0 for s in d["sections"]}}
                    )
                ),
            ],
            named=("rubric.yaml",),
        ),
        "negative": _weights(-1),
        "huge": _weights(1e308),
        "nan": _weights(float("nan")),
        "inf": _weights(float("inf")),
        "string": _weights("heavy"),
        "bool": _weights(True),
        "list": _weights([1]),
    },
)


def _version(value: object) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        rubric = w.rubric(lambda d: d.__setitem__("version", value))
        return Case(["validate", rubric], named=("rubric.yaml", "version"))

    return build


many(
    "bound-version",
    {
        "space": _version("1 2"),
        "empty": _version(""),
        "negative": _version(-1),
        "float": _version(1.5),
        "bool": _version(True),
        "null": _version(None),
        "too-long": _version("1" * 65),
        "escape": _version("1\x1b[2J"),
        "list": _version([1]),
    },
)


def _threshold(w: World, value: object) -> Case:
    text = (
        (w.tmp / "rubric" / "rubric.yaml").read_text(encoding="utf-8")
        if (w.tmp / "rubric").exists()
        else None
    )
    rubric = w.rubric()
    text = rubric.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data.setdefault("thresholds", {})
    key = next(iter(data["thresholds"]), "overall")
    data["thresholds"][key] = value
    rubric.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Case(["validate", rubric], named=("rubric.yaml",))


many(
    "bound-threshold",
    {
        "beyond-max": lambda w: _threshold(w, 99),
        "negative": lambda w: _threshold(w, -3),
        "nan": lambda w: _threshold(w, float("nan")),
        "inf": lambda w: _threshold(w, float("inf")),
        "string": lambda w: _threshold(w, "high"),
    },
)
case("bound-rubric-empty")(lambda w: Case(["validate", w.rubric(text="")], named=("rubric.yaml",)))
case("bound-rubric-list")(
    lambda w: Case(["criteria", "--rubric", w.rubric(text="- 1\n- 2\n")], named=("rubric.yaml",))
)
case("bound-rubric-scalar")(
    lambda w: Case(["schema", "review", "--rubric", w.rubric(text="42\n")], named=("rubric.yaml",))
)


# --- numbers that could reach JSON / CSV / HTML / Excel ---------------------------------------
def _budget(value: object, fmt: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        for p in sorted((w.call / "proposals").glob("*.yaml"))[:3]:
            w.edit(p, lambda d: d.update(budget=value))
        out = w.tmp / f"r.{fmt}"

        def valid() -> None:
            if not out.exists():
                return
            data = out.read_bytes()
            if fmt == "json":
                import json

                json.loads(data, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
            if fmt == "csv":
                assert not re.search(rb"(^|,)(inf|-inf|nan|Infinity|NaN)(,|\r?$)", data, re.I | re.M), data[
                    :300
                ]
            if fmt == "html":
                assert not re.search(rb">\s*-?(inf|nan|Infinity)\s*<", data, re.I), data[:300]

        return Case(["rank", w.call, "-f", fmt, "-o", out], codes=(0, 1, 2, 3, 4), after=valid)

    return build


for fmt in ["json", "csv", "html"]:
    many(
        f"number-budget-{fmt}",
        {"huge": _budget(1e308, fmt), "inf": _budget(float("inf"), fmt), "nan": _budget(float("nan"), fmt)},
    )
case("number-budget-huge-xlsx")(lambda w: (pytest.importorskip("openpyxl"), _budget(1e308, "xlsx")(w))[1])
for label, value in {
    "nan": float("nan"),
    "inf": float("inf"),
    "huge": 1e308,
    "over-max": 6,
    "negative": -0.5,
}.items():
    case(f"number-score-{label}")(
        lambda w, value=value: (
            w.edit(w.review, lambda d: d["answers"]["A1"].update(score=value)),
            Case(["assess", w.proposal, "--review", w.review, "-f", "json"], named=("p.review.yaml", "A1")),
        )[1]
    )
case("number-score-near-half")(
    lambda w: (
        w.edit(w.review, lambda d: d["answers"]["A1"].update(score=4.50000001)),
        Case(["validate", w.review], named=("4.50000001", "4.5")),  # the value as written
    )[1]
)


# --- line numbers: only LF, CRLF and CR break lines --------------------------------------------
def _lines(sep_text: str, expect_line: int | str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        path = w.file("lines.review.yaml", sep_text.encode("utf-8"))
        named = expect_line if isinstance(expect_line, str) else f"lines.review.yaml:{expect_line}:"
        return Case(["validate", path], named=(named,))

    return build


def _doc(sep: str, odd: str = "", bom: str = "") -> str:
    """A review whose fourth line (as an editor counts) holds an unknown field."""
    lines = ["proposal: SATREPS-2026-017", f'reviewer: "a{odd}b"', "rubric: mext-sti-international-2021@1"]
    return bom + sep.join([*lines, "bogus: 1", ""])


many(
    "lines",
    {
        "u2028-in-value": _lines(_doc("\n", "\u2028"), 4),
        "u0085-in-value": _lines(_doc("\n", "\u0085"), 4),
        "u2029-in-value": _lines(_doc("\n", "\u2029"), 4),
        "cr-only": _lines(_doc("\r"), 4),
        "crlf": _lines(_doc("\r\n"), 4),
        "bom": _lines(_doc("\n", bom="\ufeff"), 4),
        "mixed": _lines(
            "proposal: SATREPS-2026-017\r\nreviewer: x\rrubric: mext-sti-international-2021@1\nbogus: 1\n", 4
        ),
        "u2028-cr": _lines(_doc("\r", "\u2028"), 4),
        "syntax-after-u2028": _lines('proposal: "a\u2028b"\nreviewer: x\nanswers: [unclosed\n', "on line 3"),
    },
)
case("lines-u0085-typed-stays")(
    lambda w: (
        w.edit(w.review, lambda d: d["answers"]["A1"].update(comment="前\u0085後")),
        Case(["validate", w.review], codes=(0,)),
    )[1]
)


# --- encodings --------------------------------------------------------------------------------
for label, data in {
    "latin1": "reviewer: Müller\n".encode("latin-1"),
    "utf16": "proposal: a\n".encode("utf-16"),
    "shift-jis": "reviewer: 田中\n".encode("shift_jis"),
    "nul": b"proposal: a\x00\n",
    "lone-surrogate-escape": b'proposal: "\\ud800"\n',
    "empty": b"",
    "only-bom": b"\xef\xbb\xbf",
    "only-comment": b"# nothing\n",
}.items():
    case(f"enc-{label}-validate")(
        lambda w, data=data: Case(["validate", w.file("e.review.yaml", data)], named=("e.review.yaml",))
    )
    case(f"enc-{label}-assess-ja")(
        lambda w, data=data: Case(
            ["assess", w.proposal, "--review", w.file("e.review.yaml", data), "--lang", "ja"],
            named=("e.review.yaml",),
            ja=True,
        )
    )


# --- the questionnaire: undecodable input, nothing lost ---------------------------------------
case("prompt-undecodable-bytes")(
    lambda w: (
        lambda check: Case(
            [
                "assess",
                w.proposal,
                "--review",
                w.tmp / "partial.review.yaml",
                "--interactive",
                "--lang",
                "ja",
            ],
            codes=(0, 1, 2, 3, 130),
            input=b"\xff\xfe\xfa\n\n\n",
            after=lambda: _readable(w.tmp / "partial.review.yaml"),
        )
    )(shutil.copy(PARTIAL, w.tmp / "partial.review.yaml"))
)
case("prompt-escape-in-comment")(
    lambda w: (
        shutil.copy(PARTIAL, w.tmp / "partial.review.yaml"),
        Case(
            ["assess", w.proposal, "--review", w.tmp / "partial.review.yaml", "--interactive"],
            codes=(0, 1, 2, 3, 130),
            input="\x1b[2J\u202e\n\n\n",  # then the input ends: interrupted, saved (130)
            after=lambda: _readable(w.tmp / "partial.review.yaml"),
        ),
    )[1]
)


def _held(kind: str) -> Callable[[World], Case]:
    """A questionnaire on a review whose lock (.NAME.lock) is something hostile: it must neither
    block nor write over what another process may be saving."""

    def build(w: World) -> Case:
        review = w.tmp / "partial.review.yaml"
        shutil.copy(PARTIAL, review)
        lock = w.tmp / ".partial.review.yaml.lock"
        if kind == "fifo":
            os.mkfifo(lock)
        elif kind == "dir":
            lock.mkdir()
        elif kind == "garbage":
            lock.write_bytes(b"\xff\x00 not a lock")
        elif kind == "loop":
            lock.symlink_to(lock)
        else:  # held by a live process on this host: the one that started the tests
            import json

            info = {
                "user": "誰か",
                "host": socket.gethostname(),
                "pid": os.getppid(),
                "started": "2026-01-01T00:00:00",
            }
            lock.write_text(json.dumps(info), encoding="utf-8")
        return Case(
            ["assess", w.proposal, "--review", review, "--interactive", "--lang", "ja"],
            codes=(0, 1, 2, 3, 130),
            input="4\n4\n4\n",
            after=w.unchanged(review),
        )

    return build


many("prompt-lock", {k: _held(k) for k in ["fifo", "dir", "garbage", "loop", "live"]})
case("onto-review-case-variant")(
    lambda w: Case(
        ["assess", w.proposal, "--review", w.review, "-o", w.tmp / "P.REVIEW.YAML", "-f", "markdown"],
        codes=(0,),
        after=w.unchanged(w.review, w.proposal),
    )
)


def _readable(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\\udc" not in text.lower()
    yaml.safe_load(text)


# --- huge texts and lists: capped output ------------------------------------------------------
case("huge-comment-terminal")(
    lambda w: (
        w.edit(w.review, lambda d: d["answers"]["A1"].update(comment="長い講評。" * 200_000)),
        Case(["assess", w.proposal, "--review", w.review], codes=(0, 1, 2, 3)),
    )[1]
)
case("huge-kpis-check")(
    lambda w: (
        w.edit(
            w.proposal,
            lambda d: d.update(
                kpis=[
                    {"objective": "A.quality", "indicator": f"指標{i}", "target": str(i)} for i in range(7000)
                ]
            ),
        ),
        Case(["check", w.proposal], codes=(0, 1, 2)),
    )[1]
)
case("huge-unknown-keys-validate")(
    lambda w: (
        w.edit(w.proposal, lambda d: d.update({f"extra{i}": i for i in range(3000)})),
        Case(["validate", w.proposal], named=("p.yaml",)),
    )[1]
)
case("huge-many-bad-files-validate")(
    lambda w: Case(
        ["validate", *[w.file(f"bad{i}.yaml", "id: [\n") for i in range(300)]],
        named=("bad0.yaml",),
    )
)


def _many_reviewers(fmt: str, lang: str) -> Callable[[World], Case]:
    """Sixty reviewers split on a gate: every list of them is cut after the first, and the
    count of the others reads naturally ("… ほか 10 件", never "…: ほか 10 件")."""

    def build(w: World) -> Case:
        folder = w.tmp / "reviews"
        folder.mkdir()
        data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
        for i in range(60):
            data["reviewer"] = f"審査員 {i}"
            data["answers"]["A2"].update(verdict="fail" if i % 2 else "pass", comment="理由")
            (folder / f"r{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        more = "ほか 10 件" if lang == "ja" else "and 10 more"
        return Case(
            ["consolidate", w.proposal, folder, "-f", fmt, "--lang", lang],
            codes=(0, 1, 3),
            named=(more,),
            absent=(f"…: {more}", f"… {more}**"),
        )

    return build


for fmt in ["terminal", "markdown"]:
    for lang in ["ja", "en"]:
        case(f"huge-reviewers-consolidate-{fmt}-{lang}")(_many_reviewers(fmt, lang))


def _poison(node: object) -> object:
    if isinstance(node, dict):
        return {
            k: (HOSTILE + v if k in ("ja", "en") and isinstance(v, str) else _poison(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_poison(v) for v in node]
    return node


def _poisoned_rubric(w: World) -> Path:
    """The shipped rubric with control sequences before every title, question, label and guidance."""
    rubric = w.rubric()
    for path in [rubric, *sorted((rubric.parent / "sections").glob("*.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(data), allow_unicode=False), encoding="utf-8")
    return rubric


OFFICE = {"docx": "docx", "xlsx": "openpyxl"}
for fmt in ["terminal", "markdown", "html", "json", "docx"]:  # what assess writes
    for lang in ["ja", "en"]:

        def _rubric_assess(w: World, fmt=fmt, lang=lang) -> Case:
            if fmt in OFFICE:
                pytest.importorskip(OFFICE[fmt])
            out = ["-o", w.tmp / f"r.{fmt}"] if fmt in ("docx", "xlsx", "html") else []
            args = ["assess", w.proposal, "--review", w.review, "--rubric", _poisoned_rubric(w), "-f", fmt]
            return Case([*args, *out, "--lang", lang], codes=(0, 1, 3))

        case(f"ctl-rubric-assess-{fmt}-{lang}")(_rubric_assess)
for command in [
    "criteria",
    "criteria-one",
    "schema",
    "init",
    "check",
    "consolidate",
    "consolidate-md",
    "validate",
]:

    def _rubric_cmd(w: World, command=command) -> Case:
        rubric = _poisoned_rubric(w)
        args = {
            "criteria": ["criteria", "--rubric", rubric],
            "criteria-one": ["criteria", "A1", "--rubric", rubric],
            "schema": ["schema", "review", "--rubric", rubric],
            "init": ["init", "review", "--rubric", rubric, "-o", w.tmp / "new.review.yaml"],
            "check": ["check", w.proposal, "--rubric", rubric],
            "consolidate": ["consolidate", w.proposal, w.review, "--rubric", rubric],
            "consolidate-md": ["consolidate", w.proposal, w.review, "--rubric", rubric, "-f", "markdown"],
            "validate": [
                "validate",
                w.file("x.review.yaml", "proposal: X\nanswers: {ZZ9: {score: 3}}\n"),
                "--rubric",
                rubric,
            ],
        }[command]
        return Case([*args, "--lang", "ja"] if command != "schema" else args, codes=(0, 1, 2, 3))

    case(f"ctl-rubric-{command}")(_rubric_cmd)
for fmt in ["docx", "xlsx", "json", "csv"]:

    def _title_office(w: World, fmt=fmt) -> Case:
        if fmt in OFFICE:
            pytest.importorskip(OFFICE[fmt])
        _hostile_call_title(w)
        return Case(["rank", w.call, "-f", fmt, "-o", w.tmp / f"r.{fmt}"], codes=(0, 1, 2, 3, 4))

    case(f"ctl-call-title-rank-{fmt}")(_title_office)
for name, env in {"home": {"HOME": "/tmp/\x1b[2J\u202e"}, "columns-text": {"COLUMNS": "\x1b[2Jabc"}}.items():
    for command in ["validate", "criteria", "consolidate", "check", "portfolio", "consolidate-md"]:

        def _env_more(w: World, env=env, command=command) -> Case:
            args = {
                "validate": ["validate", w.proposal, w.review],
                "criteria": ["criteria"],
                "consolidate": ["consolidate", w.proposal, w.review],
                "consolidate-md": ["consolidate", w.proposal, w.review, "-f", "markdown"],
                "check": ["check", w.proposal],
                "portfolio": ["portfolio", w.call],
            }[command]
            return Case(args, codes=(0, 1, 3), env=env)

        case(f"ctl-env-{name}-{command}")(_env_more)
case("huge-conditions-terminal-ja")(
    lambda w: (
        w.edit(
            w.review,
            lambda d: d["answers"]["A2"].update(
                verdict="conditional", conditions=[f"条件{i}" for i in range(45_000)]
            ),
        ),
        Case(
            ["assess", w.proposal, "--review", w.review, "--lang", "ja"],
            codes=(0, 1, 3),
            named=("ほか 44,950 件",),
        ),
    )[1]
)
case("number-proposal-budget-json")(
    lambda w: (
        w.edit(w.proposal, lambda d: d.update(budget=1e308)),
        Case(["assess", w.proposal, "--review", w.review, "-f", "json"], codes=(0, 1, 2, 3)),
    )[1]
)


# --- the runner ---------------------------------------------------------------------------------
CASE_IDS = sorted(CASES)


def test_the_corpus_holds_at_least_150_cases():
    assert len(CASES) >= 150, len(CASES)


@pytest.mark.parametrize("name", CASE_IDS)
def test_attack(invoke, tmp_path, monkeypatch, name):
    if name.startswith(("hang-fifo", "hang-in-call-fifo", "hang-in-inbox-fifo")) and not hasattr(
        os, "mkfifo"
    ):
        pytest.skip("named pipes are POSIX")
    if "docx" in name or name.endswith("-import") or "import-form" in name:
        pytest.importorskip("docx")
    monkeypatch.chdir(tmp_path)
    world = World(tmp_path)
    c = CASES[name](world)
    env = dict(c.env)
    with hang_guard():
        result = invoke(*c.args, env=env, input=c.input)
    for s in getattr(world, "sockets", []):
        s.close()
    out, err = result.stdout, result.stderr
    shown = f"exit {result.exit_code}\n--- stdout\n{out[-1500:]}\n--- stderr\n{err[-1500:]}"
    assert result.exit_code in c.codes, shown
    assert result.exit_code != 70, shown
    assert "Traceback" not in out + err and "internal error" not in err, shown
    raw = RAW.search(out + err)
    assert raw is None, f"raw control {raw.group()!r} on the terminal\n{shown}"
    for text in c.named:
        assert text in out + err, f"{text!r} not named\n{shown}"
    for text in c.absent:
        assert text not in out + err, f"{text!r} printed\n{shown}"
    words = [str(a) for a in c.args]
    if c.ja or ("--lang" in words and "ja" in words):
        if result.exit_code == 2:
            # what the YAML parser says after "YAML の構文エラー：" is its own (English) detail
            message = re.sub(r"構文エラー：.*", "", err.replace(str(tmp_path), ""))
            if c.args[0] == "collect":  # collect reports each file on stdout
                message += out.replace(str(tmp_path), "")
            assert JA.search(message), shown
            english = ENGLISH.search(message)
            assert english is None, f"English under --lang ja: {english.group()!r}\n{shown}"
    if not name.startswith("huge-many"):  # one message per file: each file is named
        assert len(err) < 30_000, f"stderr is {len(err)} characters: not capped"
    if c.after is not None:
        c.after()
