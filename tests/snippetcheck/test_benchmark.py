"""The speed benchmark keeps running: a few pages, every budget line printed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import PAGES, REPO


def test_benchmark_reports_every_budget() -> None:
    result = subprocess.run(
        # The example pages stand in for the real docs/, which make test checks once already.
        [
            sys.executable,
            "benchmarks/snippetcheck_speed.py",
            "--pages",
            "2",
            "--repeat",
            "1",
            "--docs",
            str(PAGES),
        ],
        check=False,
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: a budget missed
    assert result.stderr == ""
    for name in (
        "one SQLite page / pytest-django floor",
        "one PostgreSQL page / pytest-django floor (server running)",
        "real pages/ (2 pages with snippets of 2, PostgreSQL start included)",
        "real pages/ cores kept busy (machine CPU s per wall s",
        "real pages/ of which our own processes, PostgreSQL left out",
        "real pages/ with both cores busy / idle",
        "real pages/ slowest pages",
        "synthetic docs/ (2 copies of the example pages)",
        "synthetic 4 pages / 2 pages",
    ):
        assert name in result.stdout, result.stdout
