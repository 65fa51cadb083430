"""The assignment as one self-contained HTML page (the Markdown report's tables)."""

from __future__ import annotations

from html import escape

from ...assignment import Assignment
from ...i18n import Lang
from ..markdown.assignment import sections
from ..views import AssignmentView
from ..views.assignment import assignment_summary, t


def render_text(a: Assignment, lang: Lang) -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t('assignment_title', lang))}</title>",
        "<style>body{font-family:sans-serif;max-width:70rem;margin:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;overflow-wrap:anywhere}"
        "caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
        "</style></head><body><main>",
        f"<h1>{escape(t('assignment_title', lang))}</h1>",
        f"<p>{escape(assignment_summary(a, lang))}</p>",
    ]
    for heading, header, rows in sections(a, lang):
        out.append(f"<h2>{escape(heading)}</h2><table><caption>{escape(heading)}</caption><thead><tr>")
        out += [f'<th scope="col">{escape(h)}</th>' for h in header]
        out.append("</tr></thead><tbody>")
        for row in rows:
            out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
        out.append("</tbody></table>")
    out.append("</main></body></html>\n")
    return "\n".join(out)


def render(view: AssignmentView, *, lang: Lang, width: int | None = None, color: bool = False) -> bytes:
    return render_text(view.assignment, lang).encode()
