"""Time limits guard against hangs, not against a busy machine (the ADR on time limits).

Other work (a compiler, another check) is two busy loops, pinned one per core where the machine
lets us. The whole-docs test is one full `snippetcheck docs` run: deselect it with
`-m "not busy_machine"`, or run it alone with `-m busy_machine`.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from snippetcheck.pageclock import PageClock

from .conftest import PROJECT, REPO, Check

BUSY_LOOP = "while True: pass"


def _loop(core: int | None) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    if core is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):  # a core this process may not use
            os.sched_setaffinity(process.pid, {core})
    return process


@contextlib.contextmanager
def _busy(cores: list[int | None]) -> Iterator[list[subprocess.Popen[bytes]]]:
    loops = [_loop(core) for core in cores]
    try:
        yield loops
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """Both cores kept busy by other work for the whole test."""
    with _busy([0, 1]):
        yield


@pytest.mark.busy_machine
def test_the_whole_docs_pass_with_both_cores_busy(busy_cores: None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPETCHECK_")}
    env.pop("PYTHONWARNDEFAULTENCODING", None)
    done = subprocess.run(
        # As `make snippets` runs it: blocks the check cannot run where they sit fail unless marked.
        [
            sys.executable,
            "-m",
            "snippetcheck",
            "--strict-positions",
            "--project",
            str(PROJECT),
            "docs",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=3600,  # against a hang of the check itself only
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # "all passed", then perhaps how many blocks (diagrams, text) the pages show and do not run.
    assert re.search(r": all passed(;|$)", done.stdout.splitlines()[-1]), done.stdout


def test_a_hang_is_still_reported_at_its_line_with_both_cores_busy(
    check: Check, busy_cores: None
) -> None:
    started = time.monotonic()
    outcome = check(
        {
            "spins.md": """
            <!-- snippetcheck: timeout 3 -->

            ```python
            ready = True
            while ready: pass
            ```
            """,
            "sleeps.md": """
            <!-- snippetcheck: timeout 3 -->

            ```python
            import time

            time.sleep(3600)
            ```
            """,
        }
    )
    elapsed = time.monotonic() - started
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        "docs/spins.md:5: Timeout: the page did not finish within 3 s; it was running this line",
        "docs/sleeps.md:6: Timeout: the page did not finish within 3 s; it was running this line",
        "snippetcheck: 2 snippets on 2 pages: 2 failed",
    ], outcome.out
    assert elapsed < 120  # a hang of the check itself, not the limit's accuracy


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity"), reason="no way to put two loops on one core here"
)
def test_a_pages_clock_leaves_out_its_waits_for_a_core_but_not_its_sleep() -> None:
    sleeper = subprocess.Popen(
        [sys.executable, "-c", "import time; print('asleep', flush=True); time.sleep(3600)"],
        stdout=subprocess.PIPE,
    )
    assert sleeper.stdout is not None
    sleeper.stdout.readline()
    # Two loops on one core: the measured one waits for the core about half the time.
    with _busy([0, 0]) as (spinner, _):
        try:
            clocks = {"spinner": PageClock(spinner.pid), "sleeper": PageClock(sleeper.pid)}
            started = time.monotonic()
            time.sleep(4)
            read = {name: clock.read() for name, clock in clocks.items()}
            wall = time.monotonic() - started
        finally:
            sleeper.kill()
            sleeper.communicate()
    assert read["spinner"] < 0.75 * wall, (read, wall)
    assert read["sleeper"] > 0.95 * wall, (read, wall)
