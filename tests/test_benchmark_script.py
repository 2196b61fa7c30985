"""The speed benchmark keeps running: `--smoke` prints every budget line, on tiny folders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian's adr-tools, if installed: its lines are figures with it, "n/a" without.
DEBIAN_ADR = shutil.which("adr", path="/usr/bin:/usr/local/bin:/bin")
MS = r"\s*\d+\.\d ms"
RATIO = rf"{MS} vs .+?{MS} = \s*\d+\.\d\dx \(budget [\d.]+x\)"


def _expected_lines() -> list[str]:
    with_index = "(20 records, with index.md)"
    lines = [rf"smok adrtool --version:{RATIO}"]
    if DEBIAN_ADR:
        lines.append(rf"smok adrtool new vs adr-tools {re.escape(with_index)}:{RATIO}")
    else:
        lines.append(rf"n/a  adrtool new vs adr-tools {re.escape(with_index)}:{MS}; no adr-tools")
    lines.append(
        r"info adrtool new \(20 records, no index\.md\):\s*\d+\.\d ms; "
        r"refreshing the index adds\s*-?\d+\.\d ms"
    )
    for command in ("adrtool new", "adrtool list", r"adr new \(ours\)"):
        lines.append(rf"smok {command} {re.escape(with_index)}:{MS} vs import click{MS} = .*")
    if DEBIAN_ADR:
        lines.append(rf"info Debian adr new \(20 records\):{MS}")
        lines.append(rf"info Debian adr list \(20 records\):{MS}")
        lines.append(
            rf"smok adrtool index \(20 records\):{MS} vs adr generate toc{MS} = .*faster.*"
        )
    else:
        lines.append(r"n/a  Debian adr new, adr list: no adr-tools")
        lines.append(rf"n/a  adrtool index \(20 records\):{MS}; no adr-tools")
    lines += [
        rf"smok adrtool new \(200 records, with index\.md\):{MS} vs 20 records{MS} = .*",
        rf"smok adrtool index \(200 records\):{MS} \(budget < 1000 ms\)",
        rf"smok index cost per record, large vs small folder:{MS} vs small{MS} = .*",
    ]
    return lines


def test_the_smoke_run_prints_every_budget_line_and_enforces_none() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/adrtool_speed.py", "--smoke"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    expected = _expected_lines()
    assert len(lines) == len(expected), result.stdout
    for line, pattern in zip(lines, expected, strict=True):
        assert re.fullmatch(pattern, line), (pattern, result.stdout)


def test_a_missed_budget_fails_the_run() -> None:
    """Without --smoke a missed budget is counted (main then exits 1); with it, none is."""
    from benchmarks.adrtool_speed import Report

    report = Report()
    report.ratio("impossible", 2.0, 1.0, 1.3, "base")
    report.ratio("met", 1.0, 1.0, 1.3, "base")
    assert report.missed == ["impossible"]
    smoke = Report(smoke=True)
    smoke.ratio("impossible", 2.0, 1.0, 1.3, "base")
    assert smoke.missed == []
