"""The command line: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import InputError, StiReviewError, UsageError
from .report import Format

app = typer.Typer(
    name="sti-review",
    help="Review international STI cooperation proposals against a rubric "
    "(MEXT 2021, 科学技術の国際展開の戦略的推進に向けて) and hand committees a scored report.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130


class LangChoice(str, Enum):
    ja = "ja"
    en = "en"


class SchemaChoice(str, Enum):
    proposal = "proposal"
    review = "review"
    rubric = "rubric"


LangOpt = Annotated[
    LangChoice | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language of the rubric text and the report: ja or en "
        "[default: $STI_REVIEW_LANG, else the locale].",
        show_default=False,
    ),
]
RubricOpt = Annotated[
    Path | None,
    typer.Option(
        "--rubric",
        help="A rubric folder (or its rubric.yaml) instead of the shipped one.",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sti-review {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Review international STI cooperation proposals against a rubric."""


def _lang(choice: LangChoice | None) -> str:
    from .i18n import detect_lang

    return detect_lang(choice.value if choice else None)


def _err(text: str) -> None:
    from .sanitize import printable

    sys.stderr.write(printable(text) + "\n")


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into a message on stderr and the documented exit code."""
    try:
        yield
    except InputError as exc:
        for problem in exc.problems:
            _err(f"error: {problem}")
        raise typer.Exit(exc.exit_code) from None
    except StiReviewError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _write_output(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .fileio import atomic_write

    atomic_write(output, text, force=force)
    _err(f"wrote {output}")


@app.command()
def assess(
    proposal: Annotated[Path, typer.Argument(help="The proposal file (YAML).", show_default=False)],
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            "-r",
            help="The review file [default: PROPOSAL's name with .review.yaml, beside it].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file instead of the screen.",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            help="Never ask questions: an incomplete review exits with code 3 and lists what is missing.",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")] = False,
) -> None:
    """Score a proposal against the rubric and print the report."""
    with _user_errors():
        from .api import open_job

        language = _lang(lang)
        job = open_job(proposal, review, rubric)
        assessment = job.assessment()
        if assessment.missing:
            _err(
                f"{job.review_path}: incomplete review, {len(assessment.missing)} "
                f"criteria not answered: {', '.join(assessment.missing)}"
            )
            if not job.review_exists:
                _err(
                    f"no review file yet at {job.review_path}; write one (see docs/formats.md) "
                    "or pass --review"
                )
        _emit(assessment, language, format, output, force)
        if assessment.missing:
            raise typer.Exit(EXIT_INCOMPLETE)


def _emit(assessment, lang, format: Format, output: Path | None, force: bool) -> None:  # type: ignore[no-untyped-def]
    if format is Format.json:
        from .report import json as json_report

        _write_output(json_report.render(assessment, lang), output, force)
    elif format is Format.markdown:
        from .report import markdown

        _write_output(markdown.render(assessment, lang), output, force)
    else:
        from .report import terminal

        if output is None:
            terminal.print_report(assessment, lang, _console())
        else:
            _write_output(terminal.render_text(assessment, lang), output, force)


@app.command()
def criteria(
    criterion: Annotated[
        str | None,
        typer.Argument(help="Show one criterion in full, e.g. A2.", show_default=False),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rubric as JSON.")] = False,
) -> None:
    """List the rubric's criteria, or show one in full."""
    with _user_errors():
        from .report import rubric_view
        from .rubric import load_rubric

        language = _lang(lang)
        rub = load_rubric(rubric)
        if as_json:
            data = rubric_view.to_data(rub)
            if criterion:
                data = next(
                    (c for s in data["sections"] for c in s["criteria"] if c["id"] == criterion),
                    None,
                )
            if data is None:
                raise UsageError(_unknown_criterion(criterion or "", rub))
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            return
        console = _console()
        if criterion is None:
            rubric_view.print_tree(rub, language, console)
            return
        crit = rub.criteria.get(criterion) or rub.criteria.get(criterion.upper())
        if crit is None:
            raise UsageError(_unknown_criterion(criterion, rub))
        rubric_view.print_criterion(rub, crit, language, console)


def _unknown_criterion(criterion: str, rub) -> str:  # type: ignore[no-untyped-def]
    return f"unknown criterion {criterion!r}; known: {', '.join(rub.criteria)}"


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Rubric, proposal or review files.", show_default=False)
    ],
    rubric: RubricOpt = None,
) -> None:
    """Check rubric, proposal and review files; report every problem at once."""
    with _user_errors():
        from .validate import validate_files

        results = validate_files(files, rubric)
        bad = 0
        for result in results:
            if result.problems:
                bad += 1
                for problem in result.problems:
                    _err(f"error: {problem}")
            else:
                sys.stdout.write(f"ok: {result.path} ({result.kind})\n")
        if bad:
            _err(f"{bad} of {len(results)} files have problems")
            raise typer.Exit(2)


@app.command()
def schema(
    which: Annotated[
        SchemaChoice | None,
        typer.Argument(help="Which format; all three when left out.", show_default=False),
    ] = None,
) -> None:
    """Print the JSON Schema of the proposal, review (and rubric) file formats."""
    from .schemas import json_schemas

    schemas = json_schemas()
    data = schemas[which.value] if which else schemas
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run() -> None:
    """Console-script entry: no traceback reaches the user unless STI_REVIEW_DEBUG is set."""
    try:
        app(prog_name="sti-review")
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("STI_REVIEW_DEBUG"):
            raise
        _err(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in sti-review; rerun with STI_REVIEW_DEBUG=1 for details and report it."
        )
        sys.exit(70)
