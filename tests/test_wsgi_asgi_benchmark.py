"""The WSGI/ASGI load benchmark still runs end to end: both servers, numbers, a plot."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "wsgi_asgi" / "run.py"


def test_benchmark_measures_both_servers_and_plots(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--seconds",
            "0.5",
            "--max-clients",
            "4",
            "--workers",
            "2",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with (tmp_path / "results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["server"].split(",")[0], r["clients"]) for r in rows] == [
        ("gunicorn", "1"),
        ("gunicorn", "2"),
        ("gunicorn", "4"),
        ("uvicorn", "1"),
        ("uvicorn", "2"),
        ("uvicorn", "4"),
    ]
    assert all(r["errors"] == "0" and int(r["requests"]) > 0 for r in rows)
    # every request waited at least the simulated 50 ms of I/O
    assert all(float(r["median_ms"]) >= 50 for r in rows)
    svg = (tmp_path / "wsgi-asgi.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "95th percentile response time" in svg
