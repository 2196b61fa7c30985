"""`adrtool check`: each kind of problem, as `path:line: message`, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, read


def record(number: int, title: str, status: str = "Accepted", extra: str = "") -> str:
    return f"# {number}. {title}\n\nDate: 2020-01-01\n\n## Status\n\n{status}\n{extra}\n## Context\n\nWhy.\n"


@pytest.fixture
def adr(adrtool: Run, project: Path) -> Path:
    adrtool("init")
    return project / "docs" / "adr"


def write(adr: Path, name: str, text: str) -> None:
    (adr / name).write_text(text, encoding="utf-8")


def test_a_clean_folder_passes(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("supersede", "2", "Three")
    result = adrtool("check")
    assert result.output == ""


PROBLEMS = (
    (
        "duplicate number",
        {"0002-a.md": record(2, "A"), "0002-b.md": record(2, "B")},
        [
            (
                "docs/adr/0002-a.md:1: number 2 is also used by 0002-b.md (two branches merged?); "
                "give one of them a new number with 'adrtool renumber PATH'"
            ),
            (
                "docs/adr/0002-b.md:1: number 2 is also used by 0002-a.md (two branches merged?); "
                "give one of them a new number with 'adrtool renumber PATH'"
            ),
        ],
    ),
    (
        "link to a missing record",
        {"0002-a.md": record(2, "A", extra="\nAmends [7. Gone](0007-gone.md)\n")},
        ["docs/adr/0002-a.md:9: links to 0007-gone.md, which does not exist"],
    ),
    (
        "link to a missing anchor",
        {
            "0002-a.md": record(
                2, "A", extra="\nSee [the context](0001-record-architecture-decisions.md#nope).\n"
            )
        },
        [
            "docs/adr/0002-a.md:9: links to #nope in 0001-record-architecture-decisions.md, which has no such heading"
        ],
    ),
    (
        "one-sided supersede (an interrupted supersede)",
        {
            "0002-a.md": record(
                2, "A", extra="\nSupersedes [1. Record](0001-record-architecture-decisions.md)\n"
            )
        },
        [
            (
                "docs/adr/0002-a.md:9: supersedes 0001-record-architecture-decisions.md, which has no "
                "'Superseded by' link back (an interrupted supersede?); run 'adrtool link 2 Supersedes 1 "
                '"Superseded by"\''
            )
        ],
    ),
    (
        "unknown status",
        {"0002-a.md": record(2, "A", status="Done")},
        [
            (
                "docs/adr/0002-a.md:7: unknown status 'Done'; use one of: proposed, accepted, "
                "rejected, deprecated, superseded, or add it to [tool.adrtool] statuses in "
                "pyproject.toml"
            )
        ],
    ),
    (
        "bad date",
        {"0002-a.md": record(2, "A").replace("2020-01-01", "01/02/2020")},
        ["docs/adr/0002-a.md:3: date '01/02/2020' is not written as YYYY-MM-DD"],
    ),
    (
        "heading number differs from the file's",
        {"0002-a.md": record(3, "A")},
        ["docs/adr/0002-a.md:1: the heading says 3 but the file name says 2; make them agree"],
    ),
    (
        "no status",
        {"0002-a.md": "# 2. A\n\nDate: 2020-01-01\n\n## Context\n\nWhy.\n"},
        ["docs/adr/0002-a.md:1: the record has no status; set one with 'adrtool status 2 STATUS'"],
    ),
    (
        "one-sided link of another kind",
        {
            "0002-a.md": record(
                2, "A", extra="\nAmends [1. Record](0001-record-architecture-decisions.md)\n"
            )
        },
        [
            (
                "docs/adr/0002-a.md:9: links to 0001-record-architecture-decisions.md as 'Amends', "
                "which has no link back; add one with 'adrtool link 2 \"Amends\" 1 REVERSE', "
                "REVERSE being the wording for the other side"
            )
        ],
    ),
    (
        "a temp file an interrupted write left",
        {"0002-a.md": record(2, "A"), ".adrtool-0123456789ab.tmp": "half a record"},
        [
            (
                "docs/adr/.adrtool-0123456789ab.tmp:1: a temp file an interrupted adrtool left "
                "behind; delete it (the file it was writing kept its old text)"
            )
        ],
    ),
)


@pytest.mark.parametrize(
    ("files", "expected"), [p[1:] for p in PROBLEMS], ids=[p[0] for p in PROBLEMS]
)
def test_each_problem_is_one_line(
    adrtool: Run, adr: Path, files: dict[str, str], expected: list[str]
) -> None:
    for name, text in files.items():
        write(adr, name, text)
    adrtool("index")
    assert adrtool("check", code=1).output.splitlines() == expected


def test_stale_index_is_reported_and_index_check_fails(adrtool: Run, adr: Path) -> None:
    write(adr, "0002-a.md", record(2, "A"))  # written by hand: the index does not know it
    assert adrtool("check", code=1).output == (
        "docs/adr/index.md:1: the index is stale; regenerate it with 'adrtool index'\n"
    )
    assert adrtool("index", "--check", code=1).stderr == (
        "Error: docs/adr/index.md is stale; regenerate it with 'adrtool index'\n"
    )
    adrtool("index")
    assert adrtool("check").output == ""


def test_superseded_by_link_with_wrong_status(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    adrtool("supersede", "2", "Three")
    path = adr / "0002-two.md"
    path.write_text(
        read(path).replace("## Status\n\n", "## Status\n\nAccepted\n\n"), encoding="utf-8"
    )
    adrtool("index")
    assert adrtool("check", code=1).output == (
        "docs/adr/0002-two.md:7: status is 'Accepted' but the record is superseded by 3; "
        "run 'adrtool status 2 superseded'\n"
    )


def test_legacy_superceded_spelling_counts(adrtool: Run, adr: Path) -> None:
    write(adr, "0002-old.md", record(2, "Old", status="Superceded by [3. New](0003-new.md)"))
    write(adr, "0003-new.md", record(3, "New", extra="\nSupercedes [2. Old](0002-old.md)\n"))
    adrtool("index")
    assert adrtool("check").output == ""
    assert "| 2 | [Old](0002-old.md) | Superseded | 2020-01-01 | [3](0003-new.md) |" in read(
        adr / "index.md"
    )


def test_links_inside_code_are_not_checked(adrtool: Run, adr: Path) -> None:
    extra = "\n```markdown\n[example](0099-nothing.md)\n```\n\nAnd `[x](0098-nothing.md)` inline.\n"
    write(adr, "0002-a.md", record(2, "A", extra=extra))
    adrtool("index")
    assert adrtool("check").output == ""


def test_a_status_line_with_a_web_link_is_still_the_status(adrtool: Run, adr: Path) -> None:
    write(
        adr, "0002-a.md", record(2, "A", status="Accepted, see [the thread](https://example.com/t)")
    )
    adrtool("index")
    assert adrtool("check").output == ""
    assert "| 2 | [A](0002-a.md) | Accepted |" in read(adr / "index.md")


def test_one_record_is_checked_on_its_own_without_the_folder_s_problems(tmp_path: Path) -> None:
    # snippetcheck checks each record a page writes this way, when it writes it.
    from adrtool.check import check_record
    from adrtool.folder import AdrFolder

    folder = tmp_path / "adr"
    folder.mkdir()
    write(folder, "0002-a.md", record(2, "A", extra="\nAmends [7. Gone](0007-gone.md)\n"))
    write(folder, "0002-b.md", record(2, "B"))  # a duplicate number: the folder's problem
    write(folder, "index.md", "stale\n")
    assert [(p.line, p.message) for p in check_record(AdrFolder(folder), folder / "0002-a.md")] == [
        (9, "links to 0007-gone.md, which does not exist")
    ]
    assert check_record(AdrFolder(folder), folder / "0002-b.md") == []
    write(folder, "0003-empty.md", "")
    assert [p.message for p in check_record(AdrFolder(folder), folder / "0003-empty.md")] == [
        "the record is empty; write its content or delete it"
    ]
