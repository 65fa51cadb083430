"""The command line: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
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
    # Plain help and usage errors: rich's help panels import a Markdown parser and rich.traceback,
    # a third of the time `sti-review --help` takes (docs/decisions.md, Start-up).
    rich_markup_mode=None,
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
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            help="Ask the questions even when input or output is not a terminal (e.g. answers piped in).",
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
            raise UsageError("--interactive and --no-input cannot be used together")
        _refuse_existing(output, force)  # before the questionnaire, not after it
        if not no_input and (interactive or (sys.stdin.isatty() and sys.stdout.isatty())):
            from . import questionnaire as q

            options = [f"--format={format.value}"] if format is not Format.terminal else []
            options += [f"--output={output}"] if output is not None else []
            options += ["--force"] * force + ["--interactive"] * interactive
            resume = q.resume_command(
                proposal, review=review, rubric=rubric, lang=lang.value if lang else None, options=options
            )
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
            _err(
                f"{job.review_path}: incomplete review, {len(assessment.missing)} "
                f"criteria not answered: {', '.join(assessment.missing)}"
            )
            if not job.review_exists:
                _err(
                    f"no review file yet at {job.review_path}; write one (see docs/formats.md) "
                    "or pass --review"
                )
        _emit(assessment, language, format, output, force, job.findings)
        if assessment.missing:
            raise typer.Exit(EXIT_INCOMPLETE)


def _emit(assessment, lang, format: Format, output: Path | None, force: bool, findings=None) -> None:  # type: ignore[no-untyped-def]
    if format is Format.json:
        from .report import json as json_report

        _write_output(json_report.render(assessment, lang, findings), output, force)
    elif format is Format.markdown:
        from .report import markdown

        _write_output(markdown.render(assessment, lang, findings), output, force)
    elif format is Format.html:
        from .report import html

        _write_output(html.render(assessment, lang, findings), output, force)
    else:
        from .report import terminal

        if output is None:
            terminal.print_report(assessment, lang, _console(), findings)
        else:
            _write_output(terminal.render_text(assessment, lang, findings=findings), output, force)


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
            from .sanitize import json_text

            sys.stdout.write(json_text(data))
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
    from .sanitize import json_text

    sys.stdout.write(json_text(data))


EXIT_CHECK_FAILED = 1


@app.command()
def check(
    proposals: Annotated[
        list[Path], typer.Argument(help="One or more proposal files (YAML).", show_default=False)
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the results to this file instead of the screen.", show_default=False
        ),
    ] = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too, not only errors.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")] = False,
) -> None:
    """Automated pre-checks: what each proposal is missing, before anyone scores it.

    Exit code 0 when every proposal passes, 1 when a check fails (an error; with --strict a
    warning too), 2 when a file cannot be read or is not a valid proposal.
    """
    with _user_errors():
        from .api import CheckedProposal, check_proposal
        from .rubric import load_rubric

        language = _lang(lang)
        _refuse_existing(output, force)
        rub = load_rubric(rubric)
        results: list[CheckedProposal] = []
        invalid = []
        for path in proposals:
            try:
                results.append(check_proposal(path, rub))
            except InputError as exc:
                invalid.append((str(path), exc.problems))
                for problem in exc.problems:
                    _err(f"error: {problem}")
        failed = any(r.failed(strict) for r in results)
        if format is Format.json:
            from .report import findings

            _write_output(findings.render_json(results, invalid, rub, language, strict), output, force)
        elif format is Format.markdown:
            from .report import findings

            _write_output(findings.render_markdown(results, invalid, rub, language, strict), output, force)
        elif format is Format.html:
            from .report import findings_html

            _write_output(findings_html.render(results, invalid, rub, language, strict), output, force)
        else:
            from .report import findings_terminal

            if output is None:
                findings_terminal.print_results(results, invalid, rub, language, strict, _console())
            else:
                text = findings_terminal.render_text(results, invalid, rub, language, strict)
                _write_output(text, output, force)
        if invalid:
            raise typer.Exit(2)
        if failed:
            raise typer.Exit(EXIT_CHECK_FAILED)


# --- panels, ranking and portfolio (issue 4) ---------------------------------------------------


class RankFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report to this file instead of the screen.", show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")]


def _refuse_existing(output: Path | None, force: bool) -> None:
    """Fail before a long run, not after it, when -o would overwrite a file without --force."""
    if output is not None:
        from .fileio import refuse_existing

        refuse_existing(output, force)


def _render(kind: str, fmt: str, obj: object, lang: str, output: Path | None, force: bool) -> None:
    """Render with report/<kind>_<format>.py: adding a format is adding a module."""
    import importlib

    module = importlib.import_module(f".report.{kind}_{fmt}", __package__)
    if fmt == "terminal" and output is None:
        module.print_report(obj, lang, _console())
    elif fmt == "terminal":
        _write_output(module.render_text(obj, lang), output, force)
    else:
        _write_output(module.render(obj, lang), output, force)


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
        _err(f"{label}: {state['total']:,} files in {elapsed:.1f} s")


def _amount(text: str | None) -> float | None:
    if text is None:
        return None
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise UsageError(f"--budget needs an amount such as 500000000 or 500,000,000, not {text!r}") from None
    return value


@app.command()
def consolidate(
    proposal: Annotated[Path, typer.Argument(help="The proposal file (YAML).", show_default=False)],
    reviews: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Review files, or folders holding reviews of this proposal "
            "[default: PROPOSAL's name with .review*.yaml, beside it].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    """Consolidate several reviews of one proposal: spread, disagreement, the panel's outcome.

    A review with `role: panel` is the panel's consensus: its answers override the individual
    scores in the outcome, and the report shows both.
    """
    with _user_errors():
        from .panel import load_panel

        language = _lang(lang)
        _refuse_existing(output, force)
        consolidation = load_panel(proposal, reviews or [], rubric)
        _render("panel", format.value, consolidation, language, output, force)
        if consolidation.unresolved:
            ids = ", ".join(cp.criterion.id for cp in consolidation.unresolved)
            _err(f"{proposal}: disagreement to discuss on {ids}")


class RankMethod(str, Enum):
    weighted = "weighted"
    expected_rank = "expected-rank"


EXIT_NOT_CONVERGED = 4  # --method expected-rank: R-hat > 1.01, no funding line drawn
MethodOpt = Annotated[
    RankMethod,
    typer.Option(
        "--method",
        help="weighted: order by weighted score; expected-rank: Bayesian expected rank with a "
        "lottery band at the funding line (needs pip install 'sti-review[stats]').",
    ),
]
LotterySeedOpt = Annotated[
    int | None,
    typer.Option(
        "--lottery-seed",
        min=0,
        help="With --method expected-rank and --fund: draw the band's free places with this seed "
        "(numpy PCG64); without it no draw is made.",
        show_default=False,
    ),
]
ReviewerStatsOpt = Annotated[
    bool,
    typer.Option(
        "--reviewer-stats",
        help="Add reviewer effects and reliability to the report (always on with expected-rank).",
    ),
]


@app.command()
def rank(
    call_dir: Annotated[
        Path, typer.Argument(help="The call folder: proposals and their reviews (see docs/formats.md).")
    ],
    fund: Annotated[
        int | None,
        typer.Option(
            "--fund", min=1, help="Draw the funding line after this many proposals.", show_default=False
        ),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="Draw the funding line where the proposals' requested amounts reach this budget.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        RankFormat, typer.Option("--format", "-f", help="Report format.")
    ] = RankFormat.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
    method: MethodOpt = RankMethod.weighted,
    lottery_seed: LotterySeedOpt = None,
    reviewer_stats: ReviewerStatsOpt = False,
) -> None:
    """Rank a whole call: outcomes, ranking, funding line and border zone.

    Files with problems are reported (file:line) and the proposals they concern are ranked
    `invalid`; the report is still written, and the exit code is then 2.
    """
    with _user_errors():
        from .ranking import rank_call

        language = _lang(lang)
        amount = _amount(budget)
        _refuse_existing(output, force)
        with _progress("rank") as progress:
            ranking = rank_call(call_dir, rubric, fund=fund, budget=amount, progress=progress)  # type: ignore[arg-type]
        refused = _call_stats(ranking, method, fund, amount, lottery_seed, reviewer_stats)
        _render("ranking", format.value, ranking, language, output, force)
        if ranking.problems:
            for problem in ranking.problems:
                _err(f"error: {problem}")
            files = len({p.file for p in ranking.problems})
            _err(f"{files} file(s) with problems; {len(ranking.invalid)} proposal(s) ranked invalid")
            raise typer.Exit(2)
        if refused:
            raise typer.Exit(EXIT_NOT_CONVERGED)


@app.command()
def portfolio(
    call_dir: Annotated[
        Path | None,
        typer.Argument(
            help="A call folder whose proposals are mapped (reviews are not needed).", show_default=False
        ),
    ] = None,
    programmes: Annotated[
        Path | None,
        typer.Option(
            "--programmes",
            "-p",
            help="A programmes file (see docs/formats.md), e.g. examples/programmes-mext.yaml.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
    overlap: Annotated[
        int | None,
        typer.Option(
            "--overlap",
            min=2,
            help="Programmes with the same means that make an overlap [default: rubric].",
            show_default=False,
        ),
    ] = None,
    crowded: Annotated[
        int | None,
        typer.Option(
            "--crowded",
            min=2,
            help="Proposals that make a cell crowded [default: rubric].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Map programmes and proposals by objective, career stage and region (X3): gaps, overlaps.

    Rows are the rubric's objectives; columns are career stages in one matrix and partner
    regions in the other. Give a call folder, a programmes file, or both.
    """
    with _user_errors():
        from .portfolio import build_map, programme_item, read_portfolio

        if call_dir is None and programmes is None:
            raise UsageError("give a call folder, --programmes FILE, or both")
        language = _lang(lang)
        _refuse_existing(output, force)
        with _progress("portfolio") as progress:
            data = read_portfolio(call_dir, programmes, rubric, progress=progress)  # type: ignore[arg-type]
        items = [programme_item(p, language) for p in data.programmes]
        pmap = build_map(data.rubric, items, data.proposals, overlap_at=overlap, crowded_at=crowded)
        _render("portfolio", format.value, pmap, language, output, force)
        if data.problems:
            for problem in data.problems:
                _err(f"error: {problem}")
            _err(f"{len({p.file for p in data.problems})} file(s) with problems were left off the map")
            raise typer.Exit(2)


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


