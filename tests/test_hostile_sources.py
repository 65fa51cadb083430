"""Hostile text from every source we did not write — a rubric (titles, guidance, labels), a
programmes file, file names — through every command: no raw ESC, C1 control or bidi override
reaches the terminal (issue 11, item 4). What proposals and reviews contain is covered by
test_hostile_text.py.

The terminal format escapes at its boundary (report/terminal/console.py), whatever a renderer
printed, so no case needs a renderer of its own to remember printable().
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, ROOT

SHIPPED_RUBRIC = ROOT / "criteria" / "mext-sti-international-2021"
# OSC 52 clipboard write ended with ST, a screen clear, a one-character C1 CSI, a bidi override.
HOSTILE = "\x1b]52;c;SGFja2Vk\x1b\\\x1b[2J\x9b2J\u202e"
RAW = re.compile("[\x1b\x9b\u202e]")
FILE_HOSTILE = "\x1b[2J\u202e"  # what a file name may hold (no "/" or NUL)


def _poison(node):
    if isinstance(node, dict):
        return {
            k: (HOSTILE + v if k in ("ja", "en") and isinstance(v, str) else _poison(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_poison(v) for v in node]
    return node


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    rubric = root / "rubric"
    shutil.copytree(SHIPPED_RUBRIC, rubric)
    for path in [rubric / "rubric.yaml", *sorted((rubric / "sections").glob("*.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(data), allow_unicode=False), encoding="utf-8")
    programmes = root / "programmes.yaml"
    data = yaml.safe_load((EXAMPLES / "programmes-mext.yaml").read_text(encoding="utf-8"))
    programmes.write_text(yaml.safe_dump(_poison(data), allow_unicode=False), encoding="utf-8")
    # file names with control characters: a proposal, its review, a call folder
    named = root / f"named{FILE_HOSTILE}"
    named.mkdir()
    proposal = named / f"satreps{FILE_HOSTILE}.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.yaml", proposal)
    review = named / f"satreps{FILE_HOSTILE}.review.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.review.yaml", review)
    partial = named / f"partial{FILE_HOSTILE}.review.yaml"
    shutil.copy(EXAMPLES / "satreps-flood-ews-th.partial.review.yaml", partial)
    broken = named / f"broken{FILE_HOSTILE}.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    call = root / f"call{FILE_HOSTILE}"
    shutil.copytree(EXAMPLES / "call-2026", call)
    return {
        "rubric": rubric,
        "programmes": programmes,
        "proposal": proposal,
        "review": review,
        "partial": partial,
        "broken": broken,
        "call": call,
        "plain_proposal": EXAMPLES / "satreps-flood-ews-th.yaml",
        "plain_review": EXAMPLES / "satreps-flood-ews-th.review.yaml",
        "plain_partial": EXAMPLES / "satreps-flood-ews-th.partial.review.yaml",
    }


# (id, args with {placeholders}, xfail reason or None)
CASES = [
    ("criteria", ["criteria", "--rubric", "{rubric}"], None),
    ("criteria-one", ["criteria", "A1", "--rubric", "{rubric}"], None),
    ("validate-rubric", ["validate", "{rubric}/rubric.yaml"], None),
    ("validate-files", ["validate", "{proposal}", "{review}", "{broken}"], None),
    ("validate-with-rubric", ["validate", "{plain_proposal}", "--rubric", "{rubric}"], None),
    ("check", ["check", "{plain_proposal}", "--rubric", "{rubric}"], None),
    ("check-name", ["check", "{proposal}"], None),
    ("check-broken", ["check", "{broken}"], None),
    (
        "assess",
        ["assess", "{plain_proposal}", "--review", "{plain_review}", "--rubric", "{rubric}", "--no-input"],
        None,
    ),
    ("assess-name", ["assess", "{proposal}", "--review", "{review}", "--no-input"], None),
    ("assess-partial-name", ["assess", "{proposal}", "--review", "{partial}", "--no-input"], None),
    (
        "consolidate",
        ["consolidate", "{plain_proposal}", "{plain_review}", "--rubric", "{rubric}"],
        None,
    ),
    ("consolidate-name", ["consolidate", "{proposal}", "{review}"], None),
    ("rank", ["rank", "{call}", "--rubric", "{rubric}"], None),
    ("rank-name", ["rank", "{call}"], None),
    ("portfolio", ["portfolio", "--programmes", "{programmes}"], None),
    ("portfolio-call", ["portfolio", "{call}", "--rubric", "{rubric}"], None),
    ("template", ["template", "proposal", "--rubric", "{rubric}"], None),
    ("missing-name", ["assess", "{proposal}x", "--no-input"], None),
    ("output-name", ["assess", "{proposal}", "--review", "{review}", "-o", "{call}/x/y.md"], None),
]


def _args(args: list[str], hostile: dict[str, Path]) -> list[str]:
    return [a.format(**{k: str(v) for k, v in hostile.items()}) for a in args]


@pytest.mark.parametrize(
    ("args", "reason"),
    [pytest.param(a, r, id=i) for i, a, r in CASES],
)
def test_no_raw_control_reaches_the_terminal(invoke, hostile, args, reason):
    result = invoke(*_args(args, hostile))
    out = result.stdout + result.stderr
    assert "Traceback" not in out and result.exit_code != 70, out[-2000:]
    raw = RAW.findall(out)
    assert not raw, f"exit {result.exit_code}: {len(raw)} raw controls, e.g. {out[:600]!r}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_questionnaire_escapes_rubric_text(invoke, hostile, lang, tmp_path):
    review = tmp_path / "partial.review.yaml"
    shutil.copy(hostile["plain_partial"], review)
    result = invoke(
        "assess",
        hostile["plain_proposal"],
        "--review",
        review,
        "--rubric",
        hostile["rubric"],
        "--lang",
        lang,
        input="\n" * 5 + "q\n",
    )
    out = result.stdout + result.stderr
    assert "Traceback" not in out and result.exit_code != 70, out[-2000:]
    assert not RAW.findall(out), out[:600]
