"""A worker: sets up Django once, then forks one process per page it is given (ADR 14).

Run as ``python -m snippetcheck.worker --database sqlite|postgres --project DIR --settings
MODULE``. It reads jobs on stdin and answers one line per job on stdout (``protocol``). Each
page runs in a fork of the warm worker, so it starts with Django ready yet shares nothing with
other pages; a page over its time limit (counted by its ``PageClock``: time it could run, not
time it waited for a busy machine's cores) is killed and reported at the line it was running.

Nothing outlives the run: the worker's folder is marked as its own (``leftovers``), the worker
ends with the run even under SIGKILL (a parent-death signal on Linux), and it ends its pages'
process groups, removes its folder and drops its databases however it stops.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import os
import select
import selectors
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from snippetcheck.failure import Failure, FailureData
from snippetcheck.leftovers import make_owned_folder
from snippetcheck.pageclock import PageClock
from snippetcheck.progress import LineBoard
from snippetcheck.protocol import (
    Done,
    Job,
    PageDone,
    PageEvent,
    Ready,
    SetupFailed,
    decode_event,
    decode_job,
    decode_server,
    encode,
)
from snippetcheck.tracebacks import excerpt, one_line

# How often the pages' clocks are read: a child process that starts and ends between two reads
# takes its run-queue waits with it, so the clock runs a little fast, never slow.
CLOCK_TICK = 0.5
# How long a page over its limit has to say where it is (SIGUSR1) on a loaded machine.
WHERE_WAIT = 3.0
# Levels of the page's folder below the worker's own: `../../x` from a page stays inside it.
PAGE_FOLDER = "run/pages/page{number}/project"
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """A page's process, as its worker sees it."""

    job: Job
    pid: int
    fd: int
    limit: float  # seconds of its clock
    clock: PageClock
    board: LineBoard
    folder: Path  # the page's own area, removed after it
    database: str | None
    buffer: bytes = b""
    line: int = 1
    where: int | None = None  # the line it was running when asked, after a timeout
    result: Done | None = None
    started: float = field(default_factory=time.monotonic)

    def running(self) -> int:
        """The page line it was last seen running: in the snippet it has started, or later."""
        line = self.board.get()
        return line if line >= self.line else self.line


class Worker:
    def __init__(
        self, database: str, project: Path, settings: str, out: IO[str], pages: int
    ) -> None:
        self.database = database
        self.settings = settings
        # A worker given one page lets it use the template itself: no copy to make and drop.
        self.single = pages == 1
        self.project = project
        self.out = out
        self.workdir = make_owned_folder("worker")
        self.children: dict[int, Child] = {}  # by pipe fd
        self.count = 0
        self.maintenance: Any = None
        self.template = ""
        self.selector = selectors.DefaultSelector()
        self.stopping = False  # told to stop (SIGTERM), rather than given all its pages

    def send(self, message: Ready | SetupFailed | PageDone) -> None:
        self.out.write(encode(message))
        self.out.flush()

    def setup(self, jobs_in: IO[str]) -> None:
        from snippetcheck import django_project

        if self.database == "postgres":
            import psycopg

            from snippetcheck.errors import PostgresUnavailable
            from snippetcheck.postgres import URL_VARIABLE, Server

            django_project.preload()
            # The server comes as the first line: the runner starts it while we import Django.
            # Reading it through the buffered stdin is safe: no job is sent before "ready".
            server = Server(**decode_server(jobs_in.readline())["server"])
            os.environ.update(server.environ())
            try:
                self.maintenance = psycopg.connect(
                    **server.connect_kwargs(), autocommit=True, connect_timeout=10
                )
            except psycopg.Error as error:
                raise PostgresUnavailable(
                    f"cannot connect to PostgreSQL ({one_line(str(error))}); check {URL_VARIABLE}"
                ) from None
            self.template = f"snippetcheck_{os.getpid()}_template"
            self._sql(f'DROP DATABASE IF EXISTS "{self.template}"')
            self._sql(f'CREATE DATABASE "{self.template}"')
        else:
            self.template = str(self.workdir / "template.sqlite3")
        django_project.setup(
            self.project, self.workdir, self.database, self.template, self.settings
        )

    def _sql(self, statement: str) -> None:
        self.maintenance.execute(statement)

    def start(self, job: Job) -> None:
        """Fork the page's process and watch its pipe."""
        self.count += 1
        folder = self.workdir / PAGE_FOLDER.format(number=self.count)
        folder.mkdir(parents=True)
        page_db: str | None = None  # a database of the page's own, dropped after it
        if self.single:
            database_name = self.template
        elif self.database == "postgres":
            page_db = database_name = f"snippetcheck_{os.getpid()}_{self.count}"
            self._sql(f'CREATE DATABASE "{page_db}" TEMPLATE "{self.template}"')
        else:
            database_name = str(folder / "db.sqlite3")
            shutil.copyfile(self.template, database_name)
        board = LineBoard()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the page's process
            os.close(read)
            self._child(job, folder, database_name, write, board)
        os.close(write)
        os.set_blocking(read, False)
        self.children[read] = Child(
            job, pid, read, job["timeout"], PageClock(pid), board, folder.parent, page_db
        )
        self.selector.register(read, selectors.EVENT_READ)

    def _child(
        self, job: Job, folder: Path, database_name: str, write: int, board: LineBoard
    ) -> None:
        code = 0
        try:
            os.setpgid(0, 0)  # so a timeout also ends whatever the page started
            _end_with_parent(os.getppid(), signal.SIGKILL)  # a worker killed outright
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            # What the page's code and its commands make in the temp folder is inside ours.
            tmp = folder.parent / "tmp"
            tmp.mkdir()
            os.environ["TMPDIR"] = str(tmp)
            import tempfile

            tempfile.tempdir = None
            log = os.open(folder / "output.log", os.O_WRONLY | os.O_CREAT, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            pipe = os.fdopen(write, "w", encoding="utf-8")

            def report(event: PageEvent) -> None:
                pipe.write(encode(event))
                pipe.flush()

            from snippetcheck.django_project import run_page

            try:
                run_page(Path(job["page"]), job["shown"], folder, database_name, report, board.set)
            except Exception as error:  # a bug of ours, still reported at the page
                failure = Failure(job["shown"], 1, type(error).__name__, one_line(str(error)))
                report(Done(event="done", failure=failure.data()))
            pipe.close()
        except BaseException:
            code = 70
        finally:
            os._exit(code)

    def finish(self, child: Child, failure: FailureData | None) -> None:
        """Tell the runner the page is done; a page's own failure goes on as the page sent it."""
        del self.children[child.fd]
        self.selector.unregister(child.fd)
        os.close(child.fd)
        child.board.close()
        if child.database is not None:
            self._sql(f'DROP DATABASE IF EXISTS "{child.database}" WITH (FORCE)')
        shutil.rmtree(child.folder, ignore_errors=True)
        self.send(
            PageDone(
                id=child.job["id"],
                failure=failure,
                # From fork to end: the page's own cost, not its wait for a free core.
                seconds=time.monotonic() - child.started,
            )
        )

    def _read_events(self, child: Child) -> bool | None:
        """Take in what the page reported: True if anything came, None when its pipe closed."""
        try:
            data = os.read(child.fd, 65536)
        except BlockingIOError:
            return False
        if not data:
            return None
        child.buffer += data
        *lines, child.buffer = child.buffer.split(b"\n")
        for raw in lines:
            event = decode_event(raw)
            if event["event"] == "start":
                child.line = event["line"]
            elif event["event"] == "where":
                child.where = event["line"]
            else:
                child.result = event
        return True

    def on_output(self, child: Child) -> bool:
        """Read what the page reported; True when its pipe closed and the page is finished."""
        if self._read_events(child) is not None:
            return False
        _, status = os.waitpid(child.pid, 0)
        if child.result is not None:
            self.finish(child, child.result["failure"])
        else:
            code = os.waitstatus_to_exitcode(status)
            line = child.running()
            self.finish(
                child,
                Failure(
                    child.job["shown"],
                    line,
                    "Crashed",
                    f"the page's process ended with exit code {code} before finishing; "
                    "it was running this line",
                    _excerpt(child.job, line),
                ).data(),
            )
        return True

    def on_timeout(self, child: Child) -> None:
        # Ask where it is first: the line inside the snippet says more than the snippet's start.
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGUSR1)
            deadline = time.monotonic() + WHERE_WAIT
            while child.where is None and time.monotonic() < deadline:
                ready, _, _ = select.select([child.fd], [], [], deadline - time.monotonic())
                if not ready or self._read_events(child) is None:
                    break
        # The page's process group: the page's process and whatever it started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        os.waitpid(child.pid, 0)
        line = child.where or child.running()
        self.finish(
            child,
            Failure(
                child.job["shown"],
                line,
                "Timeout",
                f"the page did not finish within {child.limit:g} s; it was running this line",
                _excerpt(child.job, line),
            ).data(),
        )

    def serve(self, jobs_in: int) -> None:
        selector = self.selector
        os.set_blocking(jobs_in, False)
        selector.register(jobs_in, selectors.EVENT_READ)
        pending = b""
        open_input = True
        while open_input or self.children:
            left = [child.limit - child.clock.read() for child in self.children.values()]
            # A page's clock runs at most as fast as the wall clock: waiting what it has left,
            # or a tick to read the clocks again, never passes a limit unseen.
            wait = min([CLOCK_TICK, *left]) if left else None
            if wait is not None and wait <= 0:
                wait = 0
            for key, _ in selector.select(wait):
                fd = int(key.fd)
                if fd == jobs_in:
                    data = os.read(jobs_in, 65536)
                    if not data:
                        selector.unregister(jobs_in)
                        open_input = False
                        continue
                    pending += data
                    *lines, pending = pending.split(b"\n")
                    for raw in lines:
                        if raw.strip():
                            self.start(decode_job(raw))
                elif fd in self.children:
                    self.on_output(self.children[fd])
            for child in [c for c in self.children.values() if c.clock.read() >= c.limit]:
                self.on_timeout(child)

    def close(self) -> None:
        """End the pages still running, remove the folder, then drop the databases.

        In that order: when the run was killed, the server may be stopping already, and the
        folder must go even if the databases cannot be dropped (they go with that server).
        """
        for child in list(self.children.values()):  # only when stopped early
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)
        shutil.rmtree(self.workdir, ignore_errors=True)
        if self.maintenance is None:
            return
        try:
            from django.db import connections

            connections.close_all()
            names = [self.template, *(c.database for c in self.children.values() if c.database)]
            for name in names:
                self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:
            if self.stopping:
                return  # the server is going too
            raise
        finally:
            self.maintenance.close()


