"""The interactive questionnaire: walk a reviewer through every criterion, saving as it goes.

Three layers, so that the walk is testable without a terminal:

- parsing (``parse_score``, ``parse_verdict``, ``parse_command`` …): pure functions of text;
- ``Session``: the review being written, its rules and its file (every answer is checked
  against the rubric and saved at once, atomically);
- ``Questionnaire``: the walk, talking through a small ``Prompter`` (``ConsolePrompter`` for a
  terminal, ``ScriptedPrompter`` for tests).

Untrusted text (the proposal's, the reviewer's) is shown through rich ``Text``, never markup.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .api import ReviewJob, default_review_path, open_job
from .errors import InputError
from .i18n import Lang, catalog
from .proposal import LoadedProposal, Proposal, load_proposal
from .review import Answer, LoadedReview, Review, check_review, read_review, save_review
from .rubric import GUIDANCE_LEVELS, Criterion, Rubric, Verdict, load_rubric
from .sanitize import printable
from .scoring import required_criteria

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "banner": ("sti-review 審査票", "sti-review questionnaire"),
    "summary": ("概要", "Summary"),
    "to_answer": (
        "回答する観点: {total} 件（{by_section}）",
        "Criteria to answer: {total} ({by_section})",
    ),
    "to_answer_left": (
        "残り {left} 件 / 全 {total} 件（{by_section}）",
        "{left} of {total} criteria left ({by_section})",
    ),
    "gates_note": ("うち要件（ゲート）: {ids} は 適／条件付き適／不適 で判定", "gates {ids} take a verdict"),
    "portfolio_skipped": (
        "{id}（{title}）は複数の提案を横断して判断するポートフォリオ観点のため、ここでは回答しません"
        "（sti-review portfolio）。",
        "{id} ({title}) is a portfolio criterion, judged across proposals (sti-review "
        "portfolio), so it is not asked here.",
    ),
    "commands": (
        "どの入力欄でも: b 戻る · s 飛ばす · ? 尺度とヘルプ · q 保存して終了（Ctrl-C でも保存されます）",
        "At any prompt: b back · s skip · ? scale and help · q save and quit (Ctrl-C saves too)",
    ),
    "saving_to": ("回答は入力のたびに {path} へ保存されます。", "Each answer is saved to {path} at once."),
    "resuming": (
        "{path} の続きから再開します（{reviewer}、{done}/{total} 件回答済み）。{next} から続けます。",
        "Resuming the review in {path} ({reviewer}, {done} of {total} answered); continuing at {next}.",
    ),
    "ask_reviewer": ("審査者のお名前", "Your name, as the reviewer"),
    "default_is": ("［Enter で {value}］", " [Enter: {value}]"),
    "reviewer_needed": ("お名前を入力してください。", "Please type your name."),
    "reviewer_is": ("審査者: {name}", "Reviewer: {name}"),
    "changed_rubric": (
        "この審査票は評価基準 {old} で始められましたが、現在の評価基準は {new} です。"
        "回答済みの観点は引き続き有効ですが、問いや目安が変わっている可能性があります。",
        "This review was begun against the rubric {old}; the rubric in use is {new}. "
        "Answers given so far are kept, but questions or guidance may have changed.",
    ),
    "changed_proposal": (
        "提案ファイルは、この審査票が最後に保存された後に変更されています（{old} → {new}）。"
        "回答済みの観点は変更前の記述に基づいています。最後の一覧で見直せます。",
        "The proposal file has changed since this review was last saved ({old} → {new}). "
        "Answers given so far refer to the earlier text; you can revisit them in the summary at the end.",
    ),
    "continue_anyway": ("このまま続けますか？ [Y/n]", "Continue with this review? [Y/n]"),
    "yes_no_hint": ("y（はい）か n（いいえ）で答えてください。", "Please answer y (yes) or n (no)."),
    "position": (
        "{id} · {pos}/{total} · 回答済み {done}/{total}",
        "{id} · {pos}/{total} · answered {done}/{total}",
    ),
    "proposal_text": ("提案書の記述（{id}）", "The proposal on {id}"),
    "no_proposal_text": ("（提案書に {id} の記述はありません）", "(the proposal has no text for {id})"),
    "evidence_heading": ("提案の根拠", "Evidence in the proposal"),
    "question": ("問い", "Question"),
    "prechecks": ("事前チェックの指摘", "Pre-check findings"),
    "guidance": ("評価の目安", "Guidance"),
    "kind_score_line": ("評点 {scale}{na}", "score {scale}{na}"),
    "kind_gate_line": ("要件（ゲート）: 適／条件付き適／不適", "gate: pass / conditional / fail"),
    "na_possible": ("、該当なし可", ", N/A allowed"),
    "current_answer": ("現在の回答: {answer}", "Current answer: {answer}"),
    "ask_score": (
        "{id} 評点 {lo}–{hi}（{step} 刻み{na}）{default}",
        "{id} score {lo}–{hi} (steps of {step}{na}){default}",
    ),
    "ask_score_na": ("、該当なしは na", "; na = not applicable"),
    "ask_verdict": (
        "{id} 判定  p = 適 · c = 条件付き適 · f = 不適{default}",
        "{id} verdict  p = pass · c = conditional · f = fail{default}",
    ),
    "ask_condition": ("条件 {n}{hint}", "Condition {n}{hint}"),
    "condition_first_hint": ("（1行に1つ、空行で終了）", " (one per line, empty line when done)"),
    "condition_keep_hint": (
        "（Enter で上の {n} 件をそのまま使う／新しく入力）",
        " (Enter keeps the {n} above, or type new ones)",
    ),
    "condition_more_hint": ("（空行で終了）", " (empty line when done)"),
    "current_conditions": ("現在の条件:", "Current conditions:"),
    "ask_comment_required": (
        "{id} コメント（必須: {why}）{default}",
        "{id} comment (required: {why}){default}",
    ),
    "ask_comment_optional": (
        "{id} コメント（任意、Enter で省略）{default}",
        "{id} comment (optional, Enter to leave empty){default}",
    ),
    "default_keep": ("［Enter で現在の値: {value}］", " [Enter keeps {value}]"),
    "default_keep_comment": (
        "［Enter で現在のコメントを保持、- で削除］",
        " [Enter keeps the comment above, - removes it]",
    ),
    "why_low_score": ("評点 {limit} 以下", "a score of {limit} or less"),
    "why_verdict": ("判定「{verdict}」", "the verdict {verdict}"),
    "why_na": ("該当なし", "N/A"),
    "comment_needed": (
        "コメントが必要です（{why}）。理由を簡潔に書いてください。",
        "A comment is needed ({why}): say briefly why.",
    ),
    "current_comment": ("現在のコメント: {comment}", "Current comment: {comment}"),
    "err_empty_score": (
        "評点を入力してください: {lo}–{hi} の {step} 刻み{na}。",
        "Please type a score: {lo}–{hi} in steps of {step}{na}.",
    ),
    "err_not_number": (
        "「{text}」は評点として読めません。{lo}–{hi} の {step} 刻みで入力してください{na}（? でヘルプ）。",
        "“{text}” is not a score. Type a number from {lo} to {hi} in steps of {step}{na} (? for help).",
    ),
    "err_na_hint": ("。該当なしは na", "; na for not applicable"),
    "err_out_of_range": (
        "{value} は尺度 {lo}–{hi} の外です。",
        "{value} is outside the scale {lo}–{hi}.",
    ),
    "err_off_step": (
        "{value} は尺度の刻み（{step}）に合いません。{near} のいずれかにしてください。",
        "{value} is not on the scale's steps of {step}: use {near}.",
    ),
    "err_na_not_allowed": ("{id} には「該当なし」は使えません。", "N/A is not allowed for {id}."),
    "err_gate_na": (
        "{id} は要件（ゲート）です。該当なしにはできません。p・c・f のいずれかで判定してください。",
        "{id} is a gate and is always judged: answer p, c or f.",
    ),
    "err_verdict": (
        "「{text}」は判定として読めません。p（適）・c（条件付き適）・f（不適）で答えてください。",
        "“{text}” is not a verdict. Answer p (pass), c (conditional) or f (fail).",
    ),
    "err_empty_verdict": (
        "判定を入力してください: p（適）・c（条件付き適）・f（不適）。",
        "Please answer p (pass), c (conditional) or f (fail).",
    ),
    "err_gate_score": (
        "{id} は要件（ゲート）で、評点ではなく判定（p・c・f）で答えます。",
        "{id} is a gate: it takes a verdict (p, c or f), not a score.",
    ),
    "err_need_condition": (
        "条件付き適には条件が少なくとも1つ必要です。",
        "A conditional verdict needs at least one condition.",
    ),
    "err_first": (
        "最初の観点です。これより前には戻れません。",
        "This is the first criterion; there is nothing before it.",
    ),
    "err_not_here": ("ここでは使えません。", "Not available here."),
    "err_check": ("この回答は保存できません: {problem}", "This answer cannot be saved: {problem}"),
    "saved_answer": ("✓ {id} {answer} — 保存しました", "✓ {id} {answer} — saved"),
    "skipped": (
        "{id} を飛ばしました（未回答のまま。最後の一覧から回答できます）。",
        "{id} skipped (left unanswered; you can answer it from the summary).",
    ),
    "kept": ("{id} は変更していません。", "{id} left unchanged."),
    "help_title": ("ヘルプ", "Help"),
    "help_scale": ("評点の尺度: {lo}–{hi}、{step} 刻み", "Scale: {lo}–{hi} in steps of {step}"),
    "help_half": (
        "中間の評点（例 3.5）は下の整数の区分に入ります。全角数字（４．５）も使えます。",
        "A half point (e.g. 3.5) takes the label of the point below. Full-width digits (４．５) work too.",
    ),
    "help_na": (
        "na（N/A・該当なし）: この提案に当てはまらない観点。コメント必須。",
        "na (N/A, 該当なし): the criterion does not apply to this proposal; needs a comment.",
    ),
    "help_comments": ("コメント必須: {rules}", "A comment is required for {rules}"),
    "help_verdicts": (
        "判定: p = 適（pass）· c = 条件付き適（conditional、条件を列挙）· f = 不適（fail、採択不可）",
        "Verdicts: p = pass · c = conditional (list the conditions) · f = fail (blocks funding)",
    ),
    "help_enter": (
        "Enter: 既に回答がある場合はその値を保持します。",
        "Enter: keeps the current answer, when there is one.",
    ),
    "summary_title": ("回答の一覧", "Your answers"),
    "summary_answered": ("{done}/{total} 件回答済み", "{done} of {total} answered"),
    "summary_missing": ("未回答: {ids}", "Not answered yet: {ids}"),
    "summary_prompt": (
        "変更する観点の ID（例 B4）／Enter で確定して結果を表示／q で保存して終了",
        "A criterion id to change (e.g. B4) · Enter to finish and see the report · q to save and quit",
    ),
    "summary_unknown": (
        "「{text}」はこの提案の観点ではありません。例: {example}",
        "“{text}” is not a criterion of this proposal; e.g. {example}",
    ),
    "summary_portfolio": (
        "{id} はポートフォリオ観点のため、ここでは回答しません。",
        "{id} is a portfolio criterion and is not answered here.",
    ),
    "answer_missing_now": (
        "未回答の観点があります（{ids}）。今回答しますか？ [Y/n]",
        "Not answered yet: {ids}. Answer them now? [Y/n]",
    ),
    "not_answered": ("未回答", "not answered"),
    "stop_interrupted": (
        "中断しました。回答は {path} に保存されています（{done}/{total} 件）。",
        "Interrupted. Your answers are saved in {path} ({done} of {total} answered).",
    ),
    "stop_quit": (
        "保存しました: {path}（{done}/{total} 件回答済み）。",
        "Saved to {path} ({done} of {total} answered).",
    ),
    "stop_declined": ("中止しました。{path} は変更していません。", "Stopped; {path} was not changed."),
    "stop_nothing": ("中断しました。まだ何も保存していません。", "Interrupted before anything was saved."),
    "stop_pending": (
        "入力途中だった {id} は保存していません（再開時にもう一度たずねます）。",
        "{id} was not finished and is not saved; you will be asked it again.",
    ),
    "resume_with": ("再開するには: {command}", "To resume: {command}"),
    "report_with": ("結果を表示するには: {command}", "To see the report: {command}"),
    "finished": ("全ての回答を {path} に保存しました。", "All answers are saved in {path}."),
    "field_summary": ("概要", "Summary"),
    "field_objectives_section": ("申告された目的（{section}）", "Declared objectives ({section})"),
    "field_objectives": ("申告された目的", "Declared objectives"),
    "field_kpis": ("成果指標", "Indicators"),
    "field_kpis_missing": ("指標のない目的", "Objectives without an indicator"),
    "field_risks": ("リスクと対策", "Risks and mitigation"),
    "field_integrity": ("研究インテグリティの手続", "Integrity procedures"),
    "field_integrity_notes": ("補足", "Notes"),
    "field_partners": ("相手国・機関", "Partners"),
    "field_team": ("体制", "Team"),
    "field_team_mix": ("構成", "Composition"),
    "field_team_count": ("{n} 名", "{n} people"),
    "field_lead": ("研究代表者", "Lead"),
    "field_budget": ("申請額", "Budget"),
    "field_none": ("（記載なし）", "(none given)"),
    "mitigation": ("対策", "mitigation"),
}
_ = catalog(MESSAGES)

WIDTH_MAX = 110  # wider lines are hard to read, whatever the terminal's width
SUMMARY_LINES = 3  # the summary is shown in full once, folded beside each criterion


# --------------------------------------------------------------------------- parsing


Command = Literal["back", "skip", "help", "quit"]
COMMANDS: dict[str, Command] = {"b": "back", "s": "skip", "?": "help", "q": "quit"}


def normalize(text: str) -> str:
    """NFKC (full-width ４．５ -> 4.5, ｑ -> q, ？ -> ?), trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


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
        values = dict(self.values)
        if "na_ok" in values:
            values["na"] = _("err_na_hint", lang) if values.pop("na_ok") else ""
        return _(self.key, lang, **values)


