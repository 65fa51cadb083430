"""The problems of invalid files are said in the report's language, in every format of ``rank``
and ``check`` (not only on stderr), and a ranking read back from the cache is not frozen in the
language of the run that filled it."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from sti_review.errors import Problem, Text
from sti_review.i18n import t
from tests.conftest import EXAMPLES, Invoke

# What the report says about a review that is just the word ``text`` (a problem of no proposal:
# the CSV, one row per proposal, has no place for it) ...
JA = "YAML のマッピング（キー: 値）である必要があります"
EN = "must be a YAML mapping"
BROKEN = "reviews/CALL26-BC-01/broken.yaml"
# ... and about a proposal that has nothing but its id (its row is invalid, in every format).
JA_ROW = "必須の項目がありません"
EN_ROW = "required field is missing"
HALF = "proposals/CALL26-ZZ-01.yaml"


def _call(tmp_path: Path) -> Path:
    call = tmp_path / "call"
    shutil.copytree(EXAMPLES / "call-2026", call)
    (call / BROKEN).write_text("text\n", encoding="utf-8")
    (call / HALF).write_text("id: CALL26-ZZ-01\n", encoding="utf-8")
    return call


def _flat(text: str) -> str:
    """Without white space: a terminal report wraps long lines (at a path, at a space)."""
    return "".join(text.split())


def _docx_text(path: Path) -> str:
    docx = pytest.importorskip("docx")
    doc = docx.Document(str(path))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _xlsx_text(path: Path) -> str:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def _report(path: Path, fmt: str) -> str:
    if fmt == "docx":
        return _docx_text(path)
    if fmt == "xlsx":
        return _xlsx_text(path)
    return path.read_text(encoding="utf-8-sig")


RANK_FORMATS = ["terminal", "markdown", "html", "csv", "json", "docx", "xlsx"]


@pytest.mark.parametrize("fmt", RANK_FORMATS)
def test_rank_says_an_invalid_files_problem_in_japanese(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    call = _call(tmp_path)
    out = tmp_path / f"ranking.{fmt}"
    args = ["rank", call, "--lang", "ja", "--format", fmt, "--no-cache"]
    res = invoke(*args, *([] if fmt == "terminal" else ["-o", out]))
    assert res.exit_code == 2, res.output  # the ranking is drawn, and the broken files named
    report = _flat(res.stdout if fmt == "terminal" else _report(out, fmt))
    assert _flat(JA_ROW) in report
    assert _flat(EN_ROW) not in report
    if fmt != "csv":
        assert "broken.yaml" in report
        assert _flat(JA) in report
    assert _flat(EN) not in report
    assert JA in res.stderr and JA_ROW in res.stderr


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "csv", "json"])
def test_rank_in_english_stays_english(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    call = _call(tmp_path)
    res = invoke("rank", call, "--lang", "en", "--format", fmt, "--no-cache")
    assert res.exit_code == 2, res.output
    report = _flat(res.stdout)
    assert _flat(EN_ROW) in report
    assert (_flat(EN) in report) is (fmt != "csv")
    assert _flat(JA) not in report and _flat(JA_ROW) not in report


def test_json_problem_message_follows_lang(invoke: Invoke, tmp_path: Path) -> None:
    """The JSON keys stay as they were; ``message``, a text field, is in ``lang`` like the
    findings' messages (docs/formats.md)."""
    call = _call(tmp_path)
    data = {}
    for lang in ("ja", "en"):
        res = invoke("rank", call, "--lang", lang, "--format", "json", "--no-cache")
        data[lang] = json.loads(res.stdout)
    ja, en = (next(p for p in data[x]["problems"] if p["file"].endswith("broken.yaml")) for x in ("ja", "en"))
    assert sorted(ja) == sorted(en) == ["column", "field", "file", "line", "message"]
    assert {k: v for k, v in ja.items() if k != "message"} == {k: v for k, v in en.items() if k != "message"}
    assert JA in ja["message"] and EN in en["message"]


@pytest.mark.parametrize(
    "content",
    ["text\n", "- a\n- b\n", "42\n", "", "\ufeff\n", "proposal: [\n", "null\n"],
    ids=["text", "list", "number", "empty", "bom-only", "syntax", "null"],
)
def test_a_review_that_is_not_a_mapping_does_not_stop_the_ranking(
    invoke: Invoke, tmp_path: Path, content: str
) -> None:
    call = _call(tmp_path)
    (call / BROKEN).write_text(content, encoding="utf-8")
    for lang in ("en", "ja"):
        res = invoke("rank", call, "--lang", lang, "--format", "json", "--no-cache")
        assert res.exit_code == 2, res.output
        assert "Traceback" not in res.output
        data = json.loads(res.stdout)
        ranked = [p["id"] for p in data["proposals"] if p["status"] != "invalid"]
        assert len(ranked) == 11  # every proposal of the example is still ranked
        assert str(call / BROKEN) in [p["file"] for p in data["problems"]]
        assert str(call / BROKEN) in res.stderr


