"""One root error for sti-review; user errors carry located problems and an exit code."""

from __future__ import annotations

import os
from dataclasses import dataclass


class Text(str):
    """A message of ours, said in the user's language when it is shown.

    As a ``str`` it is the English text (for library users, logs, ``str(problem)``); it also
    carries its catalogue key and values, so the CLI can say it in the language of the run
    with ``render(text, lang)``. Values may be Texts themselves (a hint inside a message).
    ``a + b`` with a Text keeps both parts renderable.
    """

    key: str
    values: dict[str, object]
    parts: tuple[object, ...]

    def __new__(cls, key: str, /, **values: object) -> Text:
        from .i18n import t

        self = super().__new__(cls, t(key, "en", **values) if values else t(key, "en"))
        self.key, self.values, self.parts = key, values, ()
        return self

    @classmethod
    def concat(cls, *parts: object) -> Text:
        self = str.__new__(cls, "".join(str(p) for p in parts))
        self.key, self.values, self.parts = "", {}, parts
        return self

    def __add__(self, other: object) -> Text:  # type: ignore[override]
        return Text.concat(self, other)

    def __radd__(self, other: object) -> Text:
        return Text.concat(other, self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Pickled with its key and values (a worker's results, the cache's rows): a problem read
        # back from the cache is said in the language of the run that shows it, not frozen in
        # English. Rebuilt without looking the key up again (``_restore``).
        return (_restore, (str(self), self.key, self.values, self.parts))


def _restore(english: str, key: str, values: dict[str, object], parts: tuple[object, ...]) -> Text:
    """A pickled Text, as it was (see ``Text.__reduce__``)."""
    self = str.__new__(Text, english)
    self.key, self.values, self.parts = key, values, parts
    return self


def render(text: object, lang: str) -> str:
    """``text`` in ``lang`` when it is a Text of ours, else as it is."""
    if not isinstance(text, Text):
        return str(text)
    if text.parts:
        return "".join(render(p, lang) for p in text.parts)
    from .i18n import t

    values = {k: render(v, lang) if isinstance(v, Text) else v for k, v in text.values.items()}
    return t(text.key, lang, **values)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def render(self, lang: str) -> str:
        """As ``str()``, with the message in ``lang`` (and the field, when it is a Text of ours:
        a place described in words, such as a row of a table in a Word form)."""
        if isinstance(self.field, Text):
            shown = Problem(self.file, self.line, self.column, render(self.field, lang), "")
            return str(shown) + render(self.message, lang)
        where = str(self)[: len(str(self)) - len(str(self.message))]
        return where + render(self.message, lang)


# A file with thousands of mistakes (a generated or mangled file) gets the first ones and a
# count: a list of 50,000 lines helps nobody, and finding a "did you mean" hint for each would
# take seconds.
MAX_PROBLEMS = 200


def more_problems(file: str, count: int) -> Problem:
    """The problem that stands for ``count`` further problems not listed."""
    return Problem(file, None, None, None, Text("err.more_problems", count=f"{count:,}", first=MAX_PROBLEMS))


class StiReviewError(Exception):
    """Root of every error sti-review raises on purpose."""

    exit_code = 1


class InputError(StiReviewError):
    """Bad input: one or more located problems. Exit code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(StiReviewError):
    """The command line asks for something that cannot be done. Exit code 2."""

    exit_code = 2


def input_error(
    file: str,
    message: str,
    *,
    field: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> InputError:
    """Shorthand for an InputError with a single problem."""
    return InputError([Problem(file, line, column, field, message)])


def did_you_mean(value: str, known: list[str]) -> str:  # a Text, or ""
    """' (did you mean A1?)' for a near miss (case-insensitive), else ''."""
    from .rules import suggestion

    close = suggestion(value, known, fold_case=True)
    return Text("err.did_you_mean", value=close) if close else ""


# Why an operating-system call on a path failed, in the user's words: catalogue key err.os.<NAME>.
_OS_REASONS = frozenset(
    ("ENAMETOOLONG", "EACCES", "EPERM", "ENOENT", "ENOTDIR", "EISDIR", "ELOOP", "ENOSPC", "EROFS", "EIO")
)
MAX_SHOWN_PATH = 160  # characters of a path shown in a message; the middle of longer ones is cut


def shown_path(path: object) -> str:
    """A path as messages show it: whole, unless it is too long to read (then its two ends)."""
    text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else str(path)
    if len(text) <= MAX_SHOWN_PATH:
        return text
    half = MAX_SHOWN_PATH // 2
    return f"{text[:half]}…({len(text):,} characters)…{text[-half:]}"


def os_problem(exc: OSError) -> Problem:
    """An operating-system error on a path as a located problem (the file is the path)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    reason: str = Text(f"err.os.{name}") if name in _OS_REASONS else (exc.strerror or str(exc))
    where = shown_path(exc.filename) if exc.filename is not None else "(no file)"
    if exc.filename2 is not None:
        where += f" -> {shown_path(exc.filename2)}"
    code = f" ({name})" if name else ""
    return Problem(where, None, None, None, reason + code)
