"""`pre-commit run --all-files` passes on a fresh clone, with the quick hooks of our own config.

The snippet hooks are skipped here: they run every page of docs/, which `make test` does once
already (`snippetcheck docs`), and tests/snippetcheck/test_precommit.py runs them through pre-commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
SLOW = ("check-doc-snippets", "check-doc-snippets-all")


def test_the_quick_hooks_pass_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True)
    # What `make install` would make, shared rather than rebuilt: the tools the hooks run.
    (clone / ".venv").symlink_to(ROOT / ".venv")
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    config = yaml.safe_load((clone / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert set(SLOW) <= set(ids), ids
    result = subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files"],
        cwd=clone,
        env={**os.environ, "SKIP": ",".join(SLOW), "PRE_COMMIT_HOME": str(tmp_path / "cache")},
        capture_output=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    passed = [line for line in result.stdout.splitlines() if line.endswith("Passed")]
    assert len(passed) == len(ids) - len(SLOW), result.stdout
