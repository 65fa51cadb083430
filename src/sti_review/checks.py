"""Automated pre-checks: what a proposal is missing, found before anyone scores it.

What a rubric checks is data: ``checks.yaml`` beside its ``rubric.yaml`` names, for each
check, a generic *type* defined here, the criterion it informs, a severity, its parameters and
a bilingual message template. Another funder's rubric brings its own file; only the types are
Python. Pure library: no typer, no rich. The checks inform; the reviewer decides.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .errors import MAX_PROBLEMS, Problem
from .errors import Text as Message
from .i18n import join, languages, t
from .rules import suggestion
from .texts import Kind, Lang, Text
from .validation import problems_from, validate
from .yamlio import Document, format_field, load_file

if TYPE_CHECKING:  # only named in annotations: importing them would close a cycle through rubric
    from .proposal import LoadedProposal, Proposal
    from .rubric import Rubric

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")


# --- findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing a check found: which check, how serious, which criterion it informs, what is
    missing (in both languages) and where in the proposal file."""

    check: str
    type: str
    severity: Severity
    criterion: str | None
    message: Text
    file: str
    line: int | None
    column: int | None
    field: str | None
    variant: str = ""
    items: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """``file:line:column``, as far as known."""
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def fails(self, strict: bool = False) -> bool:
        """An error fails a submission; with ``strict`` a warning does too."""
        return self.severity == "error" or (strict and self.severity == "warning")


def failed(findings: Iterable[Finding], strict: bool = False) -> bool:
    return any(f.fails(strict) for f in findings)


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    out: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] += 1
    return out


def findings_for(findings: Iterable[Finding], criterion_id: str | None) -> list[Finding]:
    """The findings that inform one criterion (``None``: those about the proposal as a whole),
    e.g. to show them beside the criterion in the questionnaire."""
    return [f for f in findings if f.criterion == criterion_id]


def by_criterion(findings: Iterable[Finding]) -> dict[str | None, list[Finding]]:
    """Findings grouped by the criterion they inform, in the order first met."""
    out: dict[str | None, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.criterion, []).append(f)
    return out


