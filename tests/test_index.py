"""The generated index: escaped, deterministic, rewritten only when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Run, read

HOSTILE = (
    ("A | B", "| 2 | [A &#124; B](0002-a-b.md) |"),
    ("*bold* _it_ `code`", "[&#42;bold&#42; &#95;it&#95; &#96;code&#96;]"),
    ("<script>alert(1)</script>", "[&#60;script&#62;alert(1)&#60;/script&#62;]"),
    ("[link](http://evil)", "[&#91;link&#93;(http&#58;//evil)]"),
    ("R&D :smile: ==mark==", "[R&#38;D &#58;smile&#58; &#61;&#61;mark&#61;&#61;]"),
)


@pytest.mark.parametrize(("title", "row"), HOSTILE)
def test_titles_cannot_break_or_inject_into_the_index(
    adrtool: Run, project: Path, title: str, row: str
) -> None:
    adrtool("init")
    adrtool("new", title)
    index = read(project / "docs" / "adr" / "index.md")
    assert row in index
    table_row = next(line for line in index.splitlines() if line.startswith("| 2 |"))
    assert table_row.count("|") == 6  # no extra cells
    assert "<script" not in index


def test_index_is_deterministic_and_not_rewritten_when_unchanged(
    adrtool: Run, project: Path
) -> None:
    adrtool("init")
    adrtool("new", "Two")
    index = project / "docs" / "adr" / "index.md"
    before = read(index)
    os.utime(index, ns=(1_000_000_000, 1_000_000_000))
    assert adrtool("index").output == ""  # nothing to write
    assert index.stat().st_mtime_ns == 1_000_000_000
    index.unlink()
    assert adrtool("index").output == "wrote docs/adr/index.md\n"
    assert read(index) == before


def test_index_check_writes_nothing(adrtool: Run, project: Path) -> None:
    adrtool("init")
    adr = project / "docs" / "adr"
    before = read(adr / "index.md")
    # A record the index does not list yet: the index is stale.
    (adr / "0002-two.md").write_text(
        read(adr / "0001-record-architecture-decisions.md"), encoding="utf-8"
    )
    adrtool("index", "--check", code=1)
    assert read(adr / "index.md") == before


def test_empty_folder_index(adrtool: Run, project: Path) -> None:
    (project / "docs" / "adr").mkdir(parents=True)
    adrtool("index")
    assert "No decisions are recorded yet." in read(project / "docs" / "adr" / "index.md")
