"""A page's clock for its time limit: wall time, less the time its processes waited for a core.

A busy machine (a compiler, another check, a browser) makes a page's processes wait in the run
queue; that time says nothing about the page, so it does not count. A page that loops forever
still uses its cores, and one that blocks forever (a lock, a socket, ``time.sleep``) waits on
no run queue, so both reach their limit: on an idle machine at the limit in wall time, on a busy
one when they have had that much time to run. The waits come from Linux's per-thread scheduler
statistics (``/proc/<pid>/task/<tid>/schedstat``, second field), over the page's process and its
descendants; elsewhere the clock is the wall clock. Choices weighed in the ADR on time limits.
"""

from __future__ import annotations

import time
from pathlib import Path

_PROC = Path("/proc")


def _waits(pid: int, into: dict[tuple[int, int], int]) -> None:
    """Run-queue waits (ns) of each thread of ``pid`` and of its descendants, into ``into``."""
    try:
        threads = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return  # ended, or no /proc
    for thread in threads:
        try:
            waited = int((thread / "schedstat").read_text(encoding="ascii").split()[1])
            children = (thread / "children").read_text(encoding="ascii").split()
        except (OSError, ValueError, IndexError):
            continue
        into[(pid, int(thread.name))] = waited
        for child in children:
            _waits(int(child), into)


class PageClock:
    """Seconds the page's process tree could have run since it started (read() advances it)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._last = time.monotonic()
        self._elapsed = 0.0
        self._waited: dict[tuple[int, int], int] = {}  # (pid, tid) -> ns waited, last read
        _waits(pid, self._waited)  # waits before the clock started are not its business

    def read(self) -> float:
        now = time.monotonic()
        step, self._last = now - self._last, now
        current: dict[tuple[int, int], int] = {}
        _waits(self.pid, current)
        # A thread first seen counts all its waits; one that ended since takes its last ones
        # with it (a short child process between two reads: the clock runs a little fast).
        new_waits = sum(
            max(0, waited - self._waited.get(thread, 0)) for thread, waited in current.items()
        )
        self._waited = current
        # Threads waiting at once overlap: never more than the step itself.
        self._elapsed += step - min(step, new_waits / 1e9)
        return self._elapsed