# --- the checks file ----------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class When(_Model):
    """When a check applies: every condition given must hold."""

    programme: list[str] = []
    objectives_any: list[str] = []
    countries_any: list[str] = []

    @field_validator("programme", "objectives_any", "countries_any", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def holds(self, p: Proposal) -> bool:
        if self.programme and p.programme not in self.programme:
            return False
        if self.objectives_any and not set(self.objectives_any) & set(p.objectives):
            return False
        countries = {x.country for x in p.partners}
        return not (self.countries_any and not set(self.countries_any) & countries)


class Vocabulary(_Model):
    """Shared by every check of a file: how codes are shown, and which targets are no targets."""

    labels: dict[str, Text] = {}
    placeholder_targets: list[str] = []

    def label(self, code: str, lang: Lang) -> str:
        text = self.labels.get(code)
        return text(lang) if text else code

    def joined(self, codes: Iterable[str]) -> Text:
        codes = list(codes)
        langs = [
            *languages(),
            *(lang for c in codes if c in self.labels for lang in self.labels[c].languages),
        ]
        return Text.of(
            {lang: join((self.label(c, lang) for c in codes), lang) for lang in dict.fromkeys(langs)}
        )

    def is_placeholder(self, text: str) -> bool:
        folded = text.casefold()
        return any(p.casefold() in folded for p in self.placeholder_targets if p.strip())


@dataclass
class Hit:
    """What a check type yields: a message variant, the place in the file and the values that
    fill the message template."""

    variant: str
    loc: tuple[Any, ...]
    values: dict[str, str | Text] = field(default_factory=dict)
    items: tuple[str, ...] = ()
    criterion: str | None = None
    at_key: bool = False


@dataclass
class Context:
    rubric: Rubric
    proposal: Proposal
    doc: Document
    vocabulary: Vocabulary

    def objective_title(self, objective: str) -> Text:
        obj = self.rubric.objectives.get(objective)
        return obj.title if obj else Text.of({"en": objective})

    def has_target(self, target: str | float | None) -> bool:
        if target is None or isinstance(target, bool):
            return False
        if isinstance(target, int | float):
            return True
        return bool(target.strip()) and not self.vocabulary.is_placeholder(target)


def ours(key: str, **values: object) -> Text:
    """One of our messages (a catalogue key) as a Text in every language with a catalogue."""
    return Text.of({lang: t(key, lang, **values) for lang in languages()})


def _none() -> Text:
    return ours("checks.none")


_COMMON_FIELDS = frozenset({"criterion", "criterion_title"})


class Check(_Model):
    """A check as declared in checks.yaml. Subclasses are the generic check types."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    type: str
    criterion: str | None = None
    severity: Severity
    when: When = When()
    message: Text
    messages: dict[str, Text] = {}
    _vocabulary: Vocabulary = PrivateAttr(default_factory=Vocabulary)

    # variant -> the placeholders its message may use (beyond {criterion}, {criterion_title})
    VARIANTS: ClassVar[dict[str, frozenset[str]]] = {}

    def variants(self) -> Iterable[str]:
        """The variants this check, as configured, can yield."""
        return self.VARIANTS

    def template(self, variant: str) -> Text:
        return self.messages.get(variant, self.message)

    def applies(self, ctx: Context) -> bool:
        """Its conditions hold, and its criterion applies to the proposal's programme."""
        if not self.when.holds(ctx.proposal):
            return False
        crit = ctx.rubric.criteria.get(self.criterion or "")
        if crit is not None:
            programme = ctx.rubric.section(crit.section).programme
            if programme is not None and programme != ctx.proposal.programme:
                return False
        return True

    def run(self, ctx: Context) -> Iterator[Hit]:  # pragma: no cover - every type overrides it
        raise NotImplementedError

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        """Type-specific cross-checks against the rubric: (place in the check, message)."""
        return []


class KpiPerObjective(Check):
    """Every declared objective has an outcome indicator, with a target (X4)."""

    type: Literal["kpi_per_objective"]
    require_target: bool = True
    VARIANTS = {
        "no_indicator": frozenset({"objective", "title"}),
        "no_target": frozenset({"objective", "title"}),
    }

    def variants(self) -> Iterable[str]:
        return self.VARIANTS if self.require_target else ("no_indicator",)

    def run(self, ctx: Context) -> Iterator[Hit]:
        p = ctx.proposal
        seen: set[str] = set()
        for i, objective in enumerate(p.objectives):
            # An objective unknown to the rubric is reported by the rubric-references check.
            if objective in seen or objective not in ctx.rubric.objectives:
                continue
            seen.add(objective)
            kpis = [k for k in p.kpis if k.objective == objective]
            values: dict[str, str | Text] = {
                "objective": objective,
                "title": ctx.objective_title(objective),
            }
            if not kpis:
                yield Hit("no_indicator", ("objectives", i), values, (objective,))
            elif self.require_target and not any(ctx.has_target(k.target) for k in kpis):
                yield Hit("no_target", ("objectives", i), values, (objective,))


class KpisDeclaredOnly(Check):
    """Indicators name only objectives the proposal declares (X4)."""

    type: Literal["kpis_declared_only"]
    VARIANTS = {"undeclared": frozenset({"objective", "title", "indicator"})}

    def run(self, ctx: Context) -> Iterator[Hit]:
        declared = set(ctx.proposal.objectives)
        for i, kpi in enumerate(ctx.proposal.kpis):
            # An objective unknown to the rubric is reported by the rubric-references check.
            if kpi.objective not in declared and kpi.objective in ctx.rubric.objectives:
                values: dict[str, str | Text] = {
                    "objective": kpi.objective,
                    "title": ctx.objective_title(kpi.objective),
                    "indicator": kpi.indicator,
                }
                yield Hit("undeclared", ("kpis", i, "objective"), values, (kpi.objective,))


_DIGIT = re.compile(r"\d")


class KpiNumericTarget(Check):
    """Indicators have numerical targets: each of them (``scope: each``) or at least one
    (``scope: any``, e.g. BC1)."""

    type: Literal["kpi_numeric_target"]
    scope: Literal["each", "any"] = "each"
    objectives: list[str] = []
    VARIANTS = {
        "no_target": frozenset({"indicator", "objective", "target"}),
        "not_numeric": frozenset({"indicator", "objective", "target"}),
        "none_numeric": frozenset(),
    }

    def variants(self) -> Iterable[str]:
        return ("none_numeric",) if self.scope == "any" else ("no_target", "not_numeric")

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        return _unknown_objectives(self.objectives, rubric, ("objectives",))

    def run(self, ctx: Context) -> Iterator[Hit]:
        kpis = [
            (i, k)
            for i, k in enumerate(ctx.proposal.kpis)
            if not self.objectives or k.objective in self.objectives
        ]

        def numeric(target: str | float | None) -> bool:
            if not ctx.has_target(target):
                return False
            return not isinstance(target, str) or bool(_DIGIT.search(target))

        if self.scope == "any":
            if not any(numeric(k.target) for _, k in kpis):
                yield Hit("none_numeric", ("kpis",), at_key=True)
            return
        for i, kpi in kpis:
            if numeric(kpi.target):
                continue
            has = ctx.has_target(kpi.target)
            values: dict[str, str | Text] = {
                "indicator": kpi.indicator,
                "objective": kpi.objective,
                "target": _none() if kpi.target is None or str(kpi.target).strip() == "" else str(kpi.target),
            }
            variant = "not_numeric" if has else "no_target"
            yield Hit(variant, ("kpis", i, "target"), values, (str(i),))


def _norm(code: str) -> str:
    return re.sub(r"[\s-]+", "_", code.strip().casefold())


class ProceduresPresent(Check):
    """The integrity procedures expected (in data: always, or under ``when``) are declared (A2)."""

    type: Literal["procedures_present"]
    required: list[str] = Field(min_length=1)
    VARIANTS = {
        "none_declared": frozenset({"missing", "missing_ids"}),
        "missing": frozenset({"missing", "missing_ids", "declared"}),
    }

    def run(self, ctx: Context) -> Iterator[Hit]:
        procedures = ctx.proposal.integrity.procedures
        declared = {_norm(x) for x in procedures}
        missing = [r for r in self.required if _norm(r) not in declared]
        if not missing:
            return
        values: dict[str, str | Text] = {
            "missing": ctx.vocabulary.joined(missing),
            "missing_ids": ", ".join(missing),
            "declared": ", ".join(procedures),
        }
        variant = "missing" if procedures else "none_declared"
        yield Hit(variant, ("integrity", "procedures"), values, tuple(missing), at_key=True)


class RiskAreasPresent(Check):
    """The risk list covers the areas expected (X7; B4 under ``when``)."""

    type: Literal["risk_areas_present"]
    required: list[str] = Field(min_length=1)
    VARIANTS = {
        "none_declared": frozenset({"missing", "missing_ids"}),
        "missing": frozenset({"missing", "missing_ids"}),
    }

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        return _unknown_values(self.required, rubric, "risk_areas", ("required",))

    def run(self, ctx: Context) -> Iterator[Hit]:
        risks = ctx.proposal.risks
        present = {r.area for r in risks}
        missing = [a for a in self.required if a not in present]
        if not missing:
            return
        values: dict[str, str | Text] = {
            "missing": ctx.vocabulary.joined(missing),
            "missing_ids": ", ".join(missing),
        }
        variant = "missing" if risks else "none_declared"
        yield Hit(variant, ("risks",), values, tuple(missing), at_key=True)


class SectionsPresent(Check):
    """The proposal has its own text for every criterion that applies to its programme. Each
    finding informs the criterion whose text is missing, so ``criterion`` is left out."""

    type: Literal["sections_present"]
    kinds: list[Kind] = ["score", "gate"]
    exclude: list[str] = []
    VARIANTS = {"missing": frozenset()}

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        out = []
        if self.criterion is not None:
            out.append(
                (
                    ("criterion",),
                    "leave `criterion` out: each finding informs the criterion whose text is missing",
                )
            )
        for j, cid in enumerate(self.exclude):
            if cid not in rubric.criteria and _criteria_loaded(rubric):
                out.append((("exclude", j), _unknown("criterion", cid, rubric.criteria)))
        return out

    def run(self, ctx: Context) -> Iterator[Hit]:
        texts = ctx.proposal.sections
        for section in ctx.rubric.sections_for(ctx.proposal.programme):
            for crit in section.criteria:
                if crit.kind not in self.kinds or crit.id in self.exclude:
                    continue
                if not (texts.get(crit.id) or "").strip():
                    yield Hit("missing", ("sections", crit.id), {}, (crit.id,), criterion=crit.id)


_TEAM_VOCABULARY = {"discipline": "disciplines", "career_stage": "career_stages"}


def _unknown_values(
    values: list[str], rubric: Rubric, vocabulary: str, at: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str]]:
    """Values a check names that the rubric's vocabulary does not declare (open: none)."""
    known = rubric.vocabulary(vocabulary)
    if known is None:
        return []
    return [
        ((*at, j), _unknown(vocabulary.rstrip("s").replace("_", " "), v, list(known)))
        for j, v in enumerate(values)
        if v not in known
    ]


