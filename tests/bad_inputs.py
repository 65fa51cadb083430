"""Bad inputs whose bytes matter, written by the tests rather than committed: encodings, binary
files, a directory, huge and deeply nested files, alias bombs. Editors and Git would change
(or refuse) them, and some are megabytes.

Each case names the kind of file it stands in for (``proposal`` or ``review``), the line the
error must be reported on (None: the file as a whole) and a piece of the message.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REVIEW_HEAD = "proposal: SATREPS-2026-017\nreviewer: 山田 花子\nrubric: mext-sti-international-2021@1\n"
PROPOSAL_HEAD = "id: BAD-2026-001\ntitle: t\nprogramme: joint_research\npartners:\n  - {country: TH}\n"
JA_PROPOSAL = "id: BAD-2026-001\ntitle: 泥炭火災の早期検知と住民参加型の消火体制\nprogramme: joint_research\n"


@dataclass(frozen=True)
class Case:
    kind: str  # proposal | review
    name: str
    make: Callable[[Path], None]  # writes the file (or folder) at the path it is given
    line: int | None
    expect: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _text(text: str) -> Callable[[Path], None]:
    return _bytes(text.encode("utf-8"))


def _directory(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    """A named pipe with no writer: opening it for reading would block forever."""
    os.mkfifo(path)


def _socket(path: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()  # the socket file stays


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(size)

    return make


def billion_laughs(levels: int = 10) -> str:
    """The classic alias bomb: 10 levels of 10 references expand to 10^10 values."""
    lines = [
        REVIEW_HEAD.rstrip("\n"),
        'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]")
    lines.append(f"answers: {{A1: {{score: 4, comment: *l{levels - 1}}}}}")
    return "\n".join(lines) + "\n"


def nested_block(depth: int) -> str:
    return "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"


NOT_REGULAR = "not a regular file; sti-review reads only regular files"

CASES: list[Case] = [
    # Numbers out of sane bounds (issue 11): refused at input so no report shows inf or NaN.
    Case("proposal", "budget-1e308", _text(PROPOSAL_HEAD + "budget: 1.0e+308\n"), 6, "less than or equal to"),
    Case("proposal", "budget-negative", _text(PROPOSAL_HEAD + "budget: -1\n"), 6, "greater than or equal to"),
    Case("proposal", "budget-inf", _text(PROPOSAL_HEAD + "budget: .inf\n"), 6, "finite"),
    # Not regular files: refused without blocking (a regression hangs: the tests' alarm ends it).
    Case("proposal", "named-pipe", _fifo, None, f"is a named pipe, {NOT_REGULAR}"),
    Case("review", "named-pipe", _fifo, None, f"is a named pipe, {NOT_REGULAR}"),
    Case("proposal", "socket", _socket, None, f"is a socket, {NOT_REGULAR}"),
    # Line numbers as an editor counts them: NEL, LS and PS inside values are not line breaks.
    Case(
        "review",
        "line-separator-in-a-value",
        _text(
            REVIEW_HEAD
            + 'answers:\n  A1: {score: 4, comment: "一行目\u2028二行目\u2029三"}\n  A1: {score: 3}\n'
        ),
        6,
        "duplicate key 'A1' (first on line 5) (the file contains U+2028, U+2029",
    ),
    Case(
        "review",
        "next-line-in-a-value",
        _text(REVIEW_HEAD + 'answers:\n  A1: {score: 4, comment: "a\x85b"}\n  A9: {score: 3}\n'),
        6,
        "the file contains U+0085",
    ),
    # A score just off the scale is shown as written, with the nearest step.
    Case(
        "review",
        "score-just-off-the-scale",
        _text(REVIEW_HEAD + "answers:\n  A1:\n    score: 4.50000001\n"),
        6,
        "4.50000001 is not on the scale (0–5 in steps of 0.5); nearest: 4.5",
    ),
    Case("proposal", "empty", _bytes(b""), None, "is empty, expected a YAML mapping"),
    Case("review", "only-comments", _text("# 評価はまだです\n\n"), None, "is empty"),
    Case("review", "only-document-marker", _text("---\n...\n"), None, "empty"),
    Case(
        "proposal",
        "shift-jis",
        _bytes(JA_PROPOSAL.encode("cp932")),
        2,
        "It looks like Shift_JIS (CP932): re-save it as UTF-8",
    ),
    Case("proposal", "euc-jp", _bytes(JA_PROPOSAL.encode("euc_jp")), 2, "It looks like EUC-JP"),
    Case(
        "proposal",
        "windows-1252",
        _bytes(
            (PROPOSAL_HEAD + "lead: {name: Zoë Lefèvre, institution: Université de Liège}\n").encode("cp1252")
        ),
        6,
        "is not UTF-8 text (byte 0xeb); sti-review reads UTF-8 (or UTF-16 with a byte-order mark)",
    ),
    Case(
        "review",
        "utf-16-without-bom",
        _bytes((REVIEW_HEAD + "answers: {A1: {score: 4}}\n").encode("utf-16-le")),
        None,
        "looks like UTF-16 without a byte-order mark",
    ),
    Case(
        "review",
        "utf-16-truncated",
        _bytes((REVIEW_HEAD + "answers: {}\n").encode("utf-16") + b"\x41"),
        5,
        "is not valid UTF-16 text although it starts with its byte-order mark",
    ),
    Case(
        "review",
        "lone-surrogate",
        _bytes(REVIEW_HEAD.encode() + b"answers: {A1: {score: 4, comment: \xed\xa0\x80}}\n"),
        4,
        "is not UTF-8",
    ),
    Case(
        "proposal",
        "png",
        _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
        None,
        "is a binary file",
    ),
    Case(
        "proposal",
        "docx",
        _bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml"),
        None,
        "is a binary file",
    ),
    Case("proposal", "pdf", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), 2, "is not UTF-8"),
    Case("proposal", "directory", _directory, None, "is a directory, expected a YAML file"),
    Case("proposal", "too-large", _sparse(6 * 1024 * 1024), None, "files over 5,242,880 bytes are refused"),
    Case(
        "proposal",
        "many-values",
        _text(PROPOSAL_HEAD + "objectives: [" + "B.sdgs, " * 600_000 + "B.sdgs]\n"),
        6,
        "has more than 50,000 values",
    ),
    Case(
        "review",
        "many-answers",
        _text(REVIEW_HEAD + "answers:\n" + "".join(f"  Z{i}: {{score: 4}}\n" for i in range(40_000))),
        None,
        "has more than 50,000 values",
    ),
    Case(
        "review",
        "thousands-of-unknown-criteria",
        _text(REVIEW_HEAD + "answers:\n" + "".join(f"  Q{i}: {{score: 4}}\n" for i in range(12_000))),
        5,
        "unknown criterion 'Q0'",
    ),
    Case("review", "billion-laughs", _text(billion_laughs()), 4, "(an alias bomb?)"),
    Case(
        "proposal", "deep-flow-lists", _text("objectives: " + "[" * 10_000 + "]" * 10_000 + "\n"), 1, "nest"
    ),
    Case(
        "proposal",
        "deep-flow-mappings",
        _text("lead: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"),
        1,
        "nest",
    ),
    Case("proposal", "deep-block-mappings", _text(nested_block(3_000)), None, "nest"),
    Case(
        "proposal", "nested-65-levels", _text("lead: " + "[" * 65 + "]" * 65 + "\n"), 1, "nested too deeply"
    ),
    Case("proposal", "unclosed-10000", _text("objectives: " + "[" * 100_000 + "\n"), 1, "nest"),
    Case(
        "review",
        "control-character",
        _bytes(REVIEW_HEAD.encode() + b'answers: {A1: {score: 4, comment: "\x1b[31m\x07"}}\n'),
        4,
        "YAML does not allow the character U+001B here",
    ),
    Case(
        "review",
        "nul-after-8k",
        _bytes(
            REVIEW_HEAD.encode() + b"# " + b"x" * 9000 + b"\nanswers: {A1: {score: 4, comment: a\x00b}}\n"
        ),
        5,
        "U+0000",
    ),
    Case(
        "review",
        "bom-and-duplicate",
        _bytes(b"\xef\xbb\xbf" + (REVIEW_HEAD + "answers:\n  A1: {score: 4}\n  A1: {score: 5}\n").encode()),
        6,
        "duplicate key 'A1' (first on line 5)",
    ),
    Case(
        "review",
        "crlf-and-duplicate",
        _text((REVIEW_HEAD + "answers:\n  A1: {score: 4}\n  A1: {score: 5}\n").replace("\n", "\r\n")),
        6,
        "duplicate key 'A1' (first on line 5)",
    ),
    Case(
        "review",
        "cr-only-and-off-step",
        _text((REVIEW_HEAD + "answers:\n  A1: {score: 4.2}\n").replace("\n", "\r")),
        5,
        "4.2 is not on the scale",
    ),
    Case(
        "proposal",
        "long-line-and-error",
        _text("id: BAD-2026-001\ntitle: " + "長" * 1_500_000 + "\nprogramme: joint_research\npartners: TH\n"),
        4,
        "partners: must be a list, not text",
    ),
    Case(
        "review",
        "alias-to-itself",
        _text(REVIEW_HEAD + "answers: &a {A1: *a}\n"),
        4,
        "nested too deeply",
    ),
]


def good_variants() -> list[tuple[str, bytes]]:
    """The complete example review, written in ways that must read exactly like the original."""
    text = (
        Path(__file__).resolve().parent.parent / "examples" / "satreps-flood-ews-th.review.yaml"
    ).read_text(encoding="utf-8")
    return [
        ("utf-8-bom", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("utf-16-le-bom", text.encode("utf-16")),  # Python writes the BOM, little-endian here
        ("utf-16-be-bom", b"\xfe\xff" + text.encode("utf-16-be")),
        ("utf-32-bom", text.encode("utf-32")),
        ("crlf", text.replace("\n", "\r\n").encode("utf-8")),
        ("bom-and-crlf", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")),
        ("tabs-after-values", text.replace("proposal: ", "proposal:\t", 1).encode("utf-8")),
        ("document-markers", ("---\n" + text + "...\n").encode("utf-8")),
    ]