def test_a_review_in_shift_jis_is_named_in_japanese(invoke: Invoke, tmp_path: Path) -> None:
    call = _call(tmp_path)
    (call / BROKEN).write_bytes("proposal: CALL26-BC-01\nreviewer: 田中\n".encode("shift_jis"))
    res = invoke("rank", call, "--lang", "ja", "--format", "markdown", "--no-cache")
    assert res.exit_code == 2, res.output
    assert "broken.yaml" in res.stdout
    assert "UTF-8" in res.stdout
    assert "must be" not in res.stdout and "not UTF-8" not in res.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "docx"])
def test_check_says_an_unreadable_files_problem_in_japanese(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    good = EXAMPLES / "call-2026" / "proposals" / "CALL26-JR-01.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("text\n", encoding="utf-8")
    out = tmp_path / f"checks.{fmt}"
    res = invoke("check", good, bad, "--lang", "ja", "--format", fmt, "-o", out)
    assert res.exit_code == 2, res.output
    report = _report(out, fmt)
    assert "bad.yaml" in report
    assert JA in report
    assert EN not in report


def test_warm_cache_after_an_english_run_says_japanese(invoke: Invoke, tmp_path: Path) -> None:
    """A call ranked in English fills the cache; the same call ranked in Japanese from the warm
    cache says the problems in Japanese, exactly as a run without the cache does."""
    call = _call(tmp_path)
    env = {"STI_REVIEW_CACHE": str(tmp_path / "cache")}
    for fmt in ("terminal", "json", "csv"):
        english = invoke("rank", call, "--lang", "en", "--format", fmt, env=env)
        assert _flat(EN_ROW) in _flat(english.stdout)
        warm = invoke("rank", call, "--lang", "ja", "--format", fmt, env=env)
        cold = invoke("rank", call, "--lang", "ja", "--format", fmt, "--no-cache", env=env)
        assert warm.exit_code == cold.exit_code == 2
        assert warm.stdout_bytes == cold.stdout_bytes
        assert _flat(JA_ROW) in _flat(warm.stdout)
        assert _flat(EN_ROW) not in _flat(warm.stdout) and _flat(EN) not in _flat(warm.stdout)


def test_a_pickled_problem_keeps_its_words() -> None:
    """What workers hand back and the cache keeps: the message can still be said in any language."""
    message = Text("err.not_yaml_mapping", type=Text("err.type_text")) + " (note)"
    problem = Problem("r.yaml", 1, 1, None, message)
    back = pickle.loads(pickle.dumps(problem, pickle.HIGHEST_PROTOCOL))
    assert back == problem
    assert str(back) == str(problem)
    assert back.render("ja") == problem.render("ja")
    assert JA in back.render("ja")
    assert back.render("en") == str(problem)


def test_questionnaire_check_message_is_in_the_screens_language() -> None:
    from sti_review.questionnaire.answers import AnswerError

    err = AnswerError("err_check", problem=Text("err.not_yaml_mapping", type="x"))
    assert JA in err.text("ja")
    assert t("quest.err_check", "ja", problem="").rstrip() in err.text("ja")
    assert EN in err.text("en")


def test_problems_read_by_worker_processes_say_japanese(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files read in worker processes come back pickled: their problems still follow --lang."""
    from sti_review import callfolder

    monkeypatch.setattr(callfolder, "PARALLEL_FROM", 1)
    call = _call(tmp_path)
    res = invoke("rank", call, "--lang", "ja", "--format", "json", "--no-cache", "--jobs", "2")
    assert res.exit_code == 2, res.output
    messages = [p["message"] for p in json.loads(res.stdout)["problems"]]
    assert any(JA in m for m in messages) and any(JA_ROW in m for m in messages)
    assert not any(EN in m or EN_ROW in m for m in messages)


def test_decisions_without_conditions_are_said_in_japanese(tmp_path: Path) -> None:
    from sti_review.errors import InputError
    from sti_review.letters import load_decisions

    (tmp_path / "decisions.yaml").write_text(
        "decisions:\n  X: {decision: selected_on_conditions}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_decisions(tmp_path)
    (problem,) = err.value.problems
    assert "条件付き採択には条件の記入が必要です" in problem.render("ja")
    assert problem.render("en") == str(problem)
    assert "selected on conditions needs its conditions listed" in str(problem)
