"""One root error for sti-review; user errors carry located problems and an exit code."""

from __future__ import annotations

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
        return (str, (str(self),))


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
        """As ``str()``, with the message (never the location) in ``lang``."""
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
