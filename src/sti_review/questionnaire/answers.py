"""Parsing what a reviewer types: scores (full-width digits, 4,5, 点), verdicts (適/条件付き/不適),
one-key commands, yes/no; and how an answer reads back."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from ..errors import Text, render
from ..i18n import Lang
from ..review import Answer, exact_number
from ..rubric import Criterion, OverallGrade, Rubric, Verdict
from ..rules import comment_required
from ..sanitize import printable
from .messages import _

# --------------------------------------------------------------------------- parsing


Command = Literal["back", "skip", "help", "quit", "evidence", "guidance"]
COMMANDS: dict[str, Command] = {
    "b": "back",
    "s": "skip",
    "?": "help",
    "q": "quit",
    "e": "evidence",  # page through the applicant's text (no answer is a lone e or g)
    "g": "guidance",
}


def normalize(text: str) -> str:
    """NFKC (full-width ４．５ -> 4.5, ｑ -> q, ？ -> ?), trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def undecodable(text: str) -> bool:
    """Text with surrogate escapes: bytes from a terminal (or a pipe) that were not UTF-8."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def parse_command(text: str) -> Command | None:
    """A one-key command, typed alone (full-width keys from a Japanese IME count too)."""
    return COMMANDS.get(normalize(text))


NA = "na"
_NA_WORDS = {"na", "n/a", "n.a.", "n.a", "該当なし", "該当無し", "対象外"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class AnswerError(ValueError):
    """An answer that cannot be accepted; ``key`` and ``values`` make the message in any language."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: Lang) -> str:
        values = {k: render(v, lang) if isinstance(v, Text) else v for k, v in self.values.items()}
        if "na_ok" in values:
            values["na"] = _("err_na_hint", lang) if values.pop("na_ok") else ""
        return _(self.key, lang, **values)


def shown_number(x: float) -> str:
    return f"{x:g}"


def scale_values(rubric: Rubric, crit: Criterion, lang: Lang) -> dict[str, object]:
    s = rubric.scale
    na = _("err_na_hint", lang) if rubric.na_allowed_for(crit) else ""
    return {"lo": shown_number(s.min), "hi": shown_number(s.max), "step": shown_number(s.step), "na": na}


def _number_text(value: str) -> str:
    """A number as typed, normalised: a trailing 点 / pt dropped, a decimal comma read as a point
    (one rule for scores and grades)."""
    value = value.removesuffix("点").removesuffix("pt").removesuffix("points")
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    return value


def parse_score(text: str, rubric: Rubric, crit: Criterion) -> float | Literal["na"]:
    """A score on the rubric's scale, or ``"na"``; raises AnswerError with a helpful hint.

    Accepts full-width digits and points (４．５), a decimal comma (4,5) and a trailing 点.
    """
    raw = text.strip()
    value = normalize(raw).replace(" ", "")
    if value in _NA_WORDS:
        if not rubric.na_allowed_for(crit):
            raise AnswerError("err_na_not_allowed", id=crit.id)
        return NA
    value = _number_text(value)
    scale = rubric.scale
    if not _NUMBER.match(value):
        raise AnswerError(
            "err_not_number",
            text=printable(raw[:40]),
            lo=shown_number(scale.min),
            hi=shown_number(scale.max),
            step=shown_number(scale.step),
            na_ok=rubric.na_allowed_for(crit),
        )
    number = float(value)
    shown = exact_number(number)
    if not scale.min <= number <= scale.max:
        raise AnswerError(
            "err_out_of_range", value=shown, lo=shown_number(scale.min), hi=shown_number(scale.max)
        )
    if not scale.on_scale(number):
        steps = scale.steps()
        below = max(s for s in steps if s <= number)
        above = min(s for s in steps if s >= number)
        raise AnswerError(
            "err_off_step",
            value=shown,
            step=shown_number(scale.step),
            near=f"{shown_number(below)} / {shown_number(above)}",
        )
    return number


def _label_key(text: str) -> str:
    return normalize(text).replace(" ", "")


def parse_grade(text: str, overall: OverallGrade) -> float:
    """A level of the overall grade (総合評価): its value (full-width digits too, as scores are
    read) or its whole label in any language; raises AnswerError listing the values. A label's
    letter alone is not a grade: S and B are the skip and back commands, which always win."""
    raw = text.strip()
    value = _number_text(_label_key(raw))
    if _NUMBER.match(value) and overall.level(float(value)) is not None:
        return overall.level(float(value)).value  # type: ignore[union-attr]
    for level in overall.levels:
        if _label_key(raw) in {_label_key(text) for text in level.label.root.values()}:
            return level.value
    grades = ", ".join(shown_number(lv.value) for lv in overall.levels)
    raise AnswerError("err_grade", text=printable(raw[:40]), grades=grades)


def grade_text(overall: OverallGrade | None, grade: float | None, lang: Lang) -> str:
    """3 A (very good) · not answered."""
    if grade is None:
        return _("not_answered", lang)
    level = overall.level(grade) if overall is not None else None
    return f"{shown_number(grade)} {level.label(lang)}" if level is not None else shown_number(grade)


_VERDICT_WORDS: dict[str, Verdict] = {
    "p": "pass",
    "pass": "pass",
    "passed": "pass",
    "適": "pass",
    "合格": "pass",
    "c": "conditional",
    "cond": "conditional",
    "conditional": "conditional",
    "条件付": "conditional",
    "条件付き": "conditional",
    "条件付適": "conditional",
    "条件付き適": "conditional",
    "f": "fail",
    "fail": "fail",
    "failed": "fail",
    "不適": "fail",
    "不可": "fail",
}


def parse_verdict(text: str, crit: Criterion) -> Verdict:
    value = normalize(text).replace(" ", "")
    if value in _VERDICT_WORDS:
        return _VERDICT_WORDS[value]
    if value in _NA_WORDS:
        raise AnswerError("err_gate_na", id=crit.id)
    if _NUMBER.match(value):
        raise AnswerError("err_gate_score", id=crit.id)
    raise AnswerError("err_verdict", text=printable(text.strip()[:40]))


def parse_yes_no(text: str, default: bool | None = True) -> bool | None:
    value = normalize(text)
    if not value:
        return default
    if value in {"y", "yes", "はい", "うん", "ok"}:
        return True
    if value in {"n", "no", "いいえ", "いや"}:
        return False
    return None


def comment_reason(rubric: Rubric, answer: Answer, lang: Lang) -> str | None:
    """Why this answer needs a comment (in words), or None when a comment is optional."""
    rules = rubric.comments
    why = comment_required(rules, answer)
    if why == "verdict":
        return _("why_verdict", lang, verdict=_(f"verdict_{answer.verdict}", lang))
    if why == "na":
        return _("why_na", lang)
    if why == "low_score":
        return _("why_low_score", lang, limit=shown_number(rules.score_at_or_below or 0))
    return None


def answer_text(rubric: Rubric, answer: Answer | None, lang: Lang) -> str:
    """4.5 very good · N/A · conditional · not answered."""
    if answer is None:
        return _("not_answered", lang)
    if answer.verdict is not None:
        return _(f"verdict_{answer.verdict}", lang)
    if answer.na:
        return _("na", lang)
    if answer.score is None:
        return _("not_answered", lang)
    label = rubric.scale.label(answer.score)
    return f"{shown_number(answer.score)} {label(lang)}" if label else shown_number(answer.score)
