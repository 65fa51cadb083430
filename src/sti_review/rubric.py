"""The rubric: sections, criteria, scale, thresholds and weights, loaded from YAML."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from .errors import InputError, Problem
from .validation import validate
from .yamlio import Document, load_file

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
Kind = Literal["score", "gate", "portfolio"]
Verdict = Literal["pass", "conditional", "fail"]
VERDICTS: tuple[Verdict, ...] = ("pass", "conditional", "fail")
EvidenceField = Literal[
    "summary", "objectives", "kpis", "risks", "integrity", "partners", "team", "lead", "budget"
]

DEFAULT_RUBRIC_ID = "mext-sti-international-2021"
CHECKS_FILE = "checks.yaml"
GUIDANCE_LEVELS: dict[str, tuple[str, ...]] = {
    "score": ("low", "middle", "high"),
    "gate": VERDICTS,
    "portfolio": ("note",),
}
_ID = r"^[A-Za-z][A-Za-z0-9_]*$"
MAX_STEPS = 1000  # the questionnaire lists the steps near a wrong score
# Sane bounds (issue 11): what validate accepts, assess and rank can compute and print.
MAX_WEIGHT = 100  # a section weight: 0 < w <= 100
MAX_SCALE = 10**6  # |min|, |max| of a scale
VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class _Model(BaseModel):
    # NaN and infinity are never a threshold, a weight or a scale: refused where they are written.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Text(_Model):
    """A bilingual text: Japanese first, English second."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    ja: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


class Objective(_Model):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$")
    title: Text


class Scale(_Model):
    """The numbers a scored criterion may take: min..max in steps, with labels on whole points."""

    min: float = 0
    max: float = 5
    step: float = 0.5
    labels: dict[int, Text] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        if not all(math.isfinite(v) for v in (self.min, self.max, self.step)):
            raise ValueError("min, max and step must be finite numbers")
        if max(abs(self.min), abs(self.max)) > MAX_SCALE:
            raise ValueError(f"min and max must lie between -{MAX_SCALE:,} and {MAX_SCALE:,}")
        if self.step <= 0 or self.max <= self.min:
            raise ValueError("needs step > 0 and max > min")
        if (_frac(self.max) - _frac(self.min)) % _frac(self.step):
            raise ValueError("max - min must be a whole number of steps")
        if (_frac(self.max) - _frac(self.min)) / _frac(self.step) > MAX_STEPS:
            raise ValueError(f"a scale has at most {MAX_STEPS:,} steps")
        return self

    def on_scale(self, value: float) -> bool:
        if isinstance(value, bool) or not math.isfinite(value):
            return False
        if not self.min <= value <= self.max:
            return False
        return _on_steps(value, self.min, self.step)

    def steps(self) -> list[float]:
        n = int((_frac(self.max) - _frac(self.min)) / _frac(self.step))
        return [float(_frac(self.min) + i * _frac(self.step)) for i in range(n + 1)]

    def label(self, value: float) -> Text | None:
        anchors = [k for k in self.labels if k <= value]
        return self.labels[max(anchors)] if anchors else None

    def describe(self) -> str:
        return f"{_num(self.min)}–{_num(self.max)} in steps of {_num(self.step)}"


def _frac(x: float) -> Fraction:
    """The decimal a person wrote (0.1 is one tenth, not its binary approximation)."""
    return Fraction(repr(float(x)))


@lru_cache(maxsize=1024)
def _on_steps(value: float, start: float, step: float) -> bool:
    # Cached: a large call checks the same few values hundreds of thousands of times.
    return (_frac(value) - _frac(start)) % _frac(step) == 0


def _num(x: float) -> str:
    return f"{x:g}"


class CommentRules(_Model):
    """When an answer needs a comment."""

    score_at_or_below: float | None = None
    verdicts: list[Verdict] = []
    na: StrictBool = True


