"""Bad input: one clear line naming the problem and the fix, the right exit code, no traceback,
and nothing changed on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrtool.cli import cli
from tests.conftest import Run, snapshot

USAGE, STATE = 2, 1

# (arguments, exit code, what the one line must say)
CASES = (
    (["new"], USAGE, "the title is empty"),
    (["new", "   "], USAGE, "the title is empty"),
    (["new", "two\nlines"], USAGE, "line break"),
    (["new", "tab\tin the title"], USAGE, "control character"),
    (["new", "line\u2028separator"], USAGE, "line break"),
    (["new", "paragraph\u2029separator"], USAGE, "line break"),
    (["new", "next\x85line"], USAGE, "line break"),
    (["new", "escape \x1b[31mred"], USAGE, "control character"),
    (["new", "undecodable \udcff byte"], USAGE, "undecodable byte"),
    (["new", "\u200d\u200b"], USAGE, "the title is empty"),
    (["new", "--supersedes", "9", "Title"], USAGE, "there is no record number 9"),
    (["new", "--supersedes", "abc", "Title"], USAGE, "'abc' is not a record number"),
    (["new", "--supersedes", "-1", "Title"], USAGE, "'-1' is not a record number"),
    (["new", "--link", "2:Amends", "Title"], USAGE, "must be NUMBER:LINK:REVERSE-LINK"),
    (["new", "--link", "2:Amends:Amended by", "Title"], USAGE, "there is no record number 2"),
    (["new", "--link", "1:Am[e]nds:Amended by", "Title"], USAGE, "cannot hold brackets"),
    (["new", "--date", "2024-13-01", "Title"], USAGE, "'2024-13-01' is not a date"),
    (["new", "--date", "yesterday", "Title"], USAGE, "write it as YYYY-MM-DD"),
    (["new", "--status", "done", "Title"], USAGE, "unknown status 'done'"),
    (["new", "--template", "nope", "Title"], USAGE, "unknown template 'nope'"),
    (["new", "--template", "../x", "Title"], USAGE, "must be a plain name"),
    (["supersede", "7", "Title"], USAGE, "there is no record number 7"),
    (["supersede", "1"], USAGE, "the title is empty"),
    (["status", "1", "finished"], USAGE, "unknown status 'finished'"),
    (["status", "x1", "accepted"], USAGE, "'x1' is not a record number"),
    (["link", "1", "Amends", "1", "Amended by"], USAGE, "cannot link to itself"),
    (["link", "1", "Amends", "5", "Amended by"], USAGE, "there is no record number 5"),
    (["link", "1", "", "1", "x"], USAGE, "must be words on one line"),
    (["list", "--status", "nope"], USAGE, "unknown status 'nope'"),
    (["graph", "--format", "png"], USAGE, "'png' is not one of 'mermaid', 'dot'"),
    (["renumber", "docs/adr/0099-missing.md"], USAGE, "is not a file"),
    (["renumber", "README.md"], USAGE, "is not in the ADR folder"),
    (
        ["--dir", "nowhere", "list"],
        STATE,
        "the ADR folder nowhere does not exist; create it with 'adrtool init nowhere'",
    ),
    (["frobnicate"], USAGE, "No such command 'frobnicate'"),
    (["init"], STATE, "already holds records"),
)


def index_is_a_folder(project: Path) -> None:
    index = project / "docs" / "adr" / "index.md"
    index.unlink()
    index.mkdir()
    (index / "keep.txt").write_text(
        "a file, so that a snapshot sees the folder\n", encoding="utf-8"
    )


def bad_adr_dir_file(project: Path) -> None:
    (project / ".adr-dir").write_bytes(b"docs/\xe9adr\n")  # Latin-1, not UTF-8


def record_outside_the_folder(project: Path) -> None:
    (project / "other").mkdir()
    (project / "other" / "0007-outside.md").write_text(
        "# 7. Outside\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )


OUTSIDE = "is not in the ADR folder docs/adr; give the number of a record there"
# (set-up, arguments, exit code, what the one line must say): folders in a bad state.
BROKEN = (
    (bad_adr_dir_file, ["list"], STATE, ".adr-dir is not valid UTF-8 (byte 5); re-save it"),
    (bad_adr_dir_file, ["new", "Title"], STATE, ".adr-dir is not valid UTF-8"),
    (index_is_a_folder, ["new", "Title"], STATE, "index.md is not a file"),
    (index_is_a_folder, ["supersede", "1", "Title"], STATE, "index.md is not a file"),
    (index_is_a_folder, ["status", "1", "deprecated"], STATE, "index.md is not a file"),
    (index_is_a_folder, ["index"], STATE, "index.md is not a file"),
    (record_outside_the_folder, ["supersede", "other/0007-outside.md", "X"], USAGE, OUTSIDE),
    (
        record_outside_the_folder,
        ["new", "-s", "../project/other/0007-outside.md", "X"],
        USAGE,
        OUTSIDE,
    ),
    (record_outside_the_folder, ["status", "other/0007-outside.md", "rejected"], USAGE, OUTSIDE),
    (
        record_outside_the_folder,
        ["link", "1", "Amends", "other/0007-outside.md", "Amended by"],
        USAGE,
        OUTSIDE,
    ),
)


@pytest.fixture
def folder(adrtool: Run, project: Path) -> Path:
    adrtool("init")
    (project / "README.md").write_text("not a record\n", encoding="utf-8")
    return project


@pytest.mark.parametrize(
    ("setup", "args", "code", "message"),
    [(None, *case) for case in CASES] + list(BROKEN),
    ids=[" ".join(c[0]) for c in CASES] + [f"{c[0].__name__}: {' '.join(c[1])}" for c in BROKEN],
)
def test_bad_input_is_one_line_and_changes_nothing(
    folder: Path,
    setup: Callable[[Path], None] | None,
    args: list[str],
    code: int,
    message: str,
) -> None:
    if setup is not None:
        setup(folder)
    before = snapshot(folder)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_no_folder_anywhere_says_run_init(adrtool: Run) -> None:
    result = adrtool("list", code=STATE)
    assert result.stderr == (
        "Error: no ADR folder found here or above (looked for [tool.adrtool] dir, .adr-dir, "
        "docs/adr, docs/decisions, doc/adr); create one with 'adrtool init'\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    (
        (b"", "the record is empty"),
        (b"  \n\n", "the record is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file"),
        ("# 2. Caf\u00e9\n".encode("latin-1"), "is not valid UTF-8 (byte 8)"),
    ),
)
def test_unusable_record_files_are_refused(
    folder: Path, adrtool: Run, content: bytes, message: str
) -> None:
    bad = folder / "docs" / "adr" / "0002-bad.md"
    bad.write_bytes(content)
    before = snapshot(folder)
    result = adrtool("supersede", "2", "Replace it", code=STATE)
    assert result.stderr.startswith("Error: docs/adr/0002-bad.md: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(folder) == before
    # check names the same problem, at the file's first line
    checked = adrtool("check", code=STATE).output
    assert f"docs/adr/0002-bad.md:1: {message}" in checked


def test_ambiguous_number_is_refused_until_renumbered(folder: Path, adrtool: Run) -> None:
    adr = folder / "docs" / "adr"
    for slug in ("a", "b"):
        (adr / f"0002-{slug}.md").write_text(
            f"# 2. {slug}\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
        )
    before = snapshot(folder)
    result = adrtool("supersede", "2", "Replace", code=STATE)
    assert result.stderr == (
        "Error: record number 2 is taken by 2 files (0002-a.md, 0002-b.md); "
        "give one a new number with 'adrtool renumber PATH'\n"
    )
    assert snapshot(folder) == before
