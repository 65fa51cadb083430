"""Nothing in src/ names a value of the MEXT rubric: its programmes, risk areas, procedures,
disciplines, career stages, regions, means and objective ids live in its folder only (issue
#10). Comments may mention them; code and user-visible strings may not."""

from __future__ import annotations

import io
import re
import tokenize

from sti_review.rubric import load_rubric

from .conftest import ROOT

SRC = ROOT / "src" / "sti_review"
VOCABULARIES = ("programmes", "risk_areas", "integrity_procedures", "disciplines", "career_stages")


def distinctive_values() -> set[str]:
    rubric = load_rubric()
    values: set[str] = set(rubric.objectives)
    for name in (*VOCABULARIES, "partner_regions", "means"):
        # the generic words (other, legal, staff, ...) are ordinary English in code
        values |= {v for v in rubric.vocabulary(name) or {} if "_" in v or v in ("postdoc", "doctoral")}
    return values


def test_no_mext_value_in_the_code():
    values = distinctive_values()
    assert "joint_research" in values and "A.quality" in values
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(values))) + r")(?![\w])")
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type in (tokenize.STRING, tokenize.NAME) and pattern.search(tok.string):
                found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string[:60]}")
    for path in sorted(SRC.rglob("*.j2")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(1)}" for m in pattern.finditer(text)]
    assert found == []
