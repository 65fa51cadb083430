"""Hostile text: whatever applicants, reviewers or a rubric's authors write — rich markup,
Markdown, HTML, terminal control sequences, bidi overrides — is shown literally on the terminal
and escaped in every export. Nothing in a file can change what a reviewer's terminal or a
committee's document shows.

One proposal puts a hostile string in every free-text field, two reviews in every field of
theirs, a programmes file in its names and notes, and a rubric copy in its titles and
questions; then every command runs in every format.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from sti_review import questionnaire as q
from sti_review.api import open_job
from sti_review.report import Format

from .conftest import ROOT

# Each starts with rich markup, so that a shortened cell still shows whether it was interpreted.
MARKUP = "[bold]B[/bold] [/] [link=https://evil.example]L[/link] [red on white]R"
MARKDOWN = "| pipe | `tick` **strong** _em_ ~~s~~ [x](javascript:alert(1)) ![i](http://e/x.png) \\"
HTML = "<script>alert(1)</script> <img src=x onerror=alert(2)> &amp; <!-- c -->"
TERMINAL = "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07OSC\x1b]8;;\x07 \x9b2J \x1b[2J\x07\x08\r\x7f"
BIDI = "\u202eevil\u202c \u2066x\u2069 \u2028line"
BLOCK = "\n# heading\n- item\n1. item\n> quote\n```\nfence"


def hostile(label: str) -> str:
    return f"{MARKUP} {label} {MARKDOWN} {HTML} {TERMINAL} {BIDI}{BLOCK}"


FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def proposal_data(pid: str) -> dict:
    return {
        "id": pid,
        "title": hostile("title"),
        "programme": "joint_research",
        "summary": hostile("summary"),
        "lead": {"name": hostile("lead"), "institution": hostile("lead-institution")},
        "partners": [{"country": "TH", "institution": hostile("partner")}],
        "objectives": ["B.sdgs", "A.quality"],
        "kpis": [
            {"objective": "B.sdgs", "indicator": hostile("indicator"), "target": hostile("target")},
            {"objective": "A.quality", "indicator": "=HYPERLINK(1)", "target": "+1 -2 @3"},
        ],
        "risks": [
            {"area": "environment", "description": hostile("risk"), "mitigation": hostile("mitigation")}
        ],
        # procedures are the rubric's vocabulary (an undeclared one is refused): hostile text in notes
        "integrity": {"procedures": ["export_control"], "notes": hostile("integrity")},
        "sections": {cid: hostile(f"section-{cid}") for cid in ("A1", "A2", "B1", "X7", "JR1")},
        "team": [
            {
                "name": hostile("member"),
                "role": hostile("role"),
                "career_stage": "postdoc",
                "institution": hostile("inst"),
            },
            {"name": "研究者 二", "career_stage": "faculty", "discipline": "humanities_social"},
        ],
        "budget": 100000000,
    }


def review_data(pid: str, reviewer: str, score: float, *, role: str | None = None) -> dict:
    answers: dict = {}
    for cid in ["A1", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6"]:
        answers[cid] = {"score": score, "comment": hostile(f"comment-{cid}")}
    for i in range(1, 8):
        answers[f"JR{i}"] = {"score": 4, "comment": hostile(f"comment-JR{i}")}
    answers["A2"] = {
        "verdict": "conditional",
        "conditions": [hostile("condition-1"), "=cmd|' /C calc'!A0"],
        "comment": hostile("gate"),
    }
    answers["X7"] = {"verdict": "pass", "comment": hostile("gate-x7")}
    data = {"proposal": pid, "reviewer": hostile(reviewer), "rubric": "mext-sti-international-2021@1"}
    if role:
        data["role"] = role
    data["answers"] = answers
    return data


def programmes_data() -> dict:
    return {
        "programmes": [
            {
                "id": "evil-programme",
                "code": "[b]X[/b]",
                "name": {"ja": hostile("programme-ja"), "en": hostile("programme-en")},
                "operator": hostile("operator"),
                "means": ["joint_research"],
                "objectives": ["B.sdgs"],
                "career_stages": ["faculty"],
                "regions": ["southeast_asia"],
                "scale": hostile("scale"),
                "note": hostile("note"),
            }
        ]
    }


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    call = root / "call"
    (call / "reviews" / "EVIL-1").mkdir(parents=True)
    (call / "proposals").mkdir()
    proposal = call / "proposals" / "EVIL-1.yaml"
    proposal.write_text(dump(proposal_data("EVIL-1")), encoding="utf-8")
    (call / "proposals" / "EVIL-2.yaml").write_text(dump(proposal_data("EVIL-2")), encoding="utf-8")
    r1 = call / "reviews" / "EVIL-1" / "r1.yaml"
    r2 = call / "reviews" / "EVIL-1" / "r2.yaml"
    r1.write_text(dump(review_data("EVIL-1", "reviewer-1", 4)), encoding="utf-8")
    r2.write_text(dump(review_data("EVIL-1", "reviewer-2", 2)), encoding="utf-8")
    (call / "reviews" / "EVIL-2").mkdir()
    (call / "reviews" / "EVIL-2" / "r1.yaml").write_text(
        dump(review_data("EVIL-2", "reviewer-3", 4.5)), encoding="utf-8"
    )
    programmes = root / "programmes.yaml"
    programmes.write_text(dump(programmes_data()), encoding="utf-8")
    rubric = root / "rubric"
    shutil.copytree(ROOT / "criteria" / "mext-sti-international-2021", rubric)
    text = (rubric / "sections" / "A.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'title: {ja: "研究力への価値と連携の適切性"', "title: {ja: " + json.dumps(hostile("rubric-title")), 1
    )
    (rubric / "sections" / "A.yaml").write_text(text, encoding="utf-8")
    yield {"call": call, "proposal": proposal, "r1": r1, "r2": r2, "programmes": programmes, "rubric": rubric}


def formats(*extra: str) -> list[str]:
    """The text formats every command writes (csv is the ranking's alone), and ``extra``.
    Word and Excel files are binary, written only with -o; their hostile text: test_office.py."""
    return [f.value for f in Format if f.value not in ("csv", "docx", "xlsx")] + list(extra)


def assert_clean(text: str, what: str) -> None:
    """No control character, C1 code or bidi override reaches the output."""
    bad = FORBIDDEN.search(text.replace("\r\n", "\n"))
    if bad is not None:
        near = text[max(0, bad.start() - 60) : bad.start() + 20]
        pytest.fail(f"{what}: raw {bad.group()!r} at {bad.start()}: …{near!r}")


def assert_markup_literal(text: str, what: str) -> None:
    assert "[bold]B" in text, f"{what}: rich markup was interpreted (no literal [bold])"


def markdown_cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def assert_markdown(text: str, what: str) -> None:
    assert_clean(text, what)
    low = text.lower()
    assert "<script" not in low and "<img" not in low and "<!--" not in low, f"{what}: raw HTML"
    assert not re.search(r"(?<!\\)\]\(javascript", text), f"{what}: a live link"
    table: int | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = markdown_cells(line)
            if table is None:
                table = cells
            assert cells == table, (
                f"{what}: a table row has {cells} cell walls, the header {table}: {line[:200]}"
            )
        else:
            table = None
    # Every user line break stays inside its cell or paragraph: no heading or list is opened by it.
    assert not re.search(r"^# heading", text, re.M) and not re.search(r"^- item", text, re.M)


def assert_html(text: str, what: str) -> None:
    assert_clean(text, what)
    assert "<script>alert" not in text and "<img src=x" not in text, f"{what}: raw HTML from user text"
    assert "&lt;script&gt;alert(1)" in text
    assert_markup_literal(text, what)


def strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def assert_json(text: str, what: str) -> None:
    """Escaped as \\u001b etc. in the JSON text, so that the data keeps the exact text."""
    assert_clean(text, what)
    assert any(TERMINAL in s and BIDI in s for s in strings(json.loads(text))), (
        f"{what}: text not kept exactly"
    )


def assert_terminal(text: str, what: str) -> None:
    assert_clean(text, what)
    assert_markup_literal(text, what)


def assert_csv(text: str, what: str) -> None:
    assert_clean(text, what)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert all(len(r) == len(rows[0]) for r in rows), f"{what}: rows of different lengths"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (
                f"{what}: formula cell {cell[:40]!r}"
            )
    assert_markup_literal(text, what)


CHECKERS = {
    "terminal": assert_terminal,
    "markdown": assert_markdown,
    "json": assert_json,
    "html": assert_html,
    "csv": assert_csv,
}
WIDE = {"COLUMNS": "400"}


def run(invoke, tmp_path, fmt: str, *args, codes=(0,)) -> tuple[str, str]:
    """The command's output on stdout, and written with -o; both must be clean."""
    result = invoke(*args, "-f", fmt, env=WIDE)
    assert result.exit_code in codes, result.stderr + result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert_clean(result.stderr, "stderr")
    out = tmp_path / f"out.{fmt}"
    written = invoke(*args, "-f", fmt, "-o", out, "--force", env=WIDE)
    assert written.exit_code in codes, written.stderr
    return result.stdout, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", formats())
def test_assess(invoke, tmp_path, files, fmt):
    shown, saved = run(invoke, tmp_path, fmt, "assess", files["proposal"], "--review", files["r1"])
    CHECKERS[fmt](shown, f"assess {fmt}")
    CHECKERS[fmt](saved, f"assess {fmt} -o")
    if fmt == "terminal":
        assert "[link=https://evil.example]L[/link]" in shown  # the whole title, as written
        assert "\\x1b[31mRED" in shown and "\\u202eevil" in shown  # made visible, not obeyed


@pytest.mark.parametrize("fmt", formats())
def test_check(invoke, tmp_path, files, fmt):
    shown, saved = run(invoke, tmp_path, fmt, "check", files["proposal"], codes=(0, 1))
    CHECKERS[fmt](shown, f"check {fmt}")
    CHECKERS[fmt](saved, f"check {fmt} -o")


@pytest.mark.parametrize("fmt", formats())
def test_consolidate(invoke, tmp_path, files, fmt):
    shown, saved = run(invoke, tmp_path, fmt, "consolidate", files["proposal"], files["r1"], files["r2"])
    CHECKERS[fmt](shown, f"consolidate {fmt}")
    CHECKERS[fmt](saved, f"consolidate {fmt} -o")


@pytest.mark.parametrize("fmt", formats("csv"))
def test_rank(invoke, tmp_path, files, fmt):
    shown, saved = run(invoke, tmp_path, fmt, "rank", files["call"], "--fund", "1")
    CHECKERS[fmt](shown, f"rank {fmt}")
    CHECKERS[fmt](saved, f"rank {fmt} -o")


@pytest.mark.parametrize("fmt", formats())
def test_portfolio(invoke, tmp_path, files, fmt):
    shown, saved = run(invoke, tmp_path, fmt, "portfolio", files["call"], "--programmes", files["programmes"])
    if fmt == "json":  # the programmes' names are in it; the proposals are listed by id
        assert_clean(shown, "portfolio json")
        assert "[bold]B" in json.loads(shown)["programmes"][0]["title"]
        return
    CHECKERS[fmt](shown, f"portfolio {fmt}")
    CHECKERS[fmt](saved, f"portfolio {fmt} -o")


@pytest.mark.parametrize("fmt", formats())
def test_a_hostile_rubric(invoke, tmp_path, files, fmt):
    """A rubric from elsewhere is user input too: its titles are shown literally."""
    shown, _ = run(
        invoke,
        tmp_path,
        fmt,
        "assess",
        files["proposal"],
        "--review",
        files["r1"],
        "--rubric",
        files["rubric"],
    )
    CHECKERS[fmt](shown, f"assess {fmt} with a hostile rubric")


@pytest.mark.parametrize("args", [(), ("A1",), ("--json",)], ids=["list", "one", "json"])
def test_criteria_of_a_hostile_rubric(invoke, files, args):
    result = invoke("criteria", *args, "--rubric", files["rubric"], "--lang", "ja", env=WIDE)
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, "criteria")
    assert_markup_literal(result.stdout, "criteria")


