"""Build small calls (proposals and reviews on disk) whose correct ranking is known by hand."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

RUBRIC_REF = "mext-sti-international-2021@1"
SECTIONS = {
    "A": ["A1", "A3"],
    "B": ["B1", "B2", "B3", "B4"],
    "C": ["C1", "C2", "C3", "C4"],
    "X": ["X1", "X2", "X4", "X5", "X6"],
    "JR": [f"JR{i}" for i in range(1, 8)],
    "BC": [f"BC{i}" for i in range(1, 6)],
}
PROGRAMME_SECTION = {"joint_research": "JR", "brain_circulation": "BC", "other": None}


def proposal_yaml(
    pid: str,
    programme: str = "joint_research",
    *,
    budget: float | None = None,
    title: str | None = None,
    objectives: tuple[str, ...] = ("A.quality", "B.sdgs"),
    countries: tuple[str, ...] = ("TH",),
    stages: tuple[str, ...] = ("faculty", "postdoc"),
) -> str:
    lines = [
        f"id: {pid}",
        f"title: {title if title is not None else '課題 ' + pid}",
        f"programme: {programme}",
        "partners:",
        *[f"  - {{country: {c}, institution: 相手機関 {c}}}" for c in countries],
        "objectives: [" + ", ".join(objectives) + "]",
        "team:",
        *[f"  - {{name: 研究者 {i}, career_stage: {s}}}" for i, s in enumerate(stages)],
    ]
    if budget is not None:
        lines.append(f"budget: {int(budget) if float(budget).is_integer() else budget}")
    return "\n".join(lines) + "\n"


def review_yaml(
    pid: str,
    reviewer: str,
    scores: Mapping[str, float],
    programme: str = "joint_research",
    *,
    gates: Mapping[str, str] | None = None,
    criteria: Mapping[str, float] | None = None,
    role: str | None = None,
    only: tuple[str, ...] | None = None,
) -> str:
    """A review giving every criterion of section S the score ``scores[S]``; ``criteria``
    overrides single criteria; ``gates`` gives verdicts (default pass)."""
    gates = {"A2": "pass", "X7": "pass", **(gates or {})}
    lines = [f"proposal: {pid}", f"reviewer: {reviewer}", f"rubric: {RUBRIC_REF}"]
    if role:
        lines.append(f"role: {role}")
    lines.append("answers:")
    wanted = ["A", "B", "C", "X"]
    if PROGRAMME_SECTION[programme]:
        wanted.append(PROGRAMME_SECTION[programme])
    answers: dict[str, str] = {}
    for sec in wanted:
        for cid in SECTIONS[sec]:
            value = (criteria or {}).get(cid, scores.get(sec))
            if value is not None:
                answers[cid] = f"{{score: {value:g}, comment: コメント}}"
    for cid, verdict in gates.items():
        if verdict == "conditional":
            answers[cid] = "{verdict: conditional, conditions: [条件], comment: 条件付き}"
        elif verdict:
            answers[cid] = f"{{verdict: {verdict}, comment: 判定の理由}}"
    for cid, text in answers.items():
        if only is None or cid in only:
            lines.append(f"  {cid}: {text}")
    return "\n".join(lines) + "\n"


def write_call(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def simple_call(
    root: Path,
    spec: Mapping[str, tuple[str, Mapping[str, float], float | None]],
    reviewers: int = 2,
) -> Path:
    """``spec``: id -> (programme, section scores, budget); each proposal gets ``reviewers``
    identical reviews under reviews/<id>/."""
    files: dict[str, str] = {}
    for pid, (programme, scores, budget) in spec.items():
        files[f"proposals/{pid}.yaml"] = proposal_yaml(pid, programme, budget=budget)
        for k in range(reviewers):
            files[f"reviews/{pid}/r{k}.yaml"] = review_yaml(pid, f"審査員{k}", scores, programme)
    return write_call(root, files)
