"""The command line: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import InputError, StiReviewError, UsageError
from .i18n import Lang, t
from .report.registry import Format


def _help_lang(argv: list[str]) -> str:
    """The language of --help, known before typer builds it: --lang/-l in the arguments, else
    STI_REVIEW_LANG, else the locale (an unknown --lang is refused later, when it is parsed)."""
    from .i18n import detect_lang, is_available

    for i, arg in enumerate(argv):
        value = None
        if arg in ("--lang", "-l") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-l") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        if value and is_available(value):
            return detect_lang(value)
    return detect_lang(None)


_HELP_LANG = _help_lang(sys.argv[1:])


def _h(key: str) -> str:
    """A help text in the language of this run's --help."""
    return t(key, _HELP_LANG)


_NO_LINE_START = "、。，．）」』】・ー：；？！"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fill_wide(text: str, width: int, first: str, rest: str) -> str:
    """Fill a paragraph of Japanese (no spaces to break at) by display width: break between
    wide characters, never inside a Latin word, never before 、。）."""
    import re

    tokens = re.findall(
        r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|\s+|[^\s\u2e80-\u9fff\uf900-\uffef]+", text
    )
    lines, line, indent = [], "", first
    for token in tokens:
        if token.isspace():
            token = " "
            if not line:
                continue
        if line and _width(indent + line + token) > width and token[0] not in _NO_LINE_START and token != " ":
            lines.append(indent + line.rstrip())
            line, indent = "", rest
        line += token
    if line:
        lines.append(indent + line.rstrip())
    return "\n".join(lines)


def _install_wide_help_wrap() -> None:
    """click fills help text at spaces and counts characters, not columns, so a Japanese
    paragraph would run off the screen; wrap paragraphs with wide characters ourselves."""
    try:
        from typer._click import formatting
    except ImportError:  # a typer without its vendored click: keep its own wrapping
        return
    original = formatting.wrap_text

    def wrap_text(  # type: ignore[no-untyped-def]
        text, width=78, initial_indent="", subsequent_indent="", preserve_paragraphs=False
    ):
        import re

        if not re.search("[\u3000-\u9fff\uff00-\uffef]", text):
            return original(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
        paragraphs = (
            [" ".join(p.split()) for p in text.replace("\b", "").split("\n\n")]
            if preserve_paragraphs
            else [text]
        )
        return "\n\n".join(_fill_wide(p, width, initial_indent, subsequent_indent) for p in paragraphs if p)

    formatting.wrap_text = wrap_text  # type: ignore[assignment]


if _width(_h("cli.cmd.assess")) != len(_h("cli.cmd.assess")):
    _install_wide_help_wrap()


# The language of the CLI's own messages in this run: set from the environment before each
# command, then from its --lang once that is parsed.
_RUN_LANG = [_HELP_LANG]


def _say(key: str, **kwargs: object) -> str:
    return t(key, _RUN_LANG[0], **kwargs)


class _Root(TyperGroup):
    """The root command: before anything is parsed, this run's language is read from its own
    arguments (--lang), so that even a usage error (a missing option, a bad value) is in it."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        _RUN_LANG[0] = _help_lang(list(args))
        return super().make_context(info_name, args, parent=parent, **extra)


app = typer.Typer(
    cls=_Root,
    name="sti-review",
    help=_h("cli.app"),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich's help panels import a Markdown parser and rich.traceback,
    # a third of the time `sti-review --help` takes (docs/decisions.md, Start-up).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130


class SchemaChoice(str, Enum):
    proposal = "proposal"
    review = "review"
    rubric = "rubric"
    programmes = "programmes"
    reviewers = "reviewers"
    call = "call"


def _complete_lang(incomplete: str) -> list[str]:
    from .completion import languages

    return languages(incomplete)


def _complete_rubric(incomplete: str) -> list[str]:
    from .completion import rubrics

    return rubrics(incomplete)


LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help=_h("cli.opt.lang"),
        metavar="<lang>",
        autocompletion=_complete_lang,
        show_default=False,
    ),
]
RubricOpt = Annotated[
    Path | None,
    typer.Option(
        "--rubric",
        help=_h("cli.opt.rubric"),
        show_default=False,
        autocompletion=_complete_rubric,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sti-review {__version__}")
        raise typer.Exit()


def _completion_shell() -> str:
    from .completion import SHELLS, detect_shell
    from .i18n import detect_lang

    shell = detect_shell()
    if shell is None:
        _err(t("cli.completion_no_shell", detect_lang(None), shells=", ".join(SHELLS)))
        raise typer.Exit(2)
    return shell


def _install_completion(ctx: typer.Context, value: bool) -> None:
    """--install-completion: typer's installer, our words (issue 12)."""
    if not value or ctx.resilient_parsing:
        return
    from .completion import install
    from .i18n import detect_lang

    shell = _completion_shell()
    path = install(shell)
    typer.echo(t("cli.completion_installed", detect_lang(None), shell=shell, path=str(path)))
    raise typer.Exit()


def _show_completion(ctx: typer.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .completion import script

    typer.echo(script(_completion_shell()))
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help=_h("cli.opt.version")),
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help=_h("cli.opt.install_completion"),
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help=_h("cli.opt.show_completion"),
        ),
    ] = False,
) -> None:
    """Review international STI cooperation proposals against a rubric."""
    # _RUN_LANG was set from this run's arguments and environment (_Root.make_context)


