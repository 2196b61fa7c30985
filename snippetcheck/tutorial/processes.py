"""The reader's long-lived processes: ``runserver`` on a free loopback port, and the shell.

The server runs as the reader's does, autoreloader included, so a change that needs a restart
really needs one. It is stopped as the reader stops it, with Ctrl-C (SIGINT), which also ends
the autoreloader's child; whatever survives is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from snippetcheck.tutorial.warm_start import WarmProcess, WarmStarter

_READY = "Quit the server with"
_RELOADING = re.compile(r" changed, reloading\.$", re.M)
START_TIMEOUT = 30.0
# The folder whose sitecustomize makes the reader's autoreloader look when the check asks and note
# each look it ends (its docstring says how and why).
RELOADER_CLOCK = Path(__file__).resolve().parent / "reloader_clock"
# Hang guards only: on an idle machine, two looks take a fifth of a second.
LOOK_TIMEOUT = 30.0


class ProcessFailed(Exception):
    """A reader's process did not start or answer; the message says what it printed."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    except OSError:
        return []
    return [int(word) for word in text.split()]


class Server:
    """``manage.py runserver`` of the reader's project, on our port, logging to a file.

    Its autoreloader notes each look at the files it ends (``reloader_clock``), so that after the
    page changes a file the check waits for the look that sees the change, however long a busy
    machine makes it take, and not a second more.
    """

    def __init__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        port: int,
        log: Path,
        starter: WarmStarter | None = None,
    ):
        self.port = port
        self.log = log
        self.offset = log.stat().st_size if log.exists() else 0
        self.stream = log.open("ab")
        self.looks = log.with_name(f"{log.stem}.looks")
        self.looks.write_bytes(b"")
        # The check asks the autoreloader for a look by writing a byte to this pipe.
        self.ask = log.with_name(f"{log.stem}.ask")
        self.ask.unlink(missing_ok=True)
        os.mkfifo(self.ask, 0o600)
        self._asked = 0.0
        environ = {
            **env,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(RELOADER_CLOCK), env.get("PYTHONPATH")])
            ),
            "SNIPPETCHECK_RELOADER_LOOKS": str(self.looks),
            "SNIPPETCHECK_RELOADER_ASK": str(self.ask),
        }
        argv = [sys.executable, "manage.py", *args]
        self.process: subprocess.Popen[bytes] | WarmProcess
        if starter is None:
            self.process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=environ,
                stdin=subprocess.DEVNULL,
                stdout=self.stream,
                stderr=subprocess.STDOUT,
            )
        else:
            self.process = starter.popen(
                argv,
                cwd=cwd,
                env=environ,
                stdin=subprocess.DEVNULL,
                stdout=self.stream,
                stderr=subprocess.STDOUT,
            )
        # Where the looks file ended just after the page's latest unsettled write; None when the
        # server has seen every write.
        self.written: int | None = None
        self.reloads_seen = 0

    def output(self) -> str:
        with self.log.open("rb") as stream:
            stream.seek(self.offset)
            return stream.read().decode("utf-8", "replace")

    def _starts(self) -> int:
        return self.output().count(_READY)

    def _reloads(self) -> int:
        return len(_RELOADING.findall(self.output()))

    def wait_ready(self, starts: int = 1) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProcessFailed(f"runserver exited {self.process.returncode}: {self._last()}")
            if self._starts() >= starts and self._answers():
                return
            time.sleep(0.05)
        raise ProcessFailed(f"runserver did not start within {START_TIMEOUT:g} s: {self._last()}")

    def _answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=1),
        ):
            return True
        return False

    def _last(self) -> str:
        said = [line.strip() for line in self.output().splitlines() if line.strip()]
        return said[-1] if said else "(no output)"

    def _looks_end(self) -> int:
        return self.looks.stat().st_size

    def _looked_since(self, offset: int) -> bool:
        """Whether the running server has ended a look that began after ``offset`` was written.

        The first look it ends after the offset may have begun before it; the second began
        after the first ended. Only the autoreloader's current child counts: after a restart,
        the looks of the one before say nothing of the new one.
        """
        children = _children(self.process.pid)
        if len(children) != 1:
            return False  # between two children of a restart
        with self.looks.open("rb") as stream:
            stream.seek(offset)
            pids = stream.read().split()
        return pids.count(str(children[0]).encode()) >= 2

    def _wait_look(self, offset: int, why: str) -> bool:
        """Wait for a look that began after ``offset``, or a restart; True for a restart."""
        deadline = time.monotonic() + LOOK_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProcessFailed(f"runserver exited {self.process.returncode}: {self._last()}")
            if self._reloads() > self.reloads_seen:
                return True
            if self._looked_since(offset):
                return False
            self._ask_for_a_look()
            time.sleep(0.02)
        raise ProcessFailed(
            f"runserver's autoreloader did not look at the files within {LOOK_TIMEOUT:g} s "
            f"{why}: {self._last()}"
        )

    def _ask_for_a_look(self) -> None:
        """A byte on the pipe, every 50 ms at most while the check waits: the look it needs may
        be the second after the one a byte already started."""
        now = time.monotonic()
        if now - self._asked < 0.05:
            return
        self._asked = now
        with contextlib.suppress(OSError):  # no reader yet (ENXIO), or a full pipe
            fd = os.open(self.ask, os.O_WRONLY | os.O_NONBLOCK)
            try:
                os.write(fd, b".")
            finally:
                os.close(fd)

    def file_changed(self) -> None:
        """The page wrote a file the server may watch (a Python module, a template)."""
        self.written = self._looks_end()

    def before_change(self) -> None:
        """Before the page writes a file: let the autoreloader act on earlier writes and look.

        A file that it first sees already changed is one it never reports, and the server goes
        on with the old code or template; after a restart, the new server imports the modules
        before its first look. A reader, slower than the check, never edits that soon.
        """
        self.settle()
        self._wait_look(0, "before the page changed a file")

    def settle(self) -> None:
        """Before the reader's next request: let the autoreloader act on the page's writes.

        A changed Python module that it watches restarts the server; a changed template resets
        its template loaders; a module nothing imported yet does neither.
        """
        if self.written is None:
            return
        written, self.written = self.written, None
        if self._wait_look(written, "after the page changed a file"):
            self.reloads_seen = self._reloads()
            # One start per run of the inner server: the first, then one per reload.
            self.wait_ready(self.reloads_seen + 1)

    def stop(self) -> None:
        """Ctrl-C, as the reader stops it; then make sure nothing of it is left."""
        children = _children(self.process.pid)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.stream.close()


