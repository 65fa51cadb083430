"""The layout of the proposal form, shared by the template that writes it and the importer that
reads it back: its headings, and the columns of each table, in Japanese and English."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..i18n import Lang, catalog

FORM_MARK = "sti-review-form"  # in the document's keywords, with the rubric and criterion ids
GUIDANCE_CAPTION = "sti-review:guidance"  # tables of instructions, skipped by the importer

T = catalog(
    {
        "form_title": ("提案様式", "Proposal form"),
        "form_intro": (
            "各見出しの下の表と記入欄に記入してください。見出しは削除・変更しないでください。"
            "表の行は必要に応じて追加できます。灰色の枠は記入上の注意で、読み込み時には無視されます。",
            "Fill in the tables and the space under each heading. Do not delete or rename the "
            "headings. Add table rows as needed. Shaded boxes are instructions; they are ignored "
            "when the form is read back.",
        ),
        "rubric_line": ("評価基準: {ref}", "Rubric: {ref}"),
        "programme_line": ("事業区分: {programme}", "Programme: {programme}"),
        "criteria_intro": (
            "次の評価項目ごとに、見出しの下に提案の内容を記入してください（注意書きの枠の後）。",
            "For each criterion below, write the proposal's text under its heading (after the "
            "instruction box).",
        ),
        "field": ("項目", "Field"),
        "entry": ("記入欄", "Entry"),
        "for_applicants": ("記入上の注意", "For applicants"),
        "write_here": ("（ここに記入）", "(write here)"),
        "mark_hint": (
            "該当する目的の「選択」欄に ○ などの印を付けてください。",
            "Mark the objectives that apply (any mark, e.g. x) in the Select column.",
        ),
        "values_hint": ("使える値: {values}", "Values: {values}"),
    }
)

# heading key -> (ja, en)
HEADINGS: dict[str, tuple[str, str]] = {
    "basic": ("基本情報", "Basic information"),
    "summary": ("概要", "Summary"),
    "partners": ("相手国・機関", "Partners"),
    "objectives": ("目的", "Objectives"),
    "team": ("研究体制", "Team"),
    "kpis": ("成果指標（KPI）", "Key performance indicators (KPIs)"),
    "risks": ("リスクと対策", "Risks and mitigation"),
    "integrity": ("研究インテグリティ", "Research integrity"),
    "criteria": ("評価項目ごとの記載", "Text per criterion"),
}
ORDER = tuple(HEADINGS)

# the rows of the basic information table: key -> (ja, en)
BASIC: dict[str, tuple[str, str]] = {
    "id": ("提案ID（英数字・. _ -）", "Proposal ID (letters, digits, . _ -)"),
    "title": ("課題名", "Title"),
    "programme": ("事業区分", "Programme"),
    "lead_name": ("研究代表者 氏名", "Lead: name"),
    "lead_institution": ("研究代表者 所属機関", "Lead: institution"),
    "budget": ("申請額（円）", "Requested amount (yen)"),
}


@dataclass(frozen=True)
class Column:
    key: str
    ja: str
    en: str

    def label(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


TABLES: dict[str, tuple[Column, ...]] = {
    "partners": (
        Column("country", "国コード（ISO 2文字）", "Country (ISO code)"),
        Column("institution", "機関", "Institution"),
    ),
    "objectives": (
        Column("select", "選択", "Select"),
        Column("id", "ID", "ID"),
        Column("title", "目的", "Objective"),
    ),
    "team": (
        Column("name", "氏名", "Name"),
        Column("role", "役割", "Role"),
        Column("discipline", "分野", "Discipline"),
        Column("career_stage", "キャリア段階", "Career stage"),
        Column("institution", "所属機関", "Institution"),
        Column("country", "国コード", "Country"),
    ),
    "kpis": (
        Column("objective", "目的ID", "Objective ID"),
        Column("indicator", "指標", "Indicator"),
        Column("target", "目標値", "Target"),
    ),
    "risks": (
        Column("area", "分野", "Area"),
        Column("description", "内容", "Description"),
        Column("mitigation", "対策", "Mitigation"),
    ),
    "integrity": (Column("procedure", "手続・体制", "Procedure"),),
}

_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[0-9]+(?:[.．][0-9]+)*[.．、)）]?"  # 1. 1.2 1) 1、
    r"|[(（][0-9]+[)）]"  # (1)
    r"|[①-⑳]"  # ①
    r"|[IVXivx]+[.．]"  # IV.
    r"|第[0-9一二三四五六七八九十]+[章節]"
    r")\s*"
)


def unnumbered(text: str) -> str:
    """NFKC, numbering such as １．(1) ① removed, spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _NUMBERING.sub("", text, count=1)
    return re.sub(r"\s+", " ", text).strip()


def normal(text: str) -> str:
    """Heading or label text as compared: :func:`unnumbered`, lower case."""
    return unnumbered(text).lower()


def matches(text: str, labels: tuple[str, str]) -> bool:
    """Japanese, English, or both with a slash between, after :func:`normal`."""
    n = normal(text)
    ja, en = (normal(x) for x in labels)
    return n in (ja, en, f"{ja} / {en}", f"{ja}/{en}", f"{en} / {ja}")


def label(labels: tuple[str, str], lang: Lang) -> str:
    return labels[0] if lang == "ja" else labels[1]
