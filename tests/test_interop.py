"""Folders written by other tools: the real adr-tools (Debian's package) and MADR 4 by hand."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests import _adr_transcripts
from tests.conftest import Run, read

# adr-tools' own, not adrtool's `adr` in .venv/bin.
ADR = _adr_transcripts.adr_tools()


@pytest.fixture
def adr_tools(project: Path) -> object:
    if ADR is None:
        if os.environ.get("ADRTOOL_REQUIRE_ADR_TOOLS"):
            pytest.fail("adr-tools is required here but missing: apt-get install adr-tools")
        pytest.skip("adr-tools is not installed (apt-get install adr-tools): interop not tested")

    def run(*args: str) -> str:
        env = {**os.environ, "VISUAL": "true", "EDITOR": "true"}
        result = subprocess.run(
            [ADR, *args], cwd=project, env=env, capture_output=True, encoding="utf-8", check=True
        )
        return result.stdout

    return run


def test_adrtool_reads_and_extends_an_adr_tools_folder(
    adr_tools, adrtool: Run, project: Path
) -> None:
    adr_tools("init", "doc/adr")  # explicit, so adr-tools never walks up out of the test
    adr_tools("new", "Use", "PostgreSQL")
    adr_tools("new", "-s", "2", "Use", "SQLite")
    adr_tools("new", "-l", "3:Amends:Amended by", "Tune", "SQLite")
    listed = {i["number"]: i for i in json.loads(adrtool("list", "--json").output)}
    assert listed[2]["status"] == "superseded" and listed[2]["superseded_by"] == [3]
    assert listed[3]["supersedes"] == [2]
    assert listed[4]["links"] == [{"relation": "Amends", "target": 3, "path": "0003-use-sqlite.md"}]
    assert adrtool("check").output == ""

    # adrtool writes into the adr-tools folder in adr-tools' own style...
    assert adrtool("supersede", "3", "Use DuckDB").output == "doc/adr/0005-use-duckdb.md\n"
    # ...and adr-tools keeps working on what adrtool wrote.
    assert adr_tools("list").split() == [
        "doc/adr/0001-record-architecture-decisions.md",
        "doc/adr/0002-use-postgresql.md",
        "doc/adr/0003-use-sqlite.md",
        "doc/adr/0004-tune-sqlite.md",
        "doc/adr/0005-use-duckdb.md",
    ]
    graph = adr_tools("generate", "graph")
    assert '_5 -> _3 [label="Supersedes", weight=0]' in graph
    assert '_5 [label="5. Use DuckDB"; URL="0005-use-duckdb.html"];' in graph
    adr_tools("link", "5", "Amends", "1", "Amended by")
    assert (
        "Amends [1. Record architecture decisions](0001-record-architecture-decisions.md)"
        in read(project / "doc" / "adr" / "0005-use-duckdb.md")
    )
    assert adrtool("check").output == ""


def test_adr_tools_works_on_a_folder_adrtool_made(adr_tools, adrtool: Run, project: Path) -> None:
    adrtool("init", "doc/adr")
    adrtool("new", "Use PostgreSQL")
    adrtool("new", "--link", "2:Amends:Amended by", "Pool connections")
    adr_tools("new", "-s", "2", "Use", "SQLite")
    adr = project / "doc" / "adr"
    assert "Superseded by [4. Use SQLite](0004-use-sqlite.md)" in read(
        adr / "0002-use-postgresql.md"
    )
    toc = adr_tools("generate", "toc")
    assert "* [3. Pool connections](0003-pool-connections.md)" in toc
    graph = adr_tools("generate", "graph")
    assert '_3 -> _2 [label="Amends", weight=0]' in graph
    listed = {i["number"]: i for i in json.loads(adrtool("list", "--json").output)}
    assert listed[2]["status"] == "superseded" and listed[2]["superseded_by"] == [4]
    adrtool("index")
    assert adrtool("check").output == ""


MADR_RECORD = """\
---
# These are optional metadata elements. Feel free to remove any of them.
status: accepted
date: 2024-05-01
decision-makers:
  - Ada
  - Grace
---

# Use Markdown Architectural Decision Records

## Context and Problem Statement

We want to record decisions.

## Considered Options

* MADR 4.0.0
* Nygard

## Decision Outcome

Chosen option: "MADR 4.0.0".
"""


def test_a_madr_folder_written_by_hand(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "decisions"
    adr.mkdir(parents=True)
    (adr / "0000-use-markdown-architectural-decision-records.md").write_text(
        MADR_RECORD, encoding="utf-8"
    )
    assert adrtool("list").output.splitlines()[1] == (
        "0       Accepted  2024-05-01  Use Markdown Architectural Decision Records"
    )
    path = adrtool("supersede", "0", "Use plain text").output.strip()
    assert path == "docs/decisions/0001-use-plain-text.md"
    old = read(adr / "0000-use-markdown-architectural-decision-records.md")
    assert old.startswith(
        "---\n# These are optional metadata elements. Feel free to remove any of them.\n"
        'status: "superseded by ADR-0001"\ndate: 2024-05-01\ndecision-makers:\n  - Ada\n'
    )
    new = read(adr / "0001-use-plain-text.md")
    assert new.startswith('---\nstatus: "proposed"\n') and "\n# Use plain text\n" in new
    assert adrtool("check").output == ""


MADR_TEMPLATE = """\
---
status: "{proposed | rejected | accepted | deprecated | … | superseded by ADR-0123}"
date: {YYYY-MM-DD when the decision was last updated}
decision-makers: {list everyone involved in the decision}
---

# {short title, representative of solved problem and found solution}

## Context and Problem Statement

{Describe the context and problem statement}
"""


def test_folder_template_overrides_the_builtin(adrtool: Run, project: Path) -> None:
    adrtool("init")
    templates = project / "docs" / "adr" / "templates"
    templates.mkdir()
    (templates / "template.md").write_text(
        "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Why\n\nTITLE stays here.\n",
        encoding="utf-8",
    )
    (templates / "madr.md").write_text(MADR_TEMPLATE, encoding="utf-8")
    path = Path(adrtool("new", "R&D uses DATE & TITLE").output.strip())
    assert read(path) == (
        "# 2. R&D uses DATE & TITLE\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n"
        "## Why\n\nTITLE stays here.\n"
    )
    path = Path(adrtool("new", "--template", "madr", "Try MADR").output.strip())
    assert read(path) == (
        '---\nstatus: "proposed"\ndate: 1992-01-12\n'
        "decision-makers: {list everyone involved in the decision}\n---\n\n"
        "# Try MADR\n\n## Context and Problem Statement\n\n{Describe the context and problem statement}\n"
    )
