"""Shell completion of `adr` and `adrtool`, asked for the way bash asks for it, and `adr`'s
light start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def complete(program: str, line: str, cwd: Path, shell: str = "bash") -> list[str]:
    """What the installed script offers for the last word of ``line`` (bash's COMP_WORDS)."""
    words = line.split(" ")
    env = {
        **os.environ,
        f"_{program.upper()}_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
        "ADRTOOL_CEILING_DIRECTORIES": str(cwd.parent),
    }
    done = subprocess.run(
        [str(BIN / program)],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # bash_complete prints one "type,value" line per candidate.
    return [entry.split(",", 1)[1] for entry in done.stdout.splitlines()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    adr = work / "doc" / "adr"
    adr.mkdir(parents=True)
    for name in ("0001-record-architecture-decisions.md", "0002-use-postgresql.md"):
        (adr / name).write_text(f"# {name[3]}. Title\n", encoding="utf-8")
    return work


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Sorted, as click lists them and as adr-tools' own bash completion does.
        ("adr ", ["generate", "help", "init", "link", "list", "new", "upgrade-repository"]),
        ("adr ge", ["generate"]),
        ("adr generate ", ["graph", "toc"]),
        ("adr new -s ", ["1", "2"]),
        ("adr link ", ["1", "2"]),
    ],
)
def test_adr_completes_commands_reports_and_records(folder: Path, line: str, expected) -> None:
    assert complete("adr", line, folder) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("adrtool su", ["supersede"]),
        ("adrtool li", ["link", "list"]),
        ("adrtool graph --format ", ["mermaid", "dot"]),
        # Record numbers wherever a command takes one, and the folder's statuses.
        ("adrtool supersede ", ["1", "2"]),
        ("adrtool new -s ", ["1", "2"]),
        ("adrtool new --supersedes 2 -s ", ["1", "2"]),
        ("adrtool link 1 Amends ", ["1", "2"]),
        ("adrtool link ", ["1", "2"]),
        ("adrtool status ", ["1", "2"]),
        ("adrtool status 2 ", ["proposed", "accepted", "rejected", "deprecated", "superseded"]),
        ("adrtool status 2 de", ["deprecated"]),
        ("adrtool --dir doc/adr status 1", ["1"]),
    ],
)
def test_adrtool_completes_commands_and_choices(folder: Path, line: str, expected) -> None:
    assert complete("adrtool", line, folder) == expected


@pytest.mark.parametrize("program", ["adr", "adrtool"])
def test_the_documented_bash_line_gives_a_completion_function(program: str, tmp_path) -> None:
    # docs/how-to/replace-adr-tools-with-adrtool.md: eval "$(_ADR_COMPLETE=bash_source adr)"
    env = {**os.environ, f"_{program.upper()}_COMPLETE": "bash_source"}
    done = subprocess.run(
        [str(BIN / program)], cwd=tmp_path, env=env, capture_output=True, encoding="utf-8",
        timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"complete -o nosort -F _{program}_completion {program}" in done.stdout


def imported_by(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\n"
        "from adrtool.adr_tools_cli import main\n"
        f"main({args!r})\n"
        "print(' '.join(m for m in sys.modules if m.startswith('adrtool')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, encoding="utf-8",
        timeout=30, check=True, env={**os.environ, "ADR_DATE": "1992-01-12"},
    )  # fmt: skip
    return set(done.stdout.splitlines()[-1].split())


def test_version_imports_no_core(tmp_path: Path) -> None:
    assert imported_by(["--version"], tmp_path) == {
        "adrtool",
        "adrtool.adr_tools_cli",
        "adrtool.errors",
    }


def adrtool_imports(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\n"
        "from adrtool.cli import cli\n"
        f"cli.main({args!r}, standalone_mode=False)\n"
        "print(' '.join(m for m in sys.modules if m.startswith('adrtool')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, encoding="utf-8",
        timeout=30, check=True, env={**os.environ, "ADR_DATE": "1992-01-12"},
    )  # fmt: skip
    return set(done.stdout.splitlines()[-1].split())


def test_adrtool_new_and_list_import_only_what_they_use(folder: Path) -> None:
    """The fence rule (a dozen patterns compiled on import) is for records that hold a fence;
    `new` imports no checker or lister, and `list` no writer."""
    subprocess.run(
        [str(BIN / "adrtool"), "index"], cwd=folder, check=True, capture_output=True, timeout=30
    )
    new = adrtool_imports(["new", "--no-edit", "Use", "SQLite"], folder)
    assert "adrtool._index_refresh" in new
    assert not new & {"adrtool.check", "adrtool.listing", "adrtool.markdown_blocks"}
    listed = adrtool_imports(["list"], folder)
    assert "adrtool.listing" in listed
    assert not listed & {
        "adrtool.operations",
        "adrtool.templates",
        "adrtool._index_refresh",
        "adrtool.index_file",
        "adrtool.markdown_blocks",
        "adrtool.check",
    }


def test_new_and_list_import_only_their_own_part_of_the_core(folder: Path) -> None:
    unused_by_new = {"adrtool.cli", "adrtool.check", "adrtool.listing"}
    assert not imported_by(["new", "Use", "SQLite"], folder) & unused_by_new
    # list prints names: it reads no record and imports no writer.
    listed = imported_by(["list"], folder)
    assert not listed & {*unused_by_new, "adrtool.operations", "adrtool.templates", "adrtool.index"}