class ShellSession:
    """The reader's ``python manage.py shell``, driven by ``_session.py`` over pipes."""

    def __init__(
        self, starter: WarmStarter, cwd: Path, env: dict[str, str], config: dict[str, Any]
    ) -> None:
        script = Path(__file__).resolve().parent / "_session.py"
        self.cwd = cwd
        self.process = starter.popen(
            [sys.executable, str(script), json.dumps(config)],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.ready: bool | None = None
        self.error = ""
        # The page's generation of files when Django was set up in it; None until then.
        self.django_generation: int | None = None

    @property
    def stdin(self) -> IO[str]:
        assert self.process.stdin is not None
        return self.process.stdin

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = self.process.stdout.readline()
        if not raw:
            code = self.process.wait()
            raise ProcessFailed(f"the shell session ended with exit code {code}")
        answer: dict[str, Any] = json.loads(raw)
        return answer

    def start(self) -> None:
        if self.ready is None:
            answer = self._answer()
            self.ready = bool(answer.get("ready"))
            self.error = str(answer.get("error", ""))
        if not self.ready:
            raise ProcessFailed(f"python manage.py shell cannot start: {self.error}")

    def run(
        self, source: str, line: int, hidden: bool, django: bool, port: int | None
    ) -> dict[str, Any]:
        self.start()
        request = {"source": source, "line": line, "hidden": hidden, "django": django}
        self.stdin.write(json.dumps({**request, "port": port}) + "\n")
        self.stdin.flush()
        return self._answer()

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
