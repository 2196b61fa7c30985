"""The site benchmark keeps running, and its baseline really is our site without the extras."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.site_build import plain_config

ROOT = Path(__file__).resolve().parent.parent


def test_the_baseline_drops_plugins_and_hooks_but_keeps_the_rest() -> None:
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plain = plain_config(ours)
    assert "mkdocstrings" in ours and "mkdocstrings" not in plain
    assert "tags_name_property" not in plain
    assert "hooks:" not in plain and "last_updated" not in plain
    assert plain.endswith("plugins:\n  - search\n")
    # Same theme, features, nav and Markdown: their cost is on both sides.
    for kept in (
        "navigation.tabs",
        "custom_dir: overrides",
        "reference/talks.md",
        "pymdownx.superfences",
    ):
        assert kept in plain


def test_the_benchmark_prints_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/site_build.py", "--runs", "1"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: over budget, which make bench reports
    assert result.stderr == ""
    assert re.search(r"ratio \d+\.\d\dx, (within|OVER) the 1\.3x budget", result.stdout)
    assert not (ROOT / ".site-bench-plain.yml").exists()  # the temporary config is cleaned up
