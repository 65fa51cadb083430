"""The walk: the reviewer is taken through what is left of a review; every answer is saved at once."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rich import box
from rich.console import RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..api import ReviewJob, open_job
from ..editlock import EditLock, Locked
from ..errors import InputError, Problem
from ..errors import Text as ErrText
from ..i18n import Lang
from ..review import Answer, Declaration, OverallAnswer, Review
from ..rubric import Criterion, Verdict
from ..rules import feedback_required
from ..sanitize import printable
from .answers import (
    NA,
    AnswerError,
    Command,
    answer_text,
    comment_reason,
    grade_text,
    normalize,
    parse_command,
    parse_grade,
    parse_score,
    parse_verdict,
    parse_yes_no,
    scale_values,
    undecodable,
)
from .messages import _
from .prompters import Prompter
from .screens import Screens, Wrapped
from .session import Session, default_reviewer_name, open_for_walk

# --------------------------------------------------------------------------- the walk


class _Back(Exception):
    pass


class _Skip(Exception):
    pass


class _Quit(Exception):
    pass


Status = Literal["done", "quit", "interrupted", "declined", "conflict", "no_pledge"]


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
    overall_skipped: bool = False  # skipped in this walk: asked again from the summary only


class Questionnaire(Screens):
    """Walk a reviewer through what is left of a review; every answer is saved at once."""

    def __init__(
        self,
        session: Session,
        prompter: Prompter,
        lang: Lang,
        *,
        default_reviewer: str | None = None,
        today: dt.date | None = None,
    ):
        self.s = session
        self.p = prompter
        self.lang = lang
        session.resolve = self._resolve_clash
        self.default_reviewer = default_reviewer if default_reviewer is not None else default_reviewer_name()
        self.state = _State()
        self.today = today if today is not None else dt.date.today()

    # ---- entry
    def run(self) -> WalkResult:
        try:
            if not self._confirm_changes():
                return WalkResult("declined", self.s.review)
            self.state.confirmed = True
            stop = self._start()
            if stop is not None:
                return WalkResult(stop, self.s.review, saved=self.s.saved_once)
            missing = self.s.missing()
            if missing:
                self._walk(self.s.index(missing[0]))
            self._overall_step()
            while True:
                target = self._summary()
                if target is None:
                    if not self.s.missing():
                        self.p.show(Text(_("finished", self.lang, path=str(self.s.path)), style="bold green"))
                    return WalkResult("done", self.s.review, saved=self.s.saved_once)
                if target == "*":
                    self.state.skipped.clear()
                    self.state.overall_skipped = False
                    if self.s.missing():
                        self._walk(self.s.index(self.s.missing()[0]))
                    self._overall_step()
                elif target == OVERALL:
                    self._overall_step(again=True)
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
        help_screen: RenderableType | None = None,
    ) -> str:
        while True:
            text = self.p.ask(prompt)
            if undecodable(text):  # surrogate escapes: bytes that were not text, never saved
                self._warn(_("err_undecodable", self.lang))
                continue
            command = parse_command(text)
            if command is None:
                return text
            if command == "help":
                self.p.show(help_screen if help_screen is not None else self._help(help_for))
                continue
            if command in ("evidence", "guidance"):
                if help_for is None:
                    self.p.show(Text(_("err_not_here", self.lang), style="yellow"))
                elif command == "evidence":
                    self.p.show(self._evidence_page(help_for))
                else:
                    self.p.show(self._guidance(help_for))
                continue
            if command == "quit":
                raise _Quit
            if command not in allow:
                self.p.show(Text(_("err_not_here", self.lang), style="yellow"))
                continue
            raise _Back if command == "back" else _Skip

    def _warn(self, message: str) -> None:
        self.p.show(Wrapped(message, style="yellow"))

    def _tell_merged(self) -> None:
        if self.s.merged:
            sep = _("list_sep", self.lang)
            self.p.show(Wrapped(_("merged", self.lang, ids=sep.join(self.s.merged)), style="cyan"))

    def _resolve_clash(self, cid: str, mine: object, theirs: object) -> Literal["mine", "theirs"]:
        """Another process saved a different answer to the one just given: ask which to keep."""
        lang = self.lang

        def shown(x: object) -> str:
            if isinstance(x, Answer):
                return answer_text(self.s.rubric, x, lang)
            if isinstance(x, OverallAnswer):
                return grade_text(self.s.rubric.overall, x.grade, lang)
            return printable(str(x)) if x is not None else _("not_answered", lang)

        self._warn(_("clash", lang, id=cid, mine=shown(mine), theirs=shown(theirs)))
        while True:
            try:
                value = normalize(self.p.ask(_("clash_prompt", lang)))
            except (EOFError, KeyboardInterrupt):  # nobody left to ask: refuse, never pick
                raise InputError(
                    [Problem(str(self.s.path), None, None, None, ErrText("err.clash_unresolved", id=cid))]
                ) from None
            if value in ("m", "mine", "y", "yours"):
                return "mine"
            if value in ("t", "theirs", "disk"):
                return "theirs"

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

    def _start(self) -> Status | None:
        lang = self.lang
        self.p.show(self._header())
        total = len(self.s.criteria)
        missing = self.s.missing()
        counts = Counter(self.s.rubric.criteria[cid].section for cid in missing)
        sep = _("sep_dot", lang)
        by_section = sep.join(f"{sid} {counts[sid]}" for sid, _a, _n in self.s.progress() if counts[sid])
        gates = [c.id for c in self.s.criteria if c.kind == "gate" and c.id in missing]
        line = (
            _("to_answer", lang, total=total, by_section=by_section)
            if len(missing) == total
            else _("to_answer_left", lang, left=len(missing), total=total, by_section=by_section)
        )
        if gates:
            line += _("sep_clause", lang) + _("gates_note", lang, ids=", ".join(gates))
        if not missing and self.s.overall_needed():
            line = _("overall_left", lang)
        self.p.show(Wrapped(line, style="bold"))
        for s in self.s.sections:
            for c in s.criteria:
                if c.kind == "portfolio":
                    self.p.show(
                        Wrapped(_("portfolio_skipped", lang, id=c.id, title=c.title(lang)), style="dim")
                    )
                    self.state.noted.add(c.id)
        self.p.show(Wrapped(_("commands", lang), style="magenta"))
        if not self.s.saved_once:
            self.s.check_writable()  # before anything is typed, not after
        # The declaration comes first, after the proposal's header (who the applicants are).
        stop = self._declaration()
        if stop is not None:
            return stop
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
                            next=missing[0] if missing else self._after_criteria(),
                        ),
                        style="green",
                    )
                )
            else:
                self.p.show(Text(_("reviewer_is", lang, name=printable(self.s.review.reviewer))))
        else:
            self._ask_reviewer()
        self.p.show(Wrapped(_("saving_to", lang, path=str(self.s.path)), style="dim"))
        return None

    def _after_criteria(self) -> str:
        """What is asked once every criterion is answered: the overall grade, if still to give."""
        return _("overall_name", self.lang) if self.s.overall_needed() else "—"

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

    # ---- the declaration (before any score)
    def _declaration(self) -> Status | None:
        """Ask the confidentiality pledge and the conflict-of-interest declaration when the rubric
        defines conflict categories and the review has none yet; returns why the walk stops."""
        lang, rubric = self.lang, self.s.rubric
        categories = rubric.conflict_categories
        d = self.s.review.declaration
        if d is not None:
            if d.has_conflict:
                return self._stop_conflict(d.conflict)
            return None
        if not categories:
            return None
        self.p.show(Panel(Wrapped(_("declaration_intro", lang)), border_style="yellow", box=box.ROUNDED))
        while True:
            reply = parse_yes_no(self._ask(_("ask_pledge", lang), allow=()), default=None)
            if reply is None:
                self._warn(_("yes_no_hint", lang))
                continue
            break
        if not reply:
            self._warn(_("no_pledge", lang))
            return "no_pledge"
        names = list(categories)
        listing = Table.grid(padding=(0, 2))
        listing.add_column(justify="right", style="cyan", no_wrap=True)
        listing.add_column()
        listing.add_row("0", Wrapped(_("conflict_none", lang)))
        for n, name in enumerate(names, 1):
            listing.add_row(str(n), Wrapped(f"{categories[name].label(lang)}  ({name})"))
        self.p.show(listing)
        while True:
            text = normalize(self._ask(_("ask_conflict", lang, n=len(names)), allow=()))
            if text in ("0", "n", "no", "none", "なし", "無し", "ない"):
                conflict = "none"
            elif text.isdigit() and 1 <= int(text) <= len(names):
                conflict = names[int(text) - 1]
            elif text in names:
                conflict = text
            else:
                self._warn(_("err_conflict", lang, n=len(names)))
                continue
            note = None
            if conflict != "none":
                if categories[conflict].note_required:
                    note = ""
                    while not note:
                        note = " ".join(self._ask(_("ask_conflict_note", lang), allow=()).split())
                term = categories[conflict].label(lang)
                sure = parse_yes_no(
                    self._ask(_("confirm_conflict", lang, category=term), allow=()), default=None
                )
                if not sure:
                    continue
            break
        self.s.set_declaration(
            Declaration(confidential=True, conflict=conflict, note=note or None, date=self.today)
        )
        self.p.show(Text(_("declared", lang, date=self.today.isoformat()), style="green"))
        if conflict != "none":
            return self._stop_conflict(conflict)
        return None

    def _stop_conflict(self, conflict: str) -> Status:
        categories = self.s.rubric.conflict_categories or {}
        term = categories[conflict].label(self.lang) if conflict in categories else conflict
        self.p.show(Wrapped(_("conflict_stop", self.lang, category=term), style="bold yellow"))
        return "conflict"

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
            v = scale_values(rubric, crit, lang)
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
            try:
                feedback = self._ask_feedback(crit, answer, current)
            except _Back:
                continue
            final = answer.model_copy(update={"comment": comment, "feedback": feedback})
            try:
                self.s.set_answer(crit.id, final)
                self._tell_merged()
            except AnswerError as exc:
                self._warn(exc.text(lang))
                continue
            return final

    def _ask_feedback(self, crit: Criterion, answer: Answer, current: Answer | None) -> str | None:
        """Feedback to the applicant where the rubric requires it; elsewhere the feedback already
        in the file is kept as it is (and not asked)."""
        lang = self.lang
        existing = current.feedback if current is not None and current.has_feedback else None
        if not feedback_required(self.s.rubric, answer):
            return existing
        if existing:
            self.p.show(Text(_("current_feedback", lang, feedback=printable(existing)), style="dim"))
        self.p.show(Wrapped(_("feedback_note", lang), style="dim"))
        default = _("default_keep_feedback", lang) if existing else ""
        while True:
            text = self._ask(_("ask_feedback", lang, id=crit.id, default=default), help_for=crit).strip()
            feedback = text or existing
            if feedback:
                return feedback
            self._warn(_("feedback_needed", lang))

    # ---- the overall grade (総合評価), after the last criterion
    def _overall_step(self, *, again: bool = False) -> None:
        """Ask the overall grade when the rubric defines one and the review gives none (or, with
        ``again``, to change it from the summary); b goes back to the last criterion."""
        if self.s.rubric.overall is None:
            return
        if not again and (self.s.review.overall is not None or self.state.overall_skipped):
            return
        while True:
            try:
                self._overall()
                return
            except _Skip:
                name = _("overall_name", self.lang)
                if self.s.review.overall is not None:
                    self.p.show(Text(_("kept", self.lang, id=name), style="dim"))
                else:
                    self.state.overall_skipped = True
                    self.p.show(Text(_("skipped", self.lang, id=name), style="dim"))
                return
            except _Back:
                if again or not self.s.criteria:
                    return
                self._walk(len(self.s.criteria) - 1, single=True)

    def _overall(self) -> None:
        lang, grades = self.lang, self.s.rubric.overall
        assert grades is not None
        name = _("overall_name", lang)
        current = self.s.review.overall
        screen = self._overall_screen()
        self.p.show(screen)
        values = ", ".join(f"{lv.value:g}" for lv in grades.levels)
        while True:
            default = ""
            if current is not None:
                default = _("default_keep", lang, value=grade_text(grades, current.grade, lang))
            text = self._ask(_("ask_grade", lang, grades=values, default=default), help_screen=screen)
            if not text.strip():
                if current is None:
                    self._warn(_("err_empty_grade", lang, grades=values))
                    continue
                grade = current.grade
            else:
                try:
                    grade = parse_grade(text, grades)
                except AnswerError as exc:
                    self._warn(exc.text(lang))
                    continue
                self.p.show(Text(f"  → {grade_text(grades, grade, lang)}", style="dim"))
            try:
                self._overall_texts(grade, current, screen)
            except _Back:
                continue
            self.p.show(
                Text(_("saved_answer", lang, id=name, answer=grade_text(grades, grade, lang)), style="green")
            )
            self.state.overall_skipped = False
            return

    def _overall_texts(
        self, grade: float, current: OverallAnswer | None, screen: RenderableType
    ) -> OverallAnswer:
        """The committee-only comment on the overall grade, then the feedback where the rubric
        requires it (else the feedback in the file is kept); saves, or raises _Back."""
        lang = self.lang
        existing = current.comment if current is not None and current.comment else None
        if existing:
            self.p.show(Text(_("current_comment", lang, comment=printable(existing)), style="dim"))
        default = _("default_keep_comment", lang) if existing else ""
        while True:
            text = self._ask(_("ask_overall_comment", lang, default=default), help_screen=screen).strip()
            comment = None if text == "-" else (text or existing)
            feedback = current.feedback if current is not None and current.feedback else None
            if self.s.rubric.feedback.overall:
                try:
                    feedback = self._ask_overall_feedback(feedback, screen)
                except _Back:
                    continue
            final = OverallAnswer(grade=grade, comment=comment, feedback=feedback)
            try:
                self.s.set_overall(final)
                self._tell_merged()
            except AnswerError as exc:
                self._warn(exc.text(lang))
                continue
            return final

    def _ask_overall_feedback(self, existing: str | None, screen: RenderableType) -> str:
        lang = self.lang
        name = _("overall_name", lang)
        if existing:
            self.p.show(Text(_("current_feedback", lang, feedback=printable(existing)), style="dim"))
        self.p.show(Wrapped(_("feedback_note", lang), style="dim"))
        default = _("default_keep_feedback", lang) if existing else ""
        while True:
            text = self._ask(_("ask_feedback", lang, id=name, default=default), help_screen=screen).strip()
            feedback = text or existing
            if feedback:
                return feedback
            self._warn(_("feedback_needed", lang))

    # ---- the summary
    def _summary(self) -> str | None:
        """Show every answer; returns a criterion id to change, "*" to answer what is missing,
        or None to finish."""
        lang = self.lang
        self.p.show(self._summary_table())
        while True:
            missing = self.s.missing()
            prompt = "summary_prompt_overall" if self.s.rubric.overall is not None else "summary_prompt"
            try:
                text = self._ask(_(prompt, lang), allow=("back",))
            except _Back:
                if self.s.rubric.overall is not None:
                    return OVERALL
                return self.s.criteria[-1].id
            value = normalize(text).upper().replace(" ", "")
            if self.s.rubric.overall is not None and value in _OVERALL_WORDS:
                return OVERALL
            if not value:
                if self.s.overall_needed():  # skipped: offered with the missing criteria
                    missing = [*missing, _("overall_name", lang)]
                if not missing:
                    return None
                sep = _("list_sep", lang)
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


OVERALL = "overall"  # the summary's answer that changes the overall grade
_OVERALL_WORDS = {"OVERALL", "総合評価", "総合"}


def show_locked(prompter: Prompter, lang: Lang, path: Path, held: Locked) -> None:
    """Who holds the review and since when, and what to do."""
    h = held.holder
    if h is not None:
        text = _("locked", lang, path=str(path), user=h.user, host=h.host, pid=h.pid, since=h.since)
    else:
        text = _("locked_unknown", lang, path=str(path), lock=str(held.path))
    prompter.show(Wrapped(text, style="bold yellow"))
    prompter.show(Wrapped(_("locked_hint", lang, lock=str(held.path)), style="yellow"))


def stop_message(result: WalkResult, session: Session, lang: Lang, command: str) -> list[str]:
    """What to tell the reviewer when the walk stops before the report."""
    total = len(session.criteria)
    done = session.done()
    path = str(session.path)
    lines = []
    if result.status == "conflict":
        return [_("stop_conflict", lang, path=path)]
    if result.status == "no_pledge":
        return [_("stop_no_pledge", lang)]
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
    key = "report_with" if not session.missing() and not session.overall_needed() else "resume_with"
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
    if not job.assessment().missing and not _overall_missing(job):
        return Completion(job)
    lock = EditLock(job.review_path)
    try:
        lock.acquire()
    except Locked as held:
        # Someone else is walking this review: read-only, so that nobody's answers are lost.
        show_locked(prompter, lang, job.review_path, held)
        return Completion(job)
    try:
        session = Session(job, earlier)
        walk = Questionnaire(session, prompter, lang).run()
    finally:
        lock.release()
    job.review.review = session.review
    job.review_exists = job.review_exists or walk.saved
    if walk.status == "done":
        return Completion(job)
    # `q` is a deliberate save-and-quit: done, exit 0. Ctrl-C, Ctrl-D (end of input) and a
    # declined question leave the review unfinished against the reviewer's intent: 130.
    # A declared conflict or a refused pledge ends the walk as it should: 0.
    unfinished = session.missing() or session.overall_needed()
    code = 130 if unfinished and walk.status not in ("quit", "conflict", "no_pledge") else 0
    return Completion(job, stop_message(walk, session, lang, resume), code)


def _overall_missing(job: ReviewJob) -> bool:
    """A review whose criteria are all answered is still walked for the overall grade the rubric
    defines, unless a conflict was declared (the walk stops there) or it already gives one."""
    review = job.review.review
    return job.rubric.overall is not None and review.overall is None and not review.has_conflict
