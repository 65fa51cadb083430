"""`sti-review import FORM.docx -o proposal.yaml`: read a filled proposal form back into a
proposal file.

Headings are found by their outline level or their built-in style (never by a localised style
name) and matched after NFKC with numbering removed. Text in content controls (w:sdt) and text
boxes is read: the document's XML is walked in order, not only its top-level paragraphs. What
cannot be read is reported with where it is (heading, table, row); nothing is written then.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..errors import Text as Message
from ..i18n import languages
from ..office import require
from ..report.views.common import programme_text
from ..rubric import Rubric
from .fields import BASIC, FORM_MARK, GUIDANCE_CAPTION, HEADINGS, TABLES, T, matches, normal, unnumbered

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_UNPACKED = 200 * 1024 * 1024  # bytes a form may unpack to: a zip bomb is refused
MAX_FORM_BYTES = 50 * 1024 * 1024  # bytes of the form file itself
_ID = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)(?=\s|$|[:：.．])")


# --- reading the XML ----------------------------------------------------------------------


def _text(el: Any) -> str:
    """A paragraph's (or cell's) text: runs, line breaks, tabs, text boxes; the VML fallback
    copy of a text box is skipped, deleted text (w:delText) is not text."""
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == MC_FALLBACK:
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}tab":
                out.append("\t")
            elif tag == f"{W}txbxContent":
                for i, p in enumerate(_paragraphs(child)):
                    out.append("\n" if (out or i) else "")
                    out.append(_text(p))
            else:
                walk(child)

    walk(el)
    return "".join(out)


def _paragraphs(container: Any) -> Iterator[Any]:
    for child in container:
        if child.tag == f"{W}p":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _paragraphs(content)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs, one per line; a table nested in the cell, a line per row."""
    lines: list[str] = []
    for child in _unwrap_any(tc, ("p", "tbl")):
        if child.tag == f"{W}p":
            lines.append(_text(child))
        else:
            lines += [" ".join(cells) for cells in _rows(child)]
    return "\n".join(lines).strip()


