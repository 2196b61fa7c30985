"""Run a hook that this repository publishes the way another project's pre-commit would."""

from __future__ import annotations

import os
import shutil
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


def clone_of_the_work_tree(dest: Path) -> str:
    """Clone this repository into DEST as its work tree is now, committed or not; the commit.

    What `pre-commit try-repo` does for a repository with changes, for a test that needs a
    `rev:` to write into a `.pre-commit-config.yaml`; untracked files count too, so that a new
    module is in the clone before its first commit.
    """

    def git(*args: str, cwd: Path) -> str:
        done = subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
            cwd=cwd,
            check=True,
            capture_output=True,
            encoding="utf-8",
        )
        return done.stdout

    git("clone", "-q", str(ROOT), str(dest), cwd=ROOT)
    changed = git("ls-files", "-z", "--modified", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, changed.split("\0")):
        source, target = ROOT / name, dest / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        else:  # deleted in the work tree
            target.unlink(missing_ok=True)
    git("add", "-A", cwd=dest)
    if git("status", "--porcelain", cwd=dest).strip():
        git("commit", "-qm", "the work tree under test", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest).strip()