class Thresholds(_Model):
    section_min: float | None = None
    total_min_fraction: str | float | None = None

    @field_validator("total_min_fraction")
    @classmethod
    def _fraction(cls, v: str | float | None) -> str | float | None:
        if v is None:
            return v
        f = _fraction(v)
        if f is None:
            raise ValueError(f"must be a fraction such as 2/3 or 0.6, not {v!r}")
        if not 0 <= f <= 1:
            raise ValueError("must lie between 0 and 1")
        return v

    @property
    def total_fraction(self) -> Fraction | None:
        if self.total_min_fraction is None:
            return None
        return _fraction(self.total_min_fraction)


# 2/3, 0.6 or 1: digits only. Fraction() itself would also take "1e-999999999" and spend
# minutes building a number with a billion digits.
_FRACTION = re.compile(r"\s*(\d{1,30}(?:\.\d{1,30})?)\s*(?:/\s*(\d{1,30})\s*)?")


def _fraction(v: str | float) -> Fraction | None:
    """A threshold fraction as written (``2/3``, ``0.6``), or None when it is not one."""
    if isinstance(v, bool):
        return None
    if isinstance(v, float | int):
        return _frac(v) if math.isfinite(v) else None
    m = _FRACTION.fullmatch(v)
    if m is None or (m.group(2) is not None and int(m.group(2)) == 0):
        return None
    return Fraction(m.group(1)) / (int(m.group(2)) if m.group(2) else 1)


class PanelRules(_Model):
    """How several reviews of one proposal are consolidated."""

    disagreement_spread: float = Field(
        2.0, gt=0, description="flag a criterion when max - min of the reviewers' scores reaches this"
    )


RANKING_KEYWORDS = ("programme_weighted_section", "programme_section", "unweighted_total")


class RankingRules(_Model):
    """How eligible proposals are ordered and where the border zone around a funding line lies."""

    tie_breakers: list[str] = Field(
        ["programme_weighted_section", "B", "A", "C"],
        description="in order: a section id, or programme_weighted_section, programme_section, "
        "unweighted_total",
    )
    border_zone: tuple[float, float] = Field(
        (0.8, 1.2), description="from, to: fractions of the funded count or budget"
    )

    @field_validator("border_zone")
    @classmethod
    def _zone(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = v
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo <= 1 <= hi):
            raise ValueError("needs two numbers with 0 <= from <= 1 <= to, e.g. [0.8, 1.2]")
        return v


class PortfolioRules(_Model):
    """When a cell of the portfolio map counts as an overlap (programmes) or crowded (proposals)."""

    overlap_programmes: int = Field(2, ge=2)
    crowded_proposals: int = Field(3, ge=2)


class Criterion(_Model):
    """One viewpoint a reviewer judges."""

    id: str = Field(pattern=_ID)
    kind: Kind
    title: Text
    question: Text
    objectives: list[str] = []
    evidence: list[EvidenceField] = []
    guidance: dict[str, Text] = {}
    na_allowed: StrictBool | None = None
    section: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _guidance_fits_kind(self) -> Criterion:
        wanted = GUIDANCE_LEVELS[self.kind]
        missing = [k for k in wanted if k not in self.guidance]
        extra = [k for k in self.guidance if k not in wanted]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if extra:
                parts.append("unexpected " + ", ".join(extra))
            raise ValueError(
                f"guidance of a {self.kind} criterion needs exactly {', '.join(wanted)} ({'; '.join(parts)})"
            )
        if self.kind == "gate" and self.na_allowed:
            raise ValueError("a gate is always judged: na_allowed cannot be true")
        return self


class Section(_Model):
    id: str = Field(pattern=_ID)
    kind: Literal["purpose", "cross_cutting", "programme"]
    title: Text
    programme: str | None = None
    objectives: list[Objective] = []
    criteria: list[Criterion] = Field([], exclude=True)

    @model_validator(mode="after")
    def _programme(self) -> Section:
        if (self.kind == "programme") != (self.programme is not None):
            raise ValueError("`programme` is required for, and only for, sections of kind programme")
        return self

    @property
    def scored(self) -> list[Criterion]:
        return [c for c in self.criteria if c.kind == "score"]


class SectionFile(_Model):
    section: str
    criteria: list[Criterion] = Field(min_length=1)