class TeamHas(Check):
    """The team includes the disciplines or career stages expected (JR3, JR7), or at least
    ``min_distinct`` different ones (BC5)."""

    type: Literal["team_has"]
    field: Literal["discipline", "career_stage"]
    values: list[str] = []
    among: list[str] = []
    min_distinct: int | None = Field(None, ge=1)
    VARIANTS = {
        "no_team": frozenset({"missing", "missing_ids", "among", "required"}),
        "missing": frozenset({"missing", "missing_ids"}),
        "too_few": frozenset({"found", "found_ids", "count", "required", "among"}),
    }

    def variants(self) -> Iterable[str]:
        out = ["no_team"]
        if self.values:
            out.append("missing")
        if self.min_distinct:
            out.append("too_few")
        return out

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        allowed = list(rubric.vocabulary(_TEAM_VOCABULARY[self.field]) or [*self.values, *self.among])
        out: list[tuple[tuple[Any, ...], str]] = []
        if not self.values and not self.min_distinct:
            out.append(((), Message("err.check_values_or_min_distinct")))
        for name in ("values", "among"):
            for j, value in enumerate(getattr(self, name)):
                if value not in allowed:
                    out.append(
                        (
                            (name, j),
                            Message(
                                "err.check_not_a_value",
                                value=repr(value),
                                field=self.field,
                                known=", ".join(allowed),
                            ),
                        )
                    )
        return out

    def run(self, ctx: Context) -> Iterator[Hit]:
        team = ctx.proposal.team
        required = str(self.min_distinct or len(self.values))
        if not team:
            values: dict[str, str | Text] = {
                "missing": ctx.vocabulary.joined(self.values),
                "missing_ids": ", ".join(self.values),
                "among": ctx.vocabulary.joined(self.among),
                "required": required,
            }
            yield Hit("no_team", ("team",), values, tuple(self.values), at_key=True)
            return
        present = {getattr(m, self.field) for m in team} - {None}
        missing = [v for v in self.values if v not in present]
        if missing:
            values = {"missing": ctx.vocabulary.joined(missing), "missing_ids": ", ".join(missing)}
            yield Hit("missing", ("team",), values, tuple(missing), at_key=True)
        if self.min_distinct:
            pool = present & set(self.among) if self.among else present
            order = list(ctx.rubric.vocabulary(_TEAM_VOCABULARY[self.field]) or sorted(pool))
            found = [v for v in order if v in pool]
            if len(found) < self.min_distinct:
                values = {
                    "found": ctx.vocabulary.joined(found) if found else _none(),
                    "found_ids": ", ".join(found),
                    "count": str(len(found)),
                    "required": required,
                    "among": ctx.vocabulary.joined(self.among or order),
                }
                yield Hit("too_few", ("team",), values, tuple(found), at_key=True)


