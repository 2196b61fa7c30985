"""`adr`: adr-tools' command line (its grammar, messages and printed paths), served by adrtool.

A team whose scripts say `adr new ...` switches by installing adrtool: the commands, the folder
search (``.adr-dir``, then ``doc/adr``, walking up), the template text, ``ADR_DATE`` and the editor
call are adr-tools' own, while the records are written by adrtool's core (one transaction, no
half-written file). Where the two differ on purpose, docs/how-to/replace-adr-tools-with-adrtool.md
and tests/test_adr_interop.py say how and why.

Like cli.py, the core is imported inside each command, so `adr --version` costs about what
importing click does.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from adrtool import __version__
from adrtool.errors import AdrError, BadUsage

if TYPE_CHECKING:
    from adrtool.folder import AdrFolder

# In the order a newcomer meets them; adr-tools lists them in its directory's order.
COMMANDS = ("init", "new", "link", "list", "generate", "upgrade-repository", "help")
REPORTS = ("graph", "toc")

USAGE = """\
usage: adr help COMMAND [ARG] ...
COMMAND is one of: \n{commands}
Run 'adr help COMMAND' for help on a specific command.
"""

# Our own wording; the usage lines are adr-tools' grammar, word for word.
HELP = {
    "init": """\
usage: adr init [DIRECTORY]

Makes the folder of architecture decision records and its first record, which
records the decision to keep such records. DIRECTORY defaults to doc/adr; when
it is given, an .adr-dir file in the working folder names it, so that later
commands run here or below find it. A folder that already holds records is
left as it is.
""",
    "new": """\
usage: adr new [-s SUPERSEDED] [-l TARGET:LINK:REVERSE-LINK] TITLE_TEXT...

Writes the next numbered record, its title made of the TITLE_TEXT words. The
editor named by VISUAL, else EDITOR, is then run with the record's path, and
the path is printed last, so scripts can use it.

The folder's templates/template.md is the template if there is one (or the
file ADR_TEMPLATE names); otherwise adr-tools' own, in Michael Nygard's format.
ADR_DATE (YYYY-MM-DD) sets the date instead of today's.

Options:

-s SUPERSEDED   A record (its number, or part of its file name) that the new
                one supersedes: each links to the other, and the old record's
                status gives way to the link. Repeatable.

-l TARGET:LINK:REVERSE-LINK
                Links the new record to the record TARGET with the words LINK,
                and TARGET back to it with REVERSE-LINK. Repeatable.

Example:

    adr new -s 3 -l "5:Amends:Amended by" Use PostgreSQL for search
""",
    "link": """\
usage: adr link SOURCE LINK TARGET REVERSE-LINK

Links record SOURCE to record TARGET with the words LINK, and TARGET back to
SOURCE with REVERSE-LINK. SOURCE and TARGET are numbers, or parts of file
names.

Example:

    adr link 12 Amends 10 "Amended by"
""",
    "list": """\
usage: adr list

Prints the path of every record, in order.
""",
    "generate": """\
usage: adr generate [REPORT [OPTION ...]]

Prints a report of the records, to publish with the project's documentation.
'adr generate' alone names the reports; 'adr help generate REPORT' describes
one.
""",
    "upgrade-repository": """\
usage: adr upgrade-repository

Brings the records up to the current format: dates written DD/MM/YYYY become
YYYY-MM-DD. A record already current is left untouched.
""",
    "help": """\
usage: adr help [COMMAND [SUBCOMMAND...]]

Describes COMMAND, or lists the commands. The text goes through ADR_PAGER or
PAGER when one is set (more, on a terminal, when neither is).
""",
    "generate toc": """\
usage: adr generate toc [-i INTRO] [-o OUTRO] [-p LINK_PREFIX]

Prints a Markdown table of contents of the records.

Options:

-i INTRO  a Markdown file printed before the list.
-o OUTRO  a Markdown file printed after the list.
-p LINK_PREFIX
          put LINK_PREFIX before each record's link.
""",
    "generate graph": """\
usage: adr generate graph [-p LINK_PREFIX] [-e LINK-EXTENSION]

Prints the records and their links as a Graphviz graph, each node linked to
its record's document, e.g.:

    adr generate graph | dot -Tsvg > graph.svg

Options:

-e LINK-EXTENSION
        the extension of the documents the nodes link to (default .html).
-p LINK_PREFIX
        put LINK_PREFIX before each node's link.
""",
}


def shown(path: Path) -> str:
    """A path as adr-tools prints it: relative to the working folder."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _help_text(words: tuple[str, ...]) -> str:
    key = " ".join(words)
    if key not in HELP:
        return USAGE.format(commands="\n".join(f"  {name}" for name in COMMANDS))
    text = HELP[key]
    if words[:1] == ("generate",):
        text += "\nSubcommands:\n" + "".join(f"  adr generate {r}\n" for r in REPORTS)
    return text


def _page(text: str) -> None:
    """Print help as adr-tools does: through $ADR_PAGER or $PAGER, else `more` on a terminal."""
    pager = os.environ.get("ADR_PAGER") or os.environ.get("PAGER")
    if not pager and sys.stdout.isatty():
        pager = "more"
    if not pager:
        click.echo(text, nl=False)
        return
    import shlex
    import subprocess

    sys.stdout.flush()
    try:
        subprocess.run(shlex.split(pager), input=text, encoding="utf-8", check=False)
    except OSError:
        click.echo(text, nl=False)  # a pager that cannot run does not hide the help


def _help_option(*words: str) -> Callable[[Any], Any]:
    """``--help``/``-h`` print the same text as ``adr help WORDS``."""

    def show(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            _page(_help_text(words))
            ctx.exit(0)

    return click.option(
        "-h", "--help", is_flag=True, expose_value=False, is_eager=True, callback=show
    )


class AdrToolsGroup(click.Group):
    """Every mistake is one line on stderr: exit 2 for bad usage, 1 for bad state."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        standalone = extra.pop("standalone_mode", True)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as error:
            result = _usage_error(error)
        except AdrError as error:
            click.echo(f"ERROR: {error}", err=True)
            result = error.exit_code
        except OSError as error:
            reason = error.strerror or str(error)
            where = f"{shown(Path(os.fsdecode(error.filename)))}: " if error.filename else ""
            click.echo(f"ERROR: {where}{reason}", err=True)
            result = 1
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            result = 1
        if not standalone:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _usage_error(error: click.UsageError) -> int:
    message = error.format_message().rstrip(".")
    message = message[:1].lower() + message[1:]
    words = error.ctx.command_path.split()[1:] if error.ctx else []
    click.echo(f"ERROR: {message}; see {' '.join(['adr', 'help', *words])!r}", err=True)
    return 2


def _folder(*, existing: bool = True) -> AdrFolder:
    """The folder adr-tools would use here; adr-tools' own message when it does not exist."""
    from adrtool.folder import AdrFolder
    from adrtool.locate import adr_tools_dir

    path = Path(shown(adr_tools_dir(Path.cwd())))
    if existing and not path.is_dir():
        raise AdrError(f"The {path.as_posix()} directory does not exist")
    return AdrFolder(path)


def _reference(folder: AdrFolder, text: str) -> str:
    """What the core's AdrFolder.find takes for adr-tools' "number or partial filename".

    A number is a number (``1`` never picks ``0012-...``, as adr-tools' grep would); other text
    picks the first listed record whose path holds it, as adr-tools does.
    """
    from adrtool.errors import RecordNotFound
    from adrtool.folder import parse_number

    number = parse_number(text)
    entries = folder.entries()
    if number is not None and any(entry.number == number for entry in entries):
        return text  # the core reports a number two files share
    if text and number is None:
        for entry in entries:
            if text in shown(entry.path):
                return str(entry.path)
    raise RecordNotFound(
        f"no record in {folder.path.as_posix()} matches {text!r}; "
        "give a number or part of a file name that 'adr list' shows"
    )


def _complete_records(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Record numbers for -s, -l and link's SOURCE and TARGET, with their titles' file names."""
    from click.shell_completion import CompletionItem

    try:
        folder = _folder()
        names = folder.names(files_only=True)
    except (AdrError, OSError):
        return []
    return [
        CompletionItem(str(number), help=name)
        for number, name in names
        if str(number).startswith(incomplete)
    ]


@click.group(
    cls=AdrToolsGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": []},
)
@click.version_option(__version__, "-V", "--version", prog_name="adr (adrtool)")
@_help_option()
@click.pass_context
def adr(ctx: click.Context) -> None:
    """adr-tools' command line, served by adrtool."""
    if ctx.invoked_subcommand is None:
        # adr-tools prints the command list when it is given none; it is still a mistake.
        click.echo(_help_text(()), err=True, nl=False)
        ctx.exit(2)


@adr.command(context_settings={"help_option_names": []})
@_help_option("init")
@click.argument("directory", required=False)
def init(directory: str | None) -> None:
    """Make the ADR folder and its first record."""
    from adrtool.folder import AdrFolder
    from adrtool.operations import new_record, resolve_date
    from adrtool.templates import FIRST_RECORD_TITLE, adr_tools_template

    resolve_date(None)  # a bad ADR_DATE stops here, before anything is made
    target = Path(shown(Path(directory) if directory else _folder(existing=False).path))
    if target.exists() and not target.is_dir():
        raise AdrError(f"{target.as_posix()} exists and is not a folder; choose another path")
    if target.is_dir() and AdrFolder(target).entries():
        raise AdrError(
            f"{target.as_posix()} already holds records; add one with 'adr new TITLE_TEXT...'"
        )
    target.mkdir(parents=True, exist_ok=True)
    folder = AdrFolder(target)
    path = new_record(folder, [FIRST_RECORD_TITLE], template=adr_tools_template(target, first=True))
    if directory:
        from adrtool._files import write_atomic

        write_atomic(Path(".adr-dir"), directory + "\n")
    click.echo(shown(path))


@adr.command(
    context_settings={"help_option_names": [], "allow_interspersed_args": False},
)
@_help_option("new")
@click.option(
    "-s",
    "supersedes",
    multiple=True,
    metavar="SUPERSEDED",
    shell_complete=_complete_records,
)
@click.option(
    "-l",
    "links",
    multiple=True,
    metavar="TARGET:LINK:REVERSE-LINK",
    shell_complete=_complete_records,
)
@click.argument("title", nargs=-1)
def new(supersedes: tuple[str, ...], links: tuple[str, ...], title: tuple[str, ...]) -> None:
    """Write the next record, open it in the editor and print its path."""
    import dataclasses

    from adrtool.operations import LinkRequest, check_title, new_record, resolve_date
    from adrtool.templates import adr_tools_template

    if not " ".join(title).strip():
        raise BadUsage("no title given")
    check_title(title)
    resolve_date(None)
    requests = [LinkRequest.parse(text) for text in links]
    folder = _folder(existing=bool(supersedes or links))
    template = adr_tools_template(folder.path)
    # adr-tools' `mkdir -p`, undone if the command then fails: nothing changed on disk.
    made = [path for path in (folder.path, *folder.path.parents) if not path.exists()]
    folder.path.mkdir(parents=True, exist_ok=True)
    try:
        chosen = [_reference(folder, text) for text in supersedes]
        requests = [
            dataclasses.replace(request, target=_reference(folder, request.target))
            for request in requests
        ]
        path = new_record(
            folder,
            title,
            supersedes=chosen,
            links=requests,
            template=template,
            spelling=_spelling(folder) if chosen else "Supersede",
        )
    except BaseException:
        for made_here in made:
            with contextlib.suppress(OSError):  # not empty: someone else wrote there meanwhile
                made_here.rmdir()
        raise
    _edit(path)
    click.echo(shown(path))


def _spelling(folder: AdrFolder) -> str:
    """The folder's spelling: "Supercede" where its records say "Superceded by" (upstream
    adr-tools), else "Supersede", as Debian's adr-tools 3.0.0 writes it."""
    for entry in folder.entries():
        try:
            text = entry.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "Superceded by [" in text or "Supercedes [" in text:
            return "Supercede"
        if "Superseded by [" in text or "Supersedes [" in text:
            return "Supersede"
    return "Supersede"


def _edit(path: Path) -> None:
    """Run $VISUAL, else $EDITOR, with the record's path, as adr-tools does (terminal or not)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return
    import shlex
    import subprocess

    sys.stdout.flush()
    try:
        code = subprocess.call([*shlex.split(editor), shown(path)])
    except OSError as error:
        raise AdrError(
            f"cannot run the editor {editor!r} ({error.strerror}); the record is at {shown(path)}"
        ) from None
    if code != 0:
        raise AdrError(
            f"the editor {editor!r} exited with status {code}; the record is at {shown(path)}"
        )


LINK_ARGUMENTS = ("SOURCE", "LINK", "TARGET", "REVERSE-LINK")


@adr.command(context_settings={"help_option_names": []})
@_help_option("link")
@click.argument(
    "words", nargs=-1, metavar="SOURCE LINK TARGET REVERSE-LINK", shell_complete=_complete_records
)
def link(words: tuple[str, ...]) -> None:
    """Link two records, each to the other."""
    from adrtool.operations import link_records

    if len(words) < len(LINK_ARGUMENTS) or not all(words[:4]):
        missing = LINK_ARGUMENTS[min([len(words), *(i for i, w in enumerate(words) if not w)])]
        raise BadUsage(f"{missing} missing; usage: adr link SOURCE LINK TARGET REVERSE-LINK")
    if len(words) > len(LINK_ARGUMENTS):
        raise BadUsage(
            f"unexpected {words[4]!r}; usage: adr link SOURCE LINK TARGET REVERSE-LINK "
            '(quote words with spaces: "Amended by")'
        )
    source, forward, target, reverse = words
    folder = _folder()
    link_records(folder, _reference(folder, source), forward, _reference(folder, target), reverse)


@adr.command(name="list", context_settings={"help_option_names": []})
@_help_option("list")
def list_records() -> None:
    """Print the path of every record."""
    folder = _folder()
    for entry in folder.entries():
        click.echo(shown(entry.path))


@adr.group(invoke_without_command=True, context_settings={"help_option_names": []})
@_help_option("generate")
@click.pass_context
def generate(ctx: click.Context) -> None:
    """Print a report of the records."""
    if ctx.invoked_subcommand is None:
        click.echo("\n".join(REPORTS))


@generate.command(context_settings={"help_option_names": []})
@_help_option("generate", "toc")
@click.option("-i", "intro", metavar="INTRO", type=click.Path(path_type=Path))
@click.option("-o", "outro", metavar="OUTRO", type=click.Path(path_type=Path))
@click.option("-p", "prefix", metavar="LINK_PREFIX", default="")
def toc(intro: Path | None, outro: Path | None, prefix: str) -> None:
    """Print a Markdown table of contents."""
    before, after = _markdown_file(intro, "-i"), _markdown_file(outro, "-o")
    records = _records()
    # As adr-tools prints them: `cat INTRO; echo` before the list, `echo; cat OUTRO` after it.
    text = "# Architecture Decision Records\n\n"
    if before:
        text += before + "\n"
    text += "".join(f"* [{record.label}]({prefix}{record.path.name})\n" for record in records)
    if after:
        text += "\n" + after
    click.echo(text, nl=False)


def _markdown_file(path: Path | None, option: str) -> str:
    """The text of an intro or outro file ("" for none, or an empty file, as adr-tools)."""
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadUsage(f"{option} {path}: no such file; give a Markdown file") from None
    except UnicodeDecodeError:
        raise BadUsage(f"{option} {path} is not UTF-8 text; give a Markdown file") from None


@generate.command(context_settings={"help_option_names": []})
@_help_option("generate", "graph")
@click.option("-p", "prefix", metavar="LINK_PREFIX", default="")
@click.option("-e", "extension", metavar="LINK-EXTENSION", default=".html")
def graph(prefix: str, extension: str) -> None:
    """Print the records and their links as a Graphviz graph."""
    from adrtool.names import record_number

    records = _records()
    lines = ["digraph {", "  node [shape=plaintext];", "  subgraph {"]
    for record in records:
        n = record.number
        url = f"{prefix}{record.path.stem}{extension}"
        lines.append(f'    _{n} [label="{_dot(record.label)}"; URL="{_dot(url)}"];')
        if n > 1:  # adr-tools chains each record to the number before it
            lines.append(f'    _{n - 1} -> _{n} [style="dotted", weight=1];')
    lines.append("  }")
    for record in records:
        for found in record.links:
            target = record_number(found.href)
            # adr-tools draws each link once, from the record that says it (not "... by").
            if target is None or found.relation.endswith(" by"):
                continue
            lines.append(
                f'  _{record.number} -> _{target} [label="{_dot(found.relation)}", weight=0]'
            )
    lines.append("}")
    click.echo("\n".join(lines))


def _dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _records() -> list[Any]:
    folder = _folder()
    records, problems = folder.read_all()
    for problem in problems:
        click.echo(f"WARNING: {shown(problem.path)}: {problem.message}", err=True)
    return records


@adr.command(name="upgrade-repository", context_settings={"help_option_names": []})
@_help_option("upgrade-repository")
def upgrade_repository() -> None:
    """Write old DD/MM/YYYY dates as YYYY-MM-DD."""
    import re

    from adrtool._files import locked, write_atomic
    from adrtool.records import read_record_text

    old_date = re.compile(r"Date: ([0-9]{2})/([0-9]{2})/([0-9]{4})")
    folder = _folder()
    with locked(folder.path):
        # Every record is read before any is written, so an unreadable one changes nothing.
        texts = [(entry.path, read_record_text(entry.path)) for entry in folder.entries()]
        for path, text in texts:
            lines = text.split("\n")
            upgraded = "\n".join(old_date.sub(r"Date: \3-\2-\1", line, count=1) for line in lines)
            write_atomic(path, upgraded)  # unchanged records are not rewritten


@adr.command(name="help", context_settings={"help_option_names": []})
@click.argument("words", nargs=-1, metavar="[COMMAND [SUBCOMMAND...]]")
def help_command(words: tuple[str, ...]) -> None:
    """Describe a command, or list them."""
    _page(_help_text(words))


def main(argv: Sequence[str] | None = None) -> int:
    """The `adr` console script; `python -m adrtool.adr_tools_cli` runs it too."""
    result = adr.main(argv, prog_name="adr", standalone_mode=False)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
