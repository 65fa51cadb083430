"""The portfolio map of viewpoint X3: programmes and proposals placed on the rubric's objectives
against target groups (career stage) and against partner regions; gaps and overlaps listed.

- A *gap* is a cell that nothing covers (no programme and no proposal).
- An *overlap* is a cell covered by ``portfolio.overlap_programmes`` (default 2) or more
  programmes that use the same means (two outbound-mobility fellowships for postdocs), as the
  rubric's X3 guidance puts it: "covered by several programmes with similar means".
- A cell is *crowded* when ``portfolio.crowded_proposals`` (default 3) or more proposals of a
  call fall in it; a proposal *fills a gap* when it covers a cell no programme covers.

Pure (the programmes file is read with the safe loader; no terminal, no typer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .errors import InputError, Problem, did_you_mean
from .errors import Text as Message
from .rubric import Label, Lang, Rubric, Text, load_rubric
from .yamlio import Document

# Career stages, partner regions (with their countries) and the means of existing programmes
# are the rubric's vocabularies (career_stages, partner_regions, means); see Rubric.vocabulary.


def _iso_countries() -> dict[str, str]:
    from .checks import iso_countries

    return iso_countries()


def career_stages(rubric: Rubric) -> tuple[str, ...]:
    """The career-stage columns, in the rubric's order (an open vocabulary: none declared)."""
    return tuple(rubric.vocabulary("career_stages") or ())


def regions(rubric: Rubric) -> tuple[str, ...]:
    return tuple(rubric.vocabulary("partner_regions") or ())


def country_regions(rubric: Rubric) -> dict[str, str]:
    """Country code -> the partner region the rubric puts it in."""
    declared = rubric.vocabularies.partner_regions or {}
    return {c: name for name, term in declared.items() for c in term.countries}


