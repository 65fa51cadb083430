"""Messages on stderr are broken to the terminal's width like the reports are (Japanese first)."""

from __future__ import annotations

import io

from sti_review import cli


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


MESSAGE = (
    "/tmp/call/reviews/P-01/r1.yaml：審査未了です。"
    "未回答の評価項目 14件：C1, C2, C3, C4, X2, X5, X6, JR1, JR2"
)


def test_a_long_message_at_a_terminal_is_broken_at_its_width(monkeypatch):
    out = _Tty()
    monkeypatch.setattr("sys.stderr", out)
    monkeypatch.setenv("COLUMNS", "40")
    cli._err(MESSAGE)
    lines = out.getvalue().splitlines()
    assert len(lines) > 1
    assert all(cli_width(line) <= 40 for line in lines)
    assert "".join(lines).replace(" ", "") == MESSAGE.replace(" ", "")
    # no line opens with punctuation
    assert not any(line.startswith(("。", "、", "：", ",")) for line in lines)


def test_a_message_into_a_file_or_pipe_stays_one_line(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stderr", out)
    monkeypatch.setenv("COLUMNS", "40")
    cli._err(MESSAGE)
    assert out.getvalue() == MESSAGE + "\n"


def cli_width(line: str) -> int:
    from sti_review.text.linebreak import text_width

    return text_width(line)
