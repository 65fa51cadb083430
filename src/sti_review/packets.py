"""Review packets out and reviews back.

``write_packets`` makes one folder per reviewer under DIR::

    DIR/assignment.json                      the whole assignment (the manifest collect reads)
    DIR/<reviewer>/assignment.json           this reviewer's part of it
    DIR/<reviewer>/README.md                 what to do, in the reviewer's language
    DIR/<reviewer>/proposals/<file>.yaml     copies of their proposals
    DIR/<reviewer>/reviews/<proposal>.yaml   a review file to fill in (valid, with no answers yet)

``collect`` validates each returned review file, refuses one for a proposal the reviewer was not
assigned, never overwrites a different review without ``force``, copies the others to
CALL_DIR/reviews/<proposal>/<reviewer>.yaml (the layout ``rank`` reads) and counts, per
reviewer, what is done, in progress and still missing.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .assignment import Assignment
from .errors import InputError, Problem, Text, UsageError
from .fileio import atomic_write, refuse_existing
from .i18n import catalog
from .rubric import Rubric

if TYPE_CHECKING:
    from .review import Review
    from .yamlio import Document

MANIFEST = "assignment.json"
FORMAT = "sti-review-assignment/1"

_t = catalog("packets")  # the catalogues' packets.* messages

_REVIEW_TEMPLATE = """\
# 審査ファイル（記入用）/ Review file to fill in — sti-review
# 提案 / proposal: {proposal}   審査員 / reviewer: {reviewer_id}{stage}
#
# 利益相反・守秘の申告（評価の前に行います。下の declaration は未申告）
# Conflict-of-interest and confidentiality declaration (made before any score; declaration below
# is not made yet). sti-review assess asks it first; by hand, write
#   declaration: {{confidential: true, conflict: none, date: YYYY-MM-DD}}
# 利害関係がある場合は審査せず、その区分を申告してください（事務局が別の審査委員に割り当てます）。
# With a conflict of interest, do not review: declare its category (the office reassigns).
#
# 記入: sti-review assess PROPOSAL --review THIS_FILE、または answers: に直接記入。
# Fill in with sti-review assess PROPOSAL --review THIS_FILE, or write the answers below.
proposal: {proposal}
reviewer: {reviewer}
rubric: {rubric}
declaration:
answers: {{}}
"""


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def review_template(proposal: str, reviewer_id: str, reviewer: str, rubric: str, stage: str | None) -> str:
    return _REVIEW_TEMPLATE.format(
        proposal=proposal,
        reviewer_id=reviewer_id,
        reviewer=_quote(reviewer),
        rubric=rubric,
        stage=f"   段階 / stage: {stage}" if stage else "",
    )


def _reviewer_lang(languages: list[str]) -> str:
    """The first language the reviewer reads that has a catalogue; Japanese when none has."""
    from .i18n import languages as available

    have = available()
    return next((lang for lang in languages if lang in have), "ja")


def write_packets(
    assignment: Assignment,
    paths: dict[str, str],
    rubric: Rubric,
    out_dir: str | Path,
    *,
    force: bool = False,
    stage: str | None = None,
) -> list[str]:
    """Write the packets; returns the reviewer folders written."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), None, None, None, Text("err.exists_not_folder"))])
    if (out / MANIFEST).exists() and not force:
        raise InputError(
            [
                Problem(
                    str(out / MANIFEST),
                    None,
                    None,
                    None,
                    Text("err.packets_exist"),
                )
            ]
        )
    by_reviewer: dict[str, list[str]] = {}
    for pair in assignment.pairs:
        by_reviewer.setdefault(pair.reviewer, []).append(pair.proposal)
    titles = {p.id: p.title for p in assignment.proposals}
    manifest = {
        "format": FORMAT,
        "rubric": rubric.ref,
        "stage": stage,
        "per_proposal": assignment.options.per_proposal,
        "reviewers": {},
    }
    written = []
    for rev in assignment.reviewers:
        pids = by_reviewer.get(rev.id, [])
        if not pids:
            continue
        folder = out / rev.id
        (folder / "proposals").mkdir(parents=True, exist_ok=True)
        (folder / "reviews").mkdir(parents=True, exist_ok=True)
        entries = []
        for pid in pids:
            src = Path(paths[pid])
            shutil.copyfile(src, folder / "proposals" / src.name)
            review = folder / "reviews" / f"{pid}.yaml"
            atomic_write(review, review_template(pid, rev.id, rev.name, rubric.ref, stage), force=True)
            entries.append(
                {
                    "proposal": pid,
                    "title": titles[pid],
                    "file": f"proposals/{src.name}",
                    "review": f"reviews/{pid}.yaml",
                }
            )
        mine = {
            "format": FORMAT,
            "rubric": rubric.ref,
            "stage": stage,
            "reviewer": {"id": rev.id, "name": rev.name},
            "proposals": entries,
        }
        atomic_write(folder / MANIFEST, json.dumps(mine, ensure_ascii=False, indent=2) + "\n", force=True)
        atomic_write(
            folder / "README.md", _readme(rev.name, _reviewer_lang(rev.languages), entries), force=True
        )
        manifest["reviewers"][rev.id] = {"name": rev.name, "proposals": pids}  # type: ignore[index]
        written.append(str(folder))
    atomic_write(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", force=True)
    return written


def _readme(name: str, lang: str, entries: list[dict[str, str]]) -> str:
    lines = [f"# {_t('readme_title', lang, name=name)}", "", _t("readme_intro", lang, n=len(entries)), ""]
    lines += [f"- `{e['proposal']}` {e['title']} — `{e['file']}` → `{e['review']}`" for e in entries]
    lines += ["", _t("readme_steps", lang), "", _t("readme_confidential", lang), ""]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- collect


@dataclass
class Returned:
    path: str
    reviewer: str
    proposal: str
    status: str  # collected, unchanged, incomplete, not_started, refused, invalid, exists
    message: str = ""
    missing: list[str] = field(default_factory=list)


@dataclass
class Progress:
    reviewer: str
    name: str
    assigned: list[str]
    done: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [p for p in self.assigned if p not in self.done and p not in self.in_progress]


@dataclass
class Collection:
    files: list[Returned]
    progress: list[Progress]
    problems: list[Problem]
    # Located notes on reviews that were collected all the same: no declaration (the
    # confidentiality pledge and the conflict answer), or a declared conflict of interest.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(f.status in ("refused", "invalid", "exists") for f in self.files)


def _problems_text(problems: list[Problem]) -> Text:
    """Problems of one returned file as one message, each said in the run's language when shown."""
    parts: list[object] = []
    for i, p in enumerate(problems):
        where = str(Problem(p.file, p.line, p.column, None, "")).rstrip()
        field = f" {p.field}:" if p.field else ""
        parts += ["; " if i else "", f"{where}{field} ", p.message]
    return Text.concat(*parts)


def _read_manifest(path: Path) -> dict:  # type: ignore[type-arg]
    from .fileio import read_regular
    from .yamlio import MAX_BYTES

    raw = read_regular(path, MAX_BYTES)  # a regular file or refused, never blocking
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        reason = Text("err.not_unicode")
        raise InputError(
            [Problem(str(path), None, None, None, Text("err.not_manifest_reason", reason=reason))]
        ) from None
    except json.JSONDecodeError as exc:
        reason = Text("err.manifest_not_json")
        raise InputError(
            [Problem(str(path), exc.lineno, exc.colno, None, Text("err.not_manifest_reason", reason=reason))]
        ) from None
    except (ValueError, RecursionError):
        reason = Text("err.manifest_not_json")
        raise InputError(
            [Problem(str(path), None, None, None, Text("err.not_manifest_reason", reason=reason))]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            [Problem(str(path), None, None, "format", Text("err.not_manifest_format", format=FORMAT))]
        )
    return data


def _reviewer_folders(dirs: list[Path]) -> list[tuple[Path, dict]]:  # type: ignore[type-arg]
    out = []
    for d in dirs:
        manifest = d / MANIFEST
        if not manifest.is_file():
            raise InputError(
                [Problem(str(d), None, None, None, Text("err.not_packet_folder", manifest=MANIFEST))]
            )
        data = _read_manifest(manifest)
        if "reviewers" in data and isinstance(data["reviewers"], dict):  # the packets' root
            for rid in data["reviewers"]:
                sub = d / rid
                if (sub / MANIFEST).is_file():
                    out.append((sub, _checked_against_root(sub, _read_manifest(sub / MANIFEST))))
        elif isinstance(data.get("reviewer"), dict) and isinstance(data.get("proposals"), list):
            out.append((d, _checked_against_root(d, data)))
        else:
            raise InputError([Problem(str(manifest), None, None, None, Text("err.manifest_no_reviewer"))])
    return out


def _checked_against_root(folder: Path, data: dict) -> dict:  # type: ignore[type-arg]
    """A reviewer's own manifest came back from the reviewer: when the packets' root manifest is
    at hand, the assignment it records is the one that counts."""
    root = folder.parent / MANIFEST
    if not root.is_file():
        return data
    try:
        recorded = _read_manifest(root).get("reviewers", {})
    except InputError:
        return data
    rid = data["reviewer"].get("id")
    if isinstance(recorded, dict) and rid in recorded:
        allowed = set(recorded[rid].get("proposals", []))
        kept = [e for e in data["proposals"] if isinstance(e, dict) and e.get("proposal") in allowed]
        data = {**data, "proposals": kept}
    return data


def collect(
    dirs: list[str | Path], call_dir: str | Path, rubric: Rubric, *, force: bool = False
) -> Collection:
    from .conflicts import read_call_proposals
    from .review import review_from_document
    from .scoring import missing_criteria
    from .yamlio import load_file

    call = Path(call_dir)
    proposals = {p.id: p for _, p in read_call_proposals(call, rubric)}
    files: list[Returned] = []
    progress: list[Progress] = []
    warnings: list[Problem] = []
    for folder, data in _reviewer_folders([Path(d) for d in dirs]):
        rid = str(data["reviewer"].get("id", ""))
        if not rid or os.sep in rid or rid.startswith("."):
            raise InputError(
                [Problem(str(folder / MANIFEST), None, None, "reviewer.id", Text("err.not_plain_id"))]
            )
        assigned = [str(e.get("proposal")) for e in data["proposals"] if isinstance(e, dict)]
        prog = Progress(rid, str(data["reviewer"].get("name", rid)), assigned)
        progress.append(prog)
        reviews = sorted((folder / "reviews").glob("*.y*ml")) if (folder / "reviews").is_dir() else []
        for path in reviews:
            try:
                doc = load_file(path)
            except InputError as exc:
                files.append(Returned(str(path), rid, "", "invalid", _problems_text(exc.problems)))
                continue
            pid = doc.data.get("proposal") if isinstance(doc.data, dict) else None
            pid = str(pid) if pid is not None else ""
            if pid not in assigned:
                files.append(
                    Returned(
                        str(path), rid, pid, "refused", Text("collect.not_assigned", pid=pid or "?", rid=rid)
                    )
                )
                continue
            if pid not in proposals:
                files.append(
                    Returned(
                        str(path), rid, pid, "refused", Text("collect.not_in_call", pid=pid, call=str(call))
                    )
                )
                continue
            loaded, problems = review_from_document(doc, rubric, proposals[pid])
            if loaded is None or problems:
                files.append(Returned(str(path), rid, pid, "invalid", _problems_text(problems)))
                continue
            review = loaded.review
            # A declared conflict is collected even without answers (the questionnaire stops
            # there), so that rank and consolidate list the review as excluded with its reason.
            if not review.answers and not review.has_conflict:
                files.append(Returned(str(path), rid, pid, "not_started"))
                continue
            warning = declaration_warning(doc, review, rubric)
            if warning is not None:
                warnings.append(warning)
            missing = missing_criteria(rubric, proposals[pid], review)
            dest = call / "reviews" / pid / f"{rid}.yaml"
            new = path.read_bytes()
            status = "incomplete" if missing else "collected"
            if dest.exists():
                if dest.read_bytes() == new:
                    status = "unchanged" if not missing else "incomplete"
                elif not force:
                    files.append(
                        Returned(str(path), rid, pid, "exists", Text("collect.dest_differs", dest=str(dest)))
                    )
                    continue
            if status != "unchanged":
                dest.parent.mkdir(parents=True, exist_ok=True)
                refuse_existing(dest, True)
                atomic_write(dest, new.decode("utf-8-sig"), force=True)
            # A declared conflict ends the reviewer's part: done, not in progress.
            (prog.in_progress if missing and not review.has_conflict else prog.done).append(pid)
            files.append(Returned(str(path), rid, pid, status, str(dest), missing))
    if not progress:
        raise UsageError(Text("err.no_reviewer_folders"))
    return Collection(files, progress, [], warnings)


def declaration_warning(doc: Document, review: Review, rubric: Rubric) -> Problem | None:
    """A returned review with answers but without the declaration the rubric asks for (the
    confidentiality pledge and the conflict answer), or with a declared conflict: located at its
    `declaration` key. Either way the review is collected and treated as ``rank`` and
    ``consolidate`` treat it: counted without a declaration, left out with a declared conflict."""
    if not rubric.conflict_categories:
        return None
    d = review.declaration
    if d is None:
        return doc.problem(("declaration",), Text("packets.no_declaration"), at_key=True)
    if d.has_conflict:
        return doc.problem(
            ("declaration", "conflict"), Text("packets.declared_conflict", category=d.conflict)
        )
    return None
