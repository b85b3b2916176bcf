"""The command line: the only module that reads argv, prints and chooses exit codes."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from specgen import __version__
from specgen.errors import (
    Diagnostic,
    Interrupted,
    InvalidInput,
    SpecgenError,
    UsageError,
    printable,
    summary,
)
from specgen.project import project_language
from specgen.schemas import SCHEMAS, schema_json
from specgen.validate import Validation, validate_project

__all__ = ["main"]

EXIT_INVALID = 1  # SpecgenError.exit_code; each error class carries its own
EXIT_BUG = 3
EXIT_SIGINT = 128 + signal.SIGINT  # Ctrl-C; Interrupted.exit_code
EXIT_SIGTERM = 128 + signal.SIGTERM
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # the reader of stdout went away, as a shell reports it

F = TypeVar("F", bound=Callable[..., Any])


class _FormatName(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """An output format registered in specgen.build.formats, looked up only when an option is
    given or help is shown: importing the build modules would slow every `validate`."""

    name = "format"

    @staticmethod
    def names() -> list[str]:
        from specgen.build import FORMATS

        return list(FORMATS)

    def get_metavar(self, *args: Any, **kwargs: Any) -> str:
        return "[" + "|".join(self.names()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.names():
            return value
        self.fail(f"{value!r} is not one of {', '.join(self.names())}", param, ctx)


PROJECT_ARGUMENT = click.argument(
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    required=False,
)


def _guarded(command: F) -> F:
    """Turn SpecgenErrors into messages and bugs into one line (a traceback with --debug)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`specgen explain X | head`): stop quietly, as a Unix tool
            # does, and keep Python from complaining about stdout again at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt:
            error: SpecgenError | Interrupted = Interrupted(signal.SIGINT)
            click.echo("", err=True)  # past a progress line or the ^C the terminal shows
        except (SpecgenError, Interrupted) as exc:
            error = exc
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            else:
                click.echo(
                    f"specgen: internal error ({type(exc).__name__}: {exc}); this is a bug — "
                    "please report it with the input, or rerun with --debug for the traceback",
                    err=True,
                )
            ctx.exit(EXIT_BUG)
        language = ctx.meta.get("language") or _environment_language()
        for line in error.lines(language):
            click.echo(printable(line), err=True)
        ctx.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="specgen")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def cli(debug: bool) -> None:
    """specgen: requirement catalogs in YAML to joint procurement specifications."""


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    envvar="SPECGEN_LANG",
    default=None,
    help="Language of the diagnostics (default: the project's language; env SPECGEN_LANG).",
)


def _environment_language() -> str:
    language = os.environ.get("SPECGEN_LANG", "")
    return language if language in ("ja", "en") else "ja"


def _choose_language(lang: str | None, project: Path) -> str:
    """--lang (or SPECGEN_LANG), else the project's `language`, else Japanese; remembered
    for whatever this command prints."""
    language = lang or project_language(project) or "ja"
    click.get_current_context().meta["language"] = language
    return language


def _print_diagnostics(
    diagnostics: Sequence[Diagnostic], output_format: str, focus: Sequence[str] = ()
) -> None:
    """Print the diagnostics; with `focus` (the files of the municipalities a clerk asked
    for), every diagnostic of those files and every error, the other warnings counted in one
    line: a clerk cannot act on another town's warnings."""
    language = click.get_current_context().meta.get("language") or _environment_language()
    shown = [d for d in diagnostics if not focus or d.is_error or d.location.file in focus]
    hidden = len(diagnostics) - len(shown)
    if output_format == "json":
        items = [d.as_json(language) for d in shown]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for diagnostic in shown:
        click.echo(diagnostic.format_text(language), err=True)
    if hidden:
        click.echo(
            f"（他の団体のファイルの警告 {hidden} 件は表示していません。--municipality を付けずに"
            "実行すると表示します。）"
            if language == "ja"
            else f"({hidden} warning(s) of other municipalities' files not shown; run without "
            "--municipality to see them)",
            err=True,
        )