def _lang(choice: str | None) -> str:
    """--lang, checked: any language with a catalogue (i18n.languages()) is accepted."""
    from .i18n import detect_lang, is_available, languages

    if choice is not None and not is_available(choice):
        raise UsageError(_say("cli.unknown_lang", language=choice, langs=", ".join(languages())))
    _RUN_LANG[0] = detect_lang(choice)
    return _RUN_LANG[0]


def _err(text: str) -> None:
    from .sanitize import printable

    text = printable(text)
    if sys.stderr.isatty():  # at a terminal, broken where Japanese and English may break
        import shutil

        from .text.linebreak import text_width, wrap

        width = shutil.get_terminal_size().columns
        if text_width(text) > width:
            text = "\n".join(wrap(text, width))
    sys.stderr.write(text + "\n")


def _install_usage_errors() -> None:
    from .usage import install

    install(lambda: _RUN_LANG[0], _err)  # typer's usage errors in the user's language


_install_usage_errors()


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into a message on stderr and the documented exit code."""
    try:
        yield
    except InputError as exc:
        for problem in exc.problems:
            _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
        raise typer.Exit(exc.exit_code) from None
    except StiReviewError as exc:
        from .errors import render

        _err(_say("cli.error", message=render(exc.args[0], _RUN_LANG[0]) if len(exc.args) == 1 else exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err(_say("cli.interrupted"))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as exc:  # the last resort for a path the loaders did not check (issue 11)
        from .errors import os_problem

        _err(_say("cli.error", message=os_problem(exc).render(_RUN_LANG[0])))
        raise typer.Exit(2) from None


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def _screen() -> tuple[int, bool]:
    """The width a terminal report is drawn at and whether stdout is a terminal (colours), as
    rich's ``Console`` decides them. When stdout is redirected and nothing in the environment
    forces a terminal, the answer comes without importing rich (~15 ms of a start, issue 17)."""
    env = os.environ
    columns = env.get("COLUMNS", "")
    forced = "FORCE_COLOR" in env or "TTY_COMPATIBLE" in env
    try:
        redirected = not sys.stdout.isatty()
    except (AttributeError, ValueError):
        redirected = False  # rich decides
    if sys.platform != "win32" and not forced and redirected and not columns.startswith("0"):
        if columns.isdigit():
            return int(columns), False
        for fd in (0, 1, 2):  # rich asks stdin, stdout and stderr in turn
            try:
                return os.get_terminal_size(fd).columns or 80, False
            except (AttributeError, ValueError, OSError):
                continue
        return 80, False
    console = _console()
    return console.width, console.is_terminal


def _binary_output(fmt: Format, output: Path | None) -> None:
    """Word and Excel files go to a file named with -o, never to the screen (issue 13)."""
    from .report.registry import BINARY

    if fmt in BINARY and (output is None or _is_terminal(output)):
        raise UsageError(_say("cli.binary_needs_output", format=fmt.value))


def _is_terminal(path: Path) -> bool:
    """-o /dev/tty, /dev/stdout at a terminal and the like (but /dev/null is fine)."""
    try:
        real = os.path.realpath(path)
        if not Path(real).is_char_device():
            return False
        fd = os.open(real, os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


@app.command(help=_h("cli.cmd.assess"))
def assess(
    proposal: Annotated[Path, typer.Argument(help=_h("cli.arg.proposal"), show_default=False)],
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            "-r",
            help=_h("cli.opt.review"),
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help=_h("cli.opt.format"))] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_h("cli.opt.output"),
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            help=_h("cli.opt.no_input"),
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=_h("cli.opt.force"))] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            help=_h("cli.opt.interactive"),
        ),
    ] = False,
) -> None:
    """Score a proposal against the rubric and print the report.

    At a terminal, a missing or incomplete review is first completed by a questionnaire that
    saves each answer at once; running the command again resumes it.
    """
    with _user_errors():
        from .api import open_job

        language = _lang(lang)
        if interactive and no_input:
            raise UsageError(_say("cli.interactive_no_input"))
        _available("assessment", format, language, output)
        from .api import default_review_path

        own = (proposal, review or default_review_path(proposal), rubric)
        _refuse_existing(output, force, *own)  # before the questionnaire, not after it
        if not no_input and (interactive or (sys.stdin.isatty() and sys.stdout.isatty())):
            from . import questionnaire as q

            options = [f"--format={format.value}"] if format is not Format.terminal else []
            options += [f"--output={output}"] if output is not None else []
            options += ["--force"] * force + ["--interactive"] * interactive
            resume = q.resume_command(proposal, review=review, rubric=rubric, lang=lang, options=options)
            done = q.complete_review(
                proposal, review, rubric, q.ConsolePrompter(_console()), language, resume
            )
            if done.stopped:
                for line in done.stop_lines:
                    _err(line)
                raise typer.Exit(done.exit_code)
            job = done.job
        else:
            job = open_job(proposal, review, rubric)
        assessment = job.assessment()
        if assessment.missing:
            n, items = len(assessment.missing), ", ".join(assessment.missing)
            _err(_say("cli.incomplete", path=job.review_path, n=n, items=items))
            if not job.review_exists:
                _err(_say("cli.no_review_yet", path=job.review_path))
        from .report.views import AssessmentView

        _show(AssessmentView(assessment, job.findings), format, language, output, force)
        if assessment.missing:
            raise typer.Exit(EXIT_INCOMPLETE)


@app.command(help=_h("cli.cmd.criteria"))
def criteria(
    criterion: Annotated[
        str | None,
        typer.Argument(help=_h("cli.arg.criterion"), show_default=False),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help=_h("cli.opt.json"))] = False,
    format: Annotated[
        Format, typer.Option("--format", "-f", help=_h("cli.opt.output_format"))
    ] = Format.terminal,
) -> None:
    """List the rubric's criteria, or show one in full."""
    with _user_errors():
        from .report.views import RubricView
        from .rubric import load_rubric

        language = _lang(lang)
        fmt = Format.json if as_json else format
        _available("rubric", fmt, language)
        rub = load_rubric(rubric)
        crit = None
        if criterion is not None:
            # JSON names criteria exactly as the rubric does; the screen also takes "a2" for A2
            crit = rub.criteria.get(criterion)
            if crit is None and fmt is not Format.json:
                crit = rub.criteria.get(criterion.upper())
            if crit is None:
                raise UsageError(_unknown_criterion(criterion, rub))
        _show(RubricView(rub, crit), fmt, language, None, False)


