"""The check-doc-snippets hook of .pre-commit-config.yaml, run by pre-commit in a temp git repo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from .._precommit import clone_of_the_work_tree, try_repo
from .conftest import REPO

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GOOD = "# Good\n\n```python\nassert 2 + 2 == 4\n```\n"
BROKEN = "# Broken\n\nIntro.\n\n```python\ntotal = 2 + 2\nassert total == 5, total\n```\n"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=repo,
        check=check,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # git shows a hook's output on stderr
        encoding="utf-8",
        env={**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "cache")},
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_hook_checks_staged_pages_and_refuses_a_broken_snippet(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    repo.mkdir()
    # The real hook definitions, without the other hooks (they need tools this repo lacks).
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for r in config["repos"] for h in r["hooks"] if h["id"].startswith("check-doc-")]
    assert {h["id"] for h in hooks} == {"check-doc-snippets", "check-doc-snippets-all"}
    config["repos"] = [{"repo": "local", "hooks": hooks}]
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    shutil.copytree(
        REPO / "testproject", repo / "testproject", ignore=shutil.ignore_patterns("__pycache__")
    )
    (repo / ".venv").symlink_to(REPO / ".venv")
    write(repo / ".gitignore", ".venv\n")
    write(repo / "docs" / "good.md", GOOD)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start", "--no-verify")
    subprocess.run(
        [str(PRE_COMMIT), "install"],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
    )

    write(repo / "docs" / "broken.md", BROKEN)
    git(repo, "add", "docs/broken.md")
    refused = git(repo, "commit", "-m", "add a broken page", check=False)
    assert refused.returncode == 1, refused.stdout
    assert "docs/broken.md:7: AssertionError: 4" in refused.stdout, refused.stdout
    assert "    7 | assert total == 5, total" in refused.stdout
    assert "snippetcheck: 2 snippets" not in refused.stdout  # only the staged page ran
    assert "snippetcheck: 1 snippets on 1 pages: 1 failed" in refused.stdout
    assert git(repo, "log", "--format=%s").stdout == "start\n"

    # Fixed, the same commit goes through.
    write(repo / "docs" / "broken.md", BROKEN.replace("== 5", "== 4"))
    git(repo, "add", "docs/broken.md")
    accepted = git(repo, "commit", "-m", "add a fixed page", check=False)
    assert accepted.returncode == 0, accepted.stdout
    assert "docs' code snippets run" in accepted.stdout

    # A change to the test project runs every page, staged or not.
    write(repo / "docs" / "good.md", GOOD.replace("== 4", "== 3"))
    git(repo, "commit", "-qam", "break a page, skipping the hook", "--no-verify")
    settings = repo / "testproject" / "testproject" / "settings.py"
    write(settings, settings.read_text(encoding="utf-8") + "\n# a change\n")
    git(repo, "add", "testproject")
    every = git(repo, "commit", "-m", "touch the test project", check=False)
    assert every.returncode == 1, every.stdout
    assert "docs/good.md:4: AssertionError" in every.stdout, every.stdout
    assert "snippetcheck: 2 snippets on 2 pages: 1 failed" in every.stdout


def test_the_published_hook_runs_through_try_repo_in_a_repo_without_a_test_project(
    tmp_path: Path,
) -> None:
    # .pre-commit-hooks.yaml as another project uses it: pre-commit installs this repository
    # into an environment of its own, and the consumer has docs/ but no testproject/, so the
    # check runs its pages in the project built into the package.
    repo = tmp_path / "consumer"
    repo.mkdir()
    write(repo / "docs" / "good.md", GOOD)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")

    def hook() -> subprocess.CompletedProcess[str]:
        return try_repo(repo, "check-doc-snippets", tmp_path / "cache", timeout=900)

    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "docs' code snippets run" in passed.stdout
    write(repo / "docs" / "broken.md", BROKEN)
    git(repo, "add", "-A")
    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "docs/broken.md:7: AssertionError: 4" in failed.stdout, failed.stdout
    assert "snippetcheck: 2 snippets on 2 pages: 1 failed" in failed.stdout, failed.stdout


HOW_TO = REPO / "docs" / "how-to" / "check-your-projects-docs-with-snippetcheck.md"


def fenced(text: str, opening: str) -> str:
    """The body of the fence of the how-to that opens with ``opening``, as it would be on disk."""
    ticks = opening[: len(opening) - len(opening.lstrip("`"))]
    match = re.search(rf"^( *){re.escape(opening)}\n(.*?)^\1{ticks}$", text, re.M | re.S)
    assert match, f"no {opening} fence in {HOW_TO.name}"
    return textwrap.dedent(match.group(2))


def test_the_how_tos_hook_block_passes_a_stock_project_and_refuses_a_broken_page(
    tmp_path: Path,
) -> None:
    # Everything as the how-to tells a reader: `django-admin startproject mysite .`, its example
    # page as docs/usage.md, and its .pre-commit-config.yaml with this repository's clone and
    # commit for the placeholders; then pre-commit itself installs and runs the hook.
    how_to = HOW_TO.read_text(encoding="utf-8")
    clone = tmp_path / "djangocon-notes"
    rev = clone_of_the_work_tree(clone)
    config = yaml.safe_load(fenced(how_to, '```yaml title=".pre-commit-config.yaml"'))
    (entry,) = config["repos"]
    (hook,) = entry["hooks"]
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (own,) = [h for h in published if h["id"] == hook["id"]]
    # The block keeps the hook's own packages, since a user's list replaces the hook's.
    extra = hook["additional_dependencies"]
    assert extra[: len(own["additional_dependencies"])] == own["additional_dependencies"]
    assert hook["args"] == ["--settings", "mysite.settings"]
    entry["repo"], entry["rev"] = str(clone), rev

    repo = tmp_path / "mysite"
    repo.mkdir()
    git(repo, "init", "-q")
    subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "startproject", "mysite", "."],
        cwd=repo,
        check=True,
    )
    write(repo / "docs" / "usage.md", fenced(how_to, "````markdown"))
    write(repo / ".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start", "--no-verify")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "run", "--all-files"],
            cwd=repo,
            env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
            capture_output=True,
            encoding="utf-8",
            timeout=900,
            check=False,
        )

    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^docs' code snippets run\.+Passed$", passed.stdout, re.M), passed.stdout
    # No db.sqlite3 from the stock settings, no migrations, no __pycache__: nothing new at all.
    assert git(repo, "status", "--porcelain", "--ignored").stdout == ""

    usage = repo / "docs" / "usage.md"
    text = usage.read_text(encoding="utf-8")
    assert text.count('"/admin/"') == 1
    write(usage, text.replace('"/admin/"', '"/backstage/"'))
    git(repo, "add", "-A")
    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "docs/usage.md:8: AssertionError: (no message)\n" in failed.stdout, failed.stdout
    assert '    8 | assert reverse("admin:index") == "/backstage/"\n' in failed.stdout
    assert "snippetcheck: 3 snippets on 1 pages: 1 failed" in failed.stdout
    assert git(repo, "status", "--porcelain", "--ignored").stdout == "M  docs/usage.md\n"