class Rubric(_Model):
    """A whole rubric; the single source of truth for what is judged and how."""

    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    version: int | str
    title: Text
    source: Text | None = None
    scale: Scale = Scale()
    comments: CommentRules = CommentRules()
    na_allowed: StrictBool = True
    thresholds: Thresholds = Thresholds()
    weights: dict[str, dict[str, float]] = {}
    sections: list[Section] = Field(min_length=1)
    panel: PanelRules = PanelRules()
    ranking: RankingRules = RankingRules()
    portfolio: PortfolioRules = PortfolioRules()
    # The automated pre-checks (sti_review.checks.Check), loaded from checks.yaml beside
    # rubric.yaml; a rubric without that file has none.
    checks: SkipJsonSchema[list[Any]] = Field([], exclude=True)

    @field_validator("version")
    @classmethod
    def _version(cls, v: int | str) -> int | str:
        # "1 2" or "" would make an id@version that no review can name (issue 11).
        if isinstance(v, bool) or not re.fullmatch(VERSION_PATTERN, str(v)):
            raise ValueError(
                "a version is a letter or digit followed by letters, digits, '.', '_' or '-' "
                "(at most 64), e.g. 1 or 2021.1 / 版は英数字で始まり英数字・. _ - のみ（64 字まで）"
            )
        return v

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @cached_property
    def criteria(self) -> dict[str, Criterion]:
        return {c.id: c for s in self.sections for c in s.criteria}

    @cached_property
    def objectives(self) -> dict[str, Objective]:
        return {o.id: o for s in self.sections for o in s.objectives}

    @cached_property
    def programmes(self) -> dict[str, Section]:
        return {s.programme: s for s in self.sections if s.programme}

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def sections_for(self, programme: str) -> list[Section]:
        """The sections that apply to a proposal of this programme, in rubric order."""
        return [s for s in self.sections if s.programme is None or s.programme == programme]

    def weight(self, programme: str, section_id: str) -> float:
        return self.weights.get(programme, {}).get(section_id, 1.0)

    def na_allowed_for(self, criterion: Criterion) -> bool:
        if criterion.kind != "score":
            return False
        return self.na_allowed if criterion.na_allowed is None else criterion.na_allowed


def default_rubric_dir() -> Path:
    """The shipped rubric: inside the installed package, or the checkout's criteria/ folder."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here / "criteria" / DEFAULT_RUBRIC_ID,
        here.parent.parent / "criteria" / DEFAULT_RUBRIC_ID,
    ):
        if (candidate / "rubric.yaml").is_file():
            return candidate
    raise InputError(
        [
            Problem(
                str(here / "criteria"),
                None,
                None,
                None,
                "the shipped rubric is missing: reinstall sti-review",
            )
        ]
    )


def rubric_file(path: str | Path | None) -> Path:
    """Accept a rubric folder or its rubric.yaml."""
    if path is None:
        return default_rubric_dir() / "rubric.yaml"
    p = Path(path)
    return p / "rubric.yaml" if p.is_dir() else p


_CACHE: dict[str, Rubric] = {}


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and cross-check a rubric folder (rubric.yaml plus sections/<ID>.yaml)."""
    main_file = rubric_file(path)
    key = str(main_file.resolve()) if main_file.exists() else str(main_file)
    if key in _CACHE:
        return _CACHE[key]
    shown = str(main_file) if path is not None else f"{DEFAULT_RUBRIC_ID}/rubric.yaml"
    doc = load_file(main_file)
    doc.path = shown
    rubric = validate(Rubric, doc)
    problems: list[Problem] = []
    folder = main_file.parent
    first_seen: dict[str, str] = {}
    for section in rubric.sections:
        sec_path = folder / "sections" / f"{section.id}.yaml"
        shown_sec = f"{DEFAULT_RUBRIC_ID}/sections/{section.id}.yaml" if path is None else str(sec_path)
        try:
            sec_doc = load_file(sec_path)
            sec_doc.path = shown_sec
            sec_file = validate(SectionFile, sec_doc)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if sec_file.section != section.id:
            problems.append(
                sec_doc.problem(("section",), f"says {sec_file.section!r}, expected {section.id!r}")
            )
        section.criteria = [c.model_copy(update={"section": section.id}) for c in sec_file.criteria]
        problems.extend(_check_section(rubric, sec_doc, sec_file))
        for j, crit in enumerate(sec_file.criteria):
            if crit.id in first_seen:
                problems.append(
                    sec_doc.problem(
                        ("criteria", j, "id"),
                        f"criterion {crit.id} is defined twice (also in section {first_seen[crit.id]})",
                    )
                )
            first_seen.setdefault(crit.id, section.id)
    problems.extend(_load_checks(rubric, doc, folder, path is None))
    problems.extend(_check_rubric(rubric, doc))
    if problems:
        raise InputError(problems)
    _CACHE[key] = rubric
    return rubric


