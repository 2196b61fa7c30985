"""The index's graph: only records with a link, each a readable box, each chain a row."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, read


def _graph(index: str) -> str:
    return index[index.index("## How the decisions relate") :]


def test_the_graph_draws_only_linked_records_and_the_table_keeps_all(
    adrtool: Run, project: Path
) -> None:
    adrtool("init")
    adrtool("new", "Use PostgreSQL")
    adrtool("new", "Cache with Redis")
    adrtool("supersede", "2", "Use SQLite")
    index = read(project / "docs" / "adr" / "index.md")
    graph = _graph(index)
    assert "adr2[" in graph and "adr4[" in graph and "adr4 -->" in graph
    assert "adr1[" not in graph and "adr3[" not in graph
    for number in (1, 2, 3, 4):
        assert f"\n| {number} | [" in index
    assert "flowchart RL" in graph


def test_a_folder_without_links_says_so_instead_of_drawing_boxes(
    adrtool: Run, project: Path
) -> None:
    adrtool("init")
    adrtool("new", "Use PostgreSQL")
    graph = _graph(read(project / "docs" / "adr" / "index.md"))
    assert "No record links to another yet." in graph
    assert "```mermaid" not in graph


def test_a_long_title_is_wrapped_into_lines_of_a_box(adrtool: Run, project: Path) -> None:
    adrtool("init")
    adrtool("new", "Use PostgreSQL")
    title = "Name the settings with an option or pyproject.toml and run them through a wrapper"
    adrtool("supersede", "2", title)
    graph = _graph(read(project / "docs" / "adr" / "index.md"))
    label = next(line for line in graph.splitlines() if line.strip().startswith("adr3["))
    lines = label.split('"')[1].split("<br>")
    assert len(lines) == 3 and all(len(line) <= 36 for line in lines)
    assert " ".join(lines).startswith("3. Name the settings")