def test_error_messages_quote_hostile_text_safely(invoke, tmp_path, files):
    """Problems quote what the user wrote (an unknown id, a bad value): made visible on stderr."""
    data = review_data("EVIL-1", "r", 4)
    data["answers"][hostile("key")] = {"score": 4}
    data["answers"]["A1"]["score"] = hostile("score")
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(data), encoding="utf-8")
    for args in (
        ("validate", files["proposal"], bad),
        ("assess", files["proposal"], "--review", bad, "--no-input"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2
        assert_clean(result.stderr, "stderr")
        assert "[bold]B" in result.stderr


def test_the_questionnaire_shows_hostile_text_literally(invoke, files, tmp_path):
    """The real command's questionnaire (answers piped in): every screen, the summary and the
    report, through the same console as at a terminal."""
    review = tmp_path / "new.review.yaml"
    answers = "\n".join(
        ["y", "0", hostile("my-name").replace("\n", " ")] + ["4", hostile("c").replace("\n", " ")] * 40
    )
    result = invoke(
        "assess",
        files["proposal"],
        "--review",
        review,
        "--interactive",
        "--lang",
        "en",
        input=answers,
        env=WIDE,
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert_clean(result.stdout, "questionnaire")
    assert_clean(result.stderr, "questionnaire stderr")
    assert_markup_literal(result.stdout, "questionnaire")
    assert "[link=https://evil.example]L[/link]" in result.stdout and "section-A1" in result.stdout
    saved = yaml.safe_load(review.read_text(encoding="utf-8"))
    assert saved["reviewer"].startswith(MARKUP)  # saved as typed, escaped only when shown


def test_the_questionnaire_screens_through_a_scripted_prompter(files):
    job, earlier = q.open_for_walk(files["proposal"], files["r1"].with_name("scripted.yaml"), None)
    session = q.Session(job, earlier)
    prompter = q.ScriptedPrompter(
        ["y", "0", "名前", "?", "4", "b", "4", "", "s", *(["4", ""] * 30), ""], width=200
    )
    q.Questionnaire(session, prompter, "ja").run()
    text = prompter.transcript
    assert_clean(text, "questionnaire transcript")
    assert_markup_literal(text, "questionnaire transcript")
    assert "section-A1" in text and "indicator" in text and "risk" in text and "member" in text


def test_open_job_keeps_the_text_exactly(files):
    """Escaping is for display only: the loaded data is what the file says."""
    job = open_job(files["proposal"], files["r1"])
    assert job.proposal.proposal.title == hostile("title")
    assert job.review.review.answers["A1"].comment == hostile("comment-A1")
