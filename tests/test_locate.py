"""Where the ADR folder is: --dir, [tool.adrtool] dir, .adr-dir, conventional folders, upwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run


def make_folder(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "0001-first.md").write_text(
        "# 1. First\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )


@pytest.mark.parametrize("conventional", ["docs/adr", "docs/decisions", "doc/adr"])
def test_conventional_folders_are_found_from_a_subfolder(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch, conventional: str
) -> None:
    make_folder(project / conventional)
    (project / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project / "src" / "deep")
    assert adrtool("new", "Second").output == f"../../{conventional}/0002-second.md\n"


def test_pyproject_setting_comes_before_adr_dir_and_conventions(
    adrtool: Run, project: Path
) -> None:
    make_folder(project / "docs" / "adr")
    make_folder(project / "architecture")
    make_folder(project / "elsewhere")
    (project / "pyproject.toml").write_text(
        '[tool.adrtool]\ndir = "architecture"\n', encoding="utf-8"
    )
    (project / ".adr-dir").write_text("elsewhere\n", encoding="utf-8")
    assert adrtool("new", "Two").output == "architecture/0002-two.md\n"


def test_adr_dir_file_as_adr_tools_writes_it(adrtool: Run, project: Path) -> None:
    make_folder(project / "docs" / "adr")
    make_folder(project / "elsewhere")
    (project / ".adr-dir").write_text("elsewhere", encoding="utf-8")
    assert adrtool("new", "Two").output == "elsewhere/0002-two.md\n"


def test_explicit_dir_wins(adrtool: Run, project: Path) -> None:
    make_folder(project / "docs" / "adr")
    make_folder(project / "other")
    assert adrtool("--dir", "other", "new", "Two").output == "other/0002-two.md\n"


def test_configured_folder_missing_says_init(adrtool: Run, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.adrtool]\ndir = "decisions"\n', encoding="utf-8")
    result = adrtool("list", code=1)
    assert "decisions (configured in" in result.stderr and "adrtool init" in result.stderr
    # init creates the configured folder
    assert adrtool("init").output == "decisions/0001-record-architecture-decisions.md\n"
    assert "Record architecture decisions" in adrtool("list").output


def test_broken_pyproject_is_a_clear_error(adrtool: Run, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.adrtool\n", encoding="utf-8")
    result = adrtool("list", code=1)
    assert result.stderr.startswith("Error: ") and "pyproject.toml cannot be read" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_init_into_a_named_folder(adrtool: Run, project: Path) -> None:
    assert adrtool("init", "doc/architecture").output == (
        "doc/architecture/0001-record-architecture-decisions.md\n"
    )
    assert (project / "doc" / "architecture" / "index.md").is_file()


def test_init_remembers_a_folder_the_search_would_not_find(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adrtool("init", "architecture/decisions")
    # As adr-tools' `adr init DIR`: a relative path, so the project can move.
    assert (project / ".adr-dir").read_text(encoding="utf-8") == "architecture/decisions\n"
    assert adrtool("new", "Two").output == "architecture/decisions/0002-two.md\n"
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    assert adrtool("new", "Three").output == "../architecture/decisions/0003-three.md\n"
    assert adrtool("check").output == ""


@pytest.mark.parametrize("args", [["init"], ["init", "doc/adr"], ["init", "docs/decisions"]])
def test_init_of_a_folder_the_search_finds_writes_no_adr_dir(
    adrtool: Run, project: Path, args: list[str]
) -> None:
    adrtool(*args)
    assert not (project / ".adr-dir").exists()


def test_init_leaves_the_pyproject_setting_alone_and_says_so(adrtool: Run, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.adrtool]\ndir = "decisions"\n', encoding="utf-8")
    result = adrtool("init", "architecture")
    assert result.stdout == "architecture/0001-record-architecture-decisions.md\n"
    assert result.stderr == (
        "Warning: pyproject.toml here names the ADR folder decisions; to use architecture, "
        'set [tool.adrtool] dir = "architecture" there or pass --dir architecture\n'
    )
    assert not (project / ".adr-dir").exists()


def test_search_stops_at_a_ceiling_directory(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder(project / "docs" / "adr")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert adrtool("new", "Found").output == "../docs/adr/0002-found.md\n"
    monkeypatch.setenv("ADRTOOL_CEILING_DIRECTORIES", str(project))
    assert "no ADR folder found here or above" in adrtool("list", code=1).stderr
