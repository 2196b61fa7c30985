"""`new`, `supersede`, `link` and `status` refresh index.md without reading every record, and
the page they leave is byte for byte the one `adrtool index` writes from all the records."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adrtool import _index_refresh, operations
from adrtool.folder import AdrFolder
from adrtool.operations import (
    LinkRequest,
    expected_index,
    link_records,
    new_record,
    set_record_status,
    write_index,
)

# Words with the characters a table cell, a Mermaid label and a link must escape.
WORDS = st.sampled_from(["Use", "HTMX", "a|b", "*x*", "<br>", 'say "hi"', "[1]", "é", "x" * 40])
TITLES = st.lists(WORDS, min_size=1, max_size=4)
TEMPLATES = st.sampled_from(["nygard", "madr", "madr-bullets"])
RELATIONS = st.sampled_from(
    [("Amends", "Amended by"), ("Supersedes", "Superseded by"), ("Relates to", "Relates to")]
)

# One step: what it does, with numbers taken modulo the folder's size so that every draw names
# a record that is there.
STEPS = st.one_of(
    st.tuples(st.just("new"), TITLES, TEMPLATES),
    st.tuples(st.just("supersede"), TITLES, st.integers(0, 50)),
    st.tuples(st.just("new-link"), TITLES, st.integers(0, 50), RELATIONS),
    st.tuples(st.just("link"), st.integers(0, 50), st.integers(0, 50), RELATIONS),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(["accepted", "deprecated"])),
)


def _run(folder: AdrFolder, step: tuple[Any, ...]) -> None:
    numbers = [number for number, _ in folder.names(files_only=True)]
    kind = step[0]
    if kind == "new":
        _, title, template = step
        new_record(folder, title, template_name=template)
        return
    if not numbers:
        return
    if kind == "supersede":
        _, title, pick = step
        new_record(folder, title, supersedes=[str(numbers[pick % len(numbers)])])
    elif kind == "new-link":
        _, title, pick, (relation, reverse) = step
        request = LinkRequest(str(numbers[pick % len(numbers)]), relation, reverse)
        new_record(folder, title, links=[request])
    elif kind == "link":
        _, source, target, (relation, reverse) = step
        source_number = numbers[source % len(numbers)]
        target_number = numbers[target % len(numbers)]
        if source_number != target_number:
            link_records(folder, str(source_number), relation, str(target_number), reverse)
    elif kind == "status":
        _, pick, status = step
        record = folder.find(str(numbers[pick % len(numbers)]))
        if not record.superseded_by:
            set_record_status(folder, str(record.number), status)


@pytest.fixture
def refreshes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each refresh was made from the page (True) or fell back to every record."""
    made: list[bool] = []
    real: Callable[..., str | None] = _index_refresh.refreshed

    def counted(*args: object) -> str | None:
        page = real(*args)
        made.append(page is not None)
        return page

    monkeypatch.setattr(operations, "refreshed", counted)
    return made


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(st.tuples(st.just("new"), TITLES, TEMPLATES), max_size=4),
    steps=st.lists(STEPS, min_size=1, max_size=8),
)
def test_every_refresh_writes_the_page_a_full_regeneration_writes(
    refreshes: list[bool], start: list[tuple[Any, ...]], steps: list[tuple[Any, ...]]
) -> None:
    refreshes.clear()
    with tempfile.TemporaryDirectory() as tmp:
        folder = AdrFolder(Path(tmp))
        for step in start:
            _run(folder, step)
        write_index(folder)
        for step in steps:
            _run(folder, step)
            # The page on disk is what `adrtool index` would write from every record.
            assert folder.index_path.read_text(encoding="utf-8") == expected_index(folder)
    # Each command refreshed the index from the page, never by reading every record.
    assert all(refreshes), refreshes


def test_a_record_added_beside_the_index_makes_new_read_every_record(
    refreshes: list[bool], tmp_path: Path
) -> None:
    folder = AdrFolder(tmp_path)
    new_record(folder, ["One"])
    write_index(folder)
    # Merged in from another branch, say, without its row in the index.
    (tmp_path / "0002-two.md").write_text(
        (tmp_path / "0001-one.md").read_text(encoding="utf-8").replace("One", "Two"),
        encoding="utf-8",
    )
    new_record(folder, ["Three"], supersedes=["2"])
    assert folder.index_path.read_text(encoding="utf-8") == expected_index(folder)
    assert "Two" in expected_index(folder)
    assert refreshes == []  # the page did not list the folder's records: no refresh from it


def test_a_successor_named_by_a_bare_number_makes_new_read_every_record(
    refreshes: list[bool], tmp_path: Path
) -> None:
    """A link to a missing record shows as a bare number, and the next record may be it."""
    folder = AdrFolder(tmp_path)
    new_record(folder, ["One"])
    record = tmp_path / "0001-one.md"
    text = record.read_text(encoding="utf-8")
    assert "## Status\n\nAccepted\n" in text
    linked = text.replace("Accepted\n", "Superseded by [2. Two](0002-two.md)\n", 1)
    record.write_text(linked, encoding="utf-8")
    write_index(folder)
    assert "| 2 |" in folder.index_path.read_text(encoding="utf-8")
    new_record(folder, ["Two"])
    assert folder.index_path.read_text(encoding="utf-8") == expected_index(folder)
    assert "[2](0002-two.md)" in expected_index(folder)
    assert refreshes == []
