from __future__ import annotations

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