def _unknown_criterion(criterion: str, rub) -> str:  # type: ignore[no-untyped-def]
    return _say("cli.unknown_criterion", criterion=repr(criterion), known=", ".join(rub.criteria))


@app.command(help=_h("cli.cmd.validate"))
def validate(
    files: Annotated[list[Path], typer.Argument(help=_h("cli.arg.files"), show_default=False)],
    rubric: RubricOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check rubric, proposal and review files; report every problem at once."""
    with _user_errors():
        from .sanitize import printable
        from .validate import validate_files

        _lang(lang)

        results = validate_files(files, rubric)
        bad = 0
        for result in results:
            if result.problems:
                bad += 1
                for problem in result.problems:
                    _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
            else:
                sys.stdout.write(_say("cli.ok", path=printable(str(result.path)), kind=result.kind) + "\n")
        if bad:
            _err(_say("cli.files_with_problems", bad=bad, n=len(results)))
            raise typer.Exit(2)


@app.command(help=_h("cli.cmd.schema"))
def schema(
    which: Annotated[
        SchemaChoice | None,
        typer.Argument(help=_h("cli.arg.schema"), show_default=False),
    ] = None,
    rubric: RubricOpt = None,
) -> None:
    """Print the JSON Schema of the proposal, review, rubric and programmes file formats,
    with the rubric's enumerations (programmes, objectives, criteria, risk areas, ...)."""
    with _user_errors():
        from .rubric import load_rubric
        from .schemas import json_schema, json_schemas

        rub = load_rubric(rubric)
        data = json_schema(which.value, rub) if which else json_schemas(rub)
    from .sanitize import json_text

    sys.stdout.write(json_text(data))


EXIT_CHECK_FAILED = 1


@app.command(help=_h("cli.cmd.check"))
def check(
    proposals: Annotated[list[Path], typer.Argument(help=_h("cli.arg.proposals"), show_default=False)],
    format: Annotated[
        Format, typer.Option("--format", "-f", help=_h("cli.opt.output_format"))
    ] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_h("cli.opt.output_results"), show_default=False),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help=_h("cli.opt.strict"))] = False,
    force: Annotated[bool, typer.Option("--force", help=_h("cli.opt.force"))] = False,
) -> None:
    """Automated pre-checks: what each proposal is missing, before anyone scores it.

    Exit code 0 when every proposal passes, 1 when a check fails (an error; with --strict a
    warning too), 2 when a file cannot be read or is not a valid proposal.
    """
    with _user_errors():
        from .api import CheckedProposal, check_proposal
        from .rubric import load_rubric

        language = _lang(lang)
        _available("findings", format, language, output)
        _refuse_existing(output, force, rubric, *proposals)
        rubric = _call_rubric(proposals[0] if proposals else None, rubric)
        rub = load_rubric(rubric)
        results: list[CheckedProposal] = []
        invalid = []
        for path in proposals:
            try:
                results.append(check_proposal(path, rub))
            except InputError as exc:
                invalid.append((str(path), exc.problems))
                for problem in exc.problems:
                    _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
        failed = any(r.failed(strict) for r in results)
        from .report.views import FindingsView

        _show(FindingsView(results, invalid, rub, strict), format, language, output, force)
        if invalid:
            raise typer.Exit(2)
        if failed:
            raise typer.Exit(EXIT_CHECK_FAILED)