def _unwrap_any(container: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    wanted = {f"{W}{t}" for t in tags}
    for child in container:
        if child.tag in wanted:
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _unwrap_any(content, tags)


def _unwrap(container: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls around them."""
    for child in container:
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _unwrap(content, tag)


def _rows(tbl: Any) -> list[list[str]]:
    return [[_cell_text(tc) for tc in _unwrap(tr, "tc")] for tr in _unwrap(tbl, "tr")]


def _caption(tbl: Any) -> str:
    cap = tbl.find(f"{W}tblPr/{W}tblCaption")
    return cap.get(f"{W}val", "") if cap is not None else ""


@dataclass
class Para:
    text: str
    level: int | None  # 0 title, 1.. heading level, None body text


@dataclass
class Table:
    rows: list[list[str]]
    caption: str


def _blocks(container: Any, level_of: Any) -> Iterator[Para | Table]:
    for child in container:
        if child.tag == f"{W}p":
            yield Para(_text(child), level_of(child))
        elif child.tag == f"{W}tbl":
            yield Table(_rows(child), _caption(child))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content, level_of)


class _Styles:
    """Heading levels from outline levels and built-in style names (w:name is stored in English
    by every Word, whatever the user interface language; w:styleId may be localised)."""

    def __init__(self, styles_el: Any):
        self.styles: dict[str, Any] = {}
        for st in styles_el.iter(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if sid:
                self.styles[sid] = st

    def _style_level(self, sid: str, seen: int = 0) -> int | None:
        st = self.styles.get(sid)
        if st is None or seen > 10:
            return None
        out = st.find(f"{W}pPr/{W}outlineLvl")
        if out is not None and (out.get(f"{W}val") or "").isdigit():
            value = int(out.get(f"{W}val"))
            return value + 1 if value < 9 else None
        name_el = st.find(f"{W}name")
        name = (name_el.get(f"{W}val") if name_el is not None else "") or ""
        m = re.fullmatch(r"heading\s*([1-9])", name.strip().lower())
        if m:
            return int(m.group(1))
        if name.strip().lower() == "title":
            return 0
        based = st.find(f"{W}basedOn")
        if based is not None:
            return self._style_level(based.get(f"{W}val") or "", seen + 1)
        return None

    def level(self, p: Any) -> int | None:
        ppr = p.find(f"{W}pPr")
        if ppr is not None:
            out = ppr.find(f"{W}outlineLvl")
            if out is not None and (out.get(f"{W}val") or "").isdigit():
                value = int(out.get(f"{W}val"))
                return value + 1 if value < 9 else None
            ps = ppr.find(f"{W}pStyle")
            if ps is not None:
                return self._style_level(ps.get(f"{W}val") or "")
        return None


# --- opening the file -----------------------------------------------------------------------


def _at_heading(heading: str) -> str:
    """A place in the form, said in the language of the run (a Message, rendered when shown)."""
    return Message("form.at_heading", heading=heading)


def _problem(shown: str, message: str, where: str | None = None) -> Problem:
    return Problem(shown, None, None, where, message)


def open_form(path: str | Path) -> tuple[Any, str]:
    """The python-docx Document, or an InputError saying why the file is not a Word form."""
    docx = require("docx")
    shown = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError([_problem(shown, Message("err.form_no_file"))])
    if p.is_dir():
        raise InputError([_problem(shown, Message("err.form_directory"))])
    import io

    from ..errors import Text
    from ..fileio import read_regular

    # read once, as a regular file only (a named pipe or a device would block): the checks and
    # python-docx then work on these bytes, never on a path that may have changed meanwhile
    raw = read_regular(p, MAX_FORM_BYTES, shown)
    if len(raw) > MAX_FORM_BYTES:
        size = f"{len(raw):,}+"
        raise InputError([_problem(shown, Text("err.too_big", size=size, max=f"{MAX_FORM_BYTES:,}"))])
    p = io.BytesIO(raw)  # type: ignore[assignment]
    if not zipfile.is_zipfile(p):
        raise InputError([_problem(shown, Message("err.form_not_zip"))])
    try:
        with zipfile.ZipFile(p) as z:
            names = z.namelist()
            if "word/document.xml" not in names:
                raise InputError([_problem(shown, Message("err.form_not_word"))])
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise InputError([_problem(shown, Message("err.form_too_big", mb=MAX_UNPACKED // 2**20))])
        return docx.Document(p), shown
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds for broken packages
        raise InputError(
            [_problem(shown, Message("err.form_unreadable", error=f"{type(exc).__name__}: {exc}"))]
        ) from None


# --- from blocks to proposal data --------------------------------------------------------------


@dataclass
class _State:
    shown: str
    rubric: Rubric
    data: dict[str, Any] = field(default_factory=dict)
    where: dict[tuple[Any, ...], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def problem(self, where: str, message: str) -> None:  # message: a Message, or plain text
        self.problems.append(_problem(self.shown, message, where))


def _template_texts() -> set[str]:
    keys = ("form_intro", "criteria_intro", "write_here")
    return {normal(T(k, lang)) for k in keys for lang in languages()}


def _heading_key(text: str, level: int, rubric: Rubric) -> str | None:
    for key, labels in HEADINGS.items():
        if matches(text, labels):
            return key
    m = _ID.match(unnumbered(text))
    if m and m.group(1) in rubric.criteria:
        return "crit:" + m.group(1)
    return None


def read_form(path: str | Path, rubric: Rubric) -> dict[str, Any]:
    """The proposal data of a filled form; InputError with every located problem otherwise."""
    doc, shown = open_form(path)
    styles = _Styles(doc.styles.element)
    st = _State(shown, rubric)
    skip = _template_texts()
    current: str | None = None  # None: before the first heading
    heading_text = ""
    tables_here = 0
    for block in _blocks(doc.element.body, styles.level):
        if isinstance(block, Para):
            text = block.text.strip()
            if block.level is not None and block.level >= 1 and text:
                key = _heading_key(text, block.level, rubric)
                if key is not None or block.level <= 2:
                    current, heading_text, tables_here = key or "?", text, 0
                    st.seen.append(current)
                    if key is None:
                        current = "?" + text
                    continue
            if not text or current is None or normal(text) in skip:
                continue
            if current in ("summary", "integrity") or current.startswith("crit:"):
                st.texts.setdefault(current, []).append(text)
            elif current.startswith("?"):
                st.problem(
                    _at_heading(repr(heading_text)),
                    Message("err.form_text_under_unknown", text=_short(text)),
                )
            else:
                st.problem(
                    _at_heading(repr(heading_text)), Message("err.form_text_outside_table", text=_short(text))
                )
        else:
            if block.caption == GUIDANCE_CAPTION:
                continue
            tables_here += 1
            where = Message("form.at_table", place=_at_heading(repr(heading_text)), n=tables_here)
            if current == "basic":
                _basic(st, block.rows, where)
            elif current in TABLES:
                _table(st, current, block.rows, where)
            elif any(any(cell for cell in row) for row in block.rows):
                place = where if current else Message("form.at_first_table", n=tables_here)
                st.problem(
                    place,
                    Message("err.form_extra_table"),
                )
    _required(st, doc, rubric)
    _finish(st)
    if st.problems:
        raise InputError(st.problems)
    return st.data


def _short(text: str) -> str:
    return repr(text[:60] + ("…" if len(text) > 60 else ""))


def _required(st: _State, doc: Any, rubric: Rubric) -> None:
    for key in ("basic", "partners", "objectives", "team", "kpis", "risks", "integrity", "summary"):
        if key not in st.seen:
            st.problem(
                _at_heading(HEADINGS[key].shown()),
                Message("err.form_heading_missing"),
            )
    keywords = doc.core_properties.keywords or ""
    m = re.search(r"criteria:([A-Za-z0-9_,]+)", keywords)
    if FORM_MARK in keywords and m:
        for cid in m.group(1).split(","):
            if cid in rubric.criteria and "crit:" + cid not in st.seen:
                title = rubric.criteria[cid].title("ja")
                st.problem(_at_heading(f"{cid} {title!r}"), Message("err.form_criterion_heading_missing"))


def _header_ok(st: _State, key: str, header: list[str], where: str) -> bool:
    cols = TABLES[key]
    if len(header) != len(cols):
        expected = ", ".join(" / ".join(c.labels.all()) for c in cols)
        st.problem(
            Message("form.at_row", place=where, n=1),
            Message("err.form_columns", n=len(header), expected=len(cols), names=expected),
        )
        return False
    ok = True
    for i, (cell, col) in enumerate(zip(header, cols, strict=True), start=1):
        if not matches(cell, col.labels):
            st.problem(
                Message("form.at_column", place=where, n=i),
                Message("err.form_column_name", value=repr(cell), expected=col.labels.shown()),
            )
            ok = False
    return ok


def _table(st: _State, key: str, rows: list[list[str]], where: str) -> None:
    if not rows or not _header_ok(st, key, rows[0], where):
        return
    cols = [c.key for c in TABLES[key]]
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(cols, (cell.strip() for cell in row), strict=True))
        at = Message("form.at_row", place=where, n=n)
        if key == "objectives":
            if values["select"]:
                st.data.setdefault("objectives", []).append(unicodedata.normalize("NFKC", values["id"]))
                st.where[("objectives", len(st.data["objectives"]) - 1)] = at
            continue
        if key == "integrity":
            procs = st.data.setdefault("integrity", {}).setdefault("procedures", [])
            procs.append(values["procedure"])
            st.where[("integrity", "procedures", len(procs) - 1)] = at
            continue
        item: dict[str, Any] = {}
        for k, v in values.items():
            if not v:
                continue
            if k in ("country", "discipline", "career_stage", "area"):
                v = unicodedata.normalize("NFKC", v).strip()
                v = v.upper() if k == "country" else v.lower()
            if k == "objective":
                v = unicodedata.normalize("NFKC", v).strip()
            if k == "target":
                v = _number(v) if _number(v) is not None else v
            item[k] = v
        items = st.data.setdefault(key, [])
        items.append(item)
        st.where[(key, len(items) - 1)] = at


def _number(text: str) -> float | int | None:
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace("¥", "").replace("円", "").strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        return None
    value = float(cleaned)
    return int(value) if value.is_integer() and "." not in cleaned else value


def _basic(st: _State, rows: list[list[str]], where: str) -> None:
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            st.problem(
                Message("form.at_row", place=where, n=n), Message("err.form_basic_columns", n=len(row))
            )
            continue
        name, value = row[0].split("\n")[0], row[1].strip()
        key = next((k for k, labels in BASIC.items() if matches(name, labels)), None)
        at = Message("form.at_named_row", place=where, n=n, name=name)
        if key is None:
            if value:
                st.problem(
                    at, Message("err.form_unknown_field", known=" / ".join(v.shown() for v in BASIC.values()))
                )
            continue
        if not value:
            continue
        if key == "programme":
            value = _programme(value, st.rubric)
        if key == "budget":
            number = _number(value)
            if number is None:
                st.problem(at, Message("err.form_not_yen", value=repr(value)))
                continue
            value = number
        if key in ("lead_name", "lead_institution"):
            lead = st.data.setdefault("lead", {})
            lead["name" if key == "lead_name" else "institution"] = value
            st.where[("lead",)] = at
            continue
        if key == "id":
            value = unicodedata.normalize("NFKC", value)
        st.data[key] = value
        st.where[(key,)] = at


def _programme(value: str, rubric: Rubric) -> str:
    n = normal(value)
    for prog in rubric.programme_terms:
        labels = [programme_text(rubric, prog, lang) for lang in languages()]
        if n in (prog, *(normal(x) for x in labels)):
            return prog
    return value


def _finish(st: _State) -> None:
    texts = st.texts
    if "summary" in texts:
        st.data["summary"] = "\n".join(texts["summary"])
    if "integrity" in texts:
        st.data.setdefault("integrity", {})["notes"] = "\n".join(texts["integrity"])
    sections = {k.removeprefix("crit:"): "\n".join(v) for k, v in texts.items() if k.startswith("crit:")}
    if sections:
        st.data["sections"] = sections
    for i, obj in enumerate(st.data.get("objectives", [])):
        if obj not in st.rubric.objectives:
            st.problem(
                st.where.get(("objectives", i), "objectives"),
                Message("err.form_unknown_objective", value=repr(obj)),
            )
    for i, kpi in enumerate(st.data.get("kpis", [])):
        obj = kpi.get("objective")
        if obj is not None and obj not in st.rubric.objectives:
            st.problem(
                st.where.get(("kpis", i), "kpis"), Message("err.form_unknown_objective", value=repr(obj))
            )
    if st.problems:
        return
    from pydantic import ValidationError

    from ..proposal import Proposal
    from ..validation import error_message

    try:
        Proposal.model_validate(st.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = next(
                (st.where[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in st.where),
                _missing_place(loc),
            )
            field_path = ".".join(str(x) for x in loc)
            st.problem(where, f"{field_path}: " + error_message(err))


def _missing_place(loc: tuple[Any, ...]) -> str:
    first = str(loc[0]) if loc else ""
    if first in ("id", "title", "programme", "budget", "lead"):
        return _at_heading(HEADINGS["basic"].shown())
    if first in HEADINGS:
        return _at_heading(HEADINGS[first].shown())
    return first


# --- writing the proposal file ---------------------------------------------------------------


def to_yaml(data: dict[str, Any]) -> str:
    """The proposal as YAML, Japanese intact, texts of several lines as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    order = ["id", "title", "programme", "summary", "lead", "budget", "partners", "objectives"]
    order += ["team", "kpis", "risks", "integrity", "sections"]
    ordered = {k: data[k] for k in order if k in data}
    body = yaml.dump(ordered, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "# Imported from a proposal form by sti-review import / 提案様式から読み込み\n" + body


def import_form(path: str | Path, output: str | Path, rubric: Rubric, *, force: bool = False) -> str:
    """Read the form, check the proposal it gives as `validate` would, then write it; the text."""
    from ..fileio import atomic_write, refuse_existing
    from ..proposal import from_document
    from ..yamlio import parse

    refuse_existing(output, force)
    data = read_form(path, rubric)
    text = to_yaml(data)
    from_document(parse(text, str(output)), rubric)  # never writes a proposal that would not validate
    atomic_write(output, text, force=force)
    return text
