"""Two branches each added record 3; `renumber` moves one and fixes every link to it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run, read


def test_fix_duplicate_numbers_after_a_merge(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "adr"
    adrtool("init")
    adrtool("new", "Use PostgreSQL")
    # Branch one: record 3 supersedes 2. Branch two: another record 3, and record 4 amends it.
    adrtool("supersede", "2", "Use SQLite")
    (adr / "0003-cache-with-redis.md").write_text(
        "# 3. Cache with Redis\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n"
        "Amended by [4. Tune Redis](0004-tune-redis.md)\n\n## Context\n\nWhy.\n",
        encoding="utf-8",
    )
    (adr / "0004-tune-redis.md").write_text(
        "# 4. Tune Redis\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n"
        "Amends [3. Cache with Redis](0003-cache-with-redis.md)\n\n## Context\n\n"
        "See [its context](0003-cache-with-redis.md#context).\n",
        encoding="utf-8",
    )
    assert "number 3 is also used by" in adrtool("check", code=1).output

    assert adrtool("renumber", "docs/adr/0003-cache-with-redis.md").output == (
        "docs/adr/0005-cache-with-redis.md\n"
    )
    assert not (adr / "0003-cache-with-redis.md").exists()
    assert read(adr / "0005-cache-with-redis.md").startswith("# 5. Cache with Redis\n")
    tuned = read(adr / "0004-tune-redis.md")
    assert "Amends [5. Cache with Redis](0005-cache-with-redis.md)" in tuned
    assert "See [its context](0005-cache-with-redis.md#context)." in tuned
    assert adrtool("check").output == ""
    # the superseding record 3 on the other branch was not touched
    assert "Supersedes [2. Use PostgreSQL](0002-use-postgresql.md)" in read(
        adr / "0003-use-sqlite.md"
    )


def test_renumber_madr_updates_status_reference(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "adr"
    adrtool("init", "--template", "madr")
    adrtool("new", "Old")
    adrtool("supersede", "2", "New")  # 0003-new.md
    (adr / "0003-other.md").write_text(
        "---\nstatus: accepted\ndate: 2020-01-01\n---\n\n# Other\n", encoding="utf-8"
    )
    adrtool("renumber", "docs/adr/0003-new.md")
    old = read(adr / "0002-old.md")
    assert old.startswith('---\nstatus: "superseded by ADR-0004"\n')
    assert "* Superseded by [ADR-0004: New](0004-new.md)" in old
    listed = {i["number"]: i for i in json.loads(adrtool("list", "--json").output)}
    assert listed[2]["superseded_by"] == [4]
    assert listed[4]["supersedes"] == [2]