def _num(x: float) -> str:
    return f"{x:g}"


def _scale_values(rubric: Rubric, crit: Criterion, lang: Lang) -> dict[str, object]:
    s = rubric.scale
    na = _("err_na_hint", lang) if rubric.na_allowed_for(crit) else ""
    return {"lo": _num(s.min), "hi": _num(s.max), "step": _num(s.step), "na": na}


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
    value = value.removesuffix("点").removesuffix("pt").removesuffix("points")
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    scale = rubric.scale
    if not _NUMBER.match(value):
        raise AnswerError(
            "err_not_number",
            text=printable(raw[:40]),
            lo=_num(scale.min),
            hi=_num(scale.max),
            step=_num(scale.step),
            na_ok=rubric.na_allowed_for(crit),
        )
    number = float(value)
    shown = _num(number)
    if not scale.min <= number <= scale.max:
        raise AnswerError("err_out_of_range", value=shown, lo=_num(scale.min), hi=_num(scale.max))
    if not scale.on_scale(number):
        steps = scale.steps()
        below = max(s for s in steps if s <= number)
        above = min(s for s in steps if s >= number)
        raise AnswerError(
            "err_off_step", value=shown, step=_num(scale.step), near=f"{_num(below)} / {_num(above)}"
        )
    return number


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


