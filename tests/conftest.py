from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from adrtool.cli import cli

PINNED_DATE = "1992-01-12"


@pytest.fixture(autouse=True)
def pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # adr-tools' own tests pin the date the same way, so golden files never go stale.
    monkeypatch.setenv("ADR_DATE", PINNED_DATE)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project folder, made the working folder."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    # An ADR folder somewhere above the temp folder must not be found by the upward search.
    monkeypatch.setenv("ADRTOOL_CEILING_DIRECTORIES", str(tmp_path))
    yield root


Run = Callable[..., Result]


@pytest.fixture
def adrtool(project: Path) -> Run:
    """Run the CLI in the project; fail the test on an unexpected exit code."""

    def run(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to show that nothing changed on disk."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


os.environ.setdefault("PYTHONWARNDEFAULTENCODING", "1")
