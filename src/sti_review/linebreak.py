"""Line breaking for terminal text: English between words, Japanese between characters with
kinsoku (never before 、。）」 nor after （「). One module so that a better breaker (BudouX, say)
can replace it for every terminal table at once."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

# Kinsoku: characters that never start a line, and characters that never end one.
_NO_START = frozenset(
    "、。，．,.)）」』】〕〉》]］}｝!！?？:：;；ー～…‥・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％%"
)
_NO_END = frozenset("(（「『【〔〈《[［{｛")


def tokens(line: str) -> list[str]:
    """Words (with their trailing spaces) and single wide characters, with kinsoku glue applied."""
    raw: list[str] = []
    cur, open_word = "", False
    for ch in line:
        if ch in " \t":
            cur += ch
            open_word = False
        elif unicodedata.east_asian_width(ch) in "WF":
            if cur:
                raw.append(cur)
            cur, open_word = ch, False
        elif open_word:
            cur += ch
        else:
            if cur:
                raw.append(cur)
            cur, open_word = ch, True
    if cur:
        raw.append(cur)
    out: list[str] = []
    glue = False
    for tok in raw:
        if out and (glue or tok[0] in _NO_START):
            out[-1] += tok
        else:
            out.append(tok)
        glue = bool(tok.strip()) and tok.rstrip()[-1] in _NO_END
    return out


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells: English broken between words, Japanese between
    characters but never before 、。）」 nor after （「 (kinsoku)."""
    width = max(width, 4)
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        first = True
        for tok in tokens(para):
            if cell_len((line + tok).rstrip()) <= width:
                line += tok
                continue
            if line.strip():
                lines.append(line.rstrip())
                first = False
            line = ""
            while cell_len(tok.rstrip()) > width:
                cut, used = "", 0
                for ch in tok:
                    if used + cell_len(ch) > width:
                        break
                    cut += ch
                    used += cell_len(ch)
                lines.append(cut)
                first = False
                tok = tok[len(cut) :]
            line = tok if first else tok.lstrip()
        lines.append(line.rstrip())
    return lines