def _excerpt(job: Job, line: int) -> str:
    try:
        text = Path(job["page"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return excerpt(text.expandtabs(4).splitlines(), line)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _end_with_parent(parent: int, signum: int = signal.SIGTERM) -> None:
    """``signum`` when the parent process dies, however it dies (Linux: PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux") or not parent:
        return
    with contextlib.suppress(OSError, AttributeError):
        _libc().prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent:  # it died before we asked
        os.kill(os.getpid(), signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m snippetcheck.worker")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--settings", required=True, help="the project's settings module")
    parser.add_argument("--pages", type=int, default=0, help="how many pages will come")
    parser.add_argument("--parent", type=int, default=0, help="the runner's pid, to end with it")
    args = parser.parse_args(argv)
    # The protocol owns the real stdout; whatever Django or a page prints goes elsewhere.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    # Ctrl-C reaches the whole foreground process group: the runner decides, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = Worker(args.database, args.project.resolve(), args.settings, out, args.pages)

    def stop(signum: int, frame: object) -> None:
        worker.stopping = True
        sys.exit(143)

    # Stopped by the runner, or the runner died: end the pages' processes too (close() does).
    signal.signal(signal.SIGTERM, stop)
    _end_with_parent(args.parent)
    try:
        try:
            worker.setup(sys.stdin)
        except Exception as error:
            message = " ".join(str(error).split())  # ours are short; the server's part is cut
            worker.send(SetupFailed(error=message, kind=type(error).__name__))
            return 1
        worker.send(Ready(ready=True))
        worker.serve(sys.stdin.fileno())
    finally:
        worker.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
