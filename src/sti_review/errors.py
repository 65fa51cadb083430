"""One root error for sti-review; user errors carry located problems and an exit code."""

from __future__ import annotations

from dataclasses import dataclass


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


# A file with thousands of mistakes (a generated or mangled file) gets the first ones and a
# count: a list of 50,000 lines helps nobody, and finding a "did you mean" hint for each would
# take seconds.
MAX_PROBLEMS = 200


def more_problems(file: str, count: int) -> Problem:
    """The problem that stands for ``count`` further problems not listed."""
    return Problem(
        file, None, None, None, f"{count:,} more problems not listed (the first {MAX_PROBLEMS} are)"
    )


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


def did_you_mean(value: str, known: list[str]) -> str:
    """' (did you mean A1?)' for a near miss (case-insensitive), else ''."""
    from .rules import suggestion

    close = suggestion(value, known, fold_case=True)
    return f" (did you mean {close}?)" if close else ""
