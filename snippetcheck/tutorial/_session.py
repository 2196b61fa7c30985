"""The reader's ``python manage.py shell``, as a process the engine talks to (a script).

Run as ``python _session.py CONFIG_JSON`` in the reader's project folder, with the reader's
environment. It does what ``manage.py shell`` does (the settings module manage.py names,
``django.setup()``), then reads JSON lines ``{"source", "line", "hidden", "django", "port"}`` on
stdin, runs
each block in one namespace, and answers one JSON line each: ``{"ok": true}`` or ``{"failure":
{...}}``. A hidden block gets ``reader`` (the reader's browser) and must leave the environment,
the page's files and the database's rows as it found them. Django is set up for the first block
that needs it (``"django": true``): a hidden block that only uses ``reader`` needs none, and
runs in a session the project's changes have not made stale.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["'](?P<module>[\w.]+)["']""")


class HiddenChange(Exception):
    """A hidden block changed what the reader would meet."""


def _files(area: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in area.rglob("*"):
        if "__pycache__" in path.parts or ".sqlite3" in path.name or not path.is_file():
            continue
        stat = path.stat()
        found[str(path.relative_to(area))] = (stat.st_size, stat.st_mtime_ns)
    return found


def _rows() -> dict[str, str]:
    """A checksum of each table's rows: the databases of a tutorial are tiny."""
    from django.db import connection

    sums = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # names from the database itself
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return sums


def _changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


class _NoServer:
    """``reader`` before the page has started ``runserver``: says so when used."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(
            f"reader.{name}: no server runs yet; the page must show 'python manage.py runserver' "
            "before hidden code uses reader"
        )


class Session:
    def __init__(self, config: dict[str, Any]) -> None:
        self.page = str(config["page"])
        self.files = {str(k): int(v) for k, v in config["files"].items()}
        self.area = Path(config["area"])
        self.jar = Path(config["jar"])
        self.console = Path(config["console"])
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.baseline: dict[str, str] | None = None  # rows when a hidden block (or request) began
        self.shown_folder = str(config["shown_folder"])
        self.django_ready = False
        self.shell_awaits = bool(config.get("shell_awaits"))

    def setup_django(self) -> str | None:
        """What ``manage.py shell`` does before its prompt; None, or why it cannot start."""
        manage = Path("manage.py")
        if not manage.is_file():
            return f"no manage.py in {self.shown_folder}"
        found = _SETTINGS.search(manage.read_text(encoding="utf-8"))
        if found is None:
            return "manage.py names no DJANGO_SETTINGS_MODULE"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", found["module"])
        try:
            import django

            django.setup()
        except Exception as error:
            return f"{type(error).__name__}: {' '.join(str(error).split())}"
        self.django_ready = True
        return None

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        from snippetcheck.tracebacks import describe, page_line

        line = int(request["line"])
        hidden = bool(request["hidden"])
        if request["django"] and not self.django_ready:
            error = self.setup_django()
            if error is not None:
                message = f"python manage.py shell cannot start: {error}"
                return {"failure": {"line": line, "error_type": "ShellFailed", "message": message}}
        if request.get("port"):
            from snippetcheck.tutorial.browser import Browser

            self.namespace["reader"] = Browser(
                int(request["port"]),
                self.jar,
                before_request=self._before_request if hidden else None,
                after_request=self._after_request if hidden else None,
                console_log=self.console,
            )
        elif hidden:
            self.namespace["reader"] = _NoServer()
        if not hidden:
            self.namespace.pop("reader", None)  # the reader's own shell has none
        environ = dict(os.environ)
        files = _files(self.area) if hidden else {}
        # A block run without Django has no way to the rows but the reader's requests.
        self.baseline = _rows() if hidden and self.django_ready else None
        try:
            self._exec(request["source"], line, hidden)
            if hidden:
                self._before_request()
                if dict(os.environ) != environ:
                    names = sorted(
                        k
                        for k in environ.keys() | os.environ.keys()
                        if environ.get(k) != os.environ.get(k)
                    )
                    raise HiddenChange(f"changed the environment variable {names[0]}")
                now = _files(self.area)
                if now != files:
                    names = sorted(
                        k for k in now.keys() | files.keys() if now.get(k) != files.get(k)
                    )
                    raise HiddenChange(f"changed the page's file {names[0]}")
        except HiddenChange as change:
            return {
                "failure": {
                    "line": line,
                    "error_type": "HiddenChange",
                    "message": f"hidden code {change}: in a tutorial it may only observe (assert, "
                    "read, query, fetch with reader); show the reader the step that does this",
                }
            }
        except (Exception, SystemExit) as error:  # a block's error is the report
            error_type, message = describe(error)
            where = page_line(error, self.page, self.files, line)
            return {"failure": {"line": where, "error_type": error_type, "message": message}}
        finally:
            self.baseline = None
        return {"ok": True}

    def _before_request(self) -> None:
        if self.baseline is None:
            return
        tables = _changed_tables(self.baseline, _rows())
        if tables:
            raise HiddenChange(f"changed the rows of the table {tables[0]}")

    def _after_request(self) -> None:
        # What the reader's own request changed (a login's session) is the reader's doing.
        if self.baseline is not None:
            self.baseline = _rows()

    def _exec(self, source: str, line: int, hidden: bool) -> None:
        from snippetcheck import toplevel

        padded = "\n" * (line - 1) + source
        # The reader's `manage.py shell` is IPython when the page installed it (IPython awaits
        # at the prompt), else Python's own REPL, where a top-level await is a SyntaxError.
        flags = toplevel.FLAGS if hidden or self.shell_awaits else 0
        try:
            code = compile(padded, self.page, "exec", flags=flags, dont_inherit=True)
        except SyntaxError as error:
            if flags or "'await' outside" not in str(error.msg):
                raise
            raise SyntaxError(
                f"{error.msg}: the reader's 'python manage.py shell' is Python's own REPL; "
                "install ipython on the page's pip line, or show asyncio.run(...)",
                (error.filename, error.lineno, error.offset, error.text),
            ) from None
        toplevel.run(code, self.namespace)


def main() -> int:
    config = json.loads(sys.argv[1])
    # As manage.py has it: the project's folder first. Our package last, for our own helpers.
    sys.path[0] = str(Path.cwd())
    sys.path.append(str(config["package_root"]))
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    log = os.open(config["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    session = Session(config)
    send({"ready": True})
    for raw in sys.stdin:
        if raw.strip():
            send(session.run(json.loads(raw)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
