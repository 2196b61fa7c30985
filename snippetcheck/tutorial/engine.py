"""Run a tutorial page as a reader types it, from an empty folder (reader mode).

Nothing of the test project is used: the page makes its own project with ``django-admin
startproject``, and every Django command runs as a process in the page's working folder, with
an environment cleaned of the check's own variables. ``runserver`` is a real server on a free
loopback port; the prose's ``http://127.0.0.1:8000/...`` URLs and hidden code's ``reader`` are
fetched from it. Python fences run in one shell session process, restarted when the project's
files changed. Hidden code may only observe: ``guard`` refuses what the AST shows, the session
checks the rest.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

from snippetcheck.extract import Kind, Page, Snippet
from snippetcheck.failure import Failure
from snippetcheck.protocol import Done, Report, Started
from snippetcheck.tracebacks import excerpt, one_line
from snippetcheck.tutorial import guard
from snippetcheck.tutorial.browser import Browser
from snippetcheck.tutorial.edits import EditError, apply_assignments, assignment_names
from snippetcheck.tutorial.processes import ProcessFailed, Server, ShellSession, free_port
from snippetcheck.tutorial.shell import Action, ReaderCommand
from snippetcheck.tutorial.transcript import ELLIPSIS, mismatch
from snippetcheck.tutorial.warm_start import WarmStarter

PAGE_PORT = 8000
COMMAND_TIMEOUT = 120.0
_PORT_IN_OUTPUT = re.compile(r"(127\.0\.0\.1|localhost):(\d+)")
# Django commands that change the project's Python files: a shell open before them is stale.
_MAKE_FILES = frozenset({"startproject", "startapp"})
# Variables of the check's own run, which the reader does not have.
_NOT_THE_READERS = (
    "SNIPPETCHECK_",
    "DJANGO_",
    "PYTHONPATH",
    "PYTHONDONTWRITEBYTECODE",
    "VIRTUAL_ENV",
)


class StepFailed(Exception):
    """A step of the page failed at ``line``; ``error_type`` and the message say how."""

    def __init__(self, line: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.error_type = error_type


def reader_environ(source: dict[str, str]) -> dict[str, str]:
    """The environment a reader's terminal would have: ours without the check's variables.

    For a PostgreSQL page, libpq's standard variables point at the check's server, so the
    page's ``DATABASES`` names only what a reader's own server needs.
    """
    env = {k: v for k, v in source.items() if not k.startswith(_NOT_THE_READERS)}
    for ours, libpq in (
        ("SNIPPETCHECK_POSTGRES_HOST", "PGHOST"),
        ("SNIPPETCHECK_POSTGRES_PORT", "PGPORT"),
        ("SNIPPETCHECK_POSTGRES_USER", "PGUSER"),
        ("SNIPPETCHECK_POSTGRES_PASSWORD", "PGPASSWORD"),
    ):
        if source.get(ours):
            env[libpq] = source[ours]
    return env


class TutorialRun:
    """The state of a tutorial while it runs: the reader's folder, processes and browser."""

    def __init__(self, page: Page, text: str, folder: Path, report: Report) -> None:
        self.page = page
        self.lines = text.expandtabs(4).splitlines()
        self.report = report
        # Nested, so that nothing above the reader's folder is the reader's.
        self.area = folder / "reader" / "home"
        self.area.mkdir(parents=True)
        self.private = folder / "check"
        self.private.mkdir()
        self.cwd = self.area
        self.env = reader_environ(dict(os.environ))
        # The reader's Python processes start from a warm interpreter (ADR 0038), unless the
        # check is asked for cold starts (the benchmark's baseline, and a way to rule it out).
        self.starter = WarmStarter(self.env)
        if not os.environ.get("SNIPPETCHECK_COLD_START"):
            self.starter.start()
        self.port = free_port()
        self.server: Server | None = None
        self.session: ShellSession | None = None
        self.generation = 0  # bumped whenever the project's Python files change
        self.shell_shown = False
        self.venvs: set[str] = set()
        self.installed: set[str] = set()  # what the page's pip lines installed, as requirements
        self.files: dict[str, int] = {}  # whole files written -> page line of their first line
        self.browser = Browser(self.port, self.private / "cookies.txt")
        self.console = self.private / "runserver.log"  # the reader's runserver terminal
        self.databases: list[str] = []  # made by the page's createdb lines
        self.maintenance_db = os.environ.get("SNIPPETCHECK_POSTGRES_MAINTENANCE_DB") or "postgres"

    def shown(self, path: Path) -> str:
        relative = path.relative_to(self.area)
        return "the page's starting folder" if relative == Path() else f"{relative}/"

    def run(self) -> Failure | None:
        refused = self._refusals()
        if refused is not None:
            return refused
        try:
            for snippet in self.page.snippets:
                self.report(Started(event="start", line=snippet.start_line))
                self._step(snippet)
        except StepFailed as failure:
            return Failure(
                self.page.path,
                failure.line,
                failure.error_type,
                one_line(str(failure)),
                excerpt(self.lines, failure.line),
            )
        finally:
            self.close()
        return None

    def _refusals(self) -> Failure | None:
        for snippet in self.page.snippets:
            if snippet.kind is Kind.TEST:
                for refusal in guard.refusals(snippet.source, snippet.start_line):
                    return Failure(
                        self.page.path,
                        refusal.line,
                        "HiddenChange",
                        refusal.message(),
                        excerpt(self.lines, refusal.line),
                    )
        return None

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.databases:
            self._drop_databases()
        self.starter.close()

    def _step(self, snippet: Snippet) -> None:
        if snippet.kind is Kind.FILE:
            self._file(snippet)
        elif snippet.kind is Kind.SHELL:
            last = len(snippet.reader) - 1
            for index, command in enumerate(snippet.reader):
                self._command(command, snippet.expect_exit if index == last else None)
        elif snippet.kind is Kind.OPEN:
            self._open(snippet)
        elif snippet.kind is Kind.RUN:
            if not self.shell_shown:
                raise StepFailed(
                    snippet.start_line,
                    "ReaderStep",
                    "a Python fence in a tutorial is what the reader types into the shell: "
                    "show 'python manage.py shell' in a console fence before it",
                )
            self._python(snippet, hidden=False)
        else:
            self._python(snippet, hidden=True)

    # Files

    def _file(self, snippet: Snippet) -> None:
        assert snippet.file is not None
        target = self.cwd / snippet.file
        existed = target.exists()
        names = assignment_names(snippet.source) if snippet.file.endswith(".py") else None
        if existed and names:
            try:
                content = apply_assignments(
                    target.read_text(encoding="utf-8"), snippet.source, snippet.file
                )
            except EditError as error:
                raise StepFailed(snippet.start_line, "ReaderEdit", str(error)) from None
            self.files.pop(str(target), None)  # its lines are no longer the fence's
        else:
            # A reader's editor makes the folders of a new file as it saves it.
            target.parent.mkdir(parents=True, exist_ok=True)
            content = snippet.source
            self.files[str(target)] = snippet.start_line
        if self.server is not None:
            self.server.before_change()
        _write(target, content)
        # A new module is one no running process has imported yet: the reader's open shell
        # imports it as it is, and the server has nothing to reload.
        if target.suffix == ".py" and existed:
            self.generation += 1
        # What the server watches: the modules it imported, and its templates.
        template = "templates" in Path(snippet.file).parts
        if self.server is not None and (template or (target.suffix == ".py" and existed)):
            self.server.file_changed()

    # Shell lines

    def _command(self, command: ReaderCommand, expected: int | None) -> None:
        action = command.action
        if command.shown_output and action in (
            Action.VENV,
            Action.ACTIVATE,
            Action.PIP,
            Action.CD,
            Action.MKDIR,
            Action.SHELL,
        ):
            raise StepFailed(
                command.shown_output_line,
                "ReaderOutput",
                f"the check does not run {command.text!r}, so the output shown after it cannot "
                "be compared: leave it out",
            )
        if action is Action.VENV:
            self.venvs.add(command.args[0].rstrip("/\\"))
        elif action is Action.ACTIVATE:
            if command.args[0] not in self.venvs:
                raise StepFailed(
                    command.line,
                    "ReaderStep",
                    f"activates {command.args[0]!r}, but the page made no such virtual "
                    f"environment: show 'python -m venv {command.args[0]}' first",
                )
        elif action is Action.PIP:
            for requirement in command.args:
                _verify_installed(command.line, requirement)
                self.installed.add(requirement)
        elif action is Action.CD:
            self._cd(command)
        elif action is Action.MKDIR:
            target = self._inside(command, command.args[0])
            target.mkdir(parents=True, exist_ok="-p" in command.text.split())
        elif action is Action.RUNSERVER:
            self._runserver(command)
        elif action is Action.SHELL:
            self._manage_py_here(command)
            self.shell_shown = True
            self._close_session()  # the reader opens a fresh shell
        elif action is Action.CREATEDB:
            self._createdb(command)
        else:
            self._process(command, expected)

    def _inside(self, command: ReaderCommand, name: str) -> Path:
        target = (self.cwd / name).resolve()
        if not target.is_relative_to(self.area.resolve()):
            raise StepFailed(
                command.line,
                "ReaderStep",
                f"{command.text!r} leaves the folder the tutorial started in: stay inside it",
            )
        return target

    def _cd(self, command: ReaderCommand) -> None:
        target = self._inside(command, command.args[0])
        if not target.is_dir():
            raise StepFailed(
                command.line,
                "ReaderStep",
                f"cd {command.args[0]}: there is no such folder in {self.shown(self.cwd)}; "
                "show the step that makes it",
            )
        self.cwd = target

    def _manage_py_here(self, command: ReaderCommand) -> None:
        if command.program == "manage.py" and not (self.cwd / "manage.py").is_file():
            raise StepFailed(
                command.line,
                "ReaderStep",
                f"{command.text}: there is no manage.py in {self.shown(self.cwd)}; the page must "
                "make the project first ('django-admin startproject mysite .') or 'cd' into it",
            )

    def _argv(self, command: ReaderCommand) -> list[str]:
        if command.action is Action.ADRTOOL:
            return [sys.executable, "-m", "adrtool", *command.args]
        if command.action is Action.PYTEST:
            return [sys.executable, "-m", "pytest", *command.args]
        if command.program == "manage.py":
            return [sys.executable, "manage.py", *command.args]
        return [sys.executable, "-m", "django", *command.args]

    def _process(self, command: ReaderCommand, expected: int | None) -> None:
        self._manage_py_here(command)
        env = {**self.env, **dict(command.environ)}
        if command.action is Action.ADRTOOL:
            env.update({"ADRTOOL_CEILING_DIRECTORIES": str(self.area.parent), "NO_COLOR": "1"})
        if command.action is Action.PYTEST:
            env.update(self._pytest_environ(command))
        try:
            returncode, output = self.starter.run(
                self._argv(command), cwd=self.cwd, env=env, timeout=COMMAND_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise StepFailed(
                command.line, "Timeout", f"{command.text} did not finish in {COMMAND_TIMEOUT:g} s"
            ) from None
        if command.args and command.args[0] in _MAKE_FILES:
            self.generation += 1
        if returncode != (expected or 0):
            said = [line.strip() for line in output.splitlines() if line.strip()]
            last = f": {said[-1]}" if said else ""
            wanted = f", the page expects {expected}" if expected is not None else ""
            raise StepFailed(
                command.line,
                "CommandFailed",
                f"{command.text} exited {returncode}{wanted}{last}",
            )
        self._compare(command, output)

    def _pytest_environ(self, command: ReaderCommand) -> dict[str, str]:
        """pytest with the plugins of what the page installed, not of the check's environment.

        The check's environment has plugins of its own (hypothesis, pytest-cov) that the
        reader's does not, and that change pytest's output and start-up time.
        """
        distributions = installed_closure(self.installed)
        if "pytest" not in distributions:
            raise StepFailed(
                command.line,
                "ReaderStep",
                f"{command.text}: the page installed no pytest; add pytest, or the plugin "
                'that brings it, to its pip line (python -m pip install "pytest-django~=X.Y")',
            )
        return {
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PYTEST_PLUGINS": ",".join(plugin_modules(distributions)),
        }

    def _compare(self, command: ReaderCommand, output: str, open_end: bool = False) -> None:
        if not command.shown_output:
            return
        shown = command.shown_output
        if open_end and shown[-1].strip() != ELLIPSIS:
            shown = (*shown, ELLIPSIS)
        output = _PORT_IN_OUTPUT.sub(
            lambda m: f"{m[1]}:{PAGE_PORT}" if int(m[2]) == self.port else m[0], output
        )
        differs = mismatch(shown, output)
        if differs is not None:
            raise StepFailed(command.shown_output_line, "ReaderOutput", differs)

    def _runserver(self, command: ReaderCommand) -> None:
        self._manage_py_here(command)
        args = list(command.args[1:])
        addresses = [a for a in args if not a.startswith("-")]
        if addresses and addresses[0].rsplit(":", 1)[-1] != str(PAGE_PORT):
            raise StepFailed(
                command.line,
                "ReaderStep",
                f"the check maps the page's port {PAGE_PORT} to a free one: "
                "run the server on 8000 (the default)",
            )
        options = [a for a in args if a.startswith("-")]
        if self.server is not None:
            self.server.stop()  # the reader's Ctrl-C before typing it again
        self.server = Server(
            ["runserver", *options, f"127.0.0.1:{self.port}"],
            self.cwd,
            self.env,
            self.port,
            self.console,
            starter=self.starter,
        )
        try:
            self.server.wait_ready()
        except ProcessFailed as error:
            raise StepFailed(command.line, "CommandFailed", str(error)) from None
        if command.shown_output:
            # The server goes on printing (a warning, then each request): the lines shown are
            # compared with what it printed until it was ready, and may stop at any point.
            self._compare(command, self.server.output(), open_end=True)

    def _maintenance(self) -> Any:
        import psycopg

        conninfo = " ".join(f"{key}={value}" for key, value in _libpq(self.env).items())
        return psycopg.connect(conninfo, dbname=self.maintenance_db, autocommit=True)

    def _createdb(self, command: ReaderCommand) -> None:
        import psycopg

        if "PGHOST" not in self.env:
            raise StepFailed(
                command.line,
                "ReaderStep",
                "createdb needs a PostgreSQL server: add '<!-- snippetcheck: postgres -->'",
            )
        try:
            with self._maintenance() as db:
                db.execute(f'CREATE DATABASE "{command.args[0]}"')
        except psycopg.Error as error:
            message = f"{command.text}: {one_line(str(error))}"
            raise StepFailed(command.line, "CommandFailed", message) from None
        self.databases.append(command.args[0])

    def _drop_databases(self) -> None:
        """The server may be shared (SNIPPETCHECK_POSTGRES_URL): leave nothing of the page."""
        import psycopg

        with contextlib.suppress(psycopg.Error), self._maintenance() as db:
            for name in self.databases:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # Browser and shell

    def _open(self, snippet: Snippet) -> None:
        url = snippet.source
        if self.server is None:
            raise StepFailed(
                snippet.start_line,
                "ReaderStep",
                f"the page tells the reader to open {url}, but no server runs: show "
                "'$ python manage.py runserver' before it",
            )
        self.server.settle()
        try:
            answer = self.browser.get(url)
        except OSError as error:
            raise StepFailed(
                snippet.start_line,
                "ReaderOpen",
                f"{url} does not answer ({error}); the server said: {self.server._last()}",
            ) from None
        if not answer.ok:
            raise StepFailed(
                snippet.start_line,
                "ReaderOpen",
                f"{url} answers HTTP {answer.status} (at {answer.url}), not the page the reader "
                "is told to open",
            )

    def _close_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def _open_session(self) -> None:
        self.session = ShellSession(
            self.starter,
            self.cwd,
            self.env,
            {
                "page": self.page.path,
                "files": self.files,
                "area": str(self.area),
                "jar": str(self.browser.jar_path),
                "console": str(self.console),
                "log": str(self.private / "shell.log"),
                "shown_folder": self.shown(self.cwd),
                "package_root": str(Path(__file__).resolve().parents[2]),
                "shell_awaits": "ipython" in installed_closure(self.installed),
            },
        )

    def _python(self, snippet: Snippet, hidden: bool) -> None:
        django = not hidden or guard.needs_django(snippet.source)
        session = self.session
        if session is not None and (
            session.cwd != self.cwd
            or (django and session.django_generation not in (None, self.generation))
        ):
            self._close_session()  # the reader restarts the shell to see the changed project
        if self.session is None:
            self._open_session()
        assert self.session is not None
        if django and self.session.django_generation is None:
            self.session.django_generation = self.generation
        if self.server is not None:
            self.server.settle()
        try:
            answer = self.session.run(
                snippet.source,
                snippet.start_line,
                hidden,
                django,
                self.port if self.server is not None else None,
            )
        except ProcessFailed as error:
            raise StepFailed(snippet.start_line, "ShellFailed", str(error)) from None
        failure = answer.get("failure")
        if failure is not None:
            raise StepFailed(int(failure["line"]), str(failure["error_type"]), failure["message"])


def _libpq(env: dict[str, str]) -> dict[str, str]:
    names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    return {key: env[name] for name, key in names.items() if env.get(name)}


def installed_closure(requirements: set[str]) -> set[str]:
    """The distributions that installing ``requirements`` brings, dependencies included."""
    from packaging.utils import canonicalize_name

    found: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        try:
            needs = importlib.metadata.requires(requirement.name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # a dependency for another platform, which no marker ruled out here
        found.add(name)
        extras = requirement.extras or {""}
        for text in needs:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                pending.append(needed)
    return found


def plugin_modules(distributions: set[str]) -> list[str]:
    """The modules of the pytest plugins (``pytest11`` entry points) of ``distributions``."""
    from packaging.utils import canonicalize_name

    return sorted(
        entry.module
        for entry in importlib.metadata.entry_points(group="pytest11")
        if entry.dist is not None and canonicalize_name(entry.dist.name) in distributions
    )


def _verify_installed(line: int, text: str) -> None:
    requirement = Requirement(text)
    try:
        version = importlib.metadata.version(requirement.name)
    except importlib.metadata.PackageNotFoundError:
        raise StepFailed(
            line,
            "NotInstalled",
            f"{requirement.name} is not installed where the check runs, and the check "
            "downloads nothing: add it to the project's environment (uv.lock), or fix the name",
        ) from None
    if not requirement.specifier.contains(version, prereleases=True):
        raise StepFailed(
            line,
            "NotInstalled",
            f"{text} does not match the installed {requirement.name} {version}: pin the "
            "version the check runs with, or update the lock",
        )
    for extra in sorted(requirement.extras):
        _verify_extra(line, text, requirement.name, extra)


def _verify_extra(line: int, text: str, name: str, extra: str) -> None:
    """What ``name[extra]`` brings must be installed too: the reader's pip would install it."""
    offered = importlib.metadata.metadata(name).get_all("Provides-Extra") or []
    if extra not in offered:
        raise StepFailed(
            line,
            "NotInstalled",
            f"{text}: {name} has no extra {extra!r} (it has {', '.join(offered) or 'none'}); "
            "fix the name in the brackets",
        )
    environment = {"extra": extra}  # the rest is this interpreter's, as pip would see it
    brought = [
        requirement
        for requirement in map(Requirement, importlib.metadata.requires(name) or [])
        if requirement.marker is not None
        and "extra" in str(requirement.marker)
        and requirement.marker.evaluate(environment)
    ]
    for needed in brought:
        bare = f"{needed.name}{needed.specifier}"
        try:
            _verify_installed(line, bare)
        except StepFailed as failure:
            raise StepFailed(line, "NotInstalled", f"{text} brings {bare}: {failure}") from None


def _write(target: Path, content: str) -> None:
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run_tutorial(page: Page, text: str, folder: Path, report: Report) -> None:
    """Run a tutorial page in this process (forked for it), and report its outcome."""
    # The reader stops runserver with Ctrl-C: its process must not inherit SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    run = TutorialRun(page, text, folder, report)
    failure = run.run()
    report(Done(event="done", failure=None if failure is None else failure.data()))