@cache
def iso_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English short name (the 249 officially assigned codes)."""
    path = Path(__file__).resolve().parent / "data" / "iso3166.txt"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, name = line.partition("\t")
            out[code.strip()] = name.strip()
    return out


class CountryCodes(Check):
    """Partner and team countries are ISO 3166-1 alpha-2 codes (plus any listed in ``accept``)."""

    type: Literal["country_codes"]
    accept: list[str] = []
    # ISO 3166-1 leaves AA, QM-QZ, XA-XZ and ZZ to users (e.g. a fictional country in an example).
    accept_user_assigned: bool = False
    hints: dict[str, str] = {}
    VARIANTS = {
        "unknown": frozenset({"code"}),
        "unknown_hint": frozenset({"code", "hint", "hint_name"}),
    }

    def problems(self, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
        known = iso_countries()
        return [
            (("hints", code), Message("err.not_iso_code_plain", value=repr(target)))
            for code, target in self.hints.items()
            if target not in known
        ]

    def run(self, ctx: Context) -> Iterator[Hit]:
        known = iso_countries()
        places: list[tuple[tuple[Any, ...], str | None]] = [
            (("partners", i, "country"), x.country) for i, x in enumerate(ctx.proposal.partners)
        ]
        places += [(("team", i, "country"), m.country) for i, m in enumerate(ctx.proposal.team)]
        for loc, code in places:
            if code is None or code in known or code in self.accept:
                continue
            if self.accept_user_assigned and re.fullmatch(r"AA|Q[M-Z]|X[A-Z]|ZZ", code):
                continue
            hint = self.hints.get(code)
            if hint:
                values: dict[str, str | Text] = {"code": code, "hint": hint, "hint_name": known[hint]}
                yield Hit("unknown_hint", loc, values, (code,))
            else:
                yield Hit("unknown", loc, {"code": code}, (code,))


class PartnersHave(Check):
    """Each partner country names a field on at least one of its partners (with ``per:
    partner``, every partner does), e.g. the partner country's funding agency in SICORP-style
    calls. (A proposal has at least one partner: the model requires it.)"""

    type: Literal["partners_have"]
    field: Literal["institution", "funding_agency"]
    per: Literal["country", "partner"] = "country"
    VARIANTS = {
        "missing": frozenset({"country", "country_name", "institution"}),
    }

    def run(self, ctx: Context) -> Iterator[Hit]:
        partners = ctx.proposal.partners
        names = iso_countries()
        groups: dict[str, list[int]] = {}
        for i, x in enumerate(partners):
            groups.setdefault(x.country if self.per == "country" else str(i), []).append(i)
        for indices in groups.values():
            if any(getattr(partners[i], self.field).strip() for i in indices):
                continue
            first = partners[indices[0]]
            values: dict[str, str | Text] = {
                "country": first.country,
                "country_name": names.get(first.country, first.country),
                "institution": first.institution or _none(),
            }
            yield Hit("missing", ("partners", indices[0]), values, (first.country,), at_key=True)


CHECK_TYPES: dict[str, type[Check]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls
    for cls in (
        KpiPerObjective,
        KpisDeclaredOnly,
        KpiNumericTarget,
        ProceduresPresent,
        RiskAreasPresent,
        SectionsPresent,
        TeamHas,
        CountryCodes,
        PartnersHave,
    )
}


class _ChecksFile(_Model):
    labels: dict[str, Text] = {}
    placeholder_targets: list[str] = []
    checks: list[dict[str, Any]] = []


def _rubric_labels(rubric: Rubric) -> dict[str, Text]:
    out: dict[str, Text] = {}
    for name in ("risk_areas", "integrity_procedures", "disciplines", "career_stages"):
        for value, term in (rubric.vocabulary(name) or {}).items():
            out.setdefault(value, Text.of(dict(term.label.root)))
    return out


def load_checks(path: Path, shown: str, rubric: Rubric) -> tuple[list[Check], list[Problem]]:
    """Read checks.yaml (already known to exist) and cross-check it against the rubric.

    Returns the checks that are valid and every problem, located, so that load_rubric can
    report them with the rest of the rubric's."""
    from .errors import InputError

    try:
        doc = load_file(path)
        doc.path = shown
        head = validate(_ChecksFile, doc)
    except InputError as exc:
        return [], exc.problems
    # codes are named by the rubric's vocabularies' labels unless checks.yaml says otherwise
    labels = {**_rubric_labels(rubric), **head.labels}
    vocabulary = Vocabulary(labels=labels, placeholder_targets=head.placeholder_targets)
    checks: list[Check] = []
    problems: list[Problem] = []
    ids: set[str] = set()
    for i, raw in enumerate(head.checks):
        at = ("checks", i)
        kind = raw.get("type")
        model = CHECK_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            if "type" not in raw:
                problems.append(doc.problem((*at, "type"), Message("err.missing")))
            else:
                problems.append(doc.problem((*at, "type"), _unknown("check type", str(kind), CHECK_TYPES)))
            continue
        try:
            check = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(problems_from(exc, doc, model, prefix=at))
            continue
        found = _cross_check(check, rubric)
        if check.id in ids:
            found.append((("id",), Message("err.check_twice", check=check.id)))
        ids.add(check.id)
        problems.extend(doc.problem((*at, *loc), message) for loc, message in found)
        if not found:
            check._vocabulary = vocabulary
            checks.append(check)
    return checks, problems


