"""The portfolio map as JSON: one object, schema ``sti-review/portfolio@1`` (docs/formats.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import __version__
from ...i18n import Lang
from ...portfolio import Matrix, PortfolioMap
from ...sanitize import json_text
from ..views.portfolio import overlap_groups

if TYPE_CHECKING:
    from ..views import PortfolioView


def _matrix(matrix: Matrix) -> dict[str, Any]:
    return {
        "axis": matrix.axis,
        "columns": list(matrix.columns),
        "rows": list(matrix.rows),
        "cells": [
            {
                "objective": cell.objective,
                "column": cell.column,
                "programmes": [p.id for p in cell.programmes],
                "proposals": [p.id for p in cell.proposals],
                "gap": cell.empty,
                "overlaps": [{"means": m, "programmes": [p.id for p in ps]} for m, ps in cell.overlaps],
                "crowded": len(cell.proposals) >= matrix.crowded_at,
            }
            for cell in matrix.cells.values()
        ],
        "gaps": [{"objective": o, "columns": cols} for o, cols in matrix.gaps_by_objective()],
        "overlaps": [
            {
                "means": g.means,
                "programmes": [p.id for p in g.programmes],
                "cells": [[c.objective, c.column] for c in g.cells],
            }
            for g in overlap_groups(matrix)
        ],
        "crowded": [[c.objective, c.column, len(c.proposals)] for c in matrix.crowded],
    }


def to_data(m: PortfolioMap, lang: Lang) -> dict[str, Any]:
    return {
        "schema": "sti-review/portfolio@1",
        "generator": {"name": "sti-review", "version": __version__},
        "lang": lang,
        "rubric": {"id": m.rubric.id, "version": m.rubric.version, "ref": m.rubric.ref},
        "rules": {"overlap_programmes": m.overlap_at, "crowded_proposals": m.crowded_at},
        "programmes": [
            {
                "id": p.id,
                "code": p.label,
                "title": p.title,
                "means": sorted(p.means),
                "objectives": sorted(p.objectives),
                "career_stages": sorted(p.career_stages),
                "regions": sorted(p.regions),
            }
            for p in m.programmes
        ],
        "proposals": [p.id for p in m.proposals],
        "unplaced": m.unplaced,
        "matrices": [_matrix(x) for x in m.matrices],
    }


def render_text(m: PortfolioMap, lang: Lang) -> str:
    return json_text(to_data(m, lang))


def render(view: PortfolioView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.map, lang).encode()
