"""Possible undeclared conflicts of interest: a call folder's reviewers file against the
proposals' institutions and researcher numbers (issue 14). Flagged, never excluded: the
programme officer decides.

The reviewers file is the reviewer pool of `sti-review assign` (reviewers.py), lying in the call
folder as ``reviewers.yaml``; its optional ``aliases`` add the call's own names of an
institution to the shipped list (institutions.py)::

    reviewers:
      - {id: R01, name: 鈴木 一郎, institution: 北辰大学, researcher_number: "12345678"}
    aliases:                       # other names of one institution
      北辰大学: [Hokushin University, 北辰大]

Institutions are compared after Unicode NFKC normalisation, case folding and removal of
spaces, with each alias mapped to its institution; one matches another when it is equal to it
or the start of it (北辰大学 matches 北辰大学 農学研究院: a department of the same university).
A researcher number matches a lead's or team member's.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .institutions import institution_key
from .reviewers import ReviewerPool

REVIEWERS_FILE = "reviewers.yaml"


def load_reviewers(call_dir: str | Path) -> ReviewerPool | None:
    """The reviewers file of a call folder, or None when there is none."""
    from .reviewers import load_pool

    path = Path(call_dir) / REVIEWERS_FILE
    if not path.is_file():
        return None
    return load_pool(path).pool


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class Matcher:
    def __init__(self, data: ReviewerPool):
        self.data = data
        self.canonical: dict[str, str] = {}
        for name, others in data.aliases.items():
            for alias in [name, *others]:
                self.canonical[_norm(alias)] = _norm(name)
        self.by_name = {r.name.strip(): r for r in data.reviewers}
        self.by_name.update({r.id.strip(): r for r in data.reviewers})

    def institution(self, text: str) -> str:
        n = _norm(text)
        for alias, canonical in self.canonical.items():
            if alias and n.startswith(alias):
                return canonical + n[len(alias) :]
        return n

    def same(self, a: str, b: str) -> bool:
        ka, kb = institution_key(a), institution_key(b)
        if ka and ka == kb:  # the shipped aliases (東大 = The University of Tokyo)
            return True
        x, y = self.institution(a), self.institution(b)
        return bool(x and y) and (x.startswith(y) or y.startswith(x))

    def flags(self, reviewer: str, institutions: tuple[str, ...], numbers: tuple[str, ...]) -> list[str]:
        """What links this reviewer to the proposal (empty: nothing found)."""
        r = self.by_name.get(reviewer.strip())
        if r is None:
            return []
        out = [inst for inst in institutions if r.institution and self.same(r.institution, inst)]
        if r.researcher_number and _norm(r.researcher_number) in {_norm(n) for n in numbers}:
            out.append(r.researcher_number)
        return list(dict.fromkeys(out))


def links_of(proposal: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A proposal's institutions (lead, partners, team) and researcher numbers (lead, team),
    as the call folder reads them for rank (callfolder.py)."""
    p = proposal
    lead = getattr(p, "lead", None)
    institutions = [lead.institution if lead else ""]
    institutions += [x.institution for x in getattr(p, "partners", [])]
    institutions += [m.institution for m in getattr(p, "team", [])]
    numbers = [lead.researcher_number if lead else None] + [
        m.researcher_number for m in getattr(p, "team", [])
    ]
    return tuple(i for i in institutions if i), tuple(n for n in numbers if n)


CALL_LEVELS = 3  # a proposal lies at most this deep below its call folder (proposals/<group>/x.yaml)


def find_call_dir(*paths: str | Path | None) -> Path | None:
    """The call folder of these paths: the nearest folder holding a reviewers file, looking
    from each path (or its folder) up at most CALL_LEVELS levels. None when there is none."""
    for given in paths:
        if given is None:
            continue
        path = Path(given).absolute()
        folder = path if path.is_dir() else path.parent
        for candidate in [folder, *folder.parents][: CALL_LEVELS + 1]:
            if (candidate / REVIEWERS_FILE).is_file():
                return candidate
    return None


def possible_conflicts(
    call_dir: str | Path | None, proposal: object, reviewers: list[str] | None = None
) -> list[tuple[str, str]]:
    """(reviewer, what matches) for this proposal: with ``reviewers`` (the names or ids on its
    reviews) those only, else everyone in the call's reviewers file (``check``, before any
    assignment). A malformed reviewers file raises the same located InputError as for rank."""
    if call_dir is None:
        return []
    data = load_reviewers(call_dir)
    if data is None:
        return []
    matcher = Matcher(data)
    institutions, numbers = links_of(proposal)
    who = reviewers if reviewers is not None else [r.id for r in data.reviewers]
    out: list[tuple[str, str]] = []
    for name in dict.fromkeys(who):
        r = matcher.by_name.get(name.strip())
        label = name if reviewers is not None or r is None else f"{r.id} {r.name}".strip()
        out += [(label, what) for what in matcher.flags(name, institutions, numbers)]
    return out


def conflict_findings(proposal_path: str | Path, proposal: object) -> list:  # list[Finding]
    """``sti-review check``: a note per reviewer of the call's reviewers file who may have an
    undeclared conflict with this proposal (before any assignment, so everyone is looked at).
    Notes never fail a check, even with --strict: flagged, not excluded."""
    from .checks import Finding
    from .i18n import languages, t
    from .rubric import Text

    out = []
    for who, what in possible_conflicts(find_call_dir(proposal_path), proposal):
        message = Text.of(
            {lang: t("process.possible_conflict", lang, reviewer=who, what=what) for lang in languages()}
        )
        out.append(
            Finding(
                "possible_conflict",
                "possible_conflict",
                "note",
                None,
                message,
                str(proposal_path),
                None,
                None,
                None,
            )
        )
    return out
