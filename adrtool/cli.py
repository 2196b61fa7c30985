"""The command line: a thin click layer over adrtool's core.

Core modules are imported inside each command, so `adrtool --version` costs little more than
importing click.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from adrtool import __version__
from adrtool.errors import AdrError

if TYPE_CHECKING:
    from adrtool.folder import AdrFolder


class AdrGroup(click.Group):
    """Reports every error as one line on stderr: exit 2 for bad usage, 1 for bad state."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        standalone = extra.pop("standalone_mode", True)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            # Bare `adrtool`: the help is the answer, still exit 2 as click does.
            error.show()
            result = 2
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{hint}", err=True)
            result = 2
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            result = error.exit_code
        except AdrError as error:
            click.echo(f"Error: {error}", err=True)
            result = error.exit_code
        except OSError as error:
            # What the core did not foresee (a folder that cannot be listed, a file gone
            # meanwhile) is still one line naming the file.
            click.echo(f"Error: {_os_error_line(error)}", err=True)
            result = 1
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            result = 1
        if not standalone:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _os_error_line(error: OSError) -> str:
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    return f"{shown(Path(os.fsdecode(error.filename)))}: {reason}"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _note_index_left_alone(folder: AdrFolder) -> None:
    """Say once that the folder's index.md was not refreshed because it is not adrtool's."""
    if folder.index_refreshed:
        return  # the command wrote it as adrtool's: no need to read and hash it again
    from adrtool.index_file import IndexState, index_state, why_left_alone

    state = index_state(folder.index_path)
    if state in (IndexState.FOREIGN, IndexState.EDITED):
        click.echo(f"Warning: {why_left_alone(Path(shown(folder.index_path)), state)}", err=True)


def _folder(ctx: click.Context) -> AdrFolder:
    from adrtool.folder import AdrFolder
    from adrtool.locate import find_adr_dir

    explicit: Path | None = ctx.find_root().params.get("adr_dir")
    # Relative to the working folder, so that every message names paths as the user types them.
    return AdrFolder(Path(shown(find_adr_dir(Path.cwd(), explicit))))