# --- panels, ranking and portfolio (issue 4) ---------------------------------------------------


OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help=_h("cli.opt.output"), show_default=False),
]
ForceOpt = Annotated[bool, typer.Option("--force", help=_h("cli.opt.force"))]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help=_h("cli.opt.jobs"), show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help=_h("cli.opt.no_cache"))]


def _call_rubric(where: Path | None, rubric: Path | None) -> Path | None:
    """The rubric of the call that ``where`` lies in (its call.yaml) unless ``--rubric`` was
    given; an explicit --rubric that differs from the call's is used, with a note."""
    if where is None:
        return rubric
    from .callfile import call_rubric

    chosen, call = call_rubric(where, rubric)
    if rubric is not None and call is not None:
        from .rubric import load_rubric

        mine, theirs = load_rubric(rubric), load_rubric(call.rubric)
        if (mine.id, mine.version) != (theirs.id, theirs.version):
            _err(_say("cli.call_rubric_overridden", rubric=rubric, path=call.path, call_rubric=call.rubric))
    return Path(chosen) if chosen is not None else None


def _refuse_existing(output: Path | None, force: bool, *inputs: Path | None) -> None:
    """Fail before a long run, not after it, when -o would overwrite a file without --force,
    or (whatever the flags) one of the command's own ``inputs``."""
    if output is not None:
        from .fileio import refuse_existing, refuse_own_input

        refuse_own_input(output, inputs)
        refuse_existing(output, force)


def _available(kind: str, fmt: Format, lang: str, output: Path | None = None) -> None:
    """Refuse, before any work, a format this command cannot write (exit 2, the formats it can),
    and a binary format (Word, Excel) without a file to write it to."""
    from .report import registry

    if (kind, fmt) not in registry.RENDERERS:
        from .i18n import t

        formats = ", ".join(f.value for f in registry.formats_for(kind))
        raise UsageError(t("format_not_available", lang, format=fmt.value, formats=formats))  # type: ignore[arg-type]
    _binary_output(fmt, output)


def _write_stdout(data: bytes | Iterable[bytes]) -> None:
    """A report's UTF-8 bytes (or its pieces, see ``_show``) to stdout: as they are when stdout
    is UTF-8 (no decoded copy of a 100,000-row ranking in memory), else through the text layer,
    which escapes what it cannot show."""
    pieces = [data] if isinstance(data, bytes) else data
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None and (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8":
        sys.stdout.flush()
        for piece in pieces:
            buffer.write(piece)
        buffer.flush()
        return
    for piece in pieces:  # each piece is whole characters
        sys.stdout.write(piece.decode("utf-8"))


def _show(view: object, fmt: Format, lang: str, output: Path | None, force: bool) -> None:
    """The one place a report is drawn: the registry picks the renderer for (view.kind, fmt).

    On the screen a terminal report takes the terminal's width, and its colours when stdout is a
    terminal; in a file every format is drawn at its own default width, without colours.
    """
    from .report import registry

    _available(view.kind, fmt, lang, output)  # type: ignore[attr-defined]
    render = registry.renderer(view.kind, fmt)  # type: ignore[attr-defined]
    # a renderer that can hand its report on in pieces (a large ranking's JSON and CSV) is
    # written piece by piece: the whole report is never in memory (issue 17)
    pieces = getattr(sys.modules.get(render.__module__), "render_chunks", None)
    if getattr(view, "kind", None) == "ranking":  # a ranking of an unchanged call: drawn once
        from .cache import Reports

        render = Reports.wrap(view, fmt.value, render)
        if pieces is not None:
            pieces = Reports.wrap_chunks(view, fmt.value, pieces)
    if output is None:
        width, color = None, False
        if fmt is Format.terminal:
            width, color = _screen()
        _write_stdout((pieces or render)(view, lang=lang, width=width, color=color))
        return
    from .fileio import atomic_write

    if pieces is not None:
        atomic_write(output, pieces(view, lang=lang), force=force)
        _err(_say("cli.wrote", path=output))
        return
    data = render(view, lang=lang)
    atomic_write(output, data if fmt in registry.BINARY else data.decode("utf-8"), force=force)
    _err(_say("cli.wrote", path=output))


@contextlib.contextmanager
def _progress(label: str) -> Iterator[object]:
    """A progress callback for long runs: a bar on stderr when stderr is a terminal, shown only
    once the run has taken more than a moment; elsewhere a one-line summary at the end."""
    import time

    console = _console(stderr=True)
    start = time.monotonic()
    state: dict[str, object] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not console.is_terminal:
            state["total"] = total
            return
        bar = state.get("bar")
        if bar is None:
            if time.monotonic() - start < 0.5 or done >= total:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            bar.start()  # type: ignore[attr-defined]
            state["bar"] = bar
            state["task"] = bar.add_task(label, total=total)  # type: ignore[attr-defined]
        bar.update(state["task"], completed=done, total=total)  # type: ignore[attr-defined]

    try:
        yield update
    finally:
        bar = state.get("bar")
        if bar is not None:
            bar.stop()  # type: ignore[attr-defined]
    elapsed = time.monotonic() - start
    if elapsed > 2 and "total" in state:
        _err(_say("cli.progress_done", label=label, n=f"{state['total']:,}", seconds=f"{elapsed:.1f}"))


def _amount(text: str | None, language: Lang = "en") -> float | None:
    """``--budget`` as users write it (4億, 4億円, 400,000千円, 400000000, full-width digits)."""
    if text is None:
        return None
    from .money import AmountError, parse_yen

    try:
        return float(parse_yen(text))
    except AmountError as e:
        raise UsageError(f"--budget: {e.text(language)}") from None


@app.command(help=_h("cli.cmd.consolidate"))
def consolidate(
    proposal: Annotated[Path, typer.Argument(help=_h("cli.arg.proposal"), show_default=False)],
    reviews: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_h("cli.arg.reviews"),
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help=_h("cli.opt.format"))] = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
    stage: Annotated[
        str | None, typer.Option("--stage", help=_h("cli.opt.stage"), show_default=False)
    ] = None,
) -> None:
    """Consolidate several reviews of one proposal: spread, disagreement, the panel's outcome.

    A review with `role: panel` is the panel's consensus: its answers override the individual
    scores in the outcome, and the report shows both.
    """
    with _user_errors():
        from .panel import load_panel

        language = _lang(lang)
        _available("panel", format, language, output)
        _refuse_existing(output, force, proposal, rubric, *(reviews or []))
        rubric = _call_rubric(proposal, rubric)
        consolidation = load_panel(proposal, reviews or [], rubric, stage)
        from .report.views import PanelView

        _show(PanelView(consolidation), format, language, output, force)
        if consolidation.unresolved:
            ids = ", ".join(cp.criterion.id for cp in consolidation.unresolved)
            _err(_say("cli.disagreement", path=proposal, ids=ids))


