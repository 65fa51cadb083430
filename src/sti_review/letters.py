"""Feedback letters to applicants: one per proposal of a call.

A letter says the committee's decision (only when the secretariat's ``decisions.yaml`` in the
call folder records one), the proposal's rank band (「上位 20–40%」), each criterion's panel
result in words and the reviewers' ``feedback`` texts. It is built from the applicant-safe
fields only: never a ``comment`` (committee only), a reviewer's name, a declaration or another
proposal's data. Reviews left out for a declared conflict of interest give no feedback.

Pure domain: no terminal; rendering to Markdown/HTML is plain text building, Word is lazy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError, Problem, Text
from .i18n import t
from .rubric import Lang, Rubric

DECISIONS_FILE = "decisions.yaml"
DecisionKind = Literal["selected", "selected_on_conditions", "not_selected"]
BAND = 20  # percent per rank band, as JSPS discloses to applicants


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: DecisionKind
    conditions: list[str] = Field([], max_length=100)


class DecisionsFile(BaseModel):
    """The committee's decision per proposal id, written by the secretariat."""

    model_config = ConfigDict(extra="forbid")
    decisions: dict[str, Decision] = Field(max_length=100_000)


def load_decisions(call_dir: str | Path) -> dict[str, Decision] | None:
    """The decisions file of a call folder, or None when the call has none."""
    from .validation import validate
    from .yamlio import load_file

    path = Path(call_dir) / DECISIONS_FILE
    if not path.is_file():
        return None
    doc = load_file(path)
    data = validate(DecisionsFile, doc)
    problems = [
        doc.problem(("decisions", pid, "conditions"), Text("err.conditions_needed"))
        for pid, d in data.decisions.items()
        if d.decision == "selected_on_conditions" and not [c for c in d.conditions if c.strip()]
    ]
    if problems:
        raise InputError(problems)
    return data.decisions


@dataclass
class CriterionLine:
    title: str
    words: str
    informational: bool = False


@dataclass
class Letter:
    proposal: str
    title: str
    lang: Lang
    decision: Decision | None
    band: tuple[int, int, int] | None  # (lo, hi, count of ranked proposals)
    results: list[CriterionLine] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)


def rank_band(index: int, count: int) -> tuple[int, int, int]:
    """The band of the ``index``-th (0-based) of ``count`` proposals: (lo, hi, count) in %."""
    hi = min(100, max(BAND, math.ceil((index + 1) * 100 / count / BAND) * BAND))
    return hi - BAND, hi, count


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def proposal_lang(title: str, summary: str = "") -> Lang:
    """The language a proposal is written in (Japanese when its title or summary is)."""
    return "ja" if _JAPANESE.search(title + summary) else "en"


def build_letters(
    call_dir: str | Path, rubric_path: str | Path | None = None, lang: Lang | None = None
) -> tuple[list[Letter], list[tuple[str, str]]]:
    """One letter per valid proposal of the call, and warnings (feedback the rubric requires
    but a review does not give)."""
    from .callfile import call_rubric
    from .panel import load_panel
    from .ranking import rank_call
    from .review import missing_feedback
    from .rubric import load_rubric

    if rubric_path is None:  # the call's own rubric (call.yaml)
        rubric_path = call_rubric(call_dir, None)[0]
    rubric = load_rubric(rubric_path)
    decisions = load_decisions(call_dir)
    ranking = rank_call(call_dir, rubric_path)
    if ranking.problems:
        raise InputError(ranking.problems)
    valid = [r for r in ranking.rows if r.status != "invalid" and r.outcome is not None]
    letters: list[Letter] = []
    warnings: list[tuple[str, str]] = []
    for index, row in enumerate(valid):
        c = load_panel(row.path, row.review_files, rubric_path)
        p = c.proposal
        language: Lang = lang or proposal_lang(p.title, p.summary)
        letter = Letter(
            p.id,
            p.title,
            language,
            (decisions or {}).get(p.id),
            rank_band(index, len(valid)) if row.eligible else None,
        )
        letter.results = _results(rubric, c, language)
        counted = list(c.reviews) + ([c.consensus] if c.consensus else [])
        # The feedback of every stage's counted reviews (interviews too): the results in words
        # stay the first stage's, which ranks every proposal.
        for stage in rubric.stages[1:]:
            later = load_panel(row.path, row.review_files, rubric_path, stage=stage.id)
            counted += list(later.reviews) + ([later.consensus] if later.consensus else [])
        # grouped by criterion in the rubric's order (the overall grade's last), each criterion's
        # texts in the reviewers' order: an applicant reads what was said about A2 together
        order = {cid: i for i, cid in enumerate(rubric.criteria)}
        said: list[tuple[int, str]] = []
        for r in counted:
            review = r.review
            said += [
                (order.get(cid, len(order)), a.feedback)
                for cid, a in review.answers.items()
                if getattr(a, "feedback", None)
            ]
            overall = getattr(review, "overall", None)
            if overall is not None and overall.feedback:
                said.append((len(order) + 1, overall.feedback))
            gaps = missing_feedback(review, rubric) if hasattr(review, "declaration") else []
            if gaps:
                warnings.append((r.source, ", ".join(gaps)))
        for _, text in sorted(said, key=lambda x: x[0]):
            if text and text.strip() and text.strip() not in letter.feedback:
                letter.feedback.append(text.strip())
        letters.append(letter)
    return letters, warnings


