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
