"""Conflicts of interest between reviewers and proposals, each with the reasons that make it.

A reviewer is in conflict with a proposal when
- an institution of the reviewer (current, or left within ``years`` years) is the lead's, a
  partner's or a team member's (names compared by institutions.institution_key: NFKC + aliases);
- their e-Rad researcher number is the lead's or a team member's;
- a collaborator of theirs (joint work within ``years`` years) is the lead or a team member
  (by researcher number, else by name);
- they declared a conflict with the proposal, or with a person who is its lead or a member.
Pairs are found through indexes of the proposals' institutions, names and numbers, so a call of
10,000 proposals and 2,000 reviewers is not 20 million comparisons.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem, Text
from .institutions import Aliases, institution_key, person_key, shipped_aliases
from .proposal import Proposal
from .reviewers import Reviewer
from .rubric import Rubric

DEFAULT_YEARS = 5


@dataclass(frozen=True)
class Reason:
    """Why a reviewer is in conflict with a proposal.

    kind: institution, researcher_number, collaborator, declared_proposal, declared_person.
    mine: the reviewer's side (an institution, a collaborator, a number, a note);
    theirs: the proposal's side; role: lead, partner or team; year: when it last held.
    """

    kind: str
    mine: str
    theirs: str = ""
    role: str = ""
    year: int | None = None


@dataclass
class Conflict:
    reviewer: str
    proposal: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class ConflictReport:
    reviewers: list[Reviewer]
    proposals: list[Proposal]
    conflicts: list[Conflict]
    years: int
    this_year: int

    def pairs(self) -> set[tuple[str, str]]:
        return {(c.reviewer, c.proposal) for c in self.conflicts}


@dataclass(frozen=True)
class Party:
    role: str  # lead, partner, team
    name: str
    institution: str
    researcher_number: str | None


def parties(p: Proposal) -> list[Party]:
    out = []
    if p.lead is not None:
        out.append(Party("lead", p.lead.name, p.lead.institution, getattr(p.lead, "researcher_number", None)))
    out += [Party("partner", "", x.institution, None) for x in p.partners]
    out += [Party("team", m.name, m.institution, getattr(m, "researcher_number", None)) for m in p.team]
    return out


def conflict_years(rubric: Rubric | None) -> int:
    """The rubric's ``conflicts: {institution_years: N}``, read defensively; else 5."""
    settings = getattr(rubric, "conflicts", None)
    value = getattr(settings, "institution_years", None)
    if value is None and isinstance(settings, dict):
        value = settings.get("institution_years")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else DEFAULT_YEARS


def find_conflicts(
    reviewers: Sequence[Reviewer],
    proposals: Sequence[Proposal],
    *,
    years: int = DEFAULT_YEARS,
    this_year: int | None = None,
    aliases: Aliases | None = None,
) -> ConflictReport:
    aliases = aliases or shipped_aliases()
    now = this_year or datetime.date.today().year
    since = now - years
    by_inst: dict[str, list[tuple[int, Party]]] = defaultdict(list)
    by_name: dict[str, list[tuple[int, Party]]] = defaultdict(list)
    by_number: dict[str, list[tuple[int, Party]]] = defaultdict(list)
    by_id = {p.id: i for i, p in enumerate(proposals)}
    for i, p in enumerate(proposals):
        for party in parties(p):
            if party.institution.strip():
                by_inst[institution_key(party.institution, aliases)].append((i, party))
            if party.name.strip():
                by_name[person_key(party.name)].append((i, party))
            if party.researcher_number:
                by_number[party.researcher_number].append((i, party))
    found: dict[tuple[int, int], Conflict] = {}

    def add(r: int, p: int, reason: Reason) -> None:
        c = found.setdefault((r, p), Conflict(reviewers[r].id, proposals[p].id))
        if reason not in c.reasons:
            c.reasons.append(reason)

    for r, rev in enumerate(reviewers):
        for inst, year in _institutions(rev, since):
            key = institution_key(inst, aliases)
            for p, party in by_inst.get(key, ()) if key else ():
                add(r, p, Reason("institution", inst, party.institution, party.role, year))
        if rev.researcher_number:
            for p, party in by_number.get(rev.researcher_number, ()):
                add(r, p, Reason("researcher_number", rev.researcher_number, party.name, party.role))
        for col in rev.collaborators:
            if col.year is not None and col.year < since:
                continue
            hits: Iterable[tuple[int, Party]] = by_name.get(person_key(col.name), ())
            if col.researcher_number:
                hits = list(hits) + list(by_number.get(col.researcher_number, ()))
            for p, party in hits:
                add(r, p, Reason("collaborator", col.name, party.name, party.role, col.year))
        for dec in rev.conflicts:
            if dec.proposal is not None and dec.proposal in by_id:
                add(r, by_id[dec.proposal], Reason("declared_proposal", dec.note))
            elif dec.person is not None:
                for p, party in by_name.get(person_key(dec.person), ()):
                    add(r, p, Reason("declared_person", dec.person, party.name, party.role, None))
    conflicts = [found[k] for k in sorted(found)]
    return ConflictReport(list(reviewers), list(proposals), conflicts, years, now)


def _institutions(rev: Reviewer, since: int) -> list[tuple[str, int | None]]:
    """The reviewer's institutions within the window: (name, last year there or None if current)."""
    out: list[tuple[str, int | None]] = []
    if rev.institution.strip():
        out.append((rev.institution, None))
    for a in rev.affiliations:
        if a.until is None or a.until >= since:
            out.append((a.institution, a.until))
    return out


# ------------------------------------------------------------------------------ reading a call


def read_call_proposals(call_dir: str | Path, rubric: Rubric) -> list[tuple[str, Proposal]]:
    """Every proposal of a call folder, (path, proposal); every problem at once as InputError."""
    from .callfolder import discover, route_file
    from .proposal import load_proposal

    paths, problems = discover(call_dir)
    out: list[tuple[str, Proposal]] = []
    seen: dict[str, str] = {}
    for path, kind, _ in (route_file(p) for p in paths):
        if kind != "proposal":
            continue
        try:
            p = load_proposal(path, rubric).proposal
        except InputError as exc:
            problems += exc.problems
            continue
        if p.id in seen:
            problems.append(
                Problem(
                    path, None, None, "id", Text("err.proposal_id_twice", id=repr(p.id), other=seen[p.id])
                )
            )
            continue
        seen[p.id] = path
        out.append((path, p))
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([Problem(str(call_dir), None, None, None, Text("err.no_proposal_files"))])
    return out


@dataclass
class CallPool:
    """A call's proposals (with their files) and a reviewer pool, read together and checked."""

    paths: dict[str, str]
    proposals: list[Proposal]
    reviewers: list[Reviewer]
    rubric: Rubric


def read_call_and_pool(call_dir: str | Path, pool_path: str | Path, rubric: Rubric) -> CallPool:
    from .reviewers import load_pool

    found = read_call_proposals(call_dir, rubric)
    ids = {p.id for _, p in found}
    pool = load_pool(pool_path, ids)
    return CallPool({p.id: path for path, p in found}, [p for _, p in found], pool.reviewers, rubric)


def conflicts_in_call(
    call: CallPool,
    *,
    years: int | None = None,
    this_year: int | None = None,
    aliases_path: str | Path | None = None,
) -> ConflictReport:
    from .institutions import load_aliases

    return find_conflicts(
        call.reviewers,
        call.proposals,
        years=conflict_years(call.rubric) if years is None else years,
        this_year=this_year,
        aliases=load_aliases(aliases_path),
    )