class RankMethod(str, Enum):
    weighted = "weighted"
    expected_rank = "expected-rank"


EXIT_NOT_CONVERGED = 4  # --method expected-rank: R-hat > 1.01, no funding line drawn
MethodOpt = Annotated[RankMethod, typer.Option("--method", help=_h("cli.opt.method"))]
LotterySeedOpt = Annotated[
    int | None, typer.Option("--lottery-seed", min=0, help=_h("cli.opt.lottery_seed"), show_default=False)
]
ReviewerStatsOpt = Annotated[bool, typer.Option("--reviewer-stats", help=_h("cli.opt.reviewer_stats"))]


@app.command(help=_h("cli.cmd.rank"))
def rank(
    call_dir: Annotated[Path, typer.Argument(help=_h("cli.arg.call"))],
    fund: Annotated[
        int | None,
        typer.Option("--fund", min=1, help=_h("cli.opt.fund"), show_default=False),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help=_h("cli.opt.budget"),
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help=_h("cli.opt.format"))] = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    method: MethodOpt = RankMethod.weighted,
    lottery_seed: LotterySeedOpt = None,
    reviewer_stats: ReviewerStatsOpt = False,
    by: Annotated[str, typer.Option("--by", help=_h("cli.opt.by"))] = "weighted",
    stage: Annotated[
        str | None, typer.Option("--stage", help=_h("cli.opt.stage"), show_default=False)
    ] = None,
    interview: Annotated[
        int | None, typer.Option("--interview", min=1, help=_h("cli.opt.interview"), show_default=False)
    ] = None,
) -> None:
    """Rank a whole call: outcomes, ranking, funding line and border zone.

    Files with problems are reported (file:line) and the proposals they concern are ranked
    `invalid`; the report is still written, and the exit code is then 2.
    """
    with _user_errors():
        from .ranking import rank_call

        language = _lang(lang)
        amount = _amount(budget, language)
        _available("ranking", format, language, output)
        _refuse_existing(output, force, call_dir, rubric)
        rubric = _call_rubric(call_dir, rubric)
        with _progress("rank") as progress:
            ranking = rank_call(
                call_dir,
                rubric,
                fund=fund,
                budget=amount,
                progress=progress,  # type: ignore[arg-type]
                workers=jobs,
                cache=not no_cache,
                warn=lambda why: _err(
                    _say(f"cli.cache_unusable.{why.reason}", folder=why.folder, detail=why.detail)
                ),
                by=by,  # type: ignore[arg-type]
                stage=stage,
                interview=interview,
            )
        refused = _call_stats(ranking, method, fund, amount, lottery_seed, reviewer_stats)
        from .report.views import RankingView

        _show(RankingView(ranking), format, language, output, force)
        if ranking.problems:
            for problem in ranking.problems:
                _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
            files = len({p.file for p in ranking.problems})
            _err(_say("cli.ranked_invalid", files=files, n=len(ranking.invalid)))
            raise typer.Exit(2)
        if refused:
            raise typer.Exit(EXIT_NOT_CONVERGED)