def _files_of(validation: Validation, codes: Sequence[str]) -> list[str]:
    """The municipality files of `codes` (a code no file holds is reported by the command)."""
    return [m.file for m in validation.input.municipalities if m.code in codes]


@cli.command()
@PROJECT_ARGUMENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the diagnostics.",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="CODE",
    help="Show this municipality's diagnostics in full and count the other files' warnings.",
)
@LANG_OPTION
@_guarded
def validate(
    project: Path,
    strict: bool,
    output_format: str,
    municipalities: tuple[str, ...],
    lang: str | None,
) -> None:
    """Load and check every file of PROJECT (default: the current directory)."""
    language = _choose_language(lang, project)
    result = validate_project(project, strict=strict)
    codes = [m.code for m in result.input.municipalities]
    unknown = [c for c in municipalities if c not in codes]
    if unknown and result.ok:
        raise UsageError(
            f"--municipality {', '.join(unknown)}: not a participant (known: {', '.join(codes)})"
        )
    # A file that did not load has no code to match: with errors, show every diagnostic.
    focus = _files_of(result, municipalities) if not unknown else []
    _print_diagnostics(result.diagnostics, output_format, focus)
    if output_format == "text":
        count = sum(1 for _ in result.input.catalog.requirements())
        towns = len(result.input.municipalities)
        known = result.input.project is not None
        counted = summary(result.diagnostics, language)
        if language == "ja":
            verdict = "問題ありません" if result.ok else "誤りがあります"
            stats = f"要件 {count} 件、団体 {towns} 団体。" if known else ""
            click.echo(f"{project}: {verdict}（{stats}{counted}）", err=True)
        else:
            verdict = "valid" if result.ok else "invalid"
            stats = f"{count} requirements, {towns} municipalities; " if known else ""
            click.echo(f"{project}: {verdict} ({stats}{counted})", err=True)
    if not result.ok:
        click.get_current_context().exit(EXIT_INVALID)


@cli.command()
@PROJECT_ARGUMENT
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: output/ of the project).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=_FormatName(),
    help="An output format; repeat for several (default: formats of specgen.yaml).",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="CODE",
    help="Build this municipality's own documents only; repeat for several.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes rendering documents at once (default: the number of cores).",
)
@LANG_OPTION
@_guarded
def build(
    project: Path,
    out: Path | None,
    formats: tuple[str, ...],
    municipalities: tuple[str, ...],
    strict: bool,
    jobs: int | None,
    lang: str | None,
) -> None:
    """Validate, merge and render PROJECT into the output directory."""
    from specgen.build import build as run_build

    _choose_language(lang, project)
    progress = _TerminalProgress(sys.stderr.isatty(), municipalities)
    result = run_build(
        project,
        out=out,
        formats=formats,
        municipalities=municipalities,
        strict=strict,
        jobs=jobs,
        progress=progress,
    )
    if progress.done:
        click.echo("", err=True)  # end the progress line
    unchanged = result.documents - len(result.rendered)
    click.echo(
        f"wrote {len(result.files) + 1} files to {result.out} ({', '.join(result.formats)}; "
        f"{len(result.rendered)} documents rendered, {unchanged} unchanged)",
        err=True,
    )


class _TerminalProgress:
    """Prints a build's warnings, and on a terminal each document as it is rendered."""

    def __init__(self, live: bool, municipalities: Sequence[str] = ()) -> None:
        self.live = live
        self.done = 0
        self.municipalities = municipalities

    def validated(self, validation: Validation) -> None:
        focus = _files_of(validation, self.municipalities)
        _print_diagnostics(validation.diagnostics, "text", focus)
        if self.live:
            click.echo(f"validated {len(validation.input.files)} files", err=True)

    def rendered(self, stem: str) -> None:
        if self.live:
            self.done += 1
            click.echo(f"\r  rendered {self.done}: {stem:<30}", err=True, nl=False)


