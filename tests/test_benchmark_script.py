"""The speed benchmark keeps running: a tiny folder, every budget line printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_reports_every_budget() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/adrtool_speed.py",
            "--records",
            "20",
            "--large",
            "200",
            "--repeat",
            "1",
        ],
        check=False,
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: a budget missed on a tiny sample
    assert result.stderr == ""
    for name in (
        "adrtool --version",
        "adrtool new (20 records, with index.md)",  # as `init` leaves a folder: the budget
        "adrtool new (20 records, no index.md)",
        "adrtool index (200 records)",
    ):
        assert name in result.stdout, result.stdout