class LetterFormat(str, Enum):
    markdown = "markdown"
    html = "html"
    docx = "docx"


@app.command(help=_h("cli.cmd.feedback"))
def feedback(
    call_dir: Annotated[Path, typer.Argument(help=_h("cli.arg.call"))],
    output: Annotated[Path, typer.Option("--output", "-o", help=_h("cli.opt.feedback_output"))],
    format: Annotated[
        LetterFormat, typer.Option("--format", "-f", help=_h("cli.opt.feedback_format"))
    ] = LetterFormat.markdown,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    """One letter per proposal for its applicant (see docs/formats.md, "Feedback letters")."""
    with _user_errors():
        from .letters import build_letters, write_letters

        language = _lang(lang) if lang else None
        rubric = _call_rubric(call_dir, rubric)
        letters, warnings = build_letters(call_dir, rubric, language)  # type: ignore[arg-type]
        for path, ids in warnings:
            _err(_say("cli.feedback_missing", path=path, ids=ids))
        written = write_letters(letters, output, format.value, force)
        _err(_say("cli.feedback_written", n=len(written), folder=output))


@app.command(help=_h("cli.cmd.portfolio"))
def portfolio(
    call_dir: Annotated[
        Path | None,
        typer.Argument(help=_h("cli.arg.portfolio_call"), show_default=False),
    ] = None,
    programmes: Annotated[
        Path | None,
        typer.Option(
            "--programmes",
            "-p",
            help=_h("cli.opt.programmes"),
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help=_h("cli.opt.format"))] = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
    overlap: Annotated[
        int | None,
        typer.Option(
            "--overlap",
            min=2,
            help=_h("cli.opt.overlap"),
            show_default=False,
        ),
    ] = None,
    crowded: Annotated[
        int | None,
        typer.Option(
            "--crowded",
            min=2,
            help=_h("cli.opt.crowded"),
            show_default=False,
        ),
    ] = None,
    jobs: JobsOpt = None,
) -> None:
    """Map programmes and proposals by objective, career stage and region (X3): gaps, overlaps.

    Rows are the rubric's objectives; columns are career stages in one matrix and partner
    regions in the other. Give a call folder, a programmes file, or both.
    """
    with _user_errors():
        from .portfolio import build_map, programme_item, read_portfolio

        language = _lang(lang)
        if call_dir is None and programmes is None:
            raise UsageError(_say("cli.portfolio_what"))
        _available("portfolio", format, language, output)
        _refuse_existing(output, force, call_dir, programmes, rubric)
        rubric = _call_rubric(call_dir, rubric)
        with _progress("portfolio") as progress:
            data = read_portfolio(call_dir, programmes, rubric, workers=jobs, progress=progress)  # type: ignore[arg-type]
        items = [programme_item(p, language, data.rubric) for p in data.programmes]
        pmap = build_map(data.rubric, items, data.proposals, overlap_at=overlap, crowded_at=crowded)
        from .report.views import PortfolioView

        _show(PortfolioView(pmap), format, language, output, force)
        if data.problems:
            for problem in data.problems:
                _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
            _err(_say("cli.left_off_map", files=len({p.file for p in data.problems})))
            raise typer.Exit(2)


# --- Word forms and YAML skeletons (issue 13) ------------------------------------------------


class TemplateKind(str, Enum):
    proposal = "proposal"


class TemplateFormat(str, Enum):
    docx = "docx"


class InitKind(str, Enum):
    proposal = "proposal"
    review = "review"


ProgrammeOpt = Annotated[
    str | None,
    typer.Option("--programme", "-p", help=_h("cli.opt.programme"), show_default=False),
]


def _programme(rub, programme: str | None) -> str | None:  # type: ignore[no-untyped-def]
    known = list(rub.programme_terms)
    if programme is not None and programme not in known:
        raise UsageError(_say("cli.unknown_programme", programme=programme, known=", ".join(known)))
    return programme


def _write(data: str | bytes, output: Path | None, force: bool) -> None:
    """A file a command makes: to -o, else (text only) to standard output."""
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
        return
    from .fileio import atomic_write

    atomic_write(output, data, force=force)
    _err(_say("cli.wrote", path=output))


@app.command(help=_h("cli.cmd.template"))
def template(
    kind: Annotated[TemplateKind, typer.Argument(help=_h("cli.arg.template_kind"))],
    format: Annotated[
        TemplateFormat, typer.Option("--format", "-f", help=_h("cli.opt.template_format"))
    ] = TemplateFormat.docx,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    programme: ProgrammeOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .rubric import load_rubric

        language = _lang(lang)
        _binary_output(Format.docx, output)
        _refuse_existing(output, force, rubric)
        rub = load_rubric(rubric)
        from .forms import template as form_template

        data = form_template.render(rub, lang=language, programme=_programme(rub, programme))
        _write(data, output, force)


@app.command(name="import", help=_h("cli.cmd.import"))
def import_form(
    form: Annotated[Path, typer.Argument(help=_h("cli.arg.form"), show_default=False)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_h("cli.opt.import_output"), show_default=False)
    ],
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .forms.importer import import_form as read_and_write
        from .rubric import load_rubric

        _lang(lang)
        _refuse_existing(output, force, form, rubric)
        read_and_write(form, output, load_rubric(rubric), force=force)
        _err(_say("cli.wrote", path=output))


@app.command(help=_h("cli.cmd.init"))
def init(
    kind: Annotated[InitKind, typer.Argument(help=_h("cli.arg.init_kind"))],
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    programme: ProgrammeOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .forms import init as skeleton
        from .rubric import load_rubric

        language = _lang(lang)
        _refuse_existing(output, force, rubric)
        rub = load_rubric(rubric)
        make = skeleton.proposal_skeleton if kind is InitKind.proposal else skeleton.review_skeleton
        _write(make(rub, language, _programme(rub, programme)), output, force)


def run() -> None:
    """Console-script entry: no traceback reaches the user unless STI_REVIEW_DEBUG is set."""
    if "_STI_REVIEW_COMPLETE" in os.environ:  # the shell asks for completions (completion.py)
        from .completion import init_if_completing

        init_if_completing()
    try:
        app(prog_name="sti-review")
    except KeyboardInterrupt:
        _err(_say("cli.interrupted"))
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:  # a path error outside a command's own handling: bad input, not a bug
        if os.environ.get("STI_REVIEW_DEBUG"):
            raise
        from .errors import os_problem

        _err(_say("cli.error", message=os_problem(exc).render(_RUN_LANG[0])))
        sys.exit(2)
    except Exception as exc:
        if os.environ.get("STI_REVIEW_DEBUG"):
            raise
        _err(_say("cli.internal_error", kind=type(exc).__name__, message=exc))
        sys.exit(70)


# --- reviewer assignment: conflicts, assign, collect (issue 19) --------------------------------


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help=_h("cli.opt.output_format"))]
ReviewersOpt = Annotated[
    Path | None, typer.Option("--reviewers", help=_h("cli.opt.reviewers"), show_default=False)
]


def _pool(call_dir: Path, reviewers: Path | None) -> Path:
    """--reviewers, else the call's own reviewers.yaml."""
    if reviewers is not None:
        return reviewers
    beside = call_dir / "reviewers.yaml"
    if beside.is_file():
        return beside
    raise UsageError(_say("cli.reviewers_needed", path=beside))


YearsOpt = Annotated[int | None, typer.Option("--years", min=0, help=_h("cli.opt.years"), show_default=False)]
YearOpt = Annotated[
    int | None, typer.Option("--year", min=1900, max=2200, help=_h("cli.opt.year"), show_default=False)
]
AliasesOpt = Annotated[Path | None, typer.Option("--aliases", help=_h("cli.opt.aliases"), show_default=False)]


def _call_conflicts(call_dir, reviewers, rubric, years, year, aliases):  # type: ignore[no-untyped-def]
    """The call and the pool read, and every conflict between them (conflicts and assign)."""
    from .conflicts import conflicts_in_call, read_call_and_pool
    from .rubric import load_rubric

    call = read_call_and_pool(call_dir, reviewers, load_rubric(_call_rubric(call_dir, rubric)))
    return call, conflicts_in_call(call, years=years, this_year=year, aliases_path=aliases)


@app.command(help=_h("cli.cmd.conflicts"))
def conflicts(
    call_dir: Annotated[Path, typer.Argument(help=_h("cli.arg.call_dir_proposals"))],
    reviewers: ReviewersOpt = None,
    years: YearsOpt = None,
    year: YearOpt = None,
    aliases: AliasesOpt = None,
    format: FormatOpt = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .report.views import ConflictsView

        language = _lang(lang)
        _available("conflicts", format, language, output)
        reviewers = _pool(call_dir, reviewers)
        _refuse_existing(output, force, call_dir, reviewers, aliases, rubric)
        _, report = _call_conflicts(call_dir, reviewers, rubric, years, year, aliases)
        _show(ConflictsView(report), format, language, output, force)


@app.command(help=_h("cli.cmd.assign"))
def assign(
    call_dir: Annotated[Path, typer.Argument(help=_h("cli.arg.call_dir_proposals"))],
    reviewers: ReviewersOpt = None,
    per_proposal: Annotated[
        int, typer.Option("--per-proposal", "-k", min=1, help=_h("cli.opt.per_proposal"))
    ] = 3,
    fair: Annotated[bool, typer.Option("--fair", help=_h("cli.opt.fair"))] = False,
    outside_region: Annotated[
        bool, typer.Option("--outside-region", help=_h("cli.opt.outside_region"))
    ] = False,
    candidates: Annotated[
        int | None, typer.Option("--candidates", min=1, help=_h("cli.opt.candidates"), show_default=False)
    ] = None,
    packets: Annotated[
        Path | None, typer.Option("--packets", help=_h("cli.opt.packets"), show_default=False)
    ] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help=_h("cli.opt.packet_stage"), show_default=False)
    ] = None,
    years: YearsOpt = None,
    year: YearOpt = None,
    aliases: AliasesOpt = None,
    format: FormatOpt = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .assignment import Infeasible, Options, assign_call
        from .report.views import AssignmentView

        language = _lang(lang)
        _available("assignment", format, language, output)
        reviewers = _pool(call_dir, reviewers)
        _refuse_existing(output, force, call_dir, reviewers, aliases, rubric)
        if packets is not None:  # its copies of proposals and reviews would join the call
            from .fileio import refuse_folder_inside

            refuse_folder_inside(packets, [call_dir], "err.packets_inside_input")
        call, report = _call_conflicts(call_dir, reviewers, rubric, years, year, aliases)
        options = Options(per_proposal, fair, outside_region, candidates)
        try:
            result = assign_call(call, report, options)
        except Infeasible as exc:
            from .report.views.assignment import shortfall_text, t

            _err(_say("cli.error", message=t("infeasible", language)))
            for s in exc.shortfalls:
                _err(f"  - {shortfall_text(s, language)}")
            raise typer.Exit(2) from None
        _show(AssignmentView(result), format, language, output, force)
        if packets is not None:
            from .packets import write_packets

            written = write_packets(result, call.paths, call.rubric, packets, force=force, stage=stage)
            _err(_say("cli.packets_written", n=len(written), path=packets))


@app.command(help=_h("cli.cmd.collect"))
def collect(
    folders: Annotated[list[Path], typer.Argument(help=_h("cli.arg.collect_folders"), show_default=False)],
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_h("cli.opt.collect_force"))] = False,
) -> None:
    with _user_errors():
        from .packets import collect as collect_reviews
        from .report.views.assignment import collection_lines
        from .rubric import load_rubric

        language = _lang(lang)
        if len(folders) < 2:
            raise UsageError(_say("cli.collect_usage"))
        result = collect_reviews(
            folders[:-1], folders[-1], load_rubric(_call_rubric(folders[-1], rubric)), force=force
        )
        sys.stdout.write("\n".join(collection_lines(result, language)) + "\n")
        for warning in result.warnings:  # no declaration, or a declared conflict (issue 14)
            _err(_say("cli.collect_warning", message=warning.render(language)))
        if result.failed:
            raise typer.Exit(2)