def parse_yes_no(text: str, default: bool = True) -> bool | None:
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
    if answer.verdict is not None:
        if answer.verdict in rules.verdicts:
            return _("why_verdict", lang, verdict=_(f"verdict_{answer.verdict}", lang))
        return None
    if answer.na:
        return _("why_na", lang) if rules.na else None
    if answer.score is not None and rules.score_at_or_below is not None:
        if answer.score <= rules.score_at_or_below:
            return _("why_low_score", lang, limit=_num(rules.score_at_or_below))
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
    return f"{_num(answer.score)} {label(lang)}" if label else _num(answer.score)


def resume_command(
    proposal: str | os.PathLike[str],
    *,
    review: str | os.PathLike[str] | None = None,
    rubric: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    options: Sequence[str] = (),
) -> str:
    """The command that picks the walk up again, quoted for a POSIX shell."""
    parts = ["sti-review", "assess", os.fspath(proposal)]
    if review is not None:
        parts += ["--review", os.fspath(review)]
    if rubric is not None:
        parts += ["--rubric", os.fspath(rubric)]
    if lang:
        parts += ["--lang", lang]
    parts += list(options)
    return shlex.join(parts)


# --------------------------------------------------------------------------- the session


def open_for_walk(
    proposal_path: str | os.PathLike[str],
    review_path: str | os.PathLike[str] | None = None,
    rubric_path: str | os.PathLike[str] | None = None,
) -> tuple[ReviewJob, str | None]:
    """Like ``api.open_job``, but a review begun against another rubric version is accepted
    (when its answers still fit) so that the reviewer can be told and asked; returns the job and
    the rubric the review was begun against when it differs from the one in use."""
    rubric = load_rubric(rubric_path)
    proposal = load_proposal(proposal_path, rubric)
    path = Path(review_path) if review_path is not None else default_review_path(proposal_path)
    if not path.exists():
        review = Review(proposal=proposal.proposal.id, rubric=rubric.ref)
        return ReviewJob(rubric, proposal, LoadedReview(review, None, str(path)), path, False), None
    loaded, problems = read_review(path, rubric, proposal.proposal)
    earlier = None
    if loaded is not None and loaded.review.rubric != rubric.ref:
        earlier = loaded.review.rubric
        problems = [p for p in problems if p.field != "rubric"]
    if problems or loaded is None:
        raise InputError(problems)
    return ReviewJob(rubric, proposal, loaded, path, True), earlier


@dataclass
class Change:
    """Something that changed since the review was last saved."""

    what: Literal["rubric", "proposal"]
    old: str
    new: str


