"""The speed benchmark keeps running: a few pages, every budget line printed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_benchmark_reports_every_budget() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/snippetcheck_speed.py", "--pages", "2", "--repeat", "1"],
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
        "all of docs/ (2 pages, PostgreSQL start included)",
        "cores kept busy over 2 pages",
        "4 pages / 2 pages",
    ):
        assert name in result.stdout, result.stdout
