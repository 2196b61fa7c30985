"""Stopped midway (Ctrl-C, SIGTERM, SIGKILL), the check leaves no process, server or temp folder.

Each test runs `snippetcheck` as a real process with a private TMPDIR, on a PostgreSQL page that
hangs once it has written where it runs, then signals it and looks at what is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from snippetcheck.leftovers import OWNER_FILE

from .conftest import PROJECT

HANGS = """<!-- snippetcheck: postgres -->

```python
import os
import subprocess
import sys
import time
from django.db import connection

helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
with open(os.environ["PAGE_REPORT"], "w", encoding="utf-8") as report:
    report.write(f"{os.getpid()} {helper.pid} {connection.settings_dict['HOST']}")
while True: time.sleep(0.05)
```
"""
# Generous: these bound a hang of the cleanup, on a machine shared with other work.
STARTED_WITHIN = 180
GONE_WITHIN = 90


@dataclass
class Run:
    process: subprocess.Popen[str]
    tmp: Path
    page_pid: int
    helper_pid: int  # a process the page started
    socket_dir: Path
    postmaster: psutil.Process

    def left(self) -> list[str]:
        """What is left of the run: page process, server, anything in the temp folder."""
        return [
            *(["the page's process"] if _alive(self.page_pid) else []),
            *(["the page's own child process"] if _alive(self.helper_pid) else []),
            *(["the PostgreSQL server"] if _alive(self.postmaster.pid) else []),
            *sorted(str(path) for path in self.tmp.rglob("*")),
        ]


def _alive(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _wait_until_nothing_left(run: Run) -> None:
    deadline = time.monotonic() + GONE_WITHIN
    while left := run.left():
        assert time.monotonic() < deadline, f"outlived the run: {left}"
        time.sleep(0.2)


def _start(tmp_path: Path, *, new_session: bool = False) -> Run:
    page = tmp_path / "hangs.md"
    page.write_text(HANGS, encoding="utf-8")
    report = tmp_path / "report.txt"
    # Short: PostgreSQL's socket goes in its data folder, and socket paths have 107 bytes.
    tmp = Path(tempfile.mkdtemp(prefix="sc-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPETCHECK_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "snippetcheck", "--project", str(PROJECT), str(page)],
        env={**env, "PAGE_REPORT": str(report), "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        start_new_session=new_session,  # a process group of its own, as a terminal's job
    )
    deadline = time.monotonic() + STARTED_WITHIN
    while not report.exists() or not report.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the page never started"
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    pid, helper, socket_dir = report.read_text(encoding="utf-8").split()
    (pid_file,) = tmp.glob("snippetcheck-pg-*/pgdata/postmaster.pid")
    postmaster = psutil.Process(int(pid_file.read_text(encoding="utf-8").split()[0]))
    assert _alive(int(pid)) and postmaster.is_running()
    return Run(process, tmp, int(pid), int(helper), Path(socket_dir), postmaster)


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    """The runs a test starts, killed at the end whatever happened."""
    started: list[Run] = []
    yield started
    for run in started:
        for pid in (run.process.pid, run.page_pid, run.helper_pid, run.postmaster.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        run.process.communicate()
        shutil.rmtree(run.tmp, ignore_errors=True)


def test_sigterm_stops_the_pages_and_postgres_removes_every_temp_folder_and_exits_143(
    tmp_path: Path, runs: list[Run]
) -> None:
    run = _start(tmp_path)
    runs.append(run)
    run.process.send_signal(signal.SIGTERM)
    out, err = run.process.communicate(timeout=GONE_WITHIN)
    assert run.process.returncode == 143, out + err
    assert err == "snippetcheck: terminated\n"
    _wait_until_nothing_left(run)
    assert not run.socket_dir.exists()


def test_ctrl_c_ends_the_run_by_sigint_without_a_traceback_and_leaves_nothing(
    tmp_path: Path, runs: list[Run]
) -> None:
    run = _start(tmp_path, new_session=True)
    runs.append(run)
    # A terminal's Ctrl-C: SIGINT to every process of the foreground group, workers included.
    os.killpg(run.process.pid, signal.SIGINT)
    out, err = run.process.communicate(timeout=GONE_WITHIN)
    # Ended by SIGINT (the shell shows 130), so a script or make running it stops too.
    assert run.process.returncode == -signal.SIGINT, out + err
    assert err == "snippetcheck: interrupted\n"
    _wait_until_nothing_left(run)


def test_sigkill_of_the_run_stops_its_postgres_and_removes_its_folders(
    tmp_path: Path, runs: list[Run]
) -> None:
    run = _start(tmp_path)
    runs.append(run)
    # `kill -9 PID`: the run's own process only; its workers and the server's keeper see it go.
    run.process.kill()
    run.process.communicate(timeout=GONE_WITHIN)
    _wait_until_nothing_left(run)
    assert not run.socket_dir.exists()


def test_the_next_run_removes_what_a_run_killed_with_its_helpers_left_and_nothing_live(
    tmp_path: Path, runs: list[Run]
) -> None:
    run = _start(tmp_path, new_session=True)
    runs.append(run)
    keepers = [
        process
        for process in psutil.Process(run.process.pid).children()
        if "snippetcheck.pgkeeper" in process.cmdline()
    ]
    assert len(keepers) == 1
    # Everything of the run killed at once: nobody is left to stop the server.
    os.killpg(run.process.pid, signal.SIGKILL)
    keepers[0].kill()
    run.process.communicate(timeout=GONE_WITHIN)
    time.sleep(1)
    assert run.postmaster.is_running()  # the daemonised server survived its run
    assert _alive(run.helper_pid)
    assert any(run.tmp.glob("snippetcheck-pg-*"))
    assert any(run.tmp.glob("snippetcheck-worker-*"))
    # A folder of another run going on, whose owner (this test's process) is alive.
    live = run.tmp / "snippetcheck-worker-live"
    live.mkdir()
    started = psutil.Process().create_time()
    (live / OWNER_FILE).write_text(f"{os.getpid()} {started!r}\n", encoding="utf-8")
    unmarked = run.tmp / "snippetcheck-not-ours"  # no owner mark: never ours to remove
    unmarked.mkdir()
    page = tmp_path / "fine.md"
    page.write_text("```python\nassert 1 + 1 == 2\n```\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPETCHECK_")}
    done = subprocess.run(
        [sys.executable, "-m", "snippetcheck", "--project", str(PROJECT), str(page)],
        env={**env, "TMPDIR": str(run.tmp)},
        capture_output=True,
        encoding="utf-8",
        timeout=STARTED_WITHIN,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Stopped: gone, or a zombie until the process that inherited it (pid 1) reaps it.
    assert not _alive(run.postmaster.pid)
    assert not _alive(run.page_pid)  # it ended with its worker
    assert not _alive(run.helper_pid)  # it outlived them, and ran in the stale folder
    assert sorted(run.tmp.iterdir()) == [unmarked, live]


def test_ctrl_c_propagates_out_of_main_after_the_cleanup_so_a_calling_pytest_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from snippetcheck.cli import main

    page = tmp_path / "hangs.md"
    page.write_text(HANGS, encoding="utf-8")
    report = tmp_path / "report.txt"
    tmp = Path(tempfile.mkdtemp(prefix="sc-"))
    for name in [name for name in os.environ if name.startswith("SNIPPETCHECK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PAGE_REPORT", str(report))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)

    def press_ctrl_c_once_the_page_runs() -> None:
        deadline = time.monotonic() + STARTED_WITHIN
        while not report.exists() or not report.read_text(encoding="utf-8"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        os.kill(os.getpid(), signal.SIGINT)

    import threading

    presser = threading.Thread(target=press_ctrl_c_once_the_page_runs)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            main(["--project", str(PROJECT), str(page)])
    finally:
        presser.join()
    assert capsys.readouterr().err == "snippetcheck: interrupted\n"
    page_pid, helper_pid, _ = report.read_text(encoding="utf-8").split()
    try:
        deadline = time.monotonic() + GONE_WITHIN
        while any(_alive(int(pid)) for pid in (page_pid, helper_pid)) or any(tmp.iterdir()):
            assert time.monotonic() < deadline, sorted(tmp.rglob("*"))
            time.sleep(0.2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
