"""`adrtool new` and `adrtool supersede`: numbering, names, titles, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, read


@pytest.fixture
def adr(adrtool: Run, project: Path) -> Path:
    adrtool("init")
    return project / "docs" / "adr"


ODD_TITLES = (
    "Use ../../etc/passwd as a config path",
    "a/b/c",
    "数据库选择",
    "R&D gets its own database",
    "Pipes | in | titles",
    "*Emphasis* and _underline_",
    "<script>alert('x')</script> is not a title",
    "Use DATE and TITLE and STATUS as words",
    "t" * 200,  # the longest title allowed
    "Café",
    "Use C# for the desktop client",
    "Write F#",
    # Format characters (Unicode Cf) are part of the text, not line breaks:
    "Pair at a \U0001f469\u200d\U0001f4bb desk",  # emoji joined by a zero width joiner
    "\U0001f469\u200d\U0001f4bb",  # nothing a file name can use: the fallback slug
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u06cc\u0645",  # Persian, zero width non-joiner
    "Co\u00adoperate with the data team",  # soft hyphen
    "\u05e9\u05dc\u05d5\u05dd \u200ewith a left-to-right mark",
)


# What the heading line says where the title would be markup on the built page.
INERT_HEADINGS = {
    "<script>alert('x')</script> is not a title": (
        "&lt;script>alert('x')&lt;/script> is not a title"
    ),
}


@pytest.mark.parametrize("title", ODD_TITLES)
def test_odd_titles_stay_in_the_folder_with_the_exact_title(
    adrtool: Run, adr: Path, title: str
) -> None:
    path = Path(adrtool("new", title).output.strip())
    assert path.resolve().parent == adr.resolve()
    assert path.name.startswith("0002-") and len(path.name) > len("0002-.md")
    assert read(path).splitlines()[0] == f"# 2. {INERT_HEADINGS.get(title, title)}"
    assert json.loads(adrtool("list", "--json").output)[1]["title"] == title
    assert adrtool("check").output == ""


def test_same_title_twice_makes_two_records(adrtool: Run, adr: Path) -> None:
    first = adrtool("new", "Use PostgreSQL").output.strip()
    second = adrtool("new", "Use PostgreSQL").output.strip()
    assert (first, second) == ("docs/adr/0002-use-postgresql.md", "docs/adr/0003-use-postgresql.md")
    assert read(adr / "0002-use-postgresql.md").startswith("# 2. Use PostgreSQL")


def test_numbers_compare_as_integers_not_octal_or_text(adrtool: Run, adr: Path) -> None:
    (adr / "0009-nine.md").write_text(
        "# 9. Nine\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )
    (adr / "10-ten-unpadded.md").write_text(
        "# 10. Ten\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )
    assert adrtool("new", "Eleven").output == "docs/adr/0011-eleven.md\n"


def test_supersede_by_number_never_by_substring(adrtool: Run, adr: Path) -> None:
    for n in range(2, 13):
        adrtool("new", f"Decision {n}")
    # adr-tools' grep for "1" would find 0001 or 0010 or 0011 or 0012 first.
    adrtool("supersede", "1", "Replace the first")
    assert "Superseded by [13. Replace the first]" in read(
        adr / "0001-record-architecture-decisions.md"
    )
    for n in (10, 11, 12):
        assert "Superseded" not in read(adr / f"{n:04d}-decision-{n}.md")


def test_status_date_and_several_links(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("new", "Three")
    path = adrtool(
        "new",
        "--status",
        "proposed",
        "--date",
        "2024-02-29",
        "-s",
        "2",
        "-s",
        "0003",
        "-l",
        "1:Amends:Amended by",
        "Four",
    ).output.strip()
    text = read(Path(path))
    assert text.startswith(
        "# 4. Four\n\nDate: 2024-02-29\n\n## Status\n\nProposed\n\n"
        "Supersedes [2. Two](0002-two.md)\n\n"
        "Supersedes [3. Three](0003-three.md)\n\n"
        "Amends [1. Record architecture decisions](0001-record-architecture-decisions.md)\n\n"
        "## Context\n"
    )
    listed = {item["number"]: item for item in json.loads(adrtool("list", "--json").output)}
    assert listed[4]["supersedes"] == [2, 3]
    assert listed[2]["superseded_by"] == [4] and listed[3]["superseded_by"] == [4]
    assert listed[2]["status"] == "superseded"
    assert listed[1]["links"] == [{"relation": "Amended by", "target": 4, "path": "0004-four.md"}]
    assert adrtool("check").output == ""


def test_list_filters_by_status(adrtool: Run, adr: Path) -> None:
    adrtool("new", "--status", "proposed", "Maybe")
    out = adrtool("list", "--status", "Proposed").output
    assert out.splitlines()[1:] == ["2       Proposed  1992-01-12  Maybe"]


def test_list_json_gives_every_field_of_every_record(adrtool: Run, adr: Path) -> None:
    adrtool("new", "--date", "2024-02-29", "Two")
    adrtool("new", "-l", "1:Amends:Amended by", "Three")
    adrtool("supersede", "2", "Four")
    listed = json.loads(adrtool("list", "--json").output)
    first = "docs/adr/0001-record-architecture-decisions.md"
    assert listed == [
        {
            "id": "1",
            "number": 1,
            "title": "Record architecture decisions",
            "status": "accepted",
            "status_text": "Accepted",
            "date": "1992-01-12",
            "path": first,
            "format": "nygard",
            "supersedes": [],
            "superseded_by": [],
            "links": [{"relation": "Amended by", "target": 3, "path": "0003-three.md"}],
        },
        {
            "id": "2",
            "number": 2,
            "title": "Two",
            "status": "superseded",
            "status_text": None,
            "date": "2024-02-29",
            "path": "docs/adr/0002-two.md",
            "format": "nygard",
            "supersedes": [],
            "superseded_by": [4],
            "links": [{"relation": "Superseded by", "target": 4, "path": "0004-four.md"}],
        },
        {
            "id": "3",
            "number": 3,
            "title": "Three",
            "status": "accepted",
            "status_text": "Accepted",
            "date": "1992-01-12",
            "path": "docs/adr/0003-three.md",
            "format": "nygard",
            "supersedes": [],
            "superseded_by": [],
            "links": [
                {
                    "relation": "Amends",
                    "target": 1,
                    "path": "0001-record-architecture-decisions.md",
                }
            ],
        },
        {
            "id": "4",
            "number": 4,
            "title": "Four",
            "status": "accepted",
            "status_text": "Accepted",
            "date": "1992-01-12",
            "path": "docs/adr/0004-four.md",
            "format": "nygard",
            "supersedes": [2],
            "superseded_by": [],
            "links": [{"relation": "Supersedes", "target": 2, "path": "0002-two.md"}],
        },
    ]


def test_list_warns_about_each_unreadable_file_and_lists_the_rest(adrtool: Run, adr: Path) -> None:
    (adr / "0002-empty.md").write_bytes(b"")
    (adr / "0003-binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (adr / "0004-latin.md").write_bytes("# 4. Caf\u00e9\n".encode("latin-1"))
    result = adrtool("list")
    assert result.stdout == (
        "Number  Status    Date        Title\n"
        "1       Accepted  1992-01-12  Record architecture decisions\n"
    )
    assert result.stderr == (
        "Warning: docs/adr/0002-empty.md: the record is empty; write its content or delete it\n"
        "Warning: docs/adr/0003-binary.md: is a binary file, not a Markdown record; move it away\n"
        "Warning: docs/adr/0004-latin.md: is not valid UTF-8 (byte 8); re-save it as UTF-8\n"
    )
    # --json too: the warnings go to stderr, so stdout stays valid JSON.
    result = adrtool("list", "--json")
    assert [item["number"] for item in json.loads(result.stdout)] == [1]
    assert len(result.stderr.splitlines()) == 3


@pytest.mark.parametrize("spelling", ["superseded", "Superceded", "SUPERSEDED"])
def test_status_superseded_writes_superseded_correctly(
    adrtool: Run, adr: Path, spelling: str
) -> None:
    adrtool("new", "Two")
    adrtool("status", "2", spelling)
    text = read(adr / "0002-two.md")
    assert "## Status\n\nSuperseded\n\n## Context" in text
    assert "Supercede" not in text
    assert json.loads(adrtool("list", "--json").output)[1]["status"] == "superseded"


def test_madr_status_superseded_names_the_successor_when_there_is_one(
    adrtool: Run, project: Path
) -> None:
    adr = project / "docs" / "adr"
    adrtool("init", "--template", "madr")
    adrtool("new", "Two")
    adrtool("new", "Three")
    adrtool("status", "2", "superseded")
    assert read(adr / "0002-two.md").startswith('---\nstatus: "superseded"\n')
    adrtool("link", "3", "Supersedes", "2", "Superseded by")
    adrtool("status", "2", "superceded")
    assert read(adr / "0002-two.md").startswith('---\nstatus: "superseded by ADR-0003"\n')
    assert json.loads(adrtool("list", "--json").output)[1]["status"] == "superseded"
    assert adrtool("check").output == ""


def test_status_command_keeps_links(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("new", "-l", "2:Amends:Amended by", "Three")
    adrtool("status", "2", "deprecated")
    text = read(adr / "0002-two.md")
    assert "## Status\n\nDeprecated\n\nAmended by [3. Three](0003-three.md)\n\n## Context" in text
    assert json.loads(adrtool("list", "--json").output)[1]["status"] == "deprecated"


NOTED_STATUS = """\
# 2. Two

