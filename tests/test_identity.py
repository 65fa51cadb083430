"""Each reviewer counts once, however the name is spelled (issue 11, item 5)."""

from __future__ import annotations

import pytest

from sti_review.identity import normalise_name, reviewer_key, same_reviewer
from sti_review.ranking import rank_call

from .calls import proposal_yaml, review_yaml, write_call


@pytest.mark.parametrize(
    "spelling",
    [
        "山田 花子",
        "山田\u00a0花子",  # no-break space
        "山田\u3000花子",  # ideographic space
        "山田\u200b 花子",  # zero-width space
        "山田\u2060 花子",  # word joiner
        "山田\ufeff花子",  # BOM inside
        " 山田  花子\t",
        "山田花子",
        "\u202e山田 花子\u202c",  # bidi override around it
    ],
)
def test_spellings_of_one_name_are_one_reviewer(spelling):
    assert same_reviewer(spelling, "山田 花子")


@pytest.mark.parametrize(
    "a, b", [("YAMADA Hanako", "yamada hanako"), ("Ｙａｍａｄａ", "yamada"), ("Straße", "STRASSE")]
)
def test_latin_case_is_folded(a, b):
    assert same_reviewer(a, b)


@pytest.mark.parametrize("a, b", [("山田 花子", "山田 太郎"), ("John Smith", "Jon Smith"), ("ΑΒ", "αβ")])
def test_different_names_stay_different(a, b):
    assert not same_reviewer(a, b)


@pytest.mark.parametrize("empty", ["", "   ", "\u200b", "\u2060\u00a0", "\u3000", "\ufeff", "\u180e"])
def test_invisible_names_are_empty(empty):
    assert reviewer_key(empty) == ""
    assert not same_reviewer(empty, empty)


def test_the_shown_name_keeps_its_case_and_script():
    assert normalise_name(" Yamada\u00a0 Hanako ") == "Yamada Hanako"


SPOOFS = ["審査員\u00a0A", "審査員\u200bA", "審査員\u2060A", ""]


def spoofed_call(tmp_path, spoofs):
    """LOW has one honest low review by 審査員 A and, in ``spoofs``, the same person's extra
    high reviews; HIGH is a good proposal reviewed by two people."""
    files = {
        "proposals/HIGH.yaml": proposal_yaml("HIGH"),
        "reviews/HIGH/a.yaml": review_yaml("HIGH", "審査員 B", {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}),
        "reviews/HIGH/b.yaml": review_yaml("HIGH", "審査員 C", {"A": 4, "B": 4, "C": 4, "X": 4, "JR": 4}),
        "proposals/LOW.yaml": proposal_yaml("LOW"),
        "reviews/LOW/a.yaml": review_yaml(
            "LOW", "審査員 A", {"A": 3.5, "B": 3.5, "C": 3.5, "X": 3.5, "JR": 3.5}
        ),
    }
    for i, name in enumerate(spoofs):
        files[f"reviews/LOW/s{i}.yaml"] = review_yaml("LOW", name, {"A": 5, "B": 5, "C": 5, "X": 5, "JR": 5})
    return write_call(tmp_path, files)


def test_spoofed_names_cannot_move_a_proposal_up(tmp_path):
    honest = rank_call(spoofed_call(tmp_path / "honest", []))
    assert [r.id for r in honest.ranked] == ["HIGH", "LOW"]
    root = spoofed_call(tmp_path / "spoofed", SPOOFS)
    r = rank_call(root)
    assert [row.id for row in r.ranked] == ["HIGH"]
    assert [row.id for row in r.invalid] == ["LOW"]
    text = "\n".join(str(p) for p in r.problems)
    for i in range(3):
        assert f"{root}/reviews/LOW/s{i}.yaml:2:1: reviewer:" in text
    assert text.count(f"in {root}/reviews/LOW/a.yaml") == 3  # both files named
    assert f"{root}/reviews/LOW/s3.yaml:2:" in text  # reviewer: with nothing after it


@pytest.mark.parametrize("name", ['""', '"\\u200b"', '"\\u3000\\u00a0"'])
def test_an_empty_or_invisible_name_is_a_located_error(tmp_path, name):
    root = spoofed_call(tmp_path, [])
    (root / "reviews/LOW/z.yaml").write_text(
        review_yaml("LOW", name, {"A": 5, "B": 5, "C": 5, "X": 5, "JR": 5}), encoding="utf-8"
    )
    r = rank_call(root)
    assert [row.id for row in r.invalid] == ["LOW"]
    text = "\n".join(str(p) for p in r.problems)
    assert f"{root}/reviews/LOW/z.yaml:2:1: reviewer: the reviewer's name is empty" in text


def test_spoofed_names_are_refused_by_rank_and_consolidate(tmp_path, invoke):
    root = spoofed_call(tmp_path, SPOOFS[:1])
    result = invoke("rank", str(root))
    assert result.exit_code == 2
    assert "reviews/LOW/s0.yaml:2:1: reviewer:" in result.stderr
    assert "reviews/LOW/a.yaml" in result.stderr
    result = invoke(
        "consolidate",
        str(root / "proposals/LOW.yaml"),
        str(root / "reviews/LOW/a.yaml"),
        str(root / "reviews/LOW/s0.yaml"),
    )
    assert result.exit_code == 2
    assert "s0.yaml:2:1: reviewer:" in result.stderr and "a.yaml" in result.stderr
    # the message quotes the name with repr, so the no-break space is shown as an escape
    assert "\\xa0" in result.stderr
