"""adrtool follows the folder it finds: its names, headings, statuses, dates and templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def nygard(number: int, title: str, status: str = "Accepted", heading: str | None = None) -> str:
    heading = heading if heading is not None else f"# {number}. {title}"
    return f"{heading}\n\nDate: 2020-01-01\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n"


def listed(adrtool: Run) -> list[dict[str, object]]:
    return json.loads(adrtool("list", "--json").stdout)  # type: ignore[no-any-return]


@pytest.fixture
def adr(project: Path) -> Path:
    folder = project / "docs" / "adr"
    folder.mkdir(parents=True)
    return folder


def test_adr_prefixed_names_are_records_and_new_ones_follow_them(adrtool: Run, adr: Path) -> None:
    write(adr, "adr-001-use-django.md", nygard(1, "Use Django"))
    write(adr, "adr-002-use-htmx.md", nygard(2, "Use htmx"))
    assert [item["id"] for item in listed(adrtool)] == ["1", "2"]
    created = adrtool("new", "--no-edit", "Use Celery").stdout.strip()
    assert created == "docs/adr/adr-003-use-celery.md"
    assert adrtool("check").stdout == ""


def test_a_folder_without_record_names_says_which_names_it_expects(adrtool: Run, adr: Path) -> None:
    write(adr, "use-django.md", nygard(1, "Use Django"))
    write(adr, "use-htmx.md", nygard(2, "Use htmx"))
    expected = (
        "no file here is named as a record (use-django.md and 1 more); "
        "name records NNNN-title.md, adr-NNN-title.md or YYYYMMDD-title.md"
    )
    result = adrtool("list")
    assert result.stderr == f"Warning: docs/adr: {expected}\n"
    assert adrtool("check", code=1).stdout == f"docs/adr:1: {expected}\n"


def test_a_heading_number_without_a_dot_is_not_part_of_the_title(adrtool: Run, adr: Path) -> None:
    write(adr, "0010-enable-x.md", nygard(10, "", heading="# 10 Enable X"))
    # A title that starts with another number is a title, and no heading-number mismatch.
    write(adr, "0011-plans.md", nygard(11, "", heading="# 2022 plans"))
    assert [item["title"] for item in listed(adrtool)] == ["Enable X", "2022 plans"]
    assert adrtool("check").stdout == ""


def test_a_status_over_two_lines_is_kept_whole(adrtool: Run, adr: Path) -> None:
    write(adr, "0001-a.md", nygard(1, "A", status="Accepted for the pilot,\nthen for everyone"))
    (item,) = listed(adrtool)
    assert item["status"] == "accepted"
    assert item["status_text"] == "Accepted for the pilot, then for everyone"
    adrtool("status", "1", "deprecated")
    text = (adr / "0001-a.md").read_text(encoding="utf-8")
    assert "## Status\n\nDeprecated\n\n## Context" in text


def test_a_superceded_link_below_the_status_line_is_seen_by_list_as_by_check(
    adrtool: Run, adr: Path
) -> None:
    write(
        adr,
        "0001-a.md",
        nygard(1, "A", status="Accepted\n\nSuperceded by [2. B](0002-b.md)"),
    )
    write(adr, "0002-b.md", nygard(2, "B", status="Accepted\n\nSupercedes [1. A](0001-a.md)"))
    assert listed(adrtool)[0]["status"] == "superseded"
    assert "Superseded" in adrtool("list").stdout.splitlines()[1]
    assert (
        "status is 'Accepted' but the record is superseded by 2" in adrtool("check", code=1).stdout
    )


def test_statuses_come_from_pyproject_when_it_lists_them(
    adrtool: Run, adr: Path, project: Path
) -> None:
    write(adr, "0001-a.md", nygard(1, "A", status="Pending"))
    message = adrtool("status", "1", "on hold", code=2).stderr
    assert message.startswith("Error: unknown status 'on hold'; use one of: proposed,")
    assert "[tool.adrtool] statuses" in message
    write(
        project,
        "pyproject.toml",
        '[tool.adrtool]\nstatuses = ["Pending", "Approved", "On  hold", "Implemented"]\n',
    )
    assert adrtool("check").stdout == ""
    adrtool("status", "1", "on hold")
    assert "\nOn hold\n" in (adr / "0001-a.md").read_text(encoding="utf-8")
    assert [item["status"] for item in listed(adrtool)] == ["on hold"]
    # "superseded" is always known: `supersede` writes it whatever the list says.
    adrtool("supersede", "--no-edit", "1", "B")
    assert adrtool("check").stdout == ""


def test_a_bad_statuses_setting_is_one_line_naming_the_fix(
    adrtool: Run, adr: Path, project: Path
) -> None:
    write(adr, "0001-a.md", nygard(1, "A"))
    write(project, "pyproject.toml", '[tool.adrtool]\nstatuses = "accepted"\n')
    result = adrtool("list", code=1)
    assert result.stderr == (
        f"Error: {project / 'pyproject.toml'}: [tool.adrtool] statuses must be a list of words, "
        'such as ["proposed", "accepted", "on hold"]\n'
    )


LOG4BRAINS = "# {title}\n\n- Status: accepted\n- Date: 2022-10-17\n\n## Context and Problem Statement\n\nWhy.\n"


def test_date_ids_name_new_records_by_date_with_a_suffix_on_a_clash(
    adrtool: Run, adr: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(adr, "20221017-use-a.md", LOG4BRAINS.format(title="Use A"))
    monkeypatch.setenv("ADR_DATE", "2022-10-18")
    assert adrtool("new", "--no-edit", "Use B").stdout == "docs/adr/20221018-use-b.md\n"
    assert adrtool("new", "--no-edit", "Use B").stdout == "docs/adr/20221018-use-b-2.md\n"
    assert adrtool("new", "--no-edit", "--date", "2022-10-19", "Use C").stdout == (
        "docs/adr/20221019-use-c.md\n"
    )
    text = (adr / "20221018-use-b.md").read_text(encoding="utf-8")
    assert "- Status: proposed\n" in text and "- Date: 2022-10-18\n" in text
    # Two records of one day share no number: they are not a merge duplicate.
    assert adrtool("check").stdout == ""


def test_a_date_shared_by_two_records_is_refused_as_a_reference(adrtool: Run, adr: Path) -> None:
    write(adr, "20221017-use-a.md", LOG4BRAINS.format(title="Use A"))
    write(adr, "20221017-use-b.md", LOG4BRAINS.format(title="Use B"))
    result = adrtool("status", "20221017", "deprecated", code=1)
    assert result.stderr == (
        "Error: 20221017 is the date of 2 records (20221017-use-a, 20221017-use-b); "
        "name one by its id as 'adrtool list' shows it\n"
    )
    adrtool("status", "20221017-use-b", "deprecated")
    assert "- Status: deprecated\n" in (adr / "20221017-use-b.md").read_text(encoding="utf-8")


def test_a_dated_record_is_never_renumbered(adrtool: Run, adr: Path) -> None:
    write(adr, "20221017-use-a.md", LOG4BRAINS.format(title="Use A"))
    result = adrtool("renumber", "docs/adr/20221017-use-a.md", code=2)
    assert "named by its date" in result.stderr
    assert sorted(p.name for p in adr.iterdir()) == ["20221017-use-a.md"]


MADR2 = (
    "# {title}\n\n* Status: {status}\n* Deciders: Ada\n* Date: 2020-01-01\n\n## Context\n\nWhy.\n"
)


def test_status_of_a_bullet_record_changes_its_bullet_not_a_new_section(
    adrtool: Run, adr: Path
) -> None:
    write(adr, "0001-a.md", MADR2.format(title="A", status="proposed <!-- optional -->"))
    adrtool("status", "1", "accepted")
    assert (adr / "0001-a.md").read_text(encoding="utf-8") == MADR2.format(
        title="A", status="accepted <!-- optional -->"
    )


def test_new_follows_the_front_matter_keys_of_the_folders_records(adrtool: Run, adr: Path) -> None:
    write(
        adr,
        "0001-a.md",
        "---\nstatus: accepted\ndate: 2020-01-01\ndeciders: Ada\ntags: web\n---\n\n# A\n",
    )
    path = adr / adrtool("new", "--no-edit", "B").stdout.strip().removeprefix("docs/adr/")
    head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert head == '---\nstatus: "proposed"\ndate: 1992-01-12\ndeciders:\ntags:'


def test_madr4_records_may_leave_out_status_and_date(adrtool: Run, adr: Path) -> None:
    write(adr, "0001-a.md", "---\ndecision-makers: Ada\n---\n\n# A\n\n## Context\n\nWhy.\n")
    # And a Nygard record may not: its format has no optional fields.
    write(adr, "0002-b.md", "# 2. B\n\n## Context\n\nWhy.\n")
    assert adrtool("check", code=1).stdout == (
        "docs/adr/0002-b.md:1: the record has no date; add a 'Date: YYYY-MM-DD' line\n"
        "docs/adr/0002-b.md:1: the record has no status; set one with 'adrtool status 2 STATUS'\n"
    )


def test_a_link_with_a_query_names_the_file_before_it(adrtool: Run, adr: Path) -> None:
    write(adr, "0015-dns.jpg", "not really a picture")
    write(adr, "0015-use-dns.md", nygard(15, "Use DNS") + "\n![x](0015-dns.jpg?raw=true)\n")
    write(adr, "0016-x.md", nygard(16, "X") + "\n![x](0016-gone.jpg?raw=true)\n")
    assert adrtool("check", code=1).stdout == (
        "docs/adr/0016-x.md:13: links to 0016-gone.jpg, which does not exist\n"
    )


def test_a_bullet_record_without_a_status_gets_one_among_its_bullets(
    adrtool: Run, adr: Path
) -> None:
    write(adr, "0001-a.md", "# A\n\n* Deciders: Ada\n* Date: 2020-01-01\n\n## Context\n\nWhy.\n")
    adrtool("status", "1", "accepted")
    assert (adr / "0001-a.md").read_text(encoding="utf-8") == (
        "# A\n\n* Status: accepted\n* Deciders: Ada\n* Date: 2020-01-01\n\n## Context\n\nWhy.\n"
    )


def test_a_folder_may_mix_dialects_and_each_record_keeps_its_own(adrtool: Run, adr: Path) -> None:
    write(adr, "0001-a.md", nygard(1, "A"))
    write(adr, "0002-b.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n\n# B\n")
    write(adr, "0003-c.md", MADR2.format(title="C", status="accepted"))
    assert [item["format"] for item in listed(adrtool)] == ["nygard", "madr", "madr-bullets"]
    adrtool("supersede", "--no-edit", "3", "D")
    # The newest record is MADR 2, so the new one is too, and 3 is superseded in its wording.
    assert "* Status: superseded by [ADR-0004: D](0004-d.md)\n" in (adr / "0003-c.md").read_text(
        encoding="utf-8"
    )
    assert listed(adrtool)[-1]["format"] == "madr-bullets"
    assert adrtool("check").stdout == ""