def _criteria_loaded(rubric: Rubric) -> bool:
    """False when a section file failed to load: criterion ids cannot be checked then (the
    section's own problem is reported instead)."""
    return all(s.criteria for s in rubric.sections)


def _cross_check(check: Check, rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
    out: list[tuple[tuple[Any, ...], str]] = []
    if check.criterion is not None and check.criterion not in rubric.criteria and _criteria_loaded(rubric):
        out.append((("criterion",), _unknown("criterion", check.criterion, rubric.criteria)))
    out += _unknown_objectives(check.when.objectives_any, rubric, ("when", "objectives_any"))
    out += _unknown_values(check.when.programme, rubric, "programmes", ("when", "programme"))
    known = iso_countries()
    for j, code in enumerate(check.when.countries_any):
        if code not in known:
            out.append((("when", "countries_any", j), Message("err.not_iso_code_plain", value=repr(code))))
    for variant in check.messages:
        if variant not in check.VARIANTS:
            out.append(
                (
                    ("messages", variant),
                    Message(
                        "err.check_no_variant",
                        type=check.type,
                        value=repr(variant),
                        known=", ".join(check.VARIANTS),
                    ),
                )
            )
    for variant in check.variants():
        where = ("messages", variant) if variant in check.messages else ("message",)
        allowed = check.VARIANTS[variant] | _COMMON_FIELDS
        for lang in check.template(variant).languages:
            bad = _template_problem(check.template(variant)(lang), allowed, variant)
            if bad:
                out.append(((*where, lang), bad))
    out += check.problems(rubric)
    # Report each place once (the default message can fail for several variants).
    return list(dict.fromkeys(out))


def _template_problem(template: str, allowed: frozenset[str], variant: str) -> str | None:
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return Message("err.template_invalid", error=str(exc), braces="{{ or }}")
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in allowed:
            offered = ", ".join("{" + n + "}" for n in sorted(allowed))
            return Message(
                "err.template_placeholder", placeholder="{" + str(name) + "}", variant=variant, known=offered
            )
        if spec or conversion:  # {x:>999999999} would build a gigabyte of spaces
            return Message("err.template_format", placeholder="{" + str(name) + "}")
    return None


def _unknown_objectives(
    objectives: list[str], rubric: Rubric, loc: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str]]:
    return [
        ((*loc, j), _unknown("objective", obj, rubric.objectives))
        for j, obj in enumerate(objectives)
        if obj not in rubric.objectives
    ]


