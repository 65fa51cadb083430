"""The rubric: sections, criteria, scale, thresholds and weights, loaded from YAML."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from . import rubric_cache
from .errors import InputError, Problem, did_you_mean, render
from .errors import Text as Message
from .texts import Kind, Lang, Text, pick
from .validation import validate
from .yamlio import Document, load_file


def _no_bool(v: Any) -> Any:
    """A number field of the rubric: YAML's `true`/`yes` is not 1 (pydantic would take it)."""
    if isinstance(v, bool):
        raise ValueError(Message("err.not_number", value=repr(v)))
    return v


Weight = Annotated[float, BeforeValidator(_no_bool)]

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
    # Frozen: a rubric is not changed once loaded (the loader builds new copies).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


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
            raise ValueError(Message("err.scale_finite"))
        if max(abs(self.min), abs(self.max)) > MAX_SCALE:
            raise ValueError(Message("err.scale_bounds", limit=f"{MAX_SCALE:,}"))
        if self.step <= 0 or self.max <= self.min:
            raise ValueError(Message("err.scale_order"))
        if (_frac(self.max) - _frac(self.min)) % _frac(self.step):
            raise ValueError(Message("err.scale_whole_steps"))
        if (_frac(self.max) - _frac(self.min)) / _frac(self.step) > MAX_STEPS:
            raise ValueError(Message("err.scale_too_many_steps", limit=f"{MAX_STEPS:,}"))
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

    def describe(self, lang: str | None = None) -> str:
        """ "0–5 in steps of 0.5" / 「0〜5（0.5刻み）」: a Text, or plain text in ``lang``."""
        key = "scale.describe_whole" if self.step == 1 else "scale.describe_steps"
        text = Message(key, min=_num(self.min), max=_num(self.max), step=_num(self.step))
        return render(text, lang) if lang else text


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
    mode: Literal["binding", "advisory"] = Field(
        "binding",
        description="binding: below a threshold means not eligible (Horizon Europe); advisory: "
        "the proposal keeps its outcome and place in the ranking and is marked with the reason",
    )
    total_min_fraction: str | float | None = None

    @field_validator("total_min_fraction")
    @classmethod
    def _fraction(cls, v: str | float | None) -> str | float | None:
        if v is None:
            return v
        f = _fraction(v)
        if f is None:
            raise ValueError(Message("err.not_fraction", value=repr(v)))
        if not 0 <= f <= 1:
            raise ValueError(Message("err.between_0_1"))
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
    min_reviews: int = Field(
        1,
        ge=1,
        le=100,
        description="a proposal with fewer counted reviews (after conflicts are left out) needs "
        "another reviewer",
    )


RANKING_KEYWORDS = ("programme_weighted_section", "programme_section", "unweighted_total")


class RankingRules(_Model):
    """How eligible proposals are ordered and where the border zone around a funding line lies."""

    tie_breakers: list[str] = Field(
        ["programme_weighted_section"],
        description="in order: a section id, or programme_weighted_section, programme_section, "
        "unweighted_total; default: programme_weighted_section, then the purpose sections in "
        "the rubric's order",
    )
    border_zone: tuple[float, float] = Field(
        (0.8, 1.2), description="from, to: fractions of the funded count or budget"
    )

    @field_validator("border_zone")
    @classmethod
    def _zone(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = v
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo <= 1 <= hi):
            raise ValueError(Message("err.band"))
        return v


class PortfolioRules(_Model):
    """When a cell of the portfolio map counts as an overlap (programmes) or crowded (proposals)."""

    overlap_programmes: int = Field(2, ge=2)
    crowded_proposals: int = Field(3, ge=2)