def _load_checks(rubric: Rubric, doc: Document, folder: Path, shipped: bool) -> list[Problem]:
    """The rubric's pre-checks, from checks.yaml beside rubric.yaml (optional)."""
    problems = []
    if isinstance(doc.data, dict) and "checks" in doc.data:
        problems.append(
            doc.problem(("checks",), f"checks are declared in {CHECKS_FILE} beside rubric.yaml", at_key=True)
        )
    checks_path = folder / CHECKS_FILE
    if checks_path.exists():
        from .checks import load_checks

        shown = f"{DEFAULT_RUBRIC_ID}/{CHECKS_FILE}" if shipped else str(checks_path)
        rubric.checks, found = load_checks(checks_path, shown, rubric)
        problems.extend(found)
    return problems


def _check_section(rubric: Rubric, doc: Document, sec_file: SectionFile) -> list[Problem]:
    known = {o.id for s in rubric.sections for o in s.objectives}
    problems = []
    for i, crit in enumerate(sec_file.criteria):
        for j, obj in enumerate(crit.objectives):
            if obj not in known:
                problems.append(doc.problem(("criteria", i, "objectives", j), f"unknown objective {obj!r}"))
    return problems


def _check_rubric(rubric: Rubric, doc: Document) -> list[Problem]:
    problems = []
    ids = [s.id for s in rubric.sections]
    for i, sid in enumerate(ids):
        if sid in ids[:i]:
            problems.append(doc.problem(("sections", i, "id"), f"section {sid} is defined twice"))
    for programme, table in rubric.weights.items():
        for sid, w in table.items():
            if sid not in ids:
                problems.append(
                    doc.problem(("weights", programme, sid), f"unknown section {sid!r}", at_key=True)
                )
            elif not (math.isfinite(w) and 0 < w <= MAX_WEIGHT):
                problems.append(
                    doc.problem(
                        ("weights", programme, sid),
                        f"a weight must be a number above 0 and at most {MAX_WEIGHT} / "
                        f"重みは 0 より大きく {MAX_WEIGHT} 以下の数です",
                    )
                )
    section_min = rubric.thresholds.section_min
    if section_min is not None and not rubric.scale.min <= section_min <= rubric.scale.max:
        problems.append(
            doc.problem(
                ("thresholds", "section_min"),
                f"must lie within the scale ({rubric.scale.describe()}) / 評点の範囲内にしてください",
            )
        )
    if "ranking" in rubric.model_fields_set:  # the defaults name A, B, C and may not apply
        for i, rule in enumerate(rubric.ranking.tie_breakers):
            if rule not in ids and rule not in RANKING_KEYWORDS:
                problems.append(
                    doc.problem(
                        ("ranking", "tie_breakers", i),
                        f"unknown tie-breaker {rule!r}: a section id or one of {', '.join(RANKING_KEYWORDS)}",
                    )
                )
    for value in rubric.scale.labels:
        if not rubric.scale.min <= value <= rubric.scale.max:
            problems.append(doc.problem(("scale", "labels", value), "label outside the scale", at_key=True))
    return problems


def objective_title(rubric: Rubric, objective_id: str, lang: Lang) -> str:
    obj = rubric.objectives.get(objective_id)
    return obj.title(lang) if obj else objective_id
