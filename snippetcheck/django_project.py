"""Run one page's snippets inside the test Django project (in a process forked for the page).

``setup()`` runs once per worker: it configures Django, migrates a template database and
imports what pages use, so that each page's process starts warm. ``run_page()`` then gives a
page its own folder (its files, on ``sys.path``), its own copy of the database, and its own
namespace, and runs the snippets in order (ADR 14).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from snippetcheck import toplevel
from snippetcheck.errors import SettingsNotImportable
from snippetcheck.extract import ADRTOOL_PROGRAMS, Command, Kind, Page, Snippet, extract_file
from snippetcheck.failure import Failure
from snippetcheck.filecheck import FileKind, InvalidFile, check_data_file
from snippetcheck.hints import postgres_hint
from snippetcheck.progress import HOOK, instrument
from snippetcheck.protocol import Done, Report, Started, Where
from snippetcheck.settings_wrapper import write_wrapper
from snippetcheck.tracebacks import describe, excerpt, one_line, page_line
from snippetcheck.tutorial.warm_start import WarmStarter

if TYPE_CHECKING:
    from django.db.migrations.state import ProjectState

# Folders of a page's files that are never apps of their own.
NOT_APPS = frozenset({"templates", "static", "docs", "media"})
Progress = Callable[[int], None]  # told each page line the page's top-level code runs


def preload() -> None:
    """Import Django's heavy modules before settings exist (while PostgreSQL starts)."""
    import django.contrib.admin.sites
    import django.db.models
    import django.test  # noqa: F401


def setup(
    project: Path, workdir: Path, database: str, template_db: str, settings_module: str
) -> None:
    """Configure Django from the project's settings and migrate the template database.

    The settings module is imported first, alone, so that a module that cannot be imported is
    named as such; then Django runs on the wrapper around it (settings_wrapper.py).
    """
    sys.path.insert(0, str(project))
    try:
        importlib.import_module(settings_module)
    except Exception as error:  # whatever the user's settings raise, it is theirs to fix
        raise SettingsNotImportable(
            f"cannot import the settings module {settings_module} from {project}: "
            f"{type(error).__name__}: {one_line(str(error))}; fix the module, install what it "
            "imports where snippetcheck runs (the hook's additional_dependencies), or pass "
            "--settings and --project"
        ) from None
    # For processes a page starts that import testproject's settings themselves (a pytest run,
    # as in docs/how-to/guard-query-counts.md): they read the check's database from these.
    os.environ["SNIPPETCHECK_DATABASE"] = database
    os.environ[f"SNIPPETCHECK_{'POSTGRES' if database == 'postgres' else 'SQLITE'}_NAME"] = (
        template_db
    )
    sys.path.insert(0, str(workdir))
    os.environ["DJANGO_SETTINGS_MODULE"] = write_wrapper(
        workdir, settings_module, database, template_db
    )
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0, interactive=False)
    # What most pages use, imported once here instead of once per page.
    for module in (
        "asgiref.sync",
        "django.test",
        "django.test.utils",
        "django.test.client",
        "django.contrib.admin.views.main",
        "django.core.management.commands.makemigrations",
        "django.core.management.commands.check",
        "django.db.migrations.autodetector",
        "django.db.migrations.writer",
    ):
        importlib.import_module(module)
    import django.contrib.admin.sites
    from django.urls import NoReverseMatch, get_resolver, reverse

    # Load the URLconf and the views it names, wherever the project mounts them: importing it
    # is neutral, and reversing the admin's index (when the project has one) builds the tables.
    get_resolver().url_patterns  # noqa: B018 - imported on first access
    if apps.is_installed("django.contrib.admin"):
        with contextlib.suppress(NoReverseMatch):
            reverse("admin:index")
    connections.close_all()


def _forget_urlconf() -> None:
    """Import the project's URLconf afresh on the next request (it reads the installed apps)."""
    from django.conf import settings
    from django.urls import clear_url_caches, set_urlconf

    urlconf = getattr(settings, "ROOT_URLCONF", None)
    if isinstance(urlconf, str):
        sys.modules.pop(urlconf, None)
    clear_url_caches()
    set_urlconf(None)