class Label(RootModel[dict[str, str]]):
    """A value's label in one or more languages; a plain string stands for every language.

    Shown in the asked language, else English, else Japanese, else any language given.
    """

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, v: Any) -> Any:
        return {"en": v} if isinstance(v, str) else v

    @field_validator("root")
    @classmethod
    def _some_language(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError(Message("err.label_empty_all"))
        for lang, text in v.items():
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", lang):
                raise ValueError(Message("err.not_lang_code", value=repr(lang)))
            if not text.strip():
                raise ValueError(Message("err.label_empty", lang=lang))
        return v

    def __call__(self, lang: str) -> str:
        return pick(self.root, lang)


def _term(v: Any) -> Any:
    """`value: {ja: …, en: …}` is short for `value: {label: {ja: …, en: …}}`."""
    if isinstance(v, str) or (isinstance(v, dict) and "label" not in v):
        return {"label": v}
    return v


class Term(_Model):
    """One value of a vocabulary, with its label."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    label: Label

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        return _term(v)


class ProgrammeTerm(Term):
    """A programme a proposal applies under: its label, its section and its ranking weights."""

    section: str | None = Field(None, description="the section of kind programme that applies to it")
    weights: dict[str, Weight] = Field({}, description="section id -> weight, for ranking only")

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        if isinstance(v, dict) and "label" not in v and ({"section", "weights"} & set(v)):
            return v  # label missing: reported as such
        return _term(v)


class RegionTerm(Term):
    """A partner region: its label, a short code for map columns and its countries."""

    code: str = Field("", max_length=8)
    countries: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes")

    @field_validator("countries", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return v.split() if isinstance(v, str) else v


VOCABULARIES = (
    "programmes",
    "risk_areas",
    "integrity_procedures",
    "disciplines",
    "career_stages",
    "partner_regions",
    "means",
)
_VALUE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Vocabularies(_Model):
    """The values a proposal may use, declared by the rubric. A vocabulary left out is open
    (any value is accepted and shown as written), except programmes, which are then the
    programmes the sections and weights name."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    programmes: dict[str, ProgrammeTerm] | None = None
    risk_areas: dict[str, Term] | None = None
    integrity_procedures: dict[str, Term] | None = None
    disciplines: dict[str, Term] | None = None
    career_stages: dict[str, Term] | None = None
    partner_regions: dict[str, RegionTerm] | None = None
    means: dict[str, Term] | None = Field(
        None, description="how existing programmes work (portfolio map's programmes file)"
    )

    @field_validator("*", mode="before")
    @classmethod
    def _values(cls, v: Any) -> Any:
        if isinstance(v, dict):
            for key in v:
                if not isinstance(key, str) or not re.fullmatch(_VALUE, key):
                    raise ValueError(Message("err.not_value_name", value=repr(key)))
        return v


class ConflictTerm(Term):
    """A category of conflict of interest a reviewer may declare (利害関係)."""

    note_required: StrictBool = Field(False, description="the declaration must then explain it in `note`")


class FeedbackRules(_Model):
    """Where a reviewer must write `feedback`, the text that may reach the applicant."""

    score_below_pass: StrictBool = Field(
        False, description="a score below the section threshold (the pass line) needs feedback"
    )
    verdicts: list[Verdict] = Field([], description="gate verdicts that need feedback")
    overall: StrictBool = Field(False, description="the overall grade needs feedback")


class GradeLevel(_Model):
    """One level of the overall grade (総合評価)."""

    value: float
    label: Label
    guidance: Label | None = None


class OverallGrade(_Model):
    """An overall grade given beside the criterion scores."""

    levels: list[GradeLevel] = Field(min_length=2, max_length=100)
    split_levels: int = Field(
        2, ge=1, description="flag the grades as split when they lie this many levels apart or more"
    )

    @model_validator(mode="after")
    def _distinct(self) -> OverallGrade:
        values = [lv.value for lv in self.levels]
        if len(set(values)) != len(values):
            raise ValueError(Message("err.level_values_unique"))
        if not all(math.isfinite(v) for v in values):
            raise ValueError(Message("err.level_values_finite"))
        return self

    def level(self, value: float) -> GradeLevel | None:
        return next((lv for lv in self.levels if lv.value == value), None)

    def index(self, value: float) -> int:
        """The level's place from the lowest value (0) up."""
        return sorted(lv.value for lv in self.levels).index(value)


class Stage(_Model):
    """A stage of the review (書面審査, 面接審査, …)."""

    id: str = Field(pattern=_ID)
    label: Label


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
    # What earns a 3, the pass line of a section (score criteria only); see docs/formats.md.
    pass_line: Text | None = None
    # "programme_level": the source's direction for programmes, read as a question for a proposal.
    reading: Literal["programme_level"] | None = None
    section: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _guidance_fits_kind(self) -> Criterion:
        wanted = GUIDANCE_LEVELS[self.kind]
        missing = [k for k in wanted if k not in self.guidance]
        extra = [k for k in self.guidance if k not in wanted]
        if missing or extra:
            parts: list[object] = []
            if missing:
                parts.append(Message("err.guidance_missing", keys=", ".join(missing)))
            if extra:
                parts.append(Message("err.guidance_unexpected", keys=", ".join(extra)))
            detail = Message.concat(
                *(x for i, p in enumerate(parts) for x in ((p,) if i == 0 else ("; ", p)))
            )
            raise ValueError(
                Message("err.guidance_levels", kind=self.kind, wanted=", ".join(wanted), detail=detail)
            )
        if self.kind == "gate" and self.na_allowed:
            raise ValueError(Message("err.gate_na"))
        if self.pass_line is not None and self.kind != "score":
            raise ValueError(Message("err.pass_line_score_only"))
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
            raise ValueError(Message("err.section_programme"))
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
    extends: str | None = Field(
        None, description="id@version of a shipped rubric, or a relative folder@version, to build on"
    )
    vocabularies: Vocabularies = Vocabularies()
    # The effective ranking weights per programme: the programmes' own `weights` merged over
    # this table (which older rubrics write at the top level).
    weights: dict[str, dict[str, Weight]] = {}
    sections: list[Section] = Field(min_length=1)
    panel: PanelRules = PanelRules()
    # The review process: conflict-of-interest categories, where feedback to the applicant is
    # required, an optional overall grade and the stages (the first is the default stage).
    conflict_categories: dict[str, ConflictTerm] | None = None
    feedback: FeedbackRules = FeedbackRules()
    overall: OverallGrade | None = None
    stages: list[Stage] = Field([], max_length=20)
    ranking: RankingRules = RankingRules()
    portfolio: PortfolioRules = PortfolioRules()
    # The source document's context, and what in this rubric is call policy rather than the source's.
    context: Text | None = None
    policy_note: Text | None = None
    # The automated pre-checks (sti_review.checks.Check), loaded from checks.yaml beside
    # rubric.yaml; a rubric without that file has none.
    checks: SkipJsonSchema[list[Any]] = Field([], exclude=True)
    # The folders of the rubrics this one extends (nearest first), for the loader's cache.
    base_folders: SkipJsonSchema[tuple[str, ...]] = Field((), exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_data(cls, data: Any) -> Any:
        """Fold the programmes' weights into `weights`; default tie-breakers from the sections."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        vocab = data.get("vocabularies")
        programmes = vocab.get("programmes") if isinstance(vocab, dict) else None
        legacy = data.get("weights")
        if isinstance(programmes, dict) and (legacy is None or isinstance(legacy, dict)):
            merged = dict(legacy or {})
            for name, term in programmes.items():
                table = merged.get(name) if isinstance(merged.get(name), dict) else {}
                if isinstance(term, dict) and isinstance(term.get("weights"), dict):
                    merged[name] = {**table, **term["weights"]}
                else:
                    merged[name] = dict(table)
            data["weights"] = merged
        ranking = data.get("ranking")
        sections = data.get("sections")
        if (ranking is None or isinstance(ranking, dict)) and "tie_breakers" not in (ranking or {}):
            purposes = [
                s["id"]
                for s in (sections if isinstance(sections, list) else [])
                if isinstance(s, dict) and s.get("kind") == "purpose" and isinstance(s.get("id"), str)
            ]
            data["ranking"] = {**(ranking or {}), "tie_breakers": ["programme_weighted_section", *purposes]}
        return data

    @field_validator("version", mode="before")  # before: `true` would already be the int 1
    @classmethod
    def _version(cls, v: int | str) -> int | str:
        # "1 2" or "" would make an id@version that no review can name (issue 11).
        if isinstance(v, bool) or not re.fullmatch(VERSION_PATTERN, str(v)):
            raise ValueError(Message("err.version_form"))
        return v

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @field_validator("conflict_categories", mode="before")
    @classmethod
    def _category_names(cls, v: Any) -> Any:
        if isinstance(v, dict):
            for key in v:
                if not isinstance(key, str) or not re.fullmatch(_VALUE, key):
                    raise ValueError(Message("err.not_value_name", value=repr(key)))
        return v

    @property
    def first_stage(self) -> str | None:
        """The stage a review without `stage` belongs to (None: the rubric has no stages)."""
        return self.stages[0].id if self.stages else None

    def stage(self, stage_id: str | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    @property
    def purpose_ids(self) -> list[str]:
        return [s.id for s in self.sections if s.kind == "purpose"]

    @cached_property
    def criteria(self) -> dict[str, Criterion]:
        return {c.id: c for s in self.sections for c in s.criteria}

    @cached_property
    def objectives(self) -> dict[str, Objective]:
        return {o.id: o for s in self.sections for o in s.objectives}

    @cached_property
    def programmes(self) -> dict[str, Section]:
        return {s.programme: s for s in self.sections if s.programme}

    @cached_property
    def programme_terms(self) -> dict[str, ProgrammeTerm]:
        """Every programme a proposal may name: declared, or (older rubrics) the programmes
        the sections and weights name, labelled with their section's title."""
        declared = self.vocabularies.programmes
        if declared is not None:
            return dict(declared)
        out: dict[str, ProgrammeTerm] = {}
        for s in self.sections:
            if s.programme:
                out[s.programme] = ProgrammeTerm(label=Label(s.title.model_dump()), section=s.id)
        for name in self.weights:
            out.setdefault(name, ProgrammeTerm(label=Label({"en": name})))
        return out

    def vocabulary(self, name: str) -> dict[str, Term] | None:
        """The declared values of a vocabulary (programmes, risk_areas, integrity_procedures,
        disciplines, career_stages, partner_regions); None when the rubric leaves it open."""
        if name not in VOCABULARIES:
            raise ValueError(Message("err.no_vocabulary", value=repr(name), known=", ".join(VOCABULARIES)))
        if name == "programmes":
            return dict(self.programme_terms)
        return getattr(self.vocabularies, name)

    def label(self, vocabulary: str, value: str, lang: str) -> str:
        """A value's label in the language asked for (with fallback); the value itself if the
        vocabulary does not declare it."""
        terms = self.vocabulary(vocabulary) or {}
        term = terms.get(value) or terms.get(self.canonical(vocabulary, value) or "")
        return term.label(lang) if term else value

    def canonical(self, vocabulary: str, value: str) -> str | None:
        """The declared value a written one stands for: itself, or for integrity procedures
        the one it matches leniently (case, spaces and hyphens aside: Data-Sharing is
        data_sharing); None when the vocabulary does not declare it (or is open)."""
        terms = self.vocabulary(vocabulary)
        if terms is None:
            return None
        if value in terms:
            return value
        if vocabulary == "integrity_procedures":
            wanted = _norm_value(value)
            return next((k for k in terms if _norm_value(k) == wanted), None)
        return None

    def programme_section(self, programme: str) -> Section | None:
        return self.programmes.get(programme)

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


def criteria_dirs() -> list[Path]:
    """Where shipped rubrics live: inside the installed package, or the checkout's criteria/."""
    here = Path(__file__).resolve().parent
    return [here / "criteria", here.parent.parent / "criteria"]


def shipped_rubric_dir(rubric_id: str) -> Path | None:
    """The folder of a shipped rubric by its id, or None."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", rubric_id) or rubric_id in (".", ".."):
        return None
    for base in criteria_dirs():
        if (base / rubric_id / "rubric.yaml").is_file():
            return base / rubric_id
    return None


def _norm_value(code: str) -> str:
    return re.sub(r"[\s-]+", "_", code.strip().casefold())


def default_rubric_dir() -> Path:
    """The shipped default rubric."""
    found = shipped_rubric_dir(DEFAULT_RUBRIC_ID)
    if found is not None:
        return found
    raise InputError(
        [
            Problem(
                str(criteria_dirs()[0]),
                None,
                None,
                None,
                Message("err.shipped_rubric_missing"),
            )
        ]
    )


def rubric_file(path: str | Path | None) -> Path:
    """Accept a rubric folder, its rubric.yaml, or the id of a shipped rubric."""
    if path is None:
        return default_rubric_dir() / "rubric.yaml"
    p = Path(path)
    if not p.exists():
        shipped = shipped_rubric_dir(str(path))
        if shipped is not None:
            return shipped / "rubric.yaml"
    return p / "rubric.yaml" if p.is_dir() else p


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What the rubric's files look like now (name, size, mtime): part of the cache key."""
    out = []
    for f in [folder / "rubric.yaml", folder / CHECKS_FILE, *sorted((folder / "sections").glob("*.yaml"))]:
        try:
            st = f.stat()
            out.append((f.name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((f.name, -1, -1))
    return tuple(out)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and cross-check a rubric folder (rubric.yaml plus sections/<ID>.yaml).

    ``path`` is a folder, its rubric.yaml, or the id of a shipped rubric. The result is
    immutable and cached by the files' path, size and modification time (its base rubrics'
    included), so an edited rubric is read again and nothing needs clearing by hand.
    """
    main_file = rubric_file(path)
    shipped = path is None or (not Path(path).exists() and shipped_rubric_dir(str(path)) is not None)
    return _load(main_file, shipped, ())


_CACHE_SIZE = 64
_cache: dict[tuple[str, bool], tuple[tuple[Any, ...], Rubric]] = {}


def _load(main_file: Path, shipped: bool, chain: tuple[str, ...]) -> Rubric:
    key = (str(main_file.resolve()) if main_file.exists() else str(main_file), shipped)
    hit = _cache.get(key)
    if hit is not None and hit[0] == _stamps(hit[1], main_file):
        return hit[1]
    rubric = rubric_cache.load(key, lambda r: _stamps(r, main_file))
    if rubric is None:
        rubric = _read(main_file, shipped, chain)
        rubric_cache.store(key, _stamps(rubric, main_file), rubric)
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = (_stamps(rubric, main_file), rubric)
    return rubric


def _stamps(rubric: Rubric, main_file: Path) -> tuple[Any, ...]:
    return (_stamp(main_file.parent), *(_stamp(Path(f)) for f in rubric.base_folders))


def _shown(main_file: Path, shipped: bool, name: str) -> str:
    """How a rubric file is named in messages: shipped ones by their id, others as given."""
    if shipped:
        return f"{main_file.parent.name}/{name}"
    return str(main_file) if name == "rubric.yaml" else str(main_file.parent / name)


def _read(main_file: Path, shipped: bool, chain: tuple[str, ...]) -> Rubric:
    doc = load_file(main_file)
    doc.path = _shown(main_file, shipped, "rubric.yaml")
    folder = main_file.parent
    base: Rubric | None = None
    base_folder: Path | None = None
    if isinstance(doc.data, dict) and doc.data.get("extends") is not None:
        base, base_folder = _resolve_base(doc, folder, chain + (str(main_file.resolve()),))
        _own_sections_valid(doc)  # located in this file before they are merged with the base's
        doc = _merged_document(doc, base)
    rubric = validate(Rubric, doc)
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    sections: list[Section] = []
    for section in rubric.sections:
        sec_path = folder / "sections" / f"{section.id}.yaml"
        if base is not None and not sec_path.exists() and section.id in {s.id for s in base.sections}:
            # inherited with its criteria (the child may still retitle it in rubric.yaml)
            sections.append(section.model_copy(update={"criteria": base.section(section.id).criteria}))
            for crit in base.section(section.id).criteria:
                first_seen.setdefault(crit.id, section.id)
            continue
        try:
            sec_doc = load_file(sec_path)
            sec_doc.path = _shown(main_file, shipped, f"sections/{section.id}.yaml")
            sec_file = validate(SectionFile, sec_doc)
        except InputError as exc:
            problems.extend(exc.problems)
            sections.append(section)
            continue
        if sec_file.section != section.id:
            problems.append(
                sec_doc.problem(
                    ("section",),
                    Message("err.section_says", value=repr(sec_file.section), expected=repr(section.id)),
                )
            )
        criteria = [c.model_copy(update={"section": section.id}) for c in sec_file.criteria]
        sections.append(section.model_copy(update={"criteria": criteria}))
        problems.extend(_check_section(rubric, sec_doc, sec_file))
        for j, crit in enumerate(sec_file.criteria):
            if crit.id in first_seen:
                problems.append(
                    sec_doc.problem(
                        ("criteria", j, "id"),
                        Message("err.criterion_twice", criterion=crit.id, section=first_seen[crit.id]),
                    )
                )
            first_seen.setdefault(crit.id, section.id)
    rubric = rubric.model_copy(update={"sections": sections})
    checks, found = _load_checks(rubric, doc, folder, shipped)
    problems.extend(found)
    if base is not None:
        mine = {getattr(c, "id", None) for c in checks}
        checks = [c for c in base.checks if getattr(c, "id", None) not in mine] + checks
    bases = (str(base_folder), *base.base_folders) if base is not None else ()
    rubric = rubric.model_copy(update={"checks": checks, "base_folders": bases})
    problems.extend(_check_rubric(rubric, doc))
    if problems:
        raise InputError(problems)
    return rubric


def _resolve_base(doc: Document, folder: Path, chain: tuple[str, ...]) -> tuple[Rubric, Path]:
    """The rubric named by `extends: id@version` (shipped, or a folder relative to this one)."""
    ref = doc.data.get("extends")
    at = ("extends",)
    if not isinstance(ref, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+", ref):
        raise InputError(
            [
                doc.problem(
                    at, Message("err.rubric_ref_form", example=f"{DEFAULT_RUBRIC_ID}@1", value=repr(ref))
                )
            ]
        )
    name, version = ref.split("@")
    candidates = [folder / name] if not Path(name).is_absolute() else [Path(name)]
    shipped = shipped_rubric_dir(name)
    target = next((c for c in candidates if (c / "rubric.yaml").is_file()), None)
    is_shipped = False
    if target is None and shipped is not None:
        target, is_shipped = shipped, True
    if target is None:
        known = [d.name for base in criteria_dirs() if base.is_dir() for d in base.iterdir()]
        raise InputError(
            [doc.problem(at, Message("err.unknown_rubric", value=repr(name), hint=did_you_mean(name, known)))]
        )
    main = target / "rubric.yaml"
    if str(main.resolve()) in chain:
        raise InputError([doc.problem(at, Message("err.extends_cycle", value=repr(name)))])
    base = _load(main, is_shipped, chain)
    if str(base.version) != version:
        raise InputError(
            [
                doc.problem(
                    at,
                    Message(
                        "err.extends_version", name=name, actual=base.version, version=version, ref=base.ref
                    ),
                )
            ]
        )
    return base, target


def _own_sections_valid(doc: Document) -> None:
    from pydantic import ValidationError

    from .validation import problems_from

    sections = doc.data.get("sections")
    problems: list[Problem] = []
    if sections is not None and not isinstance(sections, list):
        problems.append(doc.problem(("sections",), Message("err.must_be_list")))
    for i, entry in enumerate(sections if isinstance(sections, list) else []):
        try:
            Section.model_validate(entry)
        except ValidationError as exc:
            problems.extend(problems_from(exc, doc, Section, prefix=("sections", i)))
    if problems:
        raise InputError(problems)


def _merged_document(doc: Document, base: Rubric) -> Document:
    """The child's data laid over the base rubric's: mappings merged, sections by id."""
    from dataclasses import replace

    child: dict[str, Any] = doc.data
    merged: dict[str, Any] = base.model_dump(mode="python", exclude_defaults=False, by_alias=True)
    merged.pop("extends", None)
    for key, value in child.items():
        if key == "sections" and isinstance(value, list):
            own = {s.get("id"): s for s in value if isinstance(s, dict)}
            out = [own.pop(s["id"], s) for s in merged["sections"]]
            out += [s for s in value if isinstance(s, dict) and s.get("id") in own]
            out += [s for s in value if not isinstance(s, dict)]
            merged["sections"] = out
        elif key == "vocabularies" and isinstance(value, dict):
            vocab = {k: v for k, v in merged.get("vocabularies", {}).items() if v is not None}
            for name, terms in value.items():
                if isinstance(terms, dict) and isinstance(vocab.get(name), dict):
                    vocab[name] = {**vocab[name], **terms}
                else:
                    vocab[name] = terms
            merged["vocabularies"] = vocab
        elif key == "weights" and isinstance(value, dict):
            tables = dict(merged.get("weights") or {})
            for programme, table in value.items():
                old = tables.get(programme)
                both = isinstance(old, dict) and isinstance(table, dict)
                tables[programme] = {**old, **table} if both else table  # type: ignore[dict-item]
            merged["weights"] = tables
        elif key in ("ranking", "thresholds", "comments", "panel", "portfolio", "feedback") and isinstance(
            value, dict
        ):
            merged[key] = {**(merged.get(key) or {}), **value}
        else:
            merged[key] = value
    return replace(doc, data=merged)


def _load_checks(
    rubric: Rubric, doc: Document, folder: Path, shipped: bool
) -> tuple[list[Any], list[Problem]]:
    """The rubric's pre-checks, from checks.yaml beside rubric.yaml (optional)."""
    problems = []
    if isinstance(doc.data, dict) and "checks" in doc.data:
        problems.append(
            doc.problem(("checks",), Message("err.checks_elsewhere", file=CHECKS_FILE), at_key=True)
        )
    checks_path = folder / CHECKS_FILE
    checks: list[Any] = []
    if checks_path.exists():
        from .checks import load_checks  # checks sits above the rubric model (texts.py)

        shown = f"{folder.name}/{CHECKS_FILE}" if shipped else str(checks_path)
        checks, found = load_checks(checks_path, shown, rubric)
        problems.extend(found)
    return checks, problems


def _check_section(rubric: Rubric, doc: Document, sec_file: SectionFile) -> list[Problem]:
    known = {o.id for s in rubric.sections for o in s.objectives}
    problems = []
    for i, crit in enumerate(sec_file.criteria):
        for j, obj in enumerate(crit.objectives):
            if obj not in known:
                problems.append(
                    doc.problem(
                        ("criteria", i, "objectives", j),
                        Message("err.unknown_objective", value=repr(obj), hint=""),
                    )
                )
    return problems


def _check_rubric(rubric: Rubric, doc: Document) -> list[Problem]:
    problems = []
    ids = [s.id for s in rubric.sections]
    for i, sid in enumerate(ids):
        if sid in ids[:i]:
            problems.append(doc.problem(("sections", i, "id"), Message("err.section_twice", section=sid)))
    declared = rubric.vocabularies.programmes
    by_section = {s.id: s for s in rubric.sections}
    if declared is not None:
        for i, s in enumerate(rubric.sections):
            if s.programme is not None and s.programme not in declared:
                problems.append(
                    doc.problem(
                        ("sections", i, "programme"),
                        Message(
                            "err.undeclared_programme",
                            value=repr(s.programme),
                            hint=did_you_mean(s.programme, list(declared)),
                        ),
                    )
                )
        for name, term in declared.items():
            sec = by_section.get(term.section) if term.section else None
            if term.section and (sec is None or sec.programme != name):
                problems.append(
                    doc.problem(
                        ("vocabularies", "programmes", name, "section"),
                        Message("err.not_programme_section", section=repr(term.section), name=repr(name)),
                    )
                )
    region_of: dict[str, str] = {}
    for name, region in (rubric.vocabularies.partner_regions or {}).items():
        for j, code in enumerate(region.countries):
            if code in region_of:
                problems.append(
                    doc.problem(
                        ("vocabularies", "partner_regions", name, "countries"),
                        Message("err.country_two_regions", code=code, region=region_of[code]),
                    )
                )
            region_of.setdefault(code, name)
            if not re.fullmatch(r"[A-Z]{2}", code):
                problems.append(
                    doc.problem(
                        ("vocabularies", "partner_regions", name, "countries", j),
                        Message("err.not_iso_code", value=repr(code)),
                    )
                )
    programmes = rubric.programme_terms
    for programme, table in rubric.weights.items():
        if programme not in programmes:
            problems.append(
                doc.problem(
                    ("weights", programme),
                    Message(
                        "err.unknown_programme",
                        value=repr(programme),
                        hint=did_you_mean(programme, list(programmes)),
                    ),
                    at_key=True,
                )
            )
        term = (declared or {}).get(programme)
        at: tuple[Any, ...] = (
            ("vocabularies", "programmes", programme, "weights")
            if term is not None and term.weights
            else ("weights", programme)
        )
        for sid, w in table.items():
            if sid not in ids:
                problems.append(
                    doc.problem((*at, sid), Message("err.unknown_section", value=repr(sid)), at_key=True)
                )
            elif not (math.isfinite(w) and 0 < w <= MAX_WEIGHT):
                problems.append(
                    doc.problem(
                        (*at, sid),
                        Message("err.weight_range", limit=MAX_WEIGHT),
                    )
                )
    section_min = rubric.thresholds.section_min
    if section_min is not None and not rubric.scale.min <= section_min <= rubric.scale.max:
        problems.append(
            doc.problem(
                ("thresholds", "section_min"),
                Message("err.within_scale", scale=rubric.scale.describe()),
            )
        )
    if "ranking" in rubric.model_fields_set:  # the defaults name A, B, C and may not apply
        for i, rule in enumerate(rubric.ranking.tie_breakers):
            if rule not in ids and rule not in RANKING_KEYWORDS:
                problems.append(
                    doc.problem(
                        ("ranking", "tie_breakers", i),
                        Message(
                            "err.unknown_tie_breaker", value=repr(rule), known=", ".join(RANKING_KEYWORDS)
                        ),
                    )
                )
    seen_stages: set[str] = set()
    for i, stage in enumerate(rubric.stages):
        if stage.id in seen_stages:
            problems.append(doc.problem(("stages", i, "id"), Message("err.stage_twice", stage=stage.id)))
        seen_stages.add(stage.id)
    for name in rubric.conflict_categories or {}:
        if name == "none":
            problems.append(
                doc.problem(
                    ("conflict_categories", name),
                    Message("err.conflict_none_category"),
                    at_key=True,
                )
            )
    for value in rubric.scale.labels:
        if not rubric.scale.min <= value <= rubric.scale.max:
            problems.append(
                doc.problem(("scale", "labels", value), Message("err.label_outside_scale"), at_key=True)
            )
    return problems


def objective_title(rubric: Rubric, objective_id: str, lang: Lang) -> str:
    obj = rubric.objectives.get(objective_id)
    return obj.title(lang) if obj else objective_id
