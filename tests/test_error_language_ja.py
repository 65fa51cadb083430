"""Validator messages of every kind of input are said in Japanese under --lang ja, behind the
very same `file:line:column: field:` prefix as in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError

from sti_review.errors import render
from sti_review.validation import error_message

DATA = Path(__file__).parent / "data"


def _review(tmp_path: Path) -> Path:
    text = (DATA / "review-ja-joint-research.yaml").read_text(encoding="utf-8")
    text = text.replace("A3: {score: 3.5}", "A3: {score: 3.7}")
    text = text.replace("B1: {score: 4}", "B1: {verdict: pass}")
    text = text.replace("B3: {score: 3.5}", 'B3: {score: "3"}')
    text += "  Q9: {score: 3}\n"
    path = tmp_path / "r.review.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _proposal(tmp_path: Path) -> Path:
    text = (DATA / "proposal-ja-joint-research.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("programme: joint_research", "programme: joint_reserch"), encoding="utf-8")
    return path


# (file, location prefix, Japanese message, English message)
EXPECTED = [
    (
        "r.review.yaml",
        ":8:15: answers.A3.score: ",
        "3.7 は評点尺度上の値ではありません（評点尺度：0〜5（0.5刻み））。最も近い評点は 3.5 です",
        "3.7 is not on the scale (0–5 in steps of 0.5); nearest: 3.5",
    ),
    (
        "r.review.yaml",
        ":9:17: answers.B1.verdict: ",
        "B1 は評点尺度で評価します。判定は要件にだけ記載してください",
        "B1 is scored on the scale; a verdict is only for gates",
    ),
    (
        "r.review.yaml",
        ":11:15: answers.B3.score: ",
        "数値で指定してください（'3' は数値ではありません）",
        "must be a number, not '3'",
    ),
    ("r.review.yaml", ":32:3: answers.Q9: ", "不明な評価項目 'Q9' です", "unknown criterion 'Q9'"),
    (
        "p.yaml",
        ":5:12: programme: ",
        "不明な事業 'joint_reserch' です（joint_research の誤りではありませんか）",
        "unknown programme 'joint_reserch' (did you mean joint_research?)",
    ),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_review_and_proposal_mistakes_in_the_language_of_the_run(invoke, tmp_path, lang):
    review, proposal = _review(tmp_path), _proposal(tmp_path)
    result = invoke("validate", review, proposal, "--lang", lang)
    assert result.exit_code == 2
    for name, where, ja, en in EXPECTED:
        line = f"{tmp_path / name}{where}{ja if lang == 'ja' else en}"
        assert line in result.stderr, (line, result.stderr)


def test_a_rubric_mistake_is_japanese(invoke, tmp_path):
    import shutil

    folder = tmp_path / "rubric"
    shutil.copytree(DATA / "rubric-likert", folder)
    path = folder / "rubric.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  step: 1\n", "  step: zero\n"), encoding="utf-8"
    )
    result = invoke("validate", path, "--lang", "ja")
    assert result.exit_code == 2
    assert f"{path}:11:9: scale.step: 数値で指定してください（'zero' は数値ではありません）" in result.stderr


class _Sample(BaseModel):
    n: int = Field(0, ge=1, le=5)
    s: str = Field("x", min_length=2, max_length=3, pattern=r"^[a-z]+$")
    items: list[int] = Field([], max_length=1)


@pytest.mark.parametrize(
    ("data", "ja"),
    [
        ({"n": 0}, "1 以上の値を指定してください（0 は使えません）"),
        ({"n": 9}, "5 以下の値を指定してください（9 は使えません）"),
        ({"n": 1.5}, "整数で指定してください（1.5 は整数ではありません）"),
        ({"s": "a"}, "2 文字以上で記載してください"),
        ({"s": "abcd"}, "3 文字以内で記載してください"),
        ({"s": "AB"}, "書式が正しくありません（'AB' は ^[a-z]+$ の形式に合いません）"),
        ({"items": [1, 2]}, "1 件以内で記載してください（2 件です）"),
    ],
)
def test_pydantic_constraint_errors_are_said_from_the_catalogue(data, ja):
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data)
    message = error_message(caught.value.errors(include_url=False)[0])
    assert render(message, "ja") == ja
    assert "should" not in str(message)  # not pydantic's own English


@pytest.mark.parametrize(
    ("old", "new", "where", "ja"),
    [
        (
            "  step: 1\n",
            "  step: 0\n",
            ":9:3: scale: ",
            "step は 0 より大きく、max は min より大きくしてください",
        ),
        (
            "version: 3\n",
            'version: "1 2"\n',
            ":6:10: version: ",
            "版は英数字で始まり、英数字と . _ - のみで記載してください",
        ),
    ],
)
def test_rubric_rules_of_our_own_are_japanese(invoke, tmp_path, old, new, where, ja):
    import shutil

    folder = tmp_path / "rubric"
    shutil.copytree(DATA / "rubric-likert", folder)
    path = folder / "rubric.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = invoke("validate", path, "--lang", "ja")
    assert result.exit_code == 2
    assert f"{path}{where}{ja}" in result.stderr, result.stderr


def test_reviewer_pool_mistakes_are_japanese(invoke, tmp_path):
    pool = tmp_path / "pool.yaml"
    pool.write_text(
        "reviewers:\n"
        "  - {id: a, name: A, min_load: 3, max_load: 2}\n"
        "  - {id: b, name: B, languages: [jp1]}\n",
        encoding="utf-8",
    )
    result = invoke(
        "conflicts", DATA / "assign" / "call", "--reviewers", pool, "--year", "2026", "--lang", "ja"
    )
    assert result.exit_code == 2
    assert f"{pool}:2:5: reviewers[0]: min_load（3）が max_load（2）を超えています" in result.stderr
    assert f"{pool}:3:33: reviewers[1].languages: 言語は ja、en のような ISO 639-1" in result.stderr


def test_programme_mistakes_are_japanese(invoke, tmp_path):
    path = tmp_path / "programmes.yaml"
    path.write_text("programmes:\n  - {id: x, name: {ja: X, en: X}}\n", encoding="utf-8")
    result = invoke("portfolio", "--programmes", path, "--lang", "ja")
    assert result.exit_code == 2
    assert f"{path}:2:5: programmes[0].objectives: 必須の項目がありません" in result.stderr


def test_a_check_mistake_is_japanese(invoke, tmp_path):
    import shutil

    folder = tmp_path / "rubric"
    shutil.copytree(DATA / "rubric-likert", folder)
    checks = folder / "checks.yaml"
    checks.write_text(
        checks.read_text(encoding="utf-8").replace("type: procedures_present", "type: procedures_presnt", 1),
        encoding="utf-8",
    )
    result = invoke("validate", folder / "rubric.yaml", "--lang", "ja")
    assert result.exit_code == 2
    expected = (
        "checks[0].type: 不明なチェックの種類 'procedures_presnt' です"
        "（procedures_present の誤りではありませんか）"
    )
    assert f"{checks}:3:11: {expected}" in result.stderr, result.stderr