class RequestErrors(logging.Handler):
    """Errors Django turned into a 500 response while a snippet ran.

    A page that requests through httpx or a live server sees only the status, so its failure
    would name the assertion on it; the error says where the view broke. Django logs each such
    error on ``django.request`` with its traceback, whatever the client.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and isinstance(record.exc_info[1], BaseException):
            self.errors.append(record.exc_info[1])


class PageRun:
    """The state of one page while it runs: its folder, namespace and written files."""

    def __init__(self, page: Page, folder: Path, text: str, report: Report) -> None:
        self.page = page
        self.folder = folder
        self.lines = text.expandtabs(4).splitlines()
        self.report = report
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.files: dict[str, int] = {}  # file on disk -> page line of its first code line
        self.pending: list[Snippet] = []  # file snippets written since the last sync
        self.apps: list[str] = []  # the page's apps, installed in this order
        # Apps whose migrations the page writes itself, anywhere on it: the check never makes
        # one for them, so a snippet that uses such an app before the page has shown (and
        # migrated) its migration fails as it would for a reader, instead of running on a
        # migration the check wrote in its place.
        self.own_migrations: set[str] = {
            Path(s.file).parts[0]
            for s in page.snippets
            if s.file is not None
            and len(Path(s.file).parts) >= 3
            and Path(s.file).parts[1] == "migrations"
        }
        # Apps the page migrates itself with `manage.py migrate` (ALL_APPS for a bare one): the
        # check never applies their migrations at a sync, so a snippet that needs a migration
        # the page has not yet applied fails as it would for a reader, and a `migrate` line
        # moved or left out shows.
        self.migrated_by_page = _migrated_by_page(page)
        self.synced_once = False
        self.adrtool_starter: WarmStarter | None = None
        # What the project looked like when each step of a sync last succeeded (see _install).
        self.made_for: tuple[ProjectState, _Files] | None = None
        self.migrated_for: ProjectState | None = None
        self.checked_for: ProjectState | None = None
        self.request_errors = RequestErrors()
        # How many request errors there were as each snippet started: a failure looks at those
        # of its snippet and the one before, as hidden code often checks a request made above.
        self.errors_before: list[int] = []

    def fail(self, error: BaseException, fallback: int) -> Failure:
        """The failure at the deepest page line of the error's traceback, else at ``fallback``.

        That line may be in an earlier snippet (a function it defined), or in a file snippet.
        When a request made by the snippet (or the one before) failed in the page's code, the
        message says where: the client saw only a 500, and the view's line is the lead. The
        failure stays at its own line, since a page may cause such an error on purpose.
        """
        line = page_line(error, self.page.path, self.files, fallback)
        error_type, message = describe(error)
        if not self.page.postgres:
            message += postgres_hint(error)
        since = self.errors_before[-2] if len(self.errors_before) > 1 else 0
        for request_error in reversed(self.request_errors.errors[since:]):
            where = page_line(request_error, self.page.path, self.files, 0)
            if request_error is not error and where:
                cause_type, cause = describe(request_error)
                message += f" (a request failed before it, at line {where}: {cause_type}: {cause})"
                break
        return Failure(self.page.path, line, error_type, message, excerpt(self.lines, line))

    def run(self) -> Failure | None:
        for snippet in self.page.snippets:
            self.report(Started(event="start", line=snippet.start_line))
            self.errors_before.append(len(self.request_errors.errors))
            if snippet.kind is Kind.FILE:
                if any(s.file == snippet.file for s in self.pending):
                    # The file changes again before any code used it: check this version first.
                    failure = self.sync()
                    if failure is not None:
                        return failure
                failure = self.write(snippet)
                if failure is not None:
                    return failure
                continue
            failure = self.sync()
            if failure is not None:
                return failure
            # Installing apps configures logging again, which drops the loggers' handlers.
            request_logger = logging.getLogger("django.request")
            if self.request_errors not in request_logger.handlers:
                request_logger.addHandler(self.request_errors)
            try:
                if snippet.kind is Kind.SHELL:
                    self.shell(snippet)
                else:
                    self.python(snippet)
            except _AtLine as error:
                return _fail_shell(self, error)
            except (Exception, SystemExit) as error:  # a snippet's error is the report
                return self.fail(error, snippet.start_line)
        return self.sync() or self.migrations_match_models()

    def migrations_match_models(self) -> Failure | None:
        """At the end of a page that writes an app's migrations, the app's models must need no
        new one: a reader's ``migrate`` would warn, and ``makemigrations`` would write it.

        Without this, a value changed in a model or in its migration (``max_length=100`` in
        one, 101 in the other) is never seen, since the check applies the page's migrations as
        written. The failure is at the app's last file snippet, where one of the two is shown.
        """
        from django.core.management import call_command

        for label in sorted(self.own_migrations & set(self.apps)):
            quiet = io.StringIO()
            try:
                call_command(
                    "makemigrations", label, check=True, dry_run=True, verbosity=1, stdout=quiet
                )
            except SystemExit:
                shown = [s for s in self.page.snippets if (s.file or "").startswith(f"{label}/")]
                line = shown[-1].start_line if shown else 1
                changes = " ".join(quiet.getvalue().split())
                return Failure(
                    self.page.path,
                    line,
                    "MigrationsOutOfDate",
                    f"the models of {label} differ from its migrations on the page; "
                    f"makemigrations would write: {changes}",
                    excerpt(self.lines, line),
                )
        return None

    def write(self, snippet: Snippet) -> Failure | None:
        """Write a file snippet; a data file (TOML, YAML, an ADR record...) is parsed right away,
        so its fault is found at its own line, not where something reads it later, if ever."""
        assert snippet.file is not None
        target = self.folder / snippet.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snippet.source, encoding="utf-8")
        self.files[str(target)] = snippet.start_line
        parts = Path(snippet.file).parts
        if len(parts) >= 3 and parts[1] == "migrations":
            self.own_migrations.add(parts[0])
        self.pending.append(snippet)
        kind = snippet.checked_as
        if kind is None or kind in (FileKind.PYTHON, FileKind.TEMPLATE):
            return None  # Python and templates are checked by the project, at the next sync
        try:
            check_data_file(kind, target, snippet.source)
        except InvalidFile as error:
            line = min(
                max(snippet.start_line + error.line - 1, snippet.start_line), snippet.end_line
            )
            return Failure(
                self.page.path,
                line,
                error.error_type,
                one_line(error.message),
                excerpt(self.lines, line),
            )
        return None

    def sync(self) -> Failure | None:
        """Make the files written so far part of the project: apps installed, migrated, imported.

        An error outside the page's files (a migration Django cannot make, say) is reported at
        the last file written, the likeliest cause.
        """
        if not self.pending:
            return None
        pending, self.pending = self.pending, []
        try:
            self._install([s.file for s in pending if s.file is not None])
        except (Exception, SystemExit) as error:
            return self.fail(error, pending[-1].start_line)
        templates = [s for s in pending if s.checked_as is FileKind.TEMPLATE]
        if templates:
            return self._compile_templates(templates)
        return None

    def _compile_templates(self, snippets: list[Snippet]) -> Failure | None:
        """Compile the templates just written, as the project's Django engine would load them.

        Now, not when a view renders them: a template only a later `manage.py test` renders
        would otherwise fail as that command's exit status, far from its line. The engine is
        made afresh, after the page's apps were installed, so `{% load %}` finds their tag
        libraries; the project's own engine is left to be made when first used, as before.
        """
        from django.template import Origin, Template, engines
        from django.template.backends.django import DjangoTemplates

        configs = [
            config
            for config in engines.templates.values()
            if config["BACKEND"] == "django.template.backends.django.DjangoTemplates"
        ]
        if not configs:
            return None  # a project without Django's engine: nothing to compile them with
        params = {key: value for key, value in configs[0].items() if key != "BACKEND"}
        # Debug on, whatever the project says: it is what attaches the template's line.
        params["OPTIONS"] = {**params.get("OPTIONS", {}), "debug": True}
        engine = DjangoTemplates(params).engine
        for snippet in snippets:
            assert snippet.file is not None
            target = self.folder / snippet.file
            try:
                Template(snippet.source, origin=Origin(str(target)), engine=engine)
            except Exception as error:  # a template's error is the report
                return self.fail(error, snippet.start_line)
        return None

    def _install(self, written: list[str]) -> None:
        from django.apps import apps
        from django.contrib import admin
        from django.core.management import call_command
        from django.db.migrations.state import ProjectState

        importlib.invalidate_caches()
        packages = sorted(
            {
                Path(name).parts[0]
                for name in self.files_relative()
                if len(Path(name).parts) == 2
                and name.endswith(".py")
                and Path(name).parts[0] not in NOT_APPS
            }
        )
        for package in packages:
            init = self.folder / package / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
            migrations = self.folder / package / "migrations"
            migrations.mkdir(exist_ok=True)
            if not (migrations / "__init__.py").exists():
                (migrations / "__init__.py").write_text("", encoding="utf-8")
        new_apps = [p for p in packages if p not in self.apps]
        changed = {_module_name(name) for name in written if name.endswith(".py")}
        reload = any(module in sys.modules for module in changed)
        if new_apps or reload:
            if reload:
                self._forget_page_modules()
            self.apps.extend(new_apps)
            if self.synced_once:
                apps.unset_installed_apps()
            from django.conf import settings

            apps.set_installed_apps([*settings.INSTALLED_APPS, *self.apps])
            self.synced_once = True
            _forget_urlconf()
            if apps.is_installed("django.contrib.admin"):  # a project may do without it
                admin.autodiscover()
        auto = [label for label in self.apps if label not in self.own_migrations]
        quiet = io.StringIO()
        # Each step below is skipped when what it reads has not changed since it last ran, as a
        # reader who edits a view does not run makemigrations, migrate and check again: most
        # syncs write views, URLs or tests, and the three cost more than the page's own code.
        # The models as migrations see them: equal states mean the same tables, fields and
        # options, even where a file written again made new classes of the same models.
        state = ProjectState.from_apps(apps)
        if auto and (
            self.made_for is None
            or not _same(state, self.made_for[0])
            or self._migration_files() != self.made_for[1]
        ):
            call_command("makemigrations", *auto, verbosity=0, interactive=False, stdout=quiet)
            self.made_for = state, self._migration_files()  # with those it just wrote
        importlib.invalidate_caches()
        if not self.migrated_by_page:
            if not _same(state, self.migrated_for) or _unapplied_migrations():
                # Even with nothing to apply, migrate renders every app's state and its
                # post_migrate handlers query each app's content types and permissions: needed
                # for new models only.
                call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
                self.migrated_for = state
        elif ALL_APPS not in self.migrated_by_page:
            # Only the apps the page never migrates, one by one, as `migrate` alone would
            # apply the page's own too.
            labels = _apps_with_migrations(set(self.apps) - self.migrated_by_page)
            if labels and (not _same(state, self.migrated_for) or _unapplied_migrations(labels)):
                for label in labels:
                    call_command("migrate", label, verbosity=0, interactive=False, stdout=quiet)
                self.migrated_for = state
        python_written = any(name.endswith(".py") for name in written)
        if self.apps and (python_written or not _same(state, self.checked_for)):
            # The checks read Python only (models, admin, URLs, settings): a template or data
            # file cannot change their outcome, and a new model is checked at the next sync.
            call_command("check", *self.apps, stdout=quiet, stderr=quiet)
            self.checked_for = state
        for name in written:
            if name.endswith(".py") and "/migrations/" not in f"/{name}":
                importlib.import_module(_module_name(name))
        _forget_startup_caches(written)

    def files_relative(self) -> list[str]:
        return [str(Path(path).relative_to(self.folder)) for path in self.files]

    def _migration_files(self) -> _Files:
        """The page apps' migration files, as makemigrations finds them on disk."""
        return tuple(
            sorted(
                (str(path), path.stat().st_mtime_ns, path.stat().st_size)
                for label in self.apps
                for path in (self.folder / label / "migrations").glob("*.py")
            )
        )

    def _forget_page_modules(self) -> None:
        """Drop the page's modules and models so that changed files are imported afresh."""
        from django.apps import apps
        from django.contrib import admin

        tops = {Path(name).parts[0].removesuffix(".py") for name in self.files_relative()}
        for module in list(sys.modules):
            if module.split(".")[0] in tops:
                del sys.modules[module]
        for label in self.apps:
            apps.all_models.pop(label, None)
        if not apps.is_installed("django.contrib.admin"):
            return
        admin.site._registry = {
            model: model_admin
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label not in self.apps
        }

    def python(self, snippet: Snippet) -> None:
        padded = "\n" * (snippet.start_line - 1) + snippet.source
        code = compile(
            instrument(ast.parse(padded, self.page.path)),
            self.page.path,
            "exec",
            flags=toplevel.FLAGS,
            dont_inherit=True,
        )
        toplevel.run(code, self.namespace)

    def shell(self, snippet: Snippet) -> None:
        last = len(snippet.commands) - 1
        for index, command in enumerate(snippet.commands):
            getattr(builtins, HOOK)(command.line)
            expected = snippet.expect_exit if index == last else None
            if command.program in ADRTOOL_PROGRAMS:
                status, error = self._adrtool(command)
            else:
                status, error = _manage_py(command, self.files)
            if status == (expected or 0):
                continue
            if expected is not None:
                error = CommandFailed(
                    f"{command} exited {status}, the page expects {expected}"
                    + (f": {error}" if error is not None else "")
                )
            assert error is not None
            raise _AtLine(command.line, error) from error

    def _adrtool(self, command: Command) -> tuple[int, BaseException | None]:
        """Run adrtool (or adr) as the reader does, in the page's folder; its status and its
        error."""
        environ = {
            # `adr new` runs the editor whether or not it has a terminal, as adr-tools does: the
            # check's own VISUAL and EDITOR are not the page's (its NAME=value prefixes are).
            **{k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")},
            # Never find a decision folder above the page's own (the check's temp folders).
            "ADRTOOL_CEILING_DIRECTORIES": str(self.folder.parent),
            "NO_COLOR": "1",
            **dict(command.environ),
        }
        if self.adrtool_starter is None:
            # Forked from a starter that has click and adrtool imported (ADR 39): a page that
            # runs adrtool forty times starts Python once.
            self.adrtool_starter = WarmStarter(environ, preload="adrtool")
            self.adrtool_starter.start()
        # stdin is empty, not a terminal, so `new` opens no editor.
        code, out, err = self.adrtool_starter.run_apart(
            [sys.executable, "-m", ADRTOOL_PROGRAMS[command.program], *command.args],
            cwd=self.folder,
            env=environ,
            timeout=ADRTOOL_TIMEOUT,
        )
        if code == 0:
            return 0, None
        said = [line for line in (err or out).splitlines() if line.strip()]
        return code, CommandFailed(
            f"{command} exited {code}" + (f": {said[-1].strip()}" if said else "")
        )


# A hang guard only: the page's own time limit, counted in time it could run, ends a hang first.
ADRTOOL_TIMEOUT = 3600.0


def _manage_py(command: Command, files: Mapping[str, int]) -> tuple[int, BaseException | None]:
    """Run a manage.py command in this process; its exit status as the shell would see it.

    ``files`` maps the page's files on disk to their first page line, to name where a failing
    test failed.
    """
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    saved = {name: os.environ.get(name) for name, _ in command.environ}
    os.environ.update(dict(command.environ))
    try:
        # unittest's runner writes its report to sys.stderr, not to the command's stderr.
        with contextlib.redirect_stderr(out):
            call_command(*command.args, stdout=out, stderr=out)
    except CommandError as error:
        return error.returncode, error
    except SystemExit as error:
        code = error.code if isinstance(error.code, int) else 1
        said = _test_failure(out.getvalue(), files) or _last_line(out.getvalue())
        if said is None:
            return code, error
        return code, CommandFailed(f"{command} exited {code}: {said}")
    except Exception as error:  # a crash: Python would exit 1 with a traceback
        return 1, error
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if command.args[:1] == ("test",) and _NO_TESTS.search(out.getvalue()):
        # unittest passes an empty run, yet a page shows `manage.py test` to run tests: before
        # the tests it should run (or with a label that finds none), the reader sees none run.
        return 1, CommandFailed(
            f"{command} ran no tests: show the tests before the command, or name their app"
        )
    return 0, None


# unittest's summary of a run that found no test.
_NO_TESTS = re.compile(r"^Ran 0 tests in ", re.MULTILINE)


_TEST_HEADER = re.compile(r"^(?:FAIL|ERROR): (?P<test>.+)$")
_TRACEBACK_FILE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _test_failure(report: str, files: Mapping[str, int]) -> str | None:
    """The first failing test of a unittest report: its name, error line and page line.

    ``FAIL: test_x (app.tests.T.test_x)``, then its traceback, whose last line is the error and
    whose deepest frame in a page file (a test or a view the page showed) is where to look.
    """
    lines = report.splitlines()
    for index, text in enumerate(lines):
        header = _TEST_HEADER.match(text)
        if header is None:
            continue
        error, where, after_frames = None, None, False
        for body in lines[index + 2 :]:
            if body.startswith(("=====", "-----")):
                break
            found = _TRACEBACK_FILE.match(body)
            if found:
                after_frames, error = True, None  # a chained traceback starts over
                if found["file"] in files:
                    where = files[found["file"]] + int(found["line"]) - 1
            elif after_frames and error is None and body.strip() and not body.startswith(" "):
                # The error's first line: a message may go on over more lines.
                error = body.strip()
        said = f"{header['test']} failed"
        if where is not None:
            said += f" at line {where}"
        return f"{said}: {error}" if error else said
    return None


def _last_line(output: str) -> str | None:
    said = [line.strip() for line in output.splitlines() if line.strip()]
    return said[-1] if said else None


class CommandFailed(Exception):
    """A shell snippet's command ended with another exit status than the page shows."""


class _AtLine(Exception):
    """An error of a shell command, tied to the command's page line."""

    def __init__(self, line: int, error: BaseException) -> None:
        super().__init__(str(error))
        self.line = line
        self.error = error


_Files = tuple[tuple[str, int, int], ...]


def _same(state: ProjectState, before: ProjectState | None) -> bool:
    # ProjectState compares itself with another state only, never with None.
    return before is not None and state == before


def _unapplied_migrations(labels: list[str] | None = None) -> bool:
    """Whether migrate has anything to apply to the default database, as migrate plans it:
    for every app, or for the apps ``labels`` names."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    leaves = executor.loader.graph.leaf_nodes()
    if labels is not None:
        leaves = [leaf for leaf in leaves if leaf[0] in labels]
    return bool(executor.migration_plan(leaves))


def _apps_with_migrations(labels: set[str]) -> list[str]:
    """Those of the apps that have migrations on disk: `migrate LABEL` refuses any other."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connections[DEFAULT_DB_ALIAS]).graph
    return sorted(labels & {label for label, _ in graph.leaf_nodes()})


# What _migrated_by_page holds for a `manage.py migrate` without an app label.
ALL_APPS = ""


def _migrated_by_page(page: Page) -> set[str]:
    """The apps the page's own `manage.py migrate` commands migrate on the default database,
    read by the command's own parser; ALL_APPS among them for a `migrate` without a label.

    A command its parser refuses (a misspelt option) migrates nothing: it fails where it runs.
    """
    from django.core.management.commands.migrate import Command as Migrate

    found: set[str] = set()
    for snippet in page.snippets:
        if snippet.kind is not Kind.SHELL:
            continue
        for command in snippet.commands:
            if command.program != "manage.py" or command.args[:1] != ("migrate",):
                continue
            parser = Migrate().create_parser("manage.py", "migrate")
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    options = parser.parse_args(list(command.args[1:]))
            except (SystemExit, Exception):  # a parser error is the command's, where it runs
                continue
            if options.database != "default":
                continue
            found.add(options.app_label or ALL_APPS)
    return found


def _forget_startup_caches(written: list[str]) -> None:
    """Make Django see files a page adds after its first use of templates, URLs or commands.

    A reader's project is restarted between edits; ours lives on, and Django caches what it
    found on first use: the template loaders (and their compiled templates), the apps' template
    folders, the management commands, and the URLconf with the admin's registrations in it.
    """
    from django.core.management import get_commands
    from django.template import engines
    from django.template.utils import get_app_template_dirs

    get_commands.cache_clear()
    get_app_template_dirs.cache_clear()
    for backend in engines.all():
        engine = getattr(backend, "engine", None)
        if engine is not None:
            # A cached_property: dropping it makes fresh loaders, which find new folders and read
            # changed templates again.
            engine.__dict__.pop("template_loaders", None)
    if any(Path(name).name in ("urls.py", "admin.py") for name in written):
        # The project's URLconf includes each app's urls.py and the admin's registry when it is
        # imported; import it again on the next request.
        _forget_urlconf()


def _module_name(relative: str) -> str:
    return ".".join(Path(relative).with_suffix("").parts)


def run_page(
    source: Path,
    shown: str,
    folder: Path,
    database_name: str,
    report: Report,
    progress: Progress = lambda line: None,
) -> None:
    """Run a page in this (forked) process on its own database, and report its outcome."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings

    text = source.read_text(encoding="utf-8")
    page = extract_file(source, shown)
    if page.tutorial:  # reader mode: the page makes its own project, in processes of its own
        from snippetcheck.tutorial.engine import run_tutorial

        run_tutorial(page, text, folder, report)
        return
    sys.path.insert(0, str(folder))
    os.chdir(folder)
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = database_name
    settings.DATABASES["default"]["NAME"] = database_name
    # The process ends with the page, so the override is never undone.
    templates = list(settings.TEMPLATES)
    if templates:
        # The page's templates folder first; the project's own folders still after it.
        first = templates[0]
        templates[0] = {**first, "DIRS": [folder / "templates", *first.get("DIRS", [])]}
    override_settings(
        TEMPLATES=templates,
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "staticfiles"),
    ).enable()
    run = PageRun(page, folder, text, report)
    # The snippets' code calls it by name; a builtin, so that it is not in their namespace.
    setattr(builtins, HOOK, progress)
    signal.signal(signal.SIGUSR1, lambda signum, frame: _where(run))
    failure = run.run()
    report(Done(event="done", failure=None if failure is None else failure.data()))


def _where(run: PageRun) -> None:
    """Report the page line each thread is running (the worker asks before ending a hung page)."""
    lines = []
    for frame in sys._current_frames().values():
        found = None
        walker: FrameType | None = frame
        while walker is not None and found is None:
            filename = walker.f_code.co_filename
            if filename == run.page.path:
                found = walker.f_lineno
            elif filename in run.files:
                found = run.files[filename] + walker.f_lineno - 1
            walker = walker.f_back
        if found is not None:
            lines.append(found)
    if lines:
        run.report(Where(event="where", line=max(lines)))


def _fail_shell(run: PageRun, error: _AtLine) -> Failure:
    """The failure of a shell command: at the command's line, or at the page's own code the
    command crashed in (a migration it loaded, a model it imported), whose line is the lead."""
    error_type, message = describe(error.error)
    line = page_line(error.error, run.page.path, run.files, error.line)
    return Failure(run.page.path, line, error_type, message, excerpt(run.lines, line))