def _unknown(what: str, value: str, known: Iterable[str]) -> str:
    names = list(known)
    close = suggestion(value, names)
    hint = (
        Message("err.did_you_mean", value=close)
        if close
        else Message("err.known_list", known=", ".join(names))
    )
    key = _UNKNOWN_KEYS.get(what)
    if key is None:
        return Message("err.unknown_named", what=what, value=repr(value), hint=hint)
    return Message(key, value=repr(value), hint=hint)


# what a message calls an unknown value -> its catalogue message
_UNKNOWN_KEYS = {
    "check type": "err.unknown_check_type",
    "criterion": "err.unknown_criterion",
    "objective": "err.unknown_objective",
    "programme": "err.unknown_programme",
    "risk area": "err.unknown_risk_area",
    "integrity procedure": "err.unknown_integrity_procedure",
    "discipline": "err.unknown_discipline",
    "career stage": "err.unknown_career_stage",
    "partner region": "err.unknown_partner_region",
    "mean": "err.unknown_means",
}


# --- running them -------------------------------------------------------------------------

# Objective and criterion ids that the rubric does not know are always checked, whatever the
# rubric's checks.yaml says: without them the other checks cannot be trusted.
REFERENCES_CHECK = "rubric-references"


def run_checks(rubric: Rubric, loaded: LoadedProposal) -> list[Finding]:
    """Every finding of the rubric's checks on one proposal, in rubric order of the criterion
    they inform (findings about the proposal as a whole first), errors before warnings."""
    p, doc = loaded.proposal, loaded.doc
    findings = list(_references(rubric, p, doc))
    for check in rubric.checks:
        ctx = Context(rubric, p, doc, check._vocabulary)
        if check.applies(ctx):
            findings += [_finding(check, hit, ctx) for hit in check.run(ctx)]
    order = {cid: i for i, cid in enumerate(rubric.criteria)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(
        key=lambda f: (
            -1 if f.criterion is None else order.get(f.criterion, len(order)),
            rank[f.severity],
            f.line or 0,
        )
    )
    return findings


def _finding(check: Check, hit: Hit, ctx: Context) -> Finding:
    criterion = hit.criterion or check.criterion
    crit = ctx.rubric.criteria.get(criterion or "")
    values: dict[str, str | Text] = {
        "criterion": criterion or "",
        "criterion_title": crit.title if crit else "",
        **hit.values,
    }
    template = check.template(hit.variant)
    message = template.map(lambda text, lang: _render(text, values, lang))
    line, column = _where(ctx.doc, hit.loc, hit.at_key)
    return Finding(
        check.id,
        check.type,
        check.severity,
        criterion,
        message,
        ctx.doc.path,
        line,
        column,
        format_field(hit.loc) or None,
        hit.variant,
        hit.items,
    )


def _render(template: str, values: dict[str, str | Text], lang: Lang) -> str:
    texts = {k: v(lang) if isinstance(v, Text) else v for k, v in values.items()}
    try:
        return template.format_map(texts)
    except (KeyError, ValueError, IndexError, AttributeError):  # pragma: no cover - checked at load
        return template


def _where(doc: Document, loc: tuple[Any, ...], at_key: bool) -> tuple[int | None, int | None]:
    """Where to look in the file: the value at ``loc`` when it is there; otherwise the key of
    the deepest part that is (where the missing entry belongs), or the top of the file."""
    data = doc.data
    depth = 0
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            break
        data = data[part]
        depth += 1
    if depth == 0:
        return doc.locate(())
    if depth < len(loc) or at_key:
        return doc.key_location(loc[:depth])
    return doc.locate(loc)


def _references(rubric: Rubric, p: Proposal, doc: Document) -> Iterator[Finding]:
    places: list[tuple[str, tuple[Any, ...], str, bool]] = [
        ("unknown_objective", ("objectives", i), obj, False)
        for i, obj in enumerate(p.objectives)
        if obj not in rubric.objectives
    ]
    places += [
        ("unknown_objective", ("kpis", i, "objective"), k.objective, False)
        for i, k in enumerate(p.kpis)
        if k.objective not in rubric.objectives and k.objective not in {o.id for o in p.own_objectives}
    ]
    places += [
        ("unknown_criterion", ("sections", key), key, True)
        for key in p.sections
        if key not in rubric.criteria
    ]
    if len(places) > MAX_PROBLEMS:  # a mangled file: list the first ones, count the others
        more = {"rubric": rubric.ref, "count": f"{len(places) - MAX_PROBLEMS:,}", "shown": MAX_PROBLEMS}
        text = ours("checks.references_more", **more)
        places = places[:MAX_PROBLEMS]
        yield Finding(
            REFERENCES_CHECK, "rubric_references", "error", None, text, doc.path, None, None, None, "more", ()
        )
    for variant, loc, value, at_key in places:
        known = rubric.objectives if variant == "unknown_objective" else rubric.criteria
        close = suggestion(value, known)
        message = Text.of(
            {
                lang: t(
                    f"checks.{variant}",
                    lang,
                    value=value,
                    rubric=rubric.ref,
                    hint=t("checks.references_hint", lang, close=close) if close else "",
                )
                for lang in languages()
            }
        )
        line, column = _where(doc, loc, at_key)
        yield Finding(
            REFERENCES_CHECK,
            "rubric_references",
            "error",
            None,
            message,
            doc.path,
            line,
            column,
            format_field(loc),
            variant,
            (value,),
        )
