"""Run a hook that this repository publishes the way another project's pre-commit would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def try_repo(
    consumer: Path, hook: str, home: Path, *, timeout: int
) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of this repository's HOOK over all files of CONSUMER.

    HOME keeps pre-commit's environments in the test's temporary folder: the first call builds
    one from this repository, later calls in the same test reuse it.
    """
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--all-files"],
        cwd=consumer,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
