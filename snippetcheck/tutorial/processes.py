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
from typing import IO, Any

_READY = "Quit the server with"
_RELOADING = re.compile(r" changed, reloading\.$", re.M)
START_TIMEOUT = 30.0
# The autoreloader looks at files once a second; a change it has not seen after this long is
# one it does not watch (a module nothing imported yet), and the server did not restart.
RELOAD_NOTICE = 2.5


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
    """``manage.py runserver`` of the reader's project, on our port, logging to a file."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], port: int, log: Path):
        self.port = port
        self.log = log
        self.offset = log.stat().st_size if log.exists() else 0
        self.stream = log.open("ab")
        environ = {**env, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=cwd,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=self.stream,
            stderr=subprocess.STDOUT,
        )
        self.changed_at: float | None = None  # when the page last changed a Python file
        self.reloads_seen = 0

    def output(self) -> str:
        with self.log.open("rb") as stream:
            stream.seek(self.offset)
            return stream.read().decode("utf-8", "replace")

    def _starts(self) -> int:
        return self.output().count(_READY)

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

    def file_changed(self) -> None:
        self.changed_at = time.monotonic()

    def settle(self) -> None:
        """Before the reader's next request: let the autoreloader restart for a changed file."""
        if self.changed_at is None:
            return
        changed_at, self.changed_at = self.changed_at, None
        deadline = changed_at + RELOAD_NOTICE
        while time.monotonic() < deadline:
            if len(_RELOADING.findall(self.output())) > self.reloads_seen:
                break
            time.sleep(0.05)
        else:
            return
        self.reloads_seen = len(_RELOADING.findall(self.output()))
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

    def __init__(self, cwd: Path, env: dict[str, str], config: dict[str, Any]) -> None:
        script = Path(__file__).resolve().parent / "_session.py"
        self.cwd = cwd
        self.process = subprocess.Popen(
            [sys.executable, str(script), json.dumps(config)],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
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
