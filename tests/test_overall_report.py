"""The reviewer's overall grade (総合評価, issue 14 item 3) in the assessment report, every format."""

from __future__ import annotations

import json
import shutil

import yaml


def test_the_overall_grade_is_in_every_assessment_format(invoke, tmp_path, examples):
    proposal = tmp_path / "p.yaml"
    shutil.copy(examples / "satreps-flood-ews-th.yaml", proposal)
    data = yaml.safe_load((examples / "satreps-flood-ews-th.review.yaml").read_text(encoding="utf-8"))
    data["overall"] = {"grade": 3, "comment": "委員会向け：実装体制が明確。"}
    (tmp_path / "p.review.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for fmt, words in (
        ("terminal", ["総合評価", "3 A（優れている）", "実装体制が明確"]),
        ("markdown", ["総合評価は 3 A（優れている）"]),
        ("html", ["総合評価は 3 A（優れている）"]),
    ):
        res = invoke("assess", proposal, "--no-input", "--lang", "ja", "-f", fmt)
        assert res.exit_code == 0, res.output
        for w in words:
            assert w in res.stdout, (fmt, w)
    res = invoke("assess", proposal, "--no-input", "--lang", "en", "-f", "json")
    assert json.loads(res.stdout)["review"]["overall"] == {
        "grade": 3,
        "label": "3 A (very good)",
        "comment": "委員会向け：実装体制が明確。",
        "feedback": None,
    }


def test_no_overall_grade_no_line(invoke, examples):
    res = invoke(
        "assess",
        examples / "satreps-flood-ews-th.yaml",
        "--review",
        examples / "satreps-flood-ews-th.review.yaml",
        "--no-input",
        "-f",
        "json",
    )
    assert json.loads(res.stdout)["review"]["overall"] is None
    res = invoke(
        "assess",
        examples / "satreps-flood-ews-th.yaml",
        "--review",
        examples / "satreps-flood-ews-th.review.yaml",
    )
    assert "Overall grade" not in res.stdout
