"""Temp folders a run owns, each marked with its owner, and the sweep of those a dead run left.

A run removes its folders itself on every exit Python sees (an error, Ctrl-C, SIGTERM), and its
helper processes remove theirs when the run dies under SIGKILL. A folder can still outlive its
owner when the helper itself is killed with SIGKILL, or the machine loses power: the next run
finds it, stops the PostgreSQL server running in it, and removes it. The owner is named by pid
and start time, so the live folder of a run going on beside this one (or of a process that got a
recycled pid) is never taken for a stale one; a folder without the mark is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

PREFIX = "snippetcheck-"
OWNER_FILE = ".snippetcheck-owner"
# A server that ignores immediate shutdown this long is killed outright.
_STOP_SECONDS = 10.0


def _start_time(pid: int) -> float | None:
    # Imported here: a hook run on pages without snippets never needs it (0.1 s or more).
    import psutil

    try:
        process = psutil.Process(pid)
        # A killed owner stays a zombie until its new parent reaps it: gone all the same.
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return float(process.create_time())
    except psutil.Error:
        return None


def make_owned_folder(kind: str) -> Path:
    """A new temp folder ``snippetcheck-<kind>-XXXX`` marked as this process's."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-"))
    started = _start_time(os.getpid())
    # Whole or absent, so that a sweep never reads half a mark.
    draft = folder / f"{OWNER_FILE}.tmp"
    draft.write_text(f"{os.getpid()} {started!r}\n", encoding="utf-8")
    draft.replace(folder / OWNER_FILE)
    return folder


def _is_stale(folder: Path) -> bool:
    try:
        pid_text, started_text = (folder / OWNER_FILE).read_text(encoding="utf-8").split()
        pid, started = int(pid_text), float(started_text)
    except (OSError, ValueError):
        return False  # not ours, or its owner is still writing the mark
    now = _start_time(pid)
    # Start times are computed from clock ticks, the same way each time: equal within a tick.
    return now is None or abs(now - started) > 0.5


def stop_servers_in(folder: Path) -> None:
    """Stop every PostgreSQL server whose data folder is inside ``folder``, and wait for it."""
    import psutil

    for pid_file in folder.glob("*/postmaster.pid"):
        try:
            pid = int(pid_file.read_text(encoding="utf-8").splitlines()[0])
            process = psutil.Process(pid)
            # A recycled pid is someone else's process: only a postmaster of this data folder.
            if str(pid_file.parent) not in " ".join(process.cmdline()):
                continue
        except (OSError, ValueError, IndexError, psutil.Error):
            continue
        stop_postmaster(process)


def stop_postmaster(process: psutil.Process) -> None:
    """Immediate shutdown (SIGQUIT): no checkpoint, since the data is removed anyway.

    The postmaster ends its server processes and waits for them before it exits itself.
    """
    import psutil

    with contextlib.suppress(psutil.Error):
        process.send_signal(signal.SIGQUIT)
        if not _ended(process, _STOP_SECONDS):
            process.kill()
            _ended(process, _STOP_SECONDS)


def _ended(process: psutil.Process, seconds: float) -> bool:
    """Whether the process ended within ``seconds``; a zombie has (psutil's wait() would wait
    for a daemon's zombie until its new parent reaps it)."""
    import psutil

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.02)
    return False


def _end_processes_in(folder: Path) -> None:
    """Kill what still runs in the folder: a page's child processes outlive a worker killed
    with SIGKILL (the page itself ends with its worker)."""
    import psutil

    inside = str(folder.resolve())
    for process in psutil.process_iter(["cwd"]):
        cwd = process.info.get("cwd") or ""
        if cwd == inside or cwd.startswith(inside + os.sep):
            with contextlib.suppress(psutil.Error):
                process.kill()


def sweep(folder: Path | None = None) -> list[Path]:
    """Remove the folders of dead runs in the temp folder (or ``folder``); those removed."""
    root = Path(folder or tempfile.gettempdir())
    removed = []
    for candidate in sorted(root.glob(f"{PREFIX}*")):
        if candidate.is_dir() and _is_stale(candidate):
            stop_servers_in(candidate)
            _end_processes_in(candidate)
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed
