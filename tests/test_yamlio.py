"""Safe YAML loading: every broken or hostile file gives a located message, never a crash,
never code execution, never a silently wrong value."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import pytest

from sti_review.errors import InputError
from sti_review.yamlio import Document, load_file, parse


def problems_of(path: Path | str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_file(path)
    return [str(p) for p in caught.value.problems]


def parse_problems(text: str, name: str = "proposal.yaml") -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text, name)
    return [str(p) for p in caught.value.problems]


# --- syntax -------------------------------------------------------------------------------


def test_syntax_error_is_located_as_file_line_column():
    text = "id: JR-2026-101\ntitle: 洪水\n  programme: joint_research\n"
    [problem] = parse_problems(text)
    assert problem.startswith("proposal.yaml:3:")
    line, column = problem.split(":")[1:3]
    assert line == "3" and column.isdigit()
    assert "syntax" in problem.lower()


def test_unclosed_flow_list_is_located():
    [problem] = parse_problems("objectives: [B.sdgs, B.crisis\npartners: []\n")
    assert problem.startswith("proposal.yaml:2:")


def test_tab_indentation_is_a_located_syntax_error():
    [problem] = parse_problems("lead:\n\tname: 高橋\n")
    assert problem.startswith("proposal.yaml:2:")


def test_two_documents_in_one_file_are_refused():
    [problem] = parse_problems("id: a\n---\nid: b\n")
    assert problem.startswith("proposal.yaml:2:")


# --- duplicate keys -----------------------------------------------------------------------


def test_duplicate_key_is_rejected_naming_both_lines():
    text = "id: JR-2026-101\ntitle: 一つ目\nprogramme: other\ntitle: 二つ目\n"
    [problem] = parse_problems(text)
    assert problem.startswith("proposal.yaml:4:")
    assert "duplicate key 'title'" in problem
    assert "line 2" in problem


def test_duplicate_answer_in_a_review_is_rejected():
    text = "answers:\n  A1: {score: 4}\n  A3: {score: 3}\n  A1: {score: 2}\n"
    [problem] = parse_problems(text, "review.yaml")
    assert problem.startswith("review.yaml:4:")
    assert "'A1'" in problem and "line 2" in problem


def test_every_duplicate_is_reported_at_once():
    text = "id: a\nid: b\nlead: {name: x, name: y}\n"
    problems = parse_problems(text)
    assert len(problems) == 2


# --- YAML 1.1 surprises -------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["NO", "no", "No", "yes", "on", "off", "y", "n"])
def test_yes_no_on_off_stay_text(spelling):
    """`country: NO` is Norway, not false."""
    doc = parse(f"country: {spelling}\n", "proposal.yaml")
    assert doc.data == {"country": spelling}


def test_true_and_false_are_still_booleans():
    doc = parse("na: true\nother: false\n", "review.yaml")
    assert doc.data == {"na": True, "other": False}


def test_dates_stay_text():
    doc = parse("target: 2029-03-31\n", "proposal.yaml")
    assert doc.data == {"target": "2029-03-31"}


def test_numbers_are_numbers():
    doc = parse("a: 4\nb: 4.5\nc: ~\n", "review.yaml")
    assert doc.data == {"a": 4, "b": 4.5, "c": None}


def test_colon_separated_numbers_stay_text():
    doc = parse("target: 1:30\n", "proposal.yaml")
    assert doc.data == {"target": "1:30"}


@pytest.mark.parametrize("spelling", ["010", "0120", "0x1F", "0b101", "-010", "0_1"])
def test_octal_hexadecimal_and_binary_spellings_stay_text(spelling):
    """YAML 1.1 reads 010 as 8: nobody typing a budget or a score means that."""
    assert parse(f"a: {spelling}\n", "proposal.yaml").data == {"a": spelling}


def test_zero_and_ordinary_numbers_are_still_numbers():
    assert parse("a: 0\nb: -0\nc: 10\nd: 0.5\ne: 1_000\n", "x.yaml").data == {
        "a": 0,
        "b": 0,
        "c": 10,
        "d": 0.5,
        "e": 1000,
    }


def test_a_budget_with_a_leading_zero_is_read_as_written(tmp_path):
    """0120 is not octal 80: kept as text by the loader, it is read as the number 120."""
    from sti_review.proposal import Proposal
    from sti_review.validation import validate

    doc = parse("id: X\ntitle: t\nprogramme: other\npartners: [{country: TH}]\nbudget: 0120\n", "p.yaml")
    assert validate(Proposal, doc).budget == 120


# --- hostile files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "title: !!python/object/apply:os.system ['echo pwned']\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
        "title: !!python/name:os.system\n",
        "lead: !!python/object:argparse.Namespace {name: x}\n",
    ],
    ids=["value", "root", "name", "object"],
)
def test_python_tags_are_rejected(text, capfd):
    [problem] = parse_problems(text)
    assert problem.startswith("proposal.yaml:1:")
    assert "tag" in problem and "not allowed" in problem
    assert "pwned" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "text", ["a: !!binary aGVsbG8=\n", "a: !!set {x, y}\n", "a: !foo bar\n"], ids=["binary", "set", "custom"]
)
def test_other_tags_are_rejected(text):
    [problem] = parse_problems(text)
    assert "not allowed" in problem


def test_merge_keys_are_rejected():
    problems = parse_problems("base: &b {name: x}\nlead:\n  <<: *b\n")
    assert problems[0].startswith("proposal.yaml:3:")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for prev, name in itertools.pairwise(names[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def peak_memory(fn):
    """(result, peak bytes allocated by Python while ``fn`` ran): a bound on work done that a
    slow machine cannot break (how long it takes is measured by benchmarks/bad_inputs.py)."""
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_alias_bomb_is_rejected_before_it_is_expanded(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    [problem], peak = peak_memory(lambda: problems_of(path))
    assert peak < 20 * 1024 * 1024
    assert problem.startswith(f"{path}:")
    assert "alias" in problem


def test_a_large_file_is_counted_before_it_is_built():
    """A million values in 2 MB: refused at the value that is one too many, without building a
    tree of a million nodes (which would take hundreds of MB)."""
    text = "a: [" + "1," * 1_000_000 + "1]\n"
    [problem], peak = peak_memory(lambda: parse_problems(text))
    assert peak < 30 * 1024 * 1024
    assert problem.startswith("proposal.yaml:1:") and "more than 50,000 values" in problem


def test_thousands_of_problems_are_located_in_linear_time():
    """Locating a problem looks its key up by name, not by walking every sibling."""
    text = "answers:\n" + "".join(f"  K{i}: x\n" for i in range(20_000))
    doc = parse(text, "r.yaml")
    scanned = 0
    entries = Document._entries

    def counting(self, node):
        nonlocal scanned
        if id(node) not in self._keys:
            scanned += len(node.value)
        return entries(self, node)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Document, "_entries", counting)
        lines = [doc.key_location(("answers", f"K{i}"))[0] for i in range(0, 20_000, 7)]
    assert scanned <= 20_000 + 1  # each mapping's keys are read once, not once per lookup
    assert lines[:3] == [2, 9, 16]


def test_a_control_character_is_located():
    [problem] = parse_problems('a: 1\nb: "日本語\x07"\n')
    assert problem.startswith("proposal.yaml:2:") and "U+0007" in problem


def test_an_unclosed_quote_names_where_it_began():
    [problem] = parse_problems('id: x\ntitle: "unclosed\nprogramme: other\n')
    assert "on line 2" in problem


def test_text_that_is_not_unicode_is_refused():
    [problem] = parse_problems("a: \ud800\n")
    assert "not valid Unicode" in problem


def test_deep_nesting_is_rejected():
    [problem] = parse_problems("a: " + "[" * 500 + "]" * 500 + "\n")
    assert "nested too deeply" in problem


def test_a_few_aliases_are_fine():
    doc = parse("x: &x TH\ny: *x\n", "proposal.yaml")
    assert doc.data == {"x": "TH", "y": "TH"}


# --- files that are not YAML text -----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"], ids=["empty", "blank", "comment"])
def test_empty_file(tmp_path, text):
    path = tmp_path / "review.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "empty" in problem


def test_directory(tmp_path):
    [problem] = problems_of(tmp_path)
    assert problem.startswith(str(tmp_path))
    assert "directory" in problem


def test_missing_file(tmp_path):
    [problem] = problems_of(tmp_path / "nowhere.yaml")
    assert "no such file" in problem


def test_binary_file(tmp_path):
    path = tmp_path / "scan.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    [problem] = problems_of(path)
    assert "binary" in problem


def test_shift_jis_file_is_refused_with_a_hint_about_utf8(tmp_path):
    """A file saved by an old Japanese editor: the message says what to do."""
    path = tmp_path / "proposal.yaml"
    path.write_bytes("id: JR-2026-101\ntitle: 泥炭火災の早期検知\n".encode("shift_jis"))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:2:")
    assert "UTF-8" in problem
    assert "Shift_JIS" in problem


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path, codec):
    """Excel's "Unicode text" and old Notepad's "Unicode": the byte-order mark says which."""
    path = tmp_path / "proposal.yaml"
    text = "id: JR-2026-101\ntitle: 泥炭火災\n"
    raw = text.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    assert load_file(path).data == {"id": "JR-2026-101", "title": "泥炭火災"}


def test_utf16_without_a_bom_is_named(tmp_path):
    path = tmp_path / "proposal.yaml"
    path.write_bytes("id: JR-2026-101\ntitle: x\n".encode("utf-16-le"))
    [problem] = problems_of(path)
    assert "UTF-16 without a byte-order mark" in problem


def test_latin1_text_gets_no_japanese_hint(tmp_path):
    """é then a letter decodes as Shift_JIS too, as kanji: only kana make it Japanese."""
    path = tmp_path / "proposal.yaml"
    path.write_bytes("institution: Université de Liège\n".encode("cp1252"))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:1:23:") and "Shift_JIS" not in problem and "UTF-8" in problem


def test_utf8_bom_is_accepted(tmp_path):
    """Windows Notepad writes a BOM; it must not end up in the first key."""
    path = tmp_path / "proposal.yaml"
    path.write_bytes("\ufeffid: JR-2026-101\ntitle: 泥炭火災\n".encode())
    doc = load_file(path)
    assert doc.data == {"id": "JR-2026-101", "title": "泥炭火災"}


def test_japanese_text_round_trips_intact(data):
    doc = load_file(data / "proposal-ja-joint-research.yaml")
    assert doc.data["title"] == "インドネシア泥炭地における火災早期検知と住民参加型の消火体制の構築"
    assert doc.data["partners"][0]["country"] == "ID"


def test_norway_partner_in_a_real_proposal_stays_no(data):
    doc = load_file(data / "proposal-en-brain-circulation.yaml")
    assert [p["country"] for p in doc.data["partners"]] == ["CA", "NO"]
    assert doc.data["team"][1]["country"] == "NO"


# --- locating values ----------------------------------------------------------------------


def test_document_locates_nested_values():
    doc = parse("id: x\npartners:\n  - country: TH\n  - country: th\n", "proposal.yaml")
    assert doc.locate(("partners", 1, "country")) == (4, 14)
    problem = doc.problem(("partners", 1, "country"), "must be upper case")
    assert str(problem) == "proposal.yaml:4:14: partners[1].country: must be upper case"