class Session:
    """The review being written: what is left, the rubric's rules, and saving to its file."""

    def __init__(self, job: ReviewJob, earlier_rubric: str | None = None):
        self.job = job
        self.rubric: Rubric = job.rubric
        self.loaded: LoadedProposal = job.proposal
        self.path: Path = job.review_path
        self.existed = job.review_exists
        self.review: Review = job.review.review.model_copy(deep=True)
        self.earlier_rubric = earlier_rubric
        self.saved_once = False
        self.criteria: list[Criterion] = required_criteria(self.rubric, self.proposal.programme)
        self.sections = [
            s
            for s in self.rubric.sections_for(self.proposal.programme)
            if any(c.kind != "portfolio" for c in s.criteria)
        ]

    @property
    def proposal(self) -> Proposal:
        return self.loaded.proposal

    # what is asked
    def answer(self, cid: str) -> Answer | None:
        return self.review.answers.get(cid)

    def is_answered(self, cid: str) -> bool:
        a = self.review.answers.get(cid)
        if a is None:
            return False
        crit = self.rubric.criteria[cid]
        return a.verdict is not None if crit.kind == "gate" else (a.na or a.score is not None)

    def missing(self) -> list[str]:
        return [c.id for c in self.criteria if not self.is_answered(c.id)]

    def done(self) -> int:
        return len(self.criteria) - len(self.missing())

    def index(self, cid: str) -> int:
        return next(i for i, c in enumerate(self.criteria) if c.id == cid)

    def progress(self) -> list[tuple[str, int, int]]:
        """(section id, answered, to answer) for every section with something to answer."""
        out = []
        for s in self.sections:
            ids = [c.id for c in s.criteria if c.kind != "portfolio"]
            out.append((s.id, sum(self.is_answered(i) for i in ids), len(ids)))
        return out

    def changes(self) -> list[Change]:
        out = []
        if self.earlier_rubric and self.earlier_rubric != self.rubric.ref:
            out.append(Change("rubric", self.earlier_rubric, self.rubric.ref))
        old = self.review.proposal_fingerprint
        if self.existed and old and self.loaded.fingerprint and old != self.loaded.fingerprint:
            out.append(Change("proposal", old, self.loaded.fingerprint))
        return out

    # what is kept
    def check(self, cid: str, answer: Answer) -> list[str]:
        """The rubric's own rules (as ``sti-review validate`` applies them) on one answer."""
        probe = Review(proposal=self.proposal.id, rubric=self.rubric.ref, answers={cid: answer})
        return [p.message for p in check_review(probe, None, self.rubric, self.proposal)]

    def set_answer(self, cid: str, answer: Answer) -> None:
        problems = self.check(cid, answer)
        if problems:
            raise AnswerError("err_check", problem="; ".join(problems))
        self.review.answers[cid] = answer
        self.save()

    def set_reviewer(self, name: str) -> None:
        self.review.reviewer = name
        self.save()

    def check_writable(self) -> None:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        target_ok = not self.path.exists() or os.access(self.path, os.W_OK)
        if not (folder.is_dir() and os.access(folder, os.W_OK) and target_ok):
            from .errors import Problem

            raise InputError(
                [Problem(str(self.path), None, None, None, "cannot be written: answers could not be saved")]
            )

    def save(self) -> None:
        """Record the rubric and proposal in use, order answers as the rubric does, write atomically."""
        self.review.rubric = self.rubric.ref
        if self.loaded.fingerprint:
            self.review.proposal_fingerprint = self.loaded.fingerprint
        order = {cid: i for i, cid in enumerate(self.rubric.criteria)}
        self.review.answers = dict(
            sorted(self.review.answers.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
        save_review(self.path, self.review)
        self.saved_once = True


# --------------------------------------------------------------------------- prompters


class Prompter(Protocol):
    """How the walk talks: ``ask`` raises EOFError at end of input, KeyboardInterrupt on Ctrl-C."""

    def ask(self, prompt: str) -> str: ...

    def show(self, item: RenderableType | str) -> None: ...


class ConsolePrompter:
    """A terminal: rich output, ``input()`` with line editing (readline) when available."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(highlight=False)
        # Line editing (arrows, history) for input(); readline is absent on some platforms.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401

    @property
    def width(self) -> int:
        return min(self.console.width, WIDTH_MAX)

    def show(self, item: RenderableType | str) -> None:
        if isinstance(item, str):
            item = Text(item)
        self.console.print(item, width=self.width)

    def ask(self, prompt: str) -> str:
        self.console.print(Text(prompt, style="bold cyan"), width=self.width)
        # A plain prompt, so that readline knows its width and redraws the line correctly.
        return input("> ")


class ScriptedPrompter:
    """Answers from a list, for tests; everything shown is kept as plain text in ``transcript``.

    When the answers run out, ``ask`` raises EOFError (as at the end of piped input); an answer
    that is the KeyboardInterrupt class raises it (as Ctrl-C would).
    """

    def __init__(self, answers: Iterable[str | type[KeyboardInterrupt]], width: int = 100):
        self.answers = list(answers)
        self.prompts: list[str] = []
        self._console = Console(
            record=True, width=width, color_system=None, highlight=False, file=io.StringIO()
        )
        self.width = width

    def show(self, item: RenderableType | str) -> None:
        self._console.print(Text(item) if isinstance(item, str) else item)

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        self._console.print(Text(prompt))
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        self._console.print(Text(f"> {answer}"))
        return str(answer)

    @property
    def transcript(self) -> str:
        return self._console.export_text(clear=False)


# --------------------------------------------------------------------------- the walk


class _Back(Exception):
    pass


class _Skip(Exception):
    pass


class _Quit(Exception):
    pass


Status = Literal["done", "quit", "interrupted", "declined"]


@dataclass
class WalkResult:
    status: Status
    review: Review
    pending: str | None = None  # a criterion whose answer was being typed when the walk stopped
    saved: bool = False


@dataclass
class _State:
    skipped: set[str] = field(default_factory=set)
    noted: set[str] = field(default_factory=set)
    pending: str | None = None
    confirmed: bool = False


class Questionnaire:
    """Walk a reviewer through what is left of a review; every answer is saved at once."""

    def __init__(
        self,
        session: Session,
        prompter: Prompter,
        lang: Lang,
        *,
        default_reviewer: str | None = None,
    ):
        self.s = session
        self.p = prompter
        self.lang = lang
        self.default_reviewer = default_reviewer if default_reviewer is not None else default_reviewer_name()
        self.state = _State()

    # ---- entry
    def run(self) -> WalkResult:
        try:
            if not self._confirm_changes():
                return WalkResult("declined", self.s.review)
            self.state.confirmed = True
            self._start()
            missing = self.s.missing()
            if missing:
                self._walk(self.s.index(missing[0]))
            while True:
                target = self._summary()
                if target is None:
                    if not self.s.missing():
                        self.p.show(Text(_("finished", self.lang, path=str(self.s.path)), style="bold green"))
                    return WalkResult("done", self.s.review, saved=self.s.saved_once)
                if target == "*":
                    self.state.skipped.clear()
                    self._walk(self.s.index(self.s.missing()[0]))
                else:
                    self._walk(self.s.index(target), single=True)
        except _Quit:
            status: Status = "quit"
        except (KeyboardInterrupt, EOFError):
            self.p.show("")
            status = "interrupted"
        # Every answer is already on disk. Saving again records the rubric and the proposal's
        # fingerprint in a file begun elsewhere, but never before the reviewer has agreed to go on
        # after a change, and never creates a file for a review with nothing in it.
        if self.state.confirmed and (self.s.saved_once or self.s.existed):
            self.s.save()
        return WalkResult(status, self.s.review, self.state.pending, saved=self.s.saved_once)

    # ---- asking with commands
    def _ask(
        self,
        prompt: str,
        *,
        allow: Iterable[Command] = ("back", "skip", "help", "quit"),
        help_for: Criterion | None = None,
    ) -> str:
        while True:
            text = self.p.ask(prompt)
            command = parse_command(text)
            if command is None:
                return text
            if command == "help":
                self.p.show(self._help(help_for))
                continue
            if command == "quit":
                raise _Quit
            if command not in allow:
                self.p.show(Text(_("err_not_here", self.lang), style="yellow"))
                continue
            raise _Back if command == "back" else _Skip

    def _warn(self, message: str) -> None:
        self.p.show(Wrapped(message, style="yellow"))

    # ---- consistency and start
    def _confirm_changes(self) -> bool:
        changes = self.s.changes()
        if not changes:
            return True
        for c in changes:
            key = "changed_rubric" if c.what == "rubric" else "changed_proposal"
            self.p.show(
                Panel(
                    Wrapped(_(key, self.lang, old=c.old, new=c.new)), border_style="yellow", box=box.ROUNDED
                )
            )
        while True:
            try:
                reply = parse_yes_no(self._ask(_("continue_anyway", self.lang), allow=()))
            except _Quit:
                return False
            if reply is None:
                self._warn(_("yes_no_hint", self.lang))
                continue
            if reply:
                self.s.save()
            return reply

    def _start(self) -> None:
        lang = self.lang
        self.p.show(self._header())
        total = len(self.s.criteria)
        missing = self.s.missing()
        counts = Counter(self.s.rubric.criteria[cid].section for cid in missing)
        sep = "・" if lang == "ja" else " · "
        by_section = sep.join(f"{sid} {counts[sid]}" for sid, _a, _n in self.s.progress() if counts[sid])
        gates = [c.id for c in self.s.criteria if c.kind == "gate" and c.id in missing]
        line = (
            _("to_answer", lang, total=total, by_section=by_section)
            if len(missing) == total
            else _("to_answer_left", lang, left=len(missing), total=total, by_section=by_section)
        )
        if gates:
            line += ("；" if lang == "ja" else "; ") + _("gates_note", lang, ids=", ".join(gates))
        self.p.show(Wrapped(line, style="bold"))
        for s in self.s.sections:
            for c in s.criteria:
                if c.kind == "portfolio":
                    self.p.show(
                        Wrapped(_("portfolio_skipped", lang, id=c.id, title=c.title(lang)), style="dim")
                    )
                    self.state.noted.add(c.id)
        self.p.show(Wrapped(_("commands", lang), style="magenta"))
        if self.s.review.reviewer:
            if self.s.existed and self.s.done():
                self.p.show(
                    Wrapped(
                        _(
                            "resuming",
                            lang,
                            path=str(self.s.path),
                            reviewer=printable(self.s.review.reviewer),
                            done=self.s.done(),
                            total=total,
                            next=missing[0] if missing else "—",
                        ),
                        style="green",
                    )
                )
            else:
                self.p.show(Text(_("reviewer_is", lang, name=printable(self.s.review.reviewer))))
        else:
            self._ask_reviewer()
        if not self.s.saved_once:
            self.s.check_writable()  # before any answer is typed, not after
        self.p.show(Wrapped(_("saving_to", lang, path=str(self.s.path)), style="dim"))

    def _ask_reviewer(self) -> None:
        default = self.default_reviewer
        prompt = _("ask_reviewer", self.lang) + (_("default_is", self.lang, value=default) if default else "")
        while True:
            name = " ".join(unicodedata.normalize("NFC", self._ask(prompt, allow=())).split())
            if not name and default:
                name = default
            if name:
                self.s.set_reviewer(name)
                return
            self._warn(_("reviewer_needed", self.lang))

    # ---- the walk
    def _walk(self, i: int, *, single: bool = False) -> None:
        """Ask criterion i, then the next missing one, until none is left (or one, with ``single``)."""
        items = self.s.criteria
        current: int | None = i
        while current is not None:
            crit = items[current]
            try:
                self._criterion(crit)
                self.state.skipped.discard(crit.id)
                nxt = None if single else self._next(current)
            except _Skip:
                if self.s.is_answered(crit.id):
                    self.p.show(Text(_("kept", self.lang, id=crit.id), style="dim"))
                else:
                    self.state.skipped.add(crit.id)
                    self.p.show(Text(_("skipped", self.lang, id=crit.id), style="dim"))
                nxt = None if single else self._next(current)
            except _Back:
                if single:
                    return
                if current == 0:
                    self._warn(_("err_first", self.lang))
                    nxt = current
                else:
                    nxt = current - 1
            current = nxt

    def _next(self, i: int) -> int | None:
        for j in range(i + 1, len(self.s.criteria)):
            cid = self.s.criteria[j].id
            if not self.s.is_answered(cid) and cid not in self.state.skipped:
                return j
        return None

    def _criterion(self, crit: Criterion) -> None:
        self.state.pending = None
        self.p.show(self._screen(crit))
        answer = self._ask_gate(crit) if crit.kind == "gate" else self._ask_score(crit)
        self.state.pending = None
        self.p.show(
            Text(
                _(
                    "saved_answer",
                    self.lang,
                    id=crit.id,
                    answer=answer_text(self.s.rubric, answer, self.lang),
                ),
                style="green",
            )
        )

    def _ask_score(self, crit: Criterion) -> Answer:
        lang, rubric = self.lang, self.s.rubric
        current = self.s.answer(crit.id)
        while True:
            default = ""
            if current is not None and (current.score is not None or current.na):
                default = _("default_keep", lang, value=answer_text(rubric, current, lang))
            v = _scale_values(rubric, crit, lang)
            prompt = _(
                "ask_score",
                lang,
                id=crit.id,
                lo=v["lo"],
                hi=v["hi"],
                step=v["step"],
                na=_("ask_score_na", lang) if rubric.na_allowed_for(crit) else "",
                default=default,
            )
            text = self._ask(prompt, help_for=crit)
            if not text.strip():
                if default and current is not None:
                    answer = Answer(score=current.score, na=current.na)
                else:
                    self._warn(_("err_empty_score", lang, **v))
                    continue
            else:
                try:
                    value = parse_score(text, rubric, crit)
                except AnswerError as exc:
                    self._warn(exc.text(lang))
                    continue
                answer = Answer(na=True) if value == NA else Answer(score=value)
                self.state.pending = crit.id
                label = answer_text(rubric, answer, lang)
                self.p.show(Text(f"  → {label}", style="dim"))
            try:
                return self._ask_comment(crit, answer, current)
            except _Back:
                continue

    def _ask_gate(self, crit: Criterion) -> Answer:
        lang = self.lang
        current = self.s.answer(crit.id)
        while True:
            default = ""
            if current is not None and current.verdict is not None:
                default = _("default_keep", lang, value=_(f"verdict_{current.verdict}", lang))
            text = self._ask(_("ask_verdict", lang, id=crit.id, default=default), help_for=crit)
            if not text.strip():
                if not default or current is None or current.verdict is None:
                    self._warn(_("err_empty_verdict", lang))
                    continue
                verdict: Verdict = current.verdict
            else:
                try:
                    verdict = parse_verdict(text, crit)
                except AnswerError as exc:
                    self._warn(exc.text(lang))
                    continue
                self.p.show(Text(f"  → {_(f'verdict_{verdict}', lang)}", style="dim"))
                self.state.pending = crit.id
            try:
                conditions: list[str] = []
                if verdict == "conditional":
                    earlier = list(current.conditions) if current is not None else []
                    conditions = self._ask_conditions(crit, earlier)
                while True:
                    try:
                        return self._ask_comment(
                            crit, Answer(verdict=verdict, conditions=conditions), current
                        )
                    except _Back:
                        if verdict != "conditional":
                            raise
                        conditions = self._ask_conditions(crit, conditions)
            except _Back:
                continue

    def _ask_conditions(self, crit: Criterion, existing: list[str]) -> list[str]:
        """One condition per line; Enter on the first keeps ``existing`` (when there are any)."""
        lang = self.lang
        if existing:
            self.p.show(Text(_("current_conditions", lang), style="dim"))
            for c in existing:
                self.p.show(Text(f"  • {printable(c)}", style="dim"))
        conditions: list[str] = []
        while True:
            n = len(conditions) + 1
            if n == 1:
                hint = (
                    _("condition_keep_hint", lang, n=len(existing))
                    if existing
                    else _("condition_first_hint", lang)
                )
            else:
                hint = _("condition_more_hint", lang)
            try:
                text = self._ask(_("ask_condition", lang, n=n, hint=hint), help_for=crit)
            except _Back:
                if not conditions:
                    raise
                conditions.pop()
                continue
            text = text.strip()
            if not text:
                if conditions:
                    return conditions
                if existing:
                    return existing
                self._warn(_("err_need_condition", lang))
                continue
            conditions.append(text)

    def _ask_comment(self, crit: Criterion, answer: Answer, current: Answer | None) -> Answer:
        """Ask for the comment, then validate and save; raises _Back to return to the previous step."""
        lang = self.lang
        why = comment_reason(self.s.rubric, answer, lang)
        existing = current.comment if current is not None and current.has_comment else None
        if existing:
            self.p.show(Text(_("current_comment", lang, comment=printable(existing)), style="dim"))
        default = _("default_keep_comment", lang) if existing else ""
        while True:
            if why:
                prompt = _("ask_comment_required", lang, id=crit.id, why=why, default=default)
            else:
                prompt = _("ask_comment_optional", lang, id=crit.id, default=default)
            text = self._ask(prompt, help_for=crit).strip()
            comment: str | None = text or existing
            if text == "-":
                comment = None
            if why and not comment:
                self._warn(_("comment_needed", lang, why=why))
                continue
            final = answer.model_copy(update={"comment": comment})
            try:
                self.s.set_answer(crit.id, final)
            except AnswerError as exc:
                self._warn(exc.text(lang))
                continue
            return final

    # ---- the summary
    def _summary(self) -> str | None:
        """Show every answer; returns a criterion id to change, "*" to answer what is missing,
        or None to finish."""
        lang = self.lang
        self.p.show(self._summary_table())
        while True:
            missing = self.s.missing()
            try:
                text = self._ask(_("summary_prompt", lang), allow=("back",))
            except _Back:
                return self.s.criteria[-1].id
            value = normalize(text).upper().replace(" ", "")
            if not value:
                if not missing:
                    return None
                sep = "、" if lang == "ja" else ", "
                reply = None
                while reply is None:
                    reply = parse_yes_no(
                        self._ask(
                            _("answer_missing_now", lang, n=len(missing), ids=sep.join(missing)), allow=()
                        )
                    )
                    if reply is None:
                        self._warn(_("yes_no_hint", lang))
                return "*" if reply else None
            crit = self.s.rubric.criteria.get(value)
            if crit is not None and crit.kind == "portfolio":
                self._warn(_("summary_portfolio", lang, id=crit.id))
                continue
            if crit is None or crit.id not in {c.id for c in self.s.criteria}:
                self._warn(
                    _(
                        "summary_unknown",
                        lang,
                        text=printable(text.strip()[:20]),
                        example=self.s.criteria[0].id,
                    )
                )
                continue
            return crit.id

    def _summary_table(self) -> RenderableType:
        lang, rubric = self.lang, self.s.rubric
        table = Table(
            box=box.SIMPLE_HEAD,
            expand=True,
            show_edge=False,
            title=Text(_("summary_title", lang), style="bold"),
            title_justify="left",
        )
        table.add_column(_("id", lang), no_wrap=True, style="cyan")
        table.add_column(_("criterion", lang), ratio=3, overflow="fold")
        table.add_column(_("score", lang) + " / " + _("verdict", lang), no_wrap=True)
        table.add_column(_("comment", lang), ratio=4, overflow="ellipsis", no_wrap=True)
        for section in self.s.sections:
            for c in section.criteria:
                if c.kind == "portfolio":
                    continue
                a = self.s.answer(c.id)
                answered = self.s.is_answered(c.id)
                shown = answer_text(rubric, a if answered else None, lang)
                if a is not None and a.conditions:
                    shown += f" ({len(a.conditions)})"
                table.add_row(
                    c.id,
                    c.title(lang),
                    Text(shown, style="" if answered else "bold blue"),
                    Text(printable((a.comment or "") if a else "").replace("\n", " ")),
                )
            table.add_section()
        missing = self.s.missing()
        footer = Text(
            _("summary_answered", lang, done=self.s.done(), total=len(self.s.criteria)), style="bold"
        )
        if missing:
            footer.append("   ")
            footer.append(_("summary_missing", lang, ids=", ".join(missing)), style="blue")
        return Group(Text(""), table, footer, self._progress_line(None))

    # ---- rendering
    def _progress_line(self, crit: Criterion | None) -> Text:
        line = Text()
        for n, (sid, done, total) in enumerate(self.s.progress()):
            if n:
                line.append("  ")
            current = crit is not None and crit.section == sid
            style = "bold reverse" if current else ("green" if done == total else "")
            line.append(f" {sid} {done}/{total}{' ✓' if done == total else ''} ", style=style)
        return line

    def _header(self) -> RenderableType:
        lang = self.lang
        p = self.s.proposal
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(_("id", lang), _u(p.id))
        grid.add_row(_("title", lang), Wrapped(p.title, style="bold"))
        grid.add_row(_("programme", lang), Text(self.s.rubric.label("programmes", p.programme, lang)))
        if p.lead:
            grid.add_row(_("lead", lang), _u(_person(p.lead.name, p.lead.institution)))
        grid.add_row(
            _("partners", lang), _u("\n".join(f"{x.country} {x.institution}".strip() for x in p.partners))
        )
        if p.objectives:
            grid.add_row(_("objectives", lang), self._objectives(p.objectives))
        if p.summary:
            grid.add_row(_("summary", lang), Wrapped(p.summary.strip()))
        return Panel(grid, title=_("banner", lang), title_align="left", box=box.ROUNDED)

    def _objectives(self, ids: Sequence[str]) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="cyan")
        grid.add_column()
        for o in ids:
            obj = self.s.rubric.objectives.get(o)
            grid.add_row(_u(o), Wrapped(obj.title(self.lang) if obj else ""))
        return grid

    def _screen(self, crit: Criterion) -> RenderableType:
        """One criterion: where we are, the proposal's own evidence, the question, the guidance."""
        lang, rubric = self.lang, self.s.rubric
        section = rubric.section(crit.section)
        parts: list[RenderableType] = [Text("")]
        pos = self.s.index(crit.id) + 1
        total = len(self.s.criteria)
        parts.append(
            Rule(
                Text(_("position", lang, id=crit.id, pos=pos, total=total, done=self.s.done())),
                style="cyan",
                align="left",
            )
        )
        before = [
            c
            for c in section.criteria[: section.criteria.index(crit)]
            if c.kind == "portfolio" and c.id not in self.state.noted
        ]
        for c in before:
            parts.append(Wrapped(_("portfolio_skipped", lang, id=c.id, title=c.title(lang)), style="dim"))
            self.state.noted.add(c.id)
        parts.append(Text(f"{section.id}  {section.title(lang)}", style="dim"))
        head = Text(f"{crit.id}  ", style="bold cyan")
        head.append(crit.title(lang), style="bold")
        if crit.kind == "gate":
            kind = _("kind_gate_line", lang)
        else:
            na = _("na_possible", lang) if rubric.na_allowed_for(crit) else ""
            kind = _(
                "kind_score_line", lang, scale=f"{_num(rubric.scale.min)}–{_num(rubric.scale.max)}", na=na
            )
        head.append(f"   [{kind}]", style="magenta")
        parts.append(head)
        parts.append(Text(""))
        parts.append(self._evidence(crit))
        parts.append(Text(""))
        parts.append(Text(_("question", lang), style="bold"))
        parts.append(_indented(Wrapped(crit.question(lang))))
        parts.append(Text(_("guidance", lang), style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(overflow="fold")
        for level in GUIDANCE_LEVELS[crit.kind]:
            grid.add_row(_(f"guidance_{level}", lang), Wrapped(crit.guidance[level](lang)))
        parts.append(_indented(grid))
        current = self.s.answer(crit.id)
        if current is not None and self.s.is_answered(crit.id):
            parts.append(
                Text(_("current_answer", lang, answer=answer_text(rubric, current, lang)), style="green")
            )
        parts.append(self._progress_line(crit))
        return Group(*parts)

    def _evidence(self, crit: Criterion) -> RenderableType:
        lang, p = self.lang, self.s.proposal
        own = p.sections.get(crit.id)
        title = _("proposal_text", lang, id=crit.id)
        parts: list[RenderableType] = []
        if own:
            parts.append(
                Panel(
                    Wrapped(own.strip()),
                    title=title,
                    title_align="left",
                    box=box.ROUNDED,
                    border_style="green",
                )
            )
        else:
            parts.append(Text(_("no_proposal_text", lang, id=crit.id), style="yellow"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        section = self.s.rubric.section(crit.section)
        fields = list(crit.evidence)
        if section.objectives and "objectives" not in fields:
            fields.append("objectives")
        for name in fields:
            row = self._field(name, crit)
            if row is not None:
                grid.add_row(*row)
        if grid.rows:
            parts.append(grid)
        findings = self.s.job.findings_for(crit.id)
        if findings:
            marks = {"error": ("✗", "bold red"), "warning": ("!", "yellow"), "note": ("·", "dim")}
            checks = _grid()
            for f in findings:
                mark, style = marks.get(f.severity, ("·", ""))
                checks.add_row(Text(mark, style=style), Wrapped(f.message(lang), style=style))
            parts.append(Text(_("prechecks", lang), style="bold"))
            parts.append(_indented(checks))
        return Group(*parts)

    def _field(self, name: str, crit: Criterion) -> tuple[str, RenderableType] | None:
        lang, p, rubric = self.lang, self.s.proposal, self.s.rubric
        none = Text(_("field_none", lang), style="yellow")
        if name == "summary":
            summary = " ".join(p.summary.split())
            return _("field_summary", lang), Wrapped(summary, max_lines=SUMMARY_LINES) if summary else none
        if name == "objectives":
            section = rubric.section(crit.section)
            if section.objectives:
                ids = [o for o in p.objectives if o.startswith(f"{section.id}.")]
                label = _("field_objectives_section", lang, section=section.id)
            else:
                ids, label = list(p.objectives), _("field_objectives", lang)
            return label, self._objectives(ids) if ids else none
        if name == "kpis":
            grid = _grid()
            for k in p.kpis:
                target = f" → {k.target}" if k.target is not None and str(k.target).strip() else ""
                grid.add_row(Text(printable(k.objective), style="cyan"), Wrapped(f"{k.indicator}{target}"))
            without = [o for o in p.objectives if o not in {k.objective for k in p.kpis}]
            if without:
                grid.add_row(
                    Text("!", style="yellow"),
                    Wrapped(f"{_('field_kpis_missing', lang)}: {', '.join(without)}", style="yellow"),
                )
            return _("field_kpis", lang), grid if grid.rows else none
        if name == "risks":
            grid = _grid()
            for r in p.risks:
                grid.add_row(
                    Text(self.s.rubric.label("risk_areas", r.area, lang), style="cyan"),
                    Wrapped(r.description.strip()),
                )
                if r.mitigation.strip():
                    grid.add_row(
                        Text(f"  ↳ {_('mitigation', lang)}", style="dim"), Wrapped(r.mitigation.strip())
                    )
            return _("field_risks", lang), grid if grid.rows else none
        if name == "integrity":
            procs = [self.s.rubric.label("integrity_procedures", x, lang) for x in p.integrity.procedures]
            sep = "、" if lang == "ja" else ", "
            parts: list[RenderableType] = [Wrapped(sep.join(procs)) if procs else none]
            if p.integrity.notes.strip():
                parts.append(Wrapped(p.integrity.notes.strip(), style="dim"))
            return _("field_integrity", lang), Group(*parts)
        if name == "partners":
            return _("field_partners", lang), _u(
                "\n".join(f"{x.country} {x.institution}".strip() for x in p.partners)
            )
        if name == "team":
            return _("field_team", lang), self._team(full=crit.evidence[:1] == ["team"]) if p.team else none
        if name == "lead":
            return _("field_lead", lang), _u(_person(p.lead.name, p.lead.institution)) if p.lead else none
        if name == "budget":
            return _("field_budget", lang), Text(f"{p.budget:,.0f}") if p.budget is not None else none
        return None

    def _team(self, *, full: bool) -> RenderableType:
        """The team's make-up; every member in full where the team is the criterion's main evidence."""
        lang, team = self.lang, self.s.proposal.team
        ja = lang == "ja"
        sep = "・" if ja else " · "
        mix = Counter(m.discipline for m in team if m.discipline)
        stages = Counter(m.career_stage for m in team if m.career_stage)
        composition = sep.join(
            f"{self.s.rubric.label('disciplines', d, lang)} {n}" for d, n in mix.most_common()
        )
        if stages:
            composition += " / " + sep.join(
                f"{self.s.rubric.label('career_stages', x, lang)} {n}" for x, n in stages.most_common()
            )
        grid = _grid()
        if composition:
            grid.add_row(Text(_("field_team_mix", lang), style="dim"), Wrapped(composition, style="dim"))
        if not full:
            names = ("、" if ja else ", ").join(m.name for m in team)
            grid.add_row(
                Text(_("field_team_count", lang, n=len(team)), style="dim"), Wrapped(names, max_lines=2)
            )
            return grid
        for m in team:
            extra = ("、" if ja else ", ").join(x for x in (m.role, m.institution, m.country or "") if x)
            tags = [self.s.rubric.label("disciplines", m.discipline, lang)] if m.discipline else []
            if m.career_stage:
                tags.append(self.s.rubric.label("career_stages", m.career_stage, lang))
            if tags:
                extra += f"（{'、'.join(tags)}）" if ja else f" ({', '.join(tags)})"
            grid.add_row(_u(m.name), Wrapped(extra))
        return grid

    def _help(self, crit: Criterion | None) -> RenderableType:
        lang, rubric = self.lang, self.s.rubric
        s = rubric.scale
        lines: list[RenderableType] = [Text(_("help_title", lang), style="bold")]
        if crit is None or crit.kind != "gate":
            lines.append(Wrapped(_("help_scale", lang, lo=_num(s.min), hi=_num(s.max), step=_num(s.step))))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(justify="right", style="cyan")
            grid.add_column()
            for value in sorted(s.labels):
                grid.add_row(str(value), s.labels[value](lang))
            lines.append(_indented(grid))
            lines.append(Wrapped(_("help_half", lang)))
            if crit is None or rubric.na_allowed_for(crit):
                lines.append(Wrapped(_("help_na", lang)))
        if crit is None or crit.kind == "gate":
            lines.append(Wrapped(_("help_verdicts", lang)))
        rules = rubric.comments
        parts = []
        if rules.score_at_or_below is not None:
            parts.append(_("why_low_score", lang, limit=_num(rules.score_at_or_below)))
        parts += [_("why_verdict", lang, verdict=_(f"verdict_{v}", lang)) for v in rules.verdicts]
        if rules.na:
            parts.append(_("why_na", lang))
        if parts:
            lines.append(
                Wrapped(_("help_comments", lang, rules=("、" if lang == "ja" else ", ").join(parts)))
            )
        lines.append(Wrapped(_("help_enter", lang)))
        lines.append(Wrapped(_("commands", lang), style="magenta"))
        return Panel(Group(*lines), box=box.ROUNDED, border_style="magenta")


def _u(text: str | None) -> Text:
    """Untrusted text, shown literally."""
    return Text(printable(text or ""))


# Kinsoku: characters that never start a line, and characters that never end one.
_NO_START = frozenset(
    "、。，．,.)）」』】〕〉》]］}｝!！?？:：;；ー～…‥・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％%"
)
_NO_END = frozenset("(（「『【〔〈《[［{｛")


def _tokens(line: str) -> list[str]:
    """Words (with their trailing spaces) and single wide characters, with kinsoku glue applied."""
    raw: list[str] = []
    cur, open_word = "", False
    for ch in line:
        if ch in " \t":
            cur += ch
            open_word = False
        elif unicodedata.east_asian_width(ch) in "WF":
            if cur:
                raw.append(cur)
            cur, open_word = ch, False
        elif open_word:
            cur += ch
        else:
            if cur:
                raw.append(cur)
            cur, open_word = ch, True
    if cur:
        raw.append(cur)
    out: list[str] = []
    glue = False
    for tok in raw:
        if out and (glue or tok[0] in _NO_START):
            out[-1] += tok
        else:
            out.append(tok)
        glue = bool(tok.strip()) and tok.rstrip()[-1] in _NO_END
    return out


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells: English broken between words, Japanese between
    characters but never before 、。）」 nor after （「 (kinsoku)."""
    width = max(width, 4)
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        first = True
        for tok in _tokens(para):
            if cell_len((line + tok).rstrip()) <= width:
                line += tok
                continue
            if line.strip():
                lines.append(line.rstrip())
                first = False
            line = ""
            while cell_len(tok.rstrip()) > width:
                cut, used = "", 0
                for ch in tok:
                    if used + cell_len(ch) > width:
                        break
                    cut += ch
                    used += cell_len(ch)
                lines.append(cut)
                first = False
                tok = tok[len(cut) :]
            line = tok if first else tok.lstrip()
        lines.append(line.rstrip())
    return lines


class Wrapped:
    """Plain text wrapped for reading (see ``wrap``); optionally cut to ``max_lines`` with …."""

    def __init__(self, text: str, style: str = "", max_lines: int | None = None):
        self.text = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
        self.style = style
        self.max_lines = max_lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap(self.text, options.max_width)
        if self.max_lines is not None and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            while last and cell_len(last) + 1 > options.max_width:
                last = last[:-1]
            lines[-1] = last + "…"
        for line in lines:
            yield Text(line, style=self.style, end="\n", no_wrap=True, overflow="crop")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        paras = self.text.split("\n")
        longest = max((cell_len(p) for p in paras), default=0)
        widest_token = max((cell_len(t.rstrip()) for p in paras for t in _tokens(p)), default=1)
        most = min(longest, options.max_width)
        return Measurement(min(widest_token, most), most)


def _person(name: str, institution: str) -> str:
    return name + (f" ({institution})" if institution else "")


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    return grid


def _indented(item: RenderableType) -> RenderableType:
    from rich.padding import Padding

    return Padding(item, (0, 0, 0, 2))


def default_reviewer_name() -> str:
    """The account's full name (from the password database), else the login name."""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError, OSError):
        pass
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return ""


def stop_message(result: WalkResult, session: Session, lang: Lang, command: str) -> list[str]:
    """What to tell the reviewer when the walk stops before the report."""
    total = len(session.criteria)
    done = session.done()
    path = str(session.path)
    lines = []
    if result.status == "declined":
        lines.append(_("stop_declined", lang, path=path))
    elif not result.saved and not session.existed:
        lines.append(_("stop_nothing", lang))
    elif result.status == "quit":
        lines.append(_("stop_quit", lang, path=path, done=done, total=total))
    else:
        lines.append(_("stop_interrupted", lang, path=path, done=done, total=total))
    if result.pending and not session.is_answered(result.pending):
        lines.append(_("stop_pending", lang, id=result.pending))
    key = "report_with" if not session.missing() else "resume_with"
    lines.append(_(key, lang, command=command))
    return lines


@dataclass
class Completion:
    """What ``complete_review`` left: the job to report on, or why the walk stopped first."""

    job: ReviewJob
    stop_lines: list[str] = field(default_factory=list)
    exit_code: int = 0

    @property
    def stopped(self) -> bool:
        return bool(self.stop_lines)


def complete_review(
    proposal_path: str | os.PathLike[str],
    review_path: str | os.PathLike[str] | None,
    rubric_path: str | os.PathLike[str] | None,
    prompter: Prompter,
    lang: Lang,
    resume: str,
) -> Completion:
    """Open the review of a proposal and walk the reviewer through what is missing.

    ``resume`` is the command that picks the walk up again (see ``resume_command``). A complete
    review is returned as it is; a review begun against another rubric version is accepted only
    while incomplete, so a complete one raises the mismatch as ``api.open_job`` does.
    """
    job, earlier = open_for_walk(proposal_path, review_path, rubric_path)
    if earlier is not None and not job.assessment().missing:
        job = open_job(proposal_path, review_path, rubric_path)
    if not job.assessment().missing:
        return Completion(job)
    session = Session(job, earlier)
    walk = Questionnaire(session, prompter, lang).run()
    job.review.review = session.review
    job.review_exists = job.review_exists or walk.saved
    if walk.status == "done":
        return Completion(job)
    return Completion(job, stop_message(walk, session, lang, resume), 130 if session.missing() else 0)
