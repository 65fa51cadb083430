"""Every user-visible word goes through the catalogues, and no code names a language: no
("日本語", "English") pairs, no ``Text(ja="…", en="…")`` or ``{"ja": "…", "en": "…"}`` literals,
no ``lang == "ja"`` branches. Adding a third language must need no code change (docs/languages.md).

Read with the ``ast`` module, so a pair written over several lines is found too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "sti_review"

_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and kanji (not full-width digits)
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")

# Places where code may still name a language, each with the reason (keep this short).
ALLOWED: dict[str, str] = {}


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_lang(node: ast.AST) -> bool:
    return _is_str(node) and node.value in ("ja", "en")  # type: ignore[attr-defined]


def _is_code(node: ast.AST) -> bool:
    """Any language code, e.g. "fr" in ``lang == "fr"``."""
    return _is_str(node) and bool(_LANG.fullmatch(node.value))  # type: ignore[attr-defined]


def _names_lang(node: ast.AST) -> bool:
    """``lang`` / ``self.lang`` / ``language``: a variable that holds the language of a run."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name in ("lang", "language", "shown_lang", "page_lang")


def problems_in(source: str) -> list[tuple[int, str]]:
    """Each place in ``source`` that speaks two languages in code, with what it is."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(_is_str(e) for e in node.elts):
            if any(_JA.search(e.value) for e in node.elts):  # type: ignore[attr-defined]
                found.append((node.lineno, "a (ja, en) pair"))
        elif isinstance(node, ast.Call) and {k.arg for k in node.keywords} >= {"ja", "en"}:
            if all(_is_str(k.value) for k in node.keywords if k.arg in ("ja", "en")):
                found.append((node.lineno, "a Text(ja=…, en=…) literal"))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if k is not None and _is_str(k)}  # type: ignore[attr-defined]
            values = [v for k, v in zip(node.keys, node.values, strict=True) if k is not None and _is_str(k)]
            if {"ja", "en"} <= keys and all(_is_str(v) for v in values):
                found.append((node.lineno, 'a {"ja": …, "en": …} literal'))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = node.left, node.comparators[0]
            if isinstance(node.ops[0], ast.Eq | ast.NotEq) and (
                (_names_lang(left) and _is_code(right)) or (_names_lang(right) and _is_code(left))
            ):
                found.append((node.lineno, 'a lang == "…" branch'))
            if isinstance(node.ops[0], ast.In | ast.NotIn) and _names_lang(left):
                if isinstance(right, ast.Tuple | ast.List | ast.Set) and any(_is_code(e) for e in right.elts):
                    found.append((node.lineno, 'a lang in ("ja", …) branch'))
        elif isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple | ast.List):
            if node.iter.elts and all(_is_lang(e) for e in node.iter.elts):
                found.append((node.lineno, 'a loop over ("ja", "en")'))
        elif isinstance(node, ast.comprehension) and isinstance(node.iter, ast.Tuple | ast.List):
            if node.iter.elts and all(_is_lang(e) for e in node.iter.elts):
                found.append((node.iter.lineno, 'a loop over ("ja", "en")'))
    return found


def _all_problems() -> dict[str, list[tuple[int, str]]]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        found = [(line, what) for line, what in problems_in(path.read_text(encoding="utf-8"))]
        found = [(line, what) for line, what in found if f"{rel}:{line}" not in ALLOWED]
        if found:
            out[rel] = found
    return out


def test_no_code_speaks_two_languages():
    found = _all_problems()
    assert not found, (
        "words or language branches in code; use t()/tn() with a catalogue key, or a catalogue rule"
        f" (docs/languages.md): {found}"
    )


def test_every_allowed_place_still_exists_and_says_why():
    for place, why in ALLOWED.items():
        rel, _, line = place.rpartition(":")
        assert (SRC / rel).is_file() and line.isdigit() and len(why) > 20, place


def test_the_checker_finds_each_spelling():
    assert problems_in('label = ("審査委員", "reviewer")')
    assert problems_in('X = {\n    "k": (\n        "審査委員",\n        "reviewer",\n    ),\n}')
    assert problems_in('_NONE = Text(ja="記載なし", en="none")')
    assert problems_in('m = {"ja": "なし", "en": "none"}')
    assert problems_in('sep = "、" if lang == "ja" else ", "')
    assert problems_in('if self.lang != "en":\n    pass')
    assert problems_in('if "ja" == language:\n    pass')
    assert problems_in('x = [f(lang) for lang in ("ja", "en")]')
    assert problems_in('for lang in ["ja", "en"]:\n    pass')
    assert problems_in('ok = lang in ("ja", "en")')
    assert problems_in('if lang == "fr":\n    pass')


def test_the_checker_leaves_other_code_alone():
    assert not problems_in('pair = ("reviewer", "panel")')
    assert not problems_in('both = {"ja": value, "en": value}')  # one value for every language
    assert not problems_in('guess = "ja" if japanese else "en"')  # a guess from the script
    assert not problems_in('if kind == "ja":\n    pass')
    assert not problems_in("text = Text(ja=name, en=name)")