Date: 2020-01-01

## Status

Accepted

We revisit this when the hosting contract ends.

* Approved in the meeting of 2020-01-01

## Context

Why.
"""


def test_supersede_keeps_the_notes_and_bullets_of_the_status_section(
    adrtool: Run, adr: Path
) -> None:
    (adr / "0002-two.md").write_text(NOTED_STATUS, encoding="utf-8")
    adrtool("supersede", "2", "Three")
    # As adr-tools' _adr_remove_status: only the status line goes.
    assert read(adr / "0002-two.md") == NOTED_STATUS.replace("Accepted\n\n", "").replace(
        "2020-01-01\n\n## Context",
        "2020-01-01\n\nSuperseded by [3. Three](0003-three.md)\n\n## Context",
    )
    assert json.loads(adrtool("list", "--json").output)[1]["status"] == "superseded"
    assert adrtool("check").output == ""
    # The status it already has, set again, is worded as the supersede worded it: adr-tools
    # lets the "Superseded by" link speak, so the text stays as it is, notes and all.
    superseded = read(adr / "0002-two.md")
    adrtool("status", "2", "superseded")
    assert read(adr / "0002-two.md") == superseded


def test_status_replaces_only_the_status_line(adrtool: Run, adr: Path) -> None:
    (adr / "0002-two.md").write_text(NOTED_STATUS, encoding="utf-8")
    adrtool("status", "2", "deprecated")
    assert read(adr / "0002-two.md") == NOTED_STATUS.replace("Accepted", "Deprecated")
    assert adrtool("list", "--status", "deprecated").output.splitlines()[1:] == [
        "2       Deprecated  2020-01-01  Two"
    ]


NOTED_MADR = """\
---
status: accepted  # agreed in the meeting of 2024-03-01
date: 2024-03-01
decision-makers:
  - Ada