@cli.command()
@click.argument("requirement_id", metavar="ID")
@PROJECT_ARGUMENT
@click.option("--municipality", metavar="CODE", help="The full chain in one municipality.")
@LANG_OPTION
@_guarded
def explain(requirement_id: str, project: Path, municipality: str | None, lang: str | None) -> None:
    """Where requirement ID's values come from, and how each participant treats it."""
    from specgen.explain import explain_lines

    language = _choose_language(lang, project)
    result = validate_project(project)
    if not result.ok:
        raise InvalidInput(list(result.diagnostics))
    for line in explain_lines(result, requirement_id, municipality, language):
        click.echo(line)


@cli.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
@click.option(
    "--municipality",
    metavar="CODE",
    help="Add this municipality's file to the existing project in DIRECTORY (with --issuer "
    "absent); for a new project, its one municipality (default 172049).",
)
@click.option(
    "--issuer",
    metavar="CODE",
    default="170003",
    show_default=True,
    help="The issuer of a new project: a prefecture's (or a municipality's) code.",
)
@_guarded
def init(directory: Path, municipality: str | None, issuer: str) -> None:
    """Start a new project in DIRECTORY (empty or absent), or add a municipality to one."""
    from specgen.codes import is_valid_code
    from specgen.skeleton import municipality_file, project_files
    from specgen.writer import create_files

    existing = (directory / "specgen.yaml").is_file()
    for code in filter(None, (municipality, issuer)):
        if not is_valid_code(code):
            raise UsageError(f"{code} is not a 全国地方公共団体コード (6 digits, check digit)")
    if existing:
        if municipality is None:
            raise UsageError(
                f"{directory} already holds a project; to add a municipality give "
                "--municipality CODE"
            )
        relpath, text = municipality_file(municipality, sample_changes=False)
        create_files(directory, {relpath: text})
        click.echo(f"wrote {directory / relpath}", err=True)
        return
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(
            f"{directory} is not empty and holds no specgen.yaml; give a new or empty directory"
        )
    slug = re.sub(r"[^a-z0-9]+", "-", directory.resolve().name.lower()).strip("-") or "project"
    files = project_files(issuer_code=issuer, municipality=municipality or "172049", slug=slug)
    create_files(directory, files)
    click.echo(
        f"wrote a new project to {directory} ({len(files)} files); build it with: "
        f"specgen build {directory}",
        err=True,
    )


