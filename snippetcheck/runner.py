"""Check pages: start one worker per database the pages need, hand out pages, collect failures.

Pages are handed out so that at most ``jobs`` run at once over all workers (one per core by
default). PostgreSQL starts only when a page declares it needs it, once for the whole run.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from snippetcheck.configuration import DEFAULT_SETTINGS
from snippetcheck.errors import PostgresUnavailable, SettingsNotImportable, SnippetCheckError
from snippetcheck.extract import Page
from snippetcheck.failure import Failure
from snippetcheck.postgres import Postgres
from snippetcheck.protocol import Job as JobMessage
from snippetcheck.protocol import (
    ServerLine,
    WorkerMessage,
    decode_worker,
    encode,
    is_page_done,
    is_setup_failed,
)

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Outcome:
    """What a run found: the failures in the order of the jobs, and each page's seconds."""

    failures: list[Failure]
    seconds: dict[str, float]


@dataclass(frozen=True)
class Job:
    """A page to check: the file to read, how to name it, and its time limit."""

    source: Path
    page: Page


class ProjectBroken(SnippetCheckError):
    """The test project itself does not start: no page can be checked."""


class _Worker:
    def __init__(
        self, database: str, project: Path, settings: str, env: dict[str, str], pages: int
    ) -> None:
        self.database = database
        command = [sys.executable, "-m", "snippetcheck.worker", "--database", database]
        options = ["--project", str(project), "--settings", settings, "--pages", str(pages)]
        options += ["--parent", str(os.getpid())]
        self.process = subprocess.Popen(
            [*command, *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self.ready = False
        self.buffer = b""

    @property
    def stdin(self) -> IO[str]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def stdout(self) -> IO[str]:
        assert self.process.stdout is not None
        return self.process.stdout

    def send(self, message: JobMessage | ServerLine) -> None:
        self.stdin.write(encode(message))
        self.stdin.flush()

    def messages(self) -> list[WorkerMessage] | None:
        """The complete lines the worker has sent so far; None once it has exited."""
        data = os.read(self.stdout.fileno(), 65536)
        if not data:
            return None
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        return [decode_worker(line) for line in lines if line.strip()]

    def close(self, *, stop: bool = False) -> None:
        """Let the worker finish (its pages have time limits), or stop it and its pages now."""
        if stop:
            self.process.terminate()
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _database(job: Job) -> str:
    return "postgres" if job.page.postgres else "sqlite"


def check_pages(
    jobs: Sequence[Job],
    project: Path,
    *,
    parallel: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    environ: dict[str, str] | None = None,
    settings: str = DEFAULT_SETTINGS,
) -> Outcome:
    """Run every page's snippets; the failures, in the order of ``jobs``, and pages' times."""
    runnable = [job for job in jobs if job.page.snippets]
    if not runnable:
        return Outcome([], {})
    env = dict(os.environ if environ is None else environ)
    # The worker imports snippetcheck from wherever this process did.
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH", "")]))
    # Pages' code and the libraries it calls are not ours to hold to our encoding rule.
    env.pop("PYTHONWARNDEFAULTENCODING", None)
    # Nothing lands in the repository, not even the test project's .pyc files.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    parallel = max(1, parallel or os.cpu_count() or 1)
    # What a run killed with SIGKILL, whose helpers were killed too, left in the temp folder.
    # Imported here: a hook run on pages without snippets never needs it.
    from snippetcheck.leftovers import sweep  # noqa: PLC0415

    sweep()
    needs = sorted({_database(job) for job in runnable})
    workers: dict[str, _Worker] = {}
    results: dict[int, Failure | None] = {}
    seconds: dict[str, float] = {}
    with Postgres(env) as postgres:
        try:
            counts = {name: sum(_database(job) == name for job in runnable) for name in needs}
            if "sqlite" in needs:
                workers["sqlite"] = _Worker("sqlite", project, settings, env, counts["sqlite"])
            if "postgres" in needs:
                workers["postgres"] = _Worker(
                    "postgres", project, settings, env, counts["postgres"]
                )
                server = postgres.start()
                workers["postgres"].send(ServerLine(server=asdict(server)))
            _run(runnable, workers, parallel, timeout, results, seconds)
        except BaseException:
            for worker in workers.values():
                worker.close(stop=True)
            raise
        for worker in workers.values():
            worker.close()
    failures = [
        failure for index in range(len(runnable)) if (failure := results[index]) is not None
    ]
    return Outcome(failures, seconds)


TUTORIAL_WEIGHT = 10


def _cost(page: Page) -> int:
    """A guess of a page's time, before it ever ran, to hand out the longest first."""
    return len(page.snippets) * (TUTORIAL_WEIGHT if page.tutorial else 1)


def _run(
    runnable: Sequence[Job],
    workers: dict[str, _Worker],
    parallel: int,
    timeout: float,
    results: dict[int, Failure | None],
    seconds: dict[str, float],
) -> None:
    # Longest first, in one order across the databases: a long page handed out last runs alone
    # at the end while the other cores idle. The cost is guessed before a page has ever run: a
    # tutorial's snippets are the reader's processes and server restarts, each worth about ten
    # of a how-to's (docs/ has tutorials of 10-13 s against how-tos of 0.3-6 s). Failures are
    # still printed in page order.
    order = sorted(range(len(runnable)), key=lambda i: -_cost(runnable[i].page))
    selector = selectors.DefaultSelector()
    for name, worker in workers.items():
        selector.register(worker.stdout, selectors.EVENT_READ, name)
    in_flight = 0

    def dispatch() -> None:
        nonlocal in_flight
        for index in list(order):
            if in_flight >= parallel:
                return
            job = runnable[index]
            worker = workers[_database(job)]
            if not worker.ready:
                continue  # its worker is still starting: the next page whose worker is ready
            order.remove(index)
            worker.send(
                JobMessage(
                    id=index,
                    page=str(job.source.resolve()),
                    shown=job.page.path,
                    timeout=job.page.timeout or timeout,
                )
            )
            in_flight += 1

    while len(results) < len(runnable):
        for key, _ in selector.select():
            name = str(key.data)
            worker = workers[name]
            messages = worker.messages()
            if messages is None:
                selector.unregister(key.fileobj)
                raise ProjectBroken(
                    f"the {name} worker stopped unexpectedly (exit code {worker.process.wait()})"
                )
            for message in messages:
                if is_page_done(message):
                    data = message["failure"]
                    results[message["id"]] = None if data is None else Failure.from_data(data)
                    seconds[runnable[message["id"]].page.path] = message["seconds"]
                    in_flight -= 1
                elif is_setup_failed(message):
                    if message["kind"] == "PostgresUnavailable":
                        raise PostgresUnavailable(message["error"])
                    if message["kind"] == "SettingsNotImportable":
                        raise SettingsNotImportable(message["error"])
                    raise ProjectBroken(
                        f"the test project does not start on {name}: "
                        f"{message['kind']}: {message['error']}"
                    )
                else:
                    worker.ready = True
        dispatch()