---

# Use PostgreSQL

## Context and Problem Statement

We revisit this when the hosting contract ends.

* Approved by the platform team
"""


def test_madr_status_changes_only_the_status_value(adrtool: Run, project: Path) -> None:
    adr = project / "docs" / "decisions"
    adr.mkdir(parents=True)
    (adr / "0001-use-postgresql.md").write_text(NOTED_MADR, encoding="utf-8")
    adrtool("status", "1", "deprecated")
    assert read(adr / "0001-use-postgresql.md") == NOTED_MADR.replace(
        "status: accepted", 'status: "deprecated"'
    )
    adrtool("supersede", "1", "Use SQLite")
    assert (
        read(adr / "0001-use-postgresql.md")
        == NOTED_MADR.replace("status: accepted", 'status: "superseded by ADR-0002"')
        + "\n## Links\n\n* Superseded by [ADR-0002: Use SQLite](0002-use-sqlite.md)\n"
    )
    assert adrtool("check").output == ""


def test_link_command_writes_both_records(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("link", "2", "Amends", "1", "Amended by")
    adrtool("link", "2", "Amends", "1", "Amended by")  # twice is still one link
    assert read(adr / "0002-two.md").count("Amends [1. Record architecture decisions]") == 1
    assert (
        read(adr / "0001-record-architecture-decisions.md").count(
            "Amended by [2. Two](0002-two.md)"
        )
        == 1
    )


def test_link_with_supersedes_wording_supersedes(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("link", "2", "Supersedes", "1", "Superseded by")
    assert json.loads(adrtool("list", "--json").output)[0]["status"] == "superseded"
    assert adrtool("check").output == ""


@pytest.mark.parametrize(
    ("args", "superseded"),
    (
        (["new", "--link", "2:Supersedes:Superseded by", "Three"], [2]),
        (["new", "--link", "2:Supercedes:Superceded by", "Three"], [2]),
        (["supersede", "1", "--link", "2:Supersedes:Superseded by", "Three"], [1, 2]),
        (["new", "--link", "2:Superseded by:Supersedes", "Three"], [3]),
    ),
    ids=["new --link", "old spelling", "supersede --link", "reverse wording"],
)
def test_link_option_with_supersedes_wording_supersedes(
    adrtool: Run, adr: Path, args: list[str], superseded: list[int]
) -> None:
    adrtool("new", "Two")
    adrtool(*args)
    statuses = {
        item["number"]: item["status"] for item in json.loads(adrtool("list", "--json").output)
    }
    assert [n for n, status in statuses.items() if status == "superseded"] == superseded
    assert adrtool("check").output == ""


def test_graph_formats(adrtool: Run, adr: Path) -> None:
    adrtool("new", 'Say "hello"')
    adrtool("supersede", "1", "Two")
    dot = adrtool("graph", "--format", "dot").output
    assert 'adr2 [label="2. Say \\"hello\\"", URL="0002-say-hello.md"];' in dot
    assert 'adr3 -> adr1 [label="Supersedes"];' in dot
    mermaid = adrtool("graph").output
    assert mermaid.startswith("flowchart BT\n")
    assert 'adr2["2. Say #34;hello#34;"]' in mermaid


def test_version_and_module_entry_point() -> None:
    import subprocess
    import sys

    from adrtool import __version__

    result = subprocess.run(
        [sys.executable, "-m", "adrtool", "--version"],
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    assert result.stdout == f"adrtool, version {__version__}\n"


def test_a_title_ending_in_a_lone_hash_survives_markdown(adrtool: Run, adr: Path) -> None:
    # "# 2. Ticket #" would render as "2. Ticket": the trailing # closes the heading.
    path = Path(adrtool("new", "Ticket #").output.strip())
    assert read(path).splitlines()[0] == "# 2. Ticket \\#"
    assert json.loads(adrtool("list", "--json").output)[1]["title"] == "Ticket #"
