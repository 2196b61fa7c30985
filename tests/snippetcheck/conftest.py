from __future__ import annotations

import os
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from snippetcheck.cli import main

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "testproject"
# Example pages the tests share: a SQLite tutorial and a PostgreSQL how-to.
PAGES = Path(__file__).resolve().parent / "pages"
# The planted-fault tests sample from a fresh seed each run; this replays one.
FAULT_SEED = "SNIPPETCHECK_FAULT_SEED"
_FAULT_SUMMARY = pytest.StashKey[list[str]]()


@dataclass
class Outcome:
    code: int
    out: str
    err: str


Check = Callable[..., Outcome]


def page(text: str) -> str:
    """A page written indented in a test, as it would be on disk."""
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty docs/ folder in a working folder of its own, so pages show as docs/x.md."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


@pytest.fixture
def check(docs: Path, capsys: pytest.CaptureFixture[str]) -> Check:
    """Write the pages, run ``snippetcheck`` on them with the repository's test project."""

    def run(pages: dict[str, str], *options: str, paths: list[str] | None = None) -> Outcome:
        for name, text in pages.items():
            target = docs / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page(text), encoding="utf-8")
        names = [f"docs/{n}" for n in pages] if paths is None else paths
        code = main([*options, "--project", str(PROJECT), *names])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def fault_seed(pytestconfig: pytest.Config) -> int:
    """The seed of this run's planted faults: ``SNIPPETCHECK_FAULT_SEED``, else a fresh one."""
    named = os.environ.get(FAULT_SEED, "").strip()
    if named:
        if not named.isdigit():
            raise pytest.UsageError(f"{FAULT_SEED} must be a whole number, not {named!r}")
        seed = int(named)
    else:
        seed = random.SystemRandom().randrange(2**32)
    fault_summary(pytestconfig).append(f"seed {seed} (replay: {FAULT_SEED}={seed})")
    return seed


def fault_summary(config: pytest.Config) -> list[str]:
    """Lines the planted-fault tests print at the end of the run, whatever its outcome."""
    return config.stash.setdefault(_FAULT_SUMMARY, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_FAULT_SUMMARY, [])
    if lines:
        terminalreporter.section("planted faults")
        for line in lines:
            terminalreporter.write_line(line)