@cli.command()
# Any path: what is not a regular file (a directory, a FIFO, a device) is the form's E-FORM.
@click.argument("forms", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project whose joint specification the forms answer.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "xlsx"]),
    default="text",
    show_default=True,
    help="A table, JSON for tools, or a workbook comparing the forms (needs --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (default: standard output).",
)
@LANG_OPTION
@_guarded
def score(
    forms: tuple[Path, ...], project: Path, output_format: str, out: Path | None, lang: str | None
) -> None:
    """Score vendors' returned response forms (機能要件適合表, FORM.xlsx ...).

    Exit status 1 when a form is not valid (stale, altered, or an answer outside ○△×): its
    problems are reported and it earns no points.
    """
    from specgen.scoring.pipeline import score_forms
    from specgen.scoring.report import comparison_workbook, is_report, json_report, text_report
    from specgen.writer import write_report

    language = _choose_language(lang, project)
    if output_format == "xlsx" and out is None:
        raise UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
    scored = score_forms(project, forms, out=out)
    if output_format == "xlsx":
        data = comparison_workbook(scored.scores, scored.expected, scored.date)
    elif output_format == "json":
        data = json_report(scored.scores, language)
    else:
        data = text_report(scored.scores, language).encode()
    if out is None:
        click.echo(printable(data.decode()), nl=False)
    else:
        write_report(out, data, replaceable=is_report)
        click.echo(f"wrote {out} ({len(scored.scores)} form(s))", err=True)
    if not scored.valid:
        click.get_current_context().exit(EXIT_INVALID)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project whose git revisions OLD and NEW may name.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("revision"),
    show_default=True,
    help="Output directory (replaced as a whole, like build's).",
)
@click.option(
    "--order",
    type=click.Choice(["new-old", "old-new"]),
    default="new-old",
    show_default=True,
    help="Column order: 改定後 | 改定前 (as the national government prints it), or the reverse.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["markdown", "docx", "pdf", "json"]),
    help="An output format; repeat for several (default: markdown and docx).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@LANG_OPTION
@_guarded
def diff(
    old: str,
    new: str,
    project: Path,
    out: Path,
    order: str,
    formats: tuple[str, ...],
    strict: bool,
    lang: str | None,
) -> None:
    """The 新旧対照表 from OLD to NEW: project directories or git revisions (HEAD~1, a tag)."""
    from specgen.revision.pipeline import diff_projects

    _choose_language(lang, project)
    revision, written, warnings = diff_projects(
        old,
        new,
        project=project,
        out=out,
        formats=formats or ("markdown", "docx"),
        order=order,
        strict=strict,
    )
    _print_diagnostics(warnings, "text")
    click.echo(f"wrote {len(written)} files to {out} ({revision.changes} changed items)", err=True)


@cli.command()
@click.argument(
    "catalogs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A new or empty directory for the proposed project.",
)
@click.option(
    "--quorum",
    type=click.IntRange(min=1),
    default=None,
    help="How many towns must have a requirement for the baseline (default: all).",
)
@click.option(
    "--like",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A specgen.yaml to copy (its metadata and metric registry).",
)
@LANG_OPTION
@_guarded
def consolidate(
    catalogs: tuple[Path, ...],
    out: Path,
    quorum: int | None,
    like: Path | None,
    lang: str | None,
) -> None:
    """Propose a baseline and each town's delta from the towns' own catalogs (CATALOG...)."""
    from specgen.consolidate.pipeline import consolidate_catalogs

    click.get_current_context().meta["language"] = lang or _environment_language()
    proposal = consolidate_catalogs(catalogs, out=out, quorum=quorum, like=like)
    reasons = sum(len(changes) for _, changes in proposal.deltas)
    click.echo(
        f"wrote a proposed project to {out}: {len(proposal.present)} requirements in the "
        f"baseline, {reasons} changes whose reason a person must write "
        f"(see {out / 'consolidate-report.md'})",
        err=True,
    )


@cli.group()
def report() -> None:
    """Reports on a project for the assessment phase."""


@report.command("fit-gap")
@PROJECT_ARGUMENT
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (default: fit-gap/ in the project; replaced as a whole).",
)
@LANG_OPTION
@_guarded
def fit_gap_command(project: Path, out: Path | None, lang: str | None) -> None:
    """How far each municipality departs from the common part: fit-gap.md, .docx, .xlsx, .png."""
    from specgen.assessment.pipeline import fit_gap_report

    _choose_language(lang, project)
    fit, target, written = fit_gap_report(project, out=out)
    rates = ", ".join(f"{name} {fit.fit_total[code]:.1%}" for code, name in fit.towns)
    click.echo(f"wrote {len(written)} files to {target} (fit: {rates})", err=True)


@cli.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)))
def schema(name: str) -> None:
    """Print the JSON Schema of an input file kind or of a JSON output."""
    click.echo(schema_json(SCHEMAS[name]), nl=False)


def _terminate(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `specgen` console script."""
    signal.signal(signal.SIGTERM, _terminate)  # stop cleanly: staging removed, workers ended
    try:
        cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="specgen")
    except SystemExit as stop:
        if stop.code in (EXIT_SIGINT, EXIT_SIGTERM):
            # Interrupted: everything is cleaned up and said. Leave now, without the exit
            # handlers that would join a worker pool's reader thread a killed worker can hang.
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(int(stop.code))
        raise