# --- issue 18: reviewer effects, reliability, expected rank (sti_review.stats) -----------------


def _call_stats(ranking, method, fund, budget, lottery_seed, reviewer_stats) -> bool:  # type: ignore[no-untyped-def]
    """Attach the statistics to a ranking when asked; True when the funding line was refused."""
    expected = method == RankMethod.expected_rank
    if expected and budget is not None:
        raise UsageError("--method expected-rank draws the line after --fund N proposals, not at a --budget")
    if lottery_seed is not None and not (expected and fund is not None):
        raise UsageError("--lottery-seed needs --method expected-rank and --fund N")
    if not (expected or reviewer_stats):
        return False
    from .stats import require

    require("numpy", "krippendorff", *(("jax", "numpyro") if expected else ()))
    from .stats.call import apply_expected_rank, call_stats

    stats = call_stats(ranking, expected=expected, fund=fund, lottery_seed=lottery_seed)
    apply_expected_rank(ranking, stats)
    er = stats.expected
    if er is not None and er.refused:
        _err(
            f"R-hat {er.rhat_max:.3f} > 1.01: the chains did not converge, no funding line drawn "
            f"(exit {EXIT_NOT_CONVERGED}) / 連鎖が収束していないため採択ラインを引きません"
        )
        return True
    if er is not None and er.draw is not None:
        _err(f"lottery: seed {er.draw.seed}, drawn {', '.join(er.draw.winners) or '-'}")
    return False


class ReviewersFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"


@app.command()
def reviewers(
    call_dir: Annotated[
        Path, typer.Argument(help="The call folder: proposals and their reviews (see docs/formats.md).")
    ],
    format: Annotated[
        ReviewersFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReviewersFormat.terminal,
    output: OutputOpt = None,
    lang: LangOpt = None,
    rubric: RubricOpt = None,
    force: ForceOpt = False,
) -> None:
    """Reviewers of a call: each one's leniency with its uncertainty, flat scorers, and how far
    reviewers agree (Krippendorff's alpha, ICC). Needs pip install 'sti-review[stats]'."""
    with _user_errors():
        from .stats import require

        require("numpy", "krippendorff")
        from .ranking import rank_call
        from .stats.call import call_stats

        language = _lang(lang)
        _refuse_existing(output, force)
        with _progress("reviewers") as progress:
            ranking = rank_call(call_dir, rubric, progress=progress)  # type: ignore[arg-type]
        stats = call_stats(ranking)
        from .report import stats_section

        if format == ReviewersFormat.json:
            from .sanitize import json_text

            data = {"schema": "sti-review/reviewers@1", "call": {"folder": ranking.call_dir}}
            data.update(stats_section.json_call(stats))
            _write_output(json_text(data), output, force)
        elif format == ReviewersFormat.markdown:
            _write_output(stats_section.markdown(stats, language), output, force)
        elif output is None:
            console = _console()
            for item in stats_section.renderables(stats, language):
                console.print(item)
        else:
            import io

            from rich.console import Console

            console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
            for item in stats_section.renderables(stats, language):
                console.print(item)
            _write_output(console.export_text(), output, force)
        if ranking.problems:
            for problem in ranking.problems:
                _err(f"error: {problem}")
            raise typer.Exit(2)