def _complete_records(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Record numbers, with their file names, for the arguments and options that take one."""
    from click.shell_completion import CompletionItem

    try:
        names = _folder(ctx).names(files_only=True)
    except (AdrError, OSError):
        return []
    return [
        CompletionItem(str(number), help=name)
        for number, name in names
        if str(number).startswith(incomplete)
    ]


def _complete_statuses(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """The statuses the folder allows ([tool.adrtool] statuses, else adr-tools' five)."""
    from click.shell_completion import CompletionItem

    try:
        statuses = _folder(ctx).statuses
    except (AdrError, OSError):
        return []
    return [CompletionItem(status) for status in statuses if status.startswith(incomplete)]


@click.group(cls=AdrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--dir",
    "adr_dir",
    type=click.Path(path_type=Path, file_okay=True),
    help="The ADR folder. Default: [tool.adrtool] dir in pyproject.toml, .adr-dir, "
    "docs/adr, docs/decisions or doc/adr, searched upwards.",
)
@click.version_option(__version__, "-V", "--version", prog_name="adrtool")
def cli(adr_dir: Path | None) -> None:
    """Scaffold, supersede, link, index and check Architecture Decision Records.

    Reads and writes adr-tools (Michael Nygard), MADR 2, 3 and 4, and log4brains records.
    """


def _record_options(func: Any) -> Any:
    options = [
        click.option(
            "-s",
            "--supersedes",
            "supersedes",
            multiple=True,
            metavar="N",
            shell_complete=_complete_records,
            help="Number of a record the new one supersedes (repeatable).",
        ),
        click.option(
            "-l",
            "--link",
            "links",
            multiple=True,
            metavar='"N:LINK:REVERSE"',
            help='Link to record N, e.g. "3:Amends:Amended by" (repeatable).',
        ),
        click.option(
            "--status",
            metavar="STATUS",
            help="proposed, accepted, rejected, deprecated, superseded, or one of "
            "[tool.adrtool] statuses. "
            "Default: the folder's convention (accepted for adr-tools folders, proposed for MADR "
            "and log4brains).",
        ),
        click.option(
            "--date", metavar="YYYY-MM-DD", help="The record's date. Default: $ADR_DATE or today."
        ),
        click.option(
            "--template",
            metavar="NAME",
            help="nygard, madr, madr-bullets, log4brains, or NAME.md in the folder's templates/. "
            "Default: the folder's templates/template.md, adr-template.md or template.md, "
            "else the dialect of the folder's newest record.",
        ),
        click.option(
            "--no-edit", is_flag=True, help="Do not open $VISUAL or $EDITOR on the new record."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _create(
    ctx: click.Context,
    title: Sequence[str],
    supersedes: Sequence[str],
    links: Sequence[str],
    status: str | None,
    date: str | None,
    template: str | None,
    no_edit: bool,
) -> None:
    from adrtool.operations import LinkRequest, new_record

    requests = [LinkRequest.parse(text) for text in links]
    folder = _folder(ctx)
    path = new_record(
        folder,
        title,
        supersedes=supersedes,
        links=requests,
        status=status,
        date=date,
        template_name=template,
    )
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor and not no_edit and sys.stdin.isatty() and sys.stdout.isatty():
        import shlex
        import subprocess

        if subprocess.call([*shlex.split(editor), str(path)]) != 0:
            click.echo(
                f"Warning: the editor exited with an error; the record is at {shown(path)}",
                err=True,
            )
    _note_index_left_alone(folder)
    click.echo(shown(path))


@cli.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option(
    "--template",
    type=click.Choice(["nygard", "madr"]),
    default="nygard",
    show_default=True,
    help="The format of the folder's records.",
)
@click.option(
    "--date", metavar="YYYY-MM-DD", help="The first record's date. Default: $ADR_DATE or today."
)
@click.pass_context
def init(ctx: click.Context, directory: Path | None, template: str, date: str | None) -> None:
    """Create the ADR folder, its first record and its index.

    DIRECTORY defaults to the configured folder, else docs/adr. If commands run here would not
    find DIRECTORY, an .adr-dir file here names it, as adr-tools' `adr init` writes.
    """
    from adrtool.locate import dir_for_init, remember_dir
    from adrtool.operations import init_folder

    explicit = directory or ctx.find_root().params.get("adr_dir")
    target = dir_for_init(Path.cwd(), explicit)
    path = init_folder(target, template, date)
    from adrtool.folder import AdrFolder

    _note_index_left_alone(AdrFolder(Path(shown(target))))
    note = remember_dir(Path.cwd(), target)
    if note is not None:
        click.echo(f"Warning: {note}", err=True)
    click.echo(shown(path))


@cli.command()
@_record_options
@click.argument("title", nargs=-1)
@click.pass_context
def new(ctx: click.Context, /, title: tuple[str, ...], **options: Any) -> None:
    """Create the next record and print its path.

    The words of TITLE are joined into the title, 200 characters at most. Links named by
    --supersedes and --link are written into both records. Opens $VISUAL or $EDITOR when run
    from a terminal.
    """
    _create(ctx, title, **options)


@cli.command()
@click.argument("number", shell_complete=_complete_records)
@_record_options
@click.argument("title", nargs=-1)
@click.pass_context
def supersede(ctx: click.Context, /, number: str, title: tuple[str, ...], **options: Any) -> None:
    """Create a record that supersedes record NUMBER.

    NUMBER's status becomes superseded and both records link to each other.
    """
    options["supersedes"] = (number, *options["supersedes"])
    _create(ctx, title, **options)


@cli.command()
@click.argument("source", shell_complete=_complete_records)
@click.argument("link")
@click.argument("target", shell_complete=_complete_records)
@click.argument("reverse")
@click.pass_context
def link(ctx: click.Context, source: str, link: str, target: str, reverse: str) -> None:
    """Link record SOURCE to TARGET with LINK, and TARGET back with REVERSE.

    Example: adrtool link 5 Amends 2 "Amended by". The wording holds no brackets, < or >. A
    supersede is said from both ends: "Supersedes" takes the reverse "Superseded by" (and the
    other way round), and the superseded record's status follows.
    """
    from adrtool.operations import link_records

    folder = _folder(ctx)
    link_records(folder, source, link, target, reverse)
    _note_index_left_alone(folder)


@cli.command()
@click.argument("number", shell_complete=_complete_records)
@click.argument("status", shell_complete=_complete_statuses)
@click.pass_context
def status(ctx: click.Context, number: str, status: str) -> None:
    """Set the status of record NUMBER.

    STATUS is one of proposed, accepted, rejected, deprecated, superseded, or of the list
    [tool.adrtool] statuses in pyproject.toml sets instead. A record that another supersedes
    keeps the status superseded: any other is refused.
    """
    from adrtool.operations import set_record_status

    folder = _folder(ctx)
    set_record_status(folder, number, status)
    _note_index_left_alone(folder)


@cli.command(name="list")
@click.option("--status", "wanted", metavar="STATUS", help="Only records with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_context
def list_records(ctx: click.Context, wanted: str | None, as_json: bool) -> None:
    """List the records: number, status, date and title."""
    from adrtool.listing import records_as_json, records_as_table

    folder = _folder(ctx)
    records, problems = folder.read_all()
    if wanted is not None:
        from adrtool.operations import check_status

        chosen = check_status(wanted, folder.statuses)
        records = [record for record in records if record.status == chosen]
    stray = folder.stray_message()
    if stray is not None:
        click.echo(f"Warning: {shown(folder.path)}: {stray}", err=True)
    for problem in problems:
        click.echo(f"Warning: {shown(problem.path)}: {problem.message}", err=True)
    click.echo(records_as_json(records, shown) if as_json else records_as_table(records))


@cli.command()
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if index.md is stale."
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite an index.md that adrtool did not write or that was edited by hand.",
)
@click.pass_context
def index(ctx: click.Context, check_only: bool, force: bool) -> None:
    """Write index.md: a table of the records and a graph of their links.

    An index that would not change is not rewritten. An index.md that adrtool did not write,
    or that was edited by hand since, is left alone unless --force is given; with --check, a
    page adrtool did not write is not checked.
    """
    from adrtool.index_file import IndexState, read_index, same_page, state_of, why_left_alone
    from adrtool.operations import expected_index, write_index

    folder = _folder(ctx)
    if check_only:
        current = read_index(folder.index_path)
        state = state_of(current)
        if state is IndexState.FOREIGN:
            note = why_left_alone(Path(shown(folder.index_path)), state)
            click.echo(f"Warning: {note}", err=True)
            return
        if state is IndexState.EDITED:
            raise AdrError(why_left_alone(Path(shown(folder.index_path)), state))
        if not same_page(current, expected_index(folder)):
            raise AdrError(
                f"{shown(folder.index_path)} is stale; regenerate it with 'adrtool index'"
            )
        return
    if write_index(folder, force=force):
        click.echo(f"wrote {shown(folder.index_path)}")


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Report each problem in the records as PATH:LINE: MESSAGE; exit 1 if any.

    Finds duplicate numbers, one record under two numbers, links to missing records or anchors,
    links of any wording without a link back, statuses that are unknown or contradict the links,
    missing titles, dates and statuses (where the record's format asks for them), unreadable
    files, temp files an interrupted adrtool left, a folder where no name is a record's, and an
    index adrtool keeps that is stale or was edited by hand.
    """
    from adrtool.check import check_folder

    problems = check_folder(_folder(ctx))
    for problem in problems:
        click.echo(f"{shown(problem.path)}:{problem.line}: {problem.message}")
    if problems:
        ctx.exit(1)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def renumber(ctx: click.Context, path: Path) -> None:
    """Give record PATH the next free number and update every link to it.

    The fix for two records with one number after merging two branches. The file is renamed,
    never copied, so the record is never under two numbers at once.
    """
    from adrtool.operations import renumber as renumber_record

    folder = _folder(ctx)
    new_path = renumber_record(folder, str(path))
    _note_index_left_alone(folder)
    click.echo(shown(new_path))


@cli.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart or Graphviz DOT.",
)
@click.pass_context
def graph(ctx: click.Context, output: str) -> None:
    """Print the graph of records and their links."""
    from adrtool.index import dot, mermaid, sorted_records

    records, _ = _folder(ctx).read_all()
    records = sorted_records(records)
    click.echo(dot(records) if output == "dot" else mermaid(records), nl=False)
