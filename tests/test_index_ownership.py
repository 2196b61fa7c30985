"""adrtool rewrites only the index.md it wrote, and never over a hand edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, read, snapshot

FOREIGN = "# Decisions\n\nOur own navigation page, written by hand.\n"
LEFT_ALONE = (
    "Warning: docs/adr/index.md was not written by adrtool (no adrtool marker on its first "
    "line), so it was left as it is; to let adrtool keep it, run 'adrtool index --force'\n"
)
EDITED = (
    "docs/adr/index.md was edited by hand since adrtool wrote it, so it was left as it is; "
    "move the change into the records, then run 'adrtool index --force'"
)


@pytest.fixture
def adr(adrtool: Run, project: Path) -> Path:
    adrtool("init")
    adrtool("new", "Two")
    folder = project / "docs" / "adr"
    (folder / "index.md").write_text(FOREIGN, encoding="utf-8")
    return folder


COMMANDS = [
    (["new", "Three"], "docs/adr/0003-three.md"),
    (["supersede", "2", "Three"], "docs/adr/0003-three.md"),
    (["link", "1", "Amends", "2", "Amended by"], None),
    (["status", "2", "deprecated"], None),
    (["renumber", "docs/adr/0002-two.md"], "docs/adr/0003-two.md"),
]


@pytest.mark.parametrize(("args", "made"), COMMANDS)
def test_a_foreign_index_is_never_written_and_the_command_still_does_its_job(
    adrtool: Run, adr: Path, args: list[str], made: str | None
) -> None:
    records_before = {name: text for name, text in snapshot(adr).items() if name != "index.md"}
    result = adrtool(*args)
    assert read(adr / "index.md") == FOREIGN
    assert result.stderr == LEFT_ALONE  # said once, with the way to adopt it
    records_after = {name: text for name, text in snapshot(adr).items() if name != "index.md"}
    assert records_after != records_before  # the command's own change was made
    if made is not None:
        assert result.stdout == made + "\n"
        assert (adr.parent.parent / made).is_file()
    # and `check` does not call someone else's page stale
    assert adrtool("check").output == ""


def test_init_in_a_folder_with_a_foreign_index_leaves_it(adrtool: Run, project: Path) -> None:
    folder = project / "docs" / "adr"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(FOREIGN, encoding="utf-8")
    result = adrtool("init")
    assert result.stdout == "docs/adr/0001-record-architecture-decisions.md\n"
    assert result.stderr == LEFT_ALONE
    assert read(folder / "index.md") == FOREIGN


def test_index_refuses_a_foreign_page_and_force_adopts_it(adrtool: Run, adr: Path) -> None:
    result = adrtool("index", code=1)
    assert result.stderr == LEFT_ALONE.replace("Warning:", "Error:")
    assert read(adr / "index.md") == FOREIGN
    assert adrtool("index", "--force").output == "wrote docs/adr/index.md\n"
    assert read(adr / "index.md").startswith("<!-- adrtool index sha256:")
    # adopted: from now on edits keep it current
    adrtool("new", "Three")
    assert "[Three](0003-three.md)" in read(adr / "index.md")
    assert adrtool("check").output == ""


def test_index_check_passes_over_a_foreign_page_with_a_note(adrtool: Run, adr: Path) -> None:
    result = adrtool("index", "--check")
    assert result.stderr == LEFT_ALONE
    assert read(adr / "index.md") == FOREIGN


@pytest.fixture
def edited(adrtool: Run, adr: Path) -> Path:
    """The folder's own index, then a hand edit of it."""
    adrtool("index", "--force")
    index = adr / "index.md"
    index.write_text(
        read(index).replace("Each record keeps", "Our note. Each record keeps"), encoding="utf-8"
    )
    return index


def test_a_hand_edit_of_the_own_index_is_reported_and_kept(
    adrtool: Run, adr: Path, edited: Path
) -> None:
    text = read(edited)
    assert adrtool("index", code=1).stderr == f"Error: {EDITED}\n"
    assert adrtool("index", "--check", code=1).stderr == f"Error: {EDITED}\n"
    result = adrtool("new", "Three")
    assert result.stderr == f"Warning: {EDITED}\n"
    assert read(edited) == text  # the edit survives every command
    assert adrtool("index", "--force").output == "wrote docs/adr/index.md\n"
    assert "Our note." not in read(edited)
    assert adrtool("check").output == ""


def test_the_check_message_for_a_hand_edit_says_what_to_do(adrtool: Run, edited: Path) -> None:
    assert adrtool("check", code=1).output == (
        "docs/adr/index.md:1: was edited by hand since adrtool wrote it; move the change into "
        "the records, then run 'adrtool index --force'\n"
    )


def test_a_stale_own_index_is_refreshed_by_edits(adrtool: Run, adr: Path) -> None:
    adrtool("index", "--force")
    adrtool("new", "Three")
    adrtool("status", "3", "rejected")
    assert "| 3 | [Three](0003-three.md) | Rejected |" in read(adr / "index.md")
    assert adrtool("check").output == ""


def test_an_own_index_checked_out_with_crlf_is_still_adrtools(adrtool: Run, adr: Path) -> None:
    adrtool("index", "--force")
    index = adr / "index.md"
    index.write_bytes(index.read_bytes().replace(b"\n", b"\r\n"))
    assert adrtool("check").output == ""
    adrtool("new", "Three")
    assert "[Three](0003-three.md)" in read(index)


def test_a_merge_conflict_in_the_own_index_is_resolved_by_regenerating_it(
    adrtool: Run, adr: Path
) -> None:
    adrtool("index", "--force")
    index = adr / "index.md"
    ours = read(index)
    adrtool("new", "Three")
    theirs = read(index)
    # What git leaves when two branches changed the index: both markers differ, so the conflict
    # starts on the first line.
    index.write_text(
        f"<<<<<<< HEAD\n{ours.partition(chr(10))[0]}\n=======\n{theirs.partition(chr(10))[0]}\n"
        f">>>>>>> other\n{ours.partition(chr(10))[2]}",
        encoding="utf-8",
    )
    assert adrtool("check", code=1).output == (
        "docs/adr/index.md:1: the index is stale; regenerate it with 'adrtool index'\n"
    )
    assert adrtool("index").output == "wrote docs/adr/index.md\n"
    assert "<<<<<<<" not in read(index)
    assert adrtool("check").output == ""