# --- reviewer effects, reliability, expected rank (issue 18, sti_review.stats) --------------------


def _call_stats(ranking, method, fund, budget, lottery_seed, reviewer_stats) -> bool:  # type: ignore[no-untyped-def]
    """Attach the statistics to a ranking when asked; True when the funding line was refused."""
    expected = method == RankMethod.expected_rank
    if expected and budget is not None:
        raise UsageError(_say("cli.expected_rank_budget"))
    if lottery_seed is not None and not (expected and fund is not None):
        raise UsageError(_say("cli.lottery_needs"))
    if not (expected or reviewer_stats):
        return False
    from .stats import require

    require("numpy", "krippendorff", *(("jax", "numpyro") if expected else ()))
    from .stats.call import TooFewToRank, apply_expected_rank, call_stats

    try:
        stats = call_stats(ranking, expected=expected, fund=fund, lottery_seed=lottery_seed)
    except TooFewToRank as exc:
        raise UsageError(_say("cli.expected_rank_too_few", graded=exc.graded)) from None
    apply_expected_rank(ranking, stats)
    er = stats.expected
    if er is not None and er.refused:
        _err(_say("cli.not_converged", rhat=f"{er.rhat_max:.3f}", code=EXIT_NOT_CONVERGED))
        return True
    if er is not None and er.draw is not None:
        _err(_say("cli.lottery_draw", seed=er.draw.seed, winners=", ".join(er.draw.winners) or "-"))
    return False


@app.command(help=_h("cli.cmd.reviewers"))
def reviewers(
    call_dir: Annotated[Path, typer.Argument(help=_h("cli.arg.call"), show_default=False)],
    format: FormatOpt = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    with _user_errors():
        from .stats import require

        language = _lang(lang)
        _available("reviewers", format, language, output)
        _refuse_existing(output, force, call_dir, rubric)
        require("numpy", "krippendorff")
        from .ranking import rank_call
        from .report.views import ReviewersView
        from .stats.call import call_stats

        with _progress("reviewers") as progress:
            ranking = rank_call(call_dir, rubric, progress=progress)  # type: ignore[arg-type]
        _show(ReviewersView(call_stats(ranking), ranking), format, language, output, force)
        for problem in ranking.problems:
            _err(_say("cli.error", message=problem.render(_RUN_LANG[0])))
        if ranking.problems:
            raise typer.Exit(2)