def _results(rubric: Rubric, c: object, lang: Lang) -> list[CriterionLine]:
    from .scoring import informational

    out = []
    purposes = c.proposal.purposes  # type: ignore[attr-defined]
    for cp in c.criteria:  # type: ignore[attr-defined]
        crit = cp.criterion
        answer = cp.outcome_answer
        if answer is None:
            words = t("letter.not_judged", lang)
        elif answer.verdict is not None:
            words = t(f"letter.gate_{answer.verdict}", lang)
        elif answer.na:
            words = t("letter.not_applicable", lang)
        else:
            label = rubric.scale.label(float(answer.score))
            words = label(lang) if label else f"{answer.score:g}"
        section = rubric.section(crit.section)
        info = crit.kind == "score" and informational(section, purposes)
        out.append(CriterionLine(f"{crit.id} {crit.title(lang)}", words, info))
    return out


# --------------------------------------------------------------------------- rendering


def _decision_lines(letter: Letter) -> tuple[str, list[str]]:
    lang = letter.lang
    if letter.decision is None:
        return t("letter.decision_pending", lang), []
    return t(f"letter.decision_{letter.decision.decision}", lang), list(letter.decision.conditions)


def _band_text(letter: Letter) -> str:
    if letter.band is None:
        return t("letter.rank_band_none", letter.lang)
    lo, hi, n = letter.band
    return t("letter.rank_band", letter.lang, lo=lo, hi=hi, n=n)


def render_markdown(letter: Letter) -> str:
    from .sanitize import markdown_inline

    lang = letter.lang
    decision, conditions = _decision_lines(letter)
    lines = [
        f"# {t('letter.title', lang)}",
        "",
        markdown_inline(t("letter.proposal", lang, id=letter.proposal, title=letter.title)),
        "",
        f"## {t('letter.decision', lang)}",
        "",
        markdown_inline(decision),
        "",
    ]
    if conditions:
        lines += [f"**{t('letter.conditions', lang)}**", ""]
        lines += [f"- {markdown_inline(x)}" for x in conditions] + [""]
    lines += [markdown_inline(_band_text(letter)), "", f"## {t('letter.results', lang)}", ""]
    for r in letter.results:
        note = f" {t('letter.informational', lang)}" if r.informational else ""
        lines.append(f"- {markdown_inline(r.title)}: {markdown_inline(r.words)}{note}")
    lines += ["", f"## {t('letter.feedback', lang)}", ""]
    if letter.feedback:
        lines += [f"- {markdown_inline(' '.join(x.split()))}" for x in letter.feedback]
    else:
        lines.append(t("letter.no_feedback", lang))
    return "\n".join(lines) + "\n"


def render_html(letter: Letter) -> str:
    from html import escape

    lang = letter.lang
    decision, conditions = _decision_lines(letter)
    title = escape(t("letter.title", lang))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>',
        "<body>",
        f"<h1>{escape(t('letter.title', lang))}</h1>",
        f"<p>{escape(t('letter.proposal', lang, id=letter.proposal, title=letter.title))}</p>",
        f"<h2>{escape(t('letter.decision', lang))}</h2>",
        f"<p>{escape(decision)}</p>",
    ]
    if conditions:
        parts.append(f"<p><strong>{escape(t('letter.conditions', lang))}</strong></p><ul>")
        parts += [f"<li>{escape(x)}</li>" for x in conditions] + ["</ul>"]
    parts += [f"<p>{escape(_band_text(letter))}</p>", f"<h2>{escape(t('letter.results', lang))}</h2>", "<ul>"]
    for r in letter.results:
        note = f" {escape(t('letter.informational', lang))}" if r.informational else ""
        parts.append(f"<li>{escape(r.title)}: {escape(r.words)}{note}</li>")
    parts += ["</ul>", f"<h2>{escape(t('letter.feedback', lang))}</h2>"]
    if letter.feedback:
        parts += ["<ul>", *[f"<li>{escape(x)}</li>" for x in letter.feedback], "</ul>"]
    else:
        parts.append(f"<p>{escape(t('letter.no_feedback', lang))}</p>")
    parts += ["</body></html>"]
    return "\n".join(parts) + "\n"


def render_docx(letter: Letter) -> bytes:
    """A Word letter (needs the office extra: python-docx)."""
    import io

    from .office import require

    docx = require("docx")
    lang = letter.lang
    decision, conditions = _decision_lines(letter)
    d = docx.Document()
    d.add_heading(t("letter.title", lang), 0)
    d.add_paragraph(t("letter.proposal", lang, id=letter.proposal, title=letter.title))
    d.add_heading(t("letter.decision", lang), 1)
    d.add_paragraph(decision)
    if conditions:
        d.add_paragraph(t("letter.conditions", lang))
        for x in conditions:
            d.add_paragraph(x, style="List Bullet")
    d.add_paragraph(_band_text(letter))
    d.add_heading(t("letter.results", lang), 1)
    for r in letter.results:
        note = f" {t('letter.informational', lang)}" if r.informational else ""
        d.add_paragraph(f"{r.title}: {r.words}{note}", style="List Bullet")
    d.add_heading(t("letter.feedback", lang), 1)
    for x in letter.feedback or [t("letter.no_feedback", lang)]:
        d.add_paragraph(x, style="List Bullet" if letter.feedback else None)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def write_letters(letters: list[Letter], folder: Path, fmt: str, force: bool = False) -> list[Path]:
    """Write each letter to FOLDER/<id>.<ext>; an existing file is kept unless ``force``."""
    from .fileio import atomic_write

    ext = {"markdown": "md", "html": "html", "docx": "docx"}[fmt]
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{letter.proposal}.{ext}" for letter in letters]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise InputError(
            [Problem(str(p), None, None, None, Text("err.exists_force_replace")) for p in existing]
        )
    for letter, path in zip(letters, targets, strict=True):
        if fmt == "markdown":
            atomic_write(path, render_markdown(letter))
        elif fmt == "html":
            atomic_write(path, render_html(letter))
        else:
            atomic_write(path, render_docx(letter))
    return targets
