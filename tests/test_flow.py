"""Whole flows, as a user runs them, against golden output."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, read

SUPERSEDED_RECORD = """\
# 2. Use PostgreSQL

Date: 1992-01-12

## Status

Amended by [3. Cache with Redis](0003-cache-with-redis.md)

Superseded by [4. Use SQLite](0004-use-sqlite.md)

## Context
"""

SUPERSEDING_RECORD = """\
# 4. Use SQLite

Date: 1992-01-12

## Status

Accepted

Supersedes [2. Use PostgreSQL](0002-use-postgresql.md)

## Context
"""

INDEX_TABLE = """\
| Number | Decision | Status | Date | Superseded by |
| ---: | --- | --- | --- | --- |
| 1 | [Record architecture decisions](0001-record-architecture-decisions.md) | Accepted | 1992-01-12 |  |
| 2 | [Use PostgreSQL](0002-use-postgresql.md) | Superseded | 1992-01-12 | [4](0004-use-sqlite.md) |
| 3 | [Cache with Redis](0003-cache-with-redis.md) | Accepted | 1992-01-12 |  |
| 4 | [Use SQLite](0004-use-sqlite.md) | Accepted | 1992-01-12 |  |
"""

INDEX_GRAPH = """\
The records that link to another record, or that another links to:

```mermaid
flowchart RL
    adr2["2. Use PostgreSQL"]
    adr3["3. Cache with Redis"]
    adr4["4. Use SQLite"]
    adr3 -->|"Amends"| adr2
    adr4 -->|"Supersedes"| adr2
    classDef superseded stroke-dasharray: 4 4, opacity: 0.7
    class adr2 superseded
```
"""


def test_init_new_link_supersede_list_index_flow(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "adr"
    assert adrtool("init").output == "docs/adr/0001-record-architecture-decisions.md\n"
    assert adrtool("new", "Use", "PostgreSQL").output == "docs/adr/0002-use-postgresql.md\n"
    assert (
        adrtool("new", "--link", "2:Amends:Amended by", "Cache with Redis").output
        == "docs/adr/0003-cache-with-redis.md\n"
    )
    assert adrtool("supersede", "2", "Use SQLite").output == "docs/adr/0004-use-sqlite.md\n"

    assert read(adr / "0002-use-postgresql.md").startswith(SUPERSEDED_RECORD)
    assert read(adr / "0004-use-sqlite.md").startswith(SUPERSEDING_RECORD)
    assert "Amends [2. Use PostgreSQL](0002-use-postgresql.md)" in read(
        adr / "0003-cache-with-redis.md"
    )

    assert adrtool("list").output == (
        "Number  Status      Date        Title\n"
        "1       Accepted    1992-01-12  Record architecture decisions\n"
        "2       Superseded  1992-01-12  Use PostgreSQL\n"
        "3       Accepted    1992-01-12  Cache with Redis\n"
        "4       Accepted    1992-01-12  Use SQLite\n"
    )
    index = read(adr / "index.md")
    assert INDEX_TABLE in index
    assert index.endswith(INDEX_GRAPH)
    # Every command kept the index fresh, and the folder is consistent.
    assert adrtool("index", "--check").output == ""
    assert adrtool("check").output == ""


def test_madr_folder_flow(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "adr"
    adrtool("init", "--template", "madr")
    adrtool("new", "Use PostgreSQL")
    adrtool("supersede", "2", "Use SQLite")
    old = read(adr / "0002-use-postgresql.md")
    new = read(adr / "0003-use-sqlite.md")
    assert old.startswith('---\nstatus: "superseded by ADR-0003"\ndate: 1992-01-12\n')
    assert "\n# Use PostgreSQL\n" in old
    assert old.endswith("## Links\n\n* Superseded by [ADR-0003: Use SQLite](0003-use-sqlite.md)\n")
    # New MADR records start as proposed, as MADR's own template does.
    assert new.startswith('---\nstatus: "proposed"\ndate: 1992-01-12\n')
    assert new.endswith(
        "## Links\n\n* Supersedes [ADR-0002: Use PostgreSQL](0002-use-postgresql.md)\n"
    )
    assert adrtool("check").output == ""