Axis = Literal["career_stage", "region"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


Name = Annotated[str, Field(min_length=1)]


def _text(value: object) -> object:
    """A plain string stands for both languages."""
    return {"ja": value, "en": value} if isinstance(value, str) else value


Bilingual = Annotated[Text, BeforeValidator(_text)]


class Programme(_Model):
    """An existing programme, mapped by what it aims at, whom it targets and where."""

    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    code: str = Field("", max_length=12, description="short label for map cells; default: id")
    name: Bilingual
    operator: str = ""
    means: list[Name] = Field(min_length=1)
    objectives: list[str] = Field(min_length=1)
    career_stages: list[Name] = Field(min_length=1)
    regions: list[str] = []
    countries: list[str] = []
    scale: Bilingual | None = None
    note: Bilingual | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> Programme:
        if not self.regions and not self.countries:
            raise ValueError(Message("err.programme_somewhere"))
        return self

    @property
    def label(self) -> str:
        return self.code or self.id

    def title(self, lang: Lang) -> str:
        return self.name(lang)


class ProgrammesFile(_Model):
    programmes: list[Programme] = Field(min_length=1)


def load_programmes(path: str | Path, rubric: Rubric) -> list[Programme]:
    """Read and check a programmes file; every problem located, all at once."""
    from .yamlio import load_file

    return programmes_from_document(load_file(path), rubric)


def programmes_from_document(doc: Document, rubric: Rubric) -> list[Programme]:
    from .validation import validate

    data = validate(ProgrammesFile, doc)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(data.programmes):
        if p.id in seen:
            problems.append(doc.problem(("programmes", i, "id"), Message("err.id_twice", value=repr(p.id))))
        seen[p.id] = i
        for j, obj in enumerate(p.objectives):
            if obj not in rubric.objectives:
                problems.append(
                    doc.problem(
                        ("programmes", i, "objectives", j),
                        Message("err.unknown_objective", value=repr(obj), hint=""),
                    )
                )
        for name, vocab in (("means", "means"), ("career_stages", "career_stages")):
            known = rubric.vocabulary(vocab)
            for j, value in enumerate(getattr(p, name)):
                if known is not None and value not in known:
                    problems.append(
                        doc.problem(
                            ("programmes", i, name, j),
                            Message(
                                "err.unknown_means" if vocab == "means" else "err.unknown_career_stage",
                                value=repr(value),
                                hint=did_you_mean(value, list(known)),
                            ),
                        )
                    )
        all_regions = regions(rubric)
        for j, region in enumerate(p.regions):
            if region != "any" and region not in all_regions:
                problems.append(
                    doc.problem(
                        ("programmes", i, "regions", j),
                        Message("err.unknown_region", value=repr(region), known=", ".join(all_regions)),
                    )
                )
        for j, country in enumerate(p.countries):
            if country not in _iso_countries():
                problems.append(
                    doc.problem(
                        ("programmes", i, "countries", j),
                        Message("err.unknown_country", value=repr(country)),
                    )
                )
    if problems:
        raise InputError(problems)
    return data.programmes


@dataclass(frozen=True)
class Item:
    """Something placed on the map: an existing programme or a proposal."""

    kind: Literal["programme", "proposal"]
    id: str
    label: str
    title: str
    objectives: frozenset[str]
    career_stages: frozenset[str]
    regions: frozenset[str]
    means: frozenset[str] = frozenset()


def programme_item(p: Programme, lang: Lang, rubric: Rubric | None = None) -> Item:
    rubric = rubric or load_rubric()
    by_country = country_regions(rubric)
    if by_country:
        places = set(regions(rubric)) if "any" in p.regions else set(p.regions)
        places |= {by_country[c] for c in p.countries if c in by_country}
    else:  # no regions declared: each country is its own column
        places = set(p.countries)
    return Item(
        "programme",
        p.id,
        p.label,
        p.title(lang),
        frozenset(p.objectives),
        frozenset(p.career_stages),
        frozenset(places),
        frozenset(p.means),
    )


def proposal_item(
    pid: str,
    title: str,
    objectives: Iterable[str],
    career_stages: Iterable[str],
    countries: Iterable[str],
    rubric: Rubric | None = None,
) -> Item:
    by_country = country_regions(rubric or load_rubric())
    return Item(
        "proposal",
        pid,
        pid,
        title,
        frozenset(objectives),
        frozenset(career_stages),
        frozenset(by_country.get(c, "unknown") if by_country else c for c in countries),
    )


@dataclass
class Cell:
    objective: str
    column: str
    programmes: list[Item] = field(default_factory=list)
    proposals: list[Item] = field(default_factory=list)
    overlaps: list[tuple[str, list[Item]]] = field(default_factory=list)  # (means, programmes)

    @property
    def empty(self) -> bool:
        return not self.programmes and not self.proposals


@dataclass
class Matrix:
    """Objectives (rows) against one axis (columns)."""

    axis: Axis
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    crowded_at: int
    labels: dict[str, Label] = field(default_factory=dict)  # column -> its label
    codes: dict[str, str] = field(default_factory=dict)  # column -> short code (regions)

    def label(self, column: str, lang: str) -> str:
        term = self.labels.get(column)
        return term(lang) if term else column

    def code(self, column: str) -> str:
        return self.codes.get(column) or column

    def cell(self, objective: str, column: str) -> Cell:
        return self.cells[(objective, column)]

    @property
    def gaps(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.empty]

    @property
    def overlaps(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.overlaps]

    @property
    def crowded(self) -> list[Cell]:
        return [c for c in self.cells.values() if len(c.proposals) >= self.crowded_at]

    @property
    def gap_fillers(self) -> list[Cell]:
        """Cells that no programme covers but a proposal does (only with programmes mapped)."""
        return [c for c in self.cells.values() if not c.programmes and c.proposals]

    def gaps_by_objective(self) -> list[tuple[str, list[str]]]:
        """For each objective with gaps, the empty columns (all of them: the whole row)."""
        out = []
        for obj in self.rows:
            empty = [col for col in self.columns if self.cells[(obj, col)].empty]
            if empty:
                out.append((obj, empty))
        return out


@dataclass
class PortfolioMap:
    rubric: Rubric
    programmes: list[Item]
    proposals: list[Item]
    by_stage: Matrix
    by_region: Matrix
    overlap_at: int
    crowded_at: int
    unplaced: dict[str, list[str]] = field(default_factory=dict)  # reason -> proposal ids

    @property
    def matrices(self) -> tuple[Matrix, Matrix]:
        return (self.by_stage, self.by_region)


def _matrix(
    axis: Axis,
    columns: tuple[str, ...],
    rows: tuple[str, ...],
    items: Sequence[Item],
    overlap_at: int,
    crowded_at: int,
    labels: dict[str, Label] | None = None,
    codes: dict[str, str] | None = None,
) -> Matrix:
    cells = {(o, c): Cell(o, c) for o in rows for c in columns}
    for item in items:
        values = item.career_stages if axis == "career_stage" else item.regions
        for o in item.objectives:
            for c in values:
                cell = cells.get((o, c))
                if cell is None:
                    continue
                (cell.programmes if item.kind == "programme" else cell.proposals).append(item)
    for cell in cells.values():
        if len(cell.programmes) < overlap_at:
            continue
        means = sorted({m for p in cell.programmes for m in p.means})
        for m in means:
            sharing = [p for p in cell.programmes if m in p.means]
            if len(sharing) >= overlap_at:
                cell.overlaps.append((m, sharing))
    return Matrix(axis, columns, rows, cells, crowded_at, dict(labels or {}), dict(codes or {}))


def build_map(
    rubric: Rubric,
    programmes: Sequence[Item] = (),
    proposals: Sequence[Item] = (),
    *,
    overlap_at: int | None = None,
    crowded_at: int | None = None,
) -> PortfolioMap:
    """Place programmes and proposals on both matrices and find gaps, overlaps, crowding."""
    overlap = overlap_at or rubric.portfolio.overlap_programmes
    crowded = crowded_at or rubric.portfolio.crowded_proposals
    rows = tuple(rubric.objectives)
    items = [*programmes, *proposals]
    unplaced: dict[str, list[str]] = {}
    for p in proposals:
        if not p.objectives:
            unplaced.setdefault("no_objectives", []).append(p.id)
        if not p.career_stages:
            unplaced.setdefault("no_career_stage", []).append(p.id)
        if "unknown" in p.regions:
            unplaced.setdefault("unknown_country", []).append(p.id)
    # Columns: the rubric's values in its order; for an open vocabulary, the values met.
    stages = career_stages(rubric) or tuple(sorted({s for i in items for s in i.career_stages}))
    places = regions(rubric) or tuple(sorted({r for i in items for r in i.regions} - {"unknown"}))
    stage_labels = {k: t.label for k, t in (rubric.vocabulary("career_stages") or {}).items()}
    declared_regions = rubric.vocabularies.partner_regions or {}
    region_labels = {k: t.label for k, t in declared_regions.items()}
    region_codes = {k: t.code or k for k, t in declared_regions.items()}
    return PortfolioMap(
        rubric,
        list(programmes),
        list(proposals),
        _matrix("career_stage", stages, rows, items, overlap, crowded, stage_labels),
        _matrix("region", places, rows, items, overlap, crowded, region_labels, region_codes),
        overlap,
        crowded,
        unplaced,
    )


@dataclass
class PortfolioInput:
    """What `sti-review portfolio` maps, and the problems met reading it."""

    rubric: Rubric
    programmes: list[Programme]
    proposals: list[Item]
    problems: list[Problem]
    files: int = 0


def read_portfolio(
    call_dir: str | Path | None,
    programmes_path: str | Path | None,
    rubric_path: str | Path | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PortfolioInput:
    """Load the programmes file and/or the proposals of a call folder (reviews are ignored)."""
    if rubric_path is None and call_dir is not None:  # the call's own rubric (call.yaml)
        from .callfile import call_rubric

        rubric_path = call_rubric(call_dir, None)[0]
    rubric = load_rubric(rubric_path)
    programmes = load_programmes(programmes_path, rubric) if programmes_path is not None else []
    proposals: list[Item] = []
    problems: list[Problem] = []
    files = 0
    if call_dir is not None:
        from .callfolder import read_proposals

        infos, problems, files = read_proposals(
            call_dir, rubric, rubric_path, workers=workers, progress=progress
        )
        proposals = [
            proposal_item(i.id, i.title, i.objectives, i.career_stages, i.countries, rubric) for i in infos
        ]
    return PortfolioInput(rubric, programmes, proposals, problems, files)
