"""Commands refuse what would leave a folder `check` rejects, and bad states are findings.

The cases come from fuzzing every command and from killing them half-way (issue 13).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run, read, snapshot


@pytest.fixture
def adr(adrtool: Run, project: Path) -> Path:
    adrtool("init")
    adrtool("new", "Two")
    adrtool("new", "Three")
    return project / "docs" / "adr"


ONE_SIDED = [
    (
        ["link", "3", "Supersedes", "2", "Amended by"],
        "link wording 'Supersedes' needs the reverse 'Superseded by', not 'Amended by'",
    ),
    (
        ["link", "3", "Amends", "2", "Supersedes"],
        "link wording 'Supersedes' needs the reverse 'Superseded by', not 'Amends'",
    ),
    (
        ["link", "3", "Superseded by", "2", "Amends"],
        "link wording 'Superseded by' needs the reverse 'Supersedes', not 'Amends'",
    ),
    (
        ["new", "-l", "2:Supersedes:Amended by", "Four"],
        "link wording 'Supersedes' needs the reverse 'Superseded by', not 'Amended by'",
    ),
    (
        ["new", "-l", "2:Amends:Superceded by", "Four"],
        "link wording 'Superceded by' needs the reverse 'Supersedes', not 'Amends'",
    ),
]


@pytest.mark.parametrize(("args", "message"), ONE_SIDED)
def test_one_sided_supersede_wording_is_refused_and_changes_nothing(
    adrtool: Run, adr: Path, args: list[str], message: str
) -> None:
    before = snapshot(adr)
    result = adrtool(*args, code=2)
    assert result.stderr == f"Error: {message}; a supersede is said from both ends\n"
    assert snapshot(adr) == before


def test_a_status_the_links_contradict_is_refused(adrtool: Run, adr: Path) -> None:
    adrtool("supersede", "2", "Four")
    before = snapshot(adr)
    result = adrtool("status", "2", "accepted", code=1)
    assert result.stderr == (
        "Error: record 2 is superseded by 4, so its status stays superseded; to take the "
        "decision up again, record it anew with 'adrtool supersede 4 TITLE'\n"
    )
    assert snapshot(adr) == before
    adrtool("status", "2", "superseded")  # what the links say is still allowed
    assert adrtool("check").output == ""


@pytest.mark.parametrize("wording", ["<script>", "Amends <b>", "x>y"])
def test_link_wording_with_markup_is_refused(adrtool: Run, adr: Path, wording: str) -> None:
    before = snapshot(adr)
    result = adrtool("link", "3", wording, "2", "Amended by", code=2)
    assert result.stderr == (
        f"Error: link wording {wording!r} cannot hold brackets or < >; use words such as 'Amends'\n"
    )
    assert snapshot(adr) == before


def test_a_title_over_200_characters_is_refused(adrtool: Run, adr: Path) -> None:
    before = snapshot(adr)
    started = time.monotonic()
    result = adrtool("new", "a" + " " * 24_000 + "b", code=2)
    assert time.monotonic() - started < 10  # a guard against a hang only
    assert result.stderr == (
        "Error: the title is 24002 characters long; keep it to 200 or fewer and put the details "
        "in the record\n"
    )
    assert snapshot(adr) == before


SPACES = " " * 24_000
# Lines a hand-written record may hold, each with a long run of spaces where a pattern with a
# lazy run followed by white space would take quadratic time.
SLOW_LINES = {
    "heading": f"# 4. Wide{SPACES}title\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n",
    "date": f"# 4. Wide\n\nDate: 2020-01-01{SPACES}x\n\n## Status\n\nAccepted\n",
    "link": (
        f"# 4. Wide\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nAmends{SPACES}x [2. Two]"
        f"(0002-two.md) y\n"
    ),
    "brackets": f"# 4. Wide\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n{'[' * 24_000}\n",
    "front matter": f"---\nstatus: accepted{SPACES}x\ndate: 2020-01-01\n---\n\n# Wide\n",
    "comment": f'---\nstatus: "accepted"{SPACES}x\ndate: 2020-01-01\n---\n\n# Wide\n',
    "bullet field": f"# Wide\n\n* Status: accepted{SPACES}x\n* Date: 2020-01-01\n",
    # MADR 2's "<!-- optional -->" notes are cut out of fields and section names: an unclosed
    # opening must not make each later one scan to the end of the line again.
    "unclosed comments": (
        f"# Wide\n\n* Status: accepted {'<!--' * 8_000}\n* Date: 2020-01-01\n\n"
        f"## Links {'<!--' * 8_000}\n"
    ),
}


@pytest.mark.parametrize("text", SLOW_LINES.values(), ids=SLOW_LINES.keys())
def test_reading_takes_linear_time_in_long_runs_of_spaces(
    adrtool: Run, adr: Path, text: str
) -> None:
    (adr / "0004-wide.md").write_text(text, encoding="utf-8")
    started = time.monotonic()
    listed = json.loads(adrtool("list", "--json").output)
    adrtool("check", code=1)  # the index does not list record 4 yet
    adrtool("status", "4", "deprecated")
    # Quadratic patterns took 40 s and more here; a generous guard, only against hangs.
    assert time.monotonic() - started < 10
    assert listed[3]["number"] == 4


def test_an_unreadable_record_stops_index_and_new(adrtool: Run, adr: Path) -> None:
    (adr / "0004-latin1.md").write_bytes("# 4. Caf\xe9\n".encode("latin-1"))
    before = snapshot(adr)
    message = (
        "Error: docs/adr/0004-latin1.md: is not valid UTF-8 (byte 8); re-save it as UTF-8; "
        "the index lists every record, so it was not written\n"
    )
    assert adrtool("index", code=1).stderr == message
    assert adrtool("new", "Five", code=1).stderr == message
    assert adrtool("index", "--check", code=1).stderr == message
    assert snapshot(adr) == before
    assert adrtool("check", code=1).output.splitlines()[0] == (
        "docs/adr/0004-latin1.md:1: is not valid UTF-8 (byte 8); re-save it as UTF-8"
    )


def test_leftover_temp_files_are_a_finding(adrtool: Run, adr: Path) -> None:
    (adr / ".adrtool-0123456789ab.tmp").write_text("# 2. Tw", encoding="utf-8")
    assert adrtool("check", code=1).output == (
        "docs/adr/.adrtool-0123456789ab.tmp:1: a temp file an interrupted adrtool left behind; "
        "delete it (the file it was writing kept its old text)\n"
    )


def test_a_record_under_two_numbers_is_a_finding(adrtool: Run, adr: Path) -> None:
    # What a renumber that copies, then deletes, leaves when it is stopped in between.
    text = read(adr / "0002-two.md")
    (adr / "0004-two.md").write_text(text.replace("# 2. Two", "# 4. Two"), encoding="utf-8")
    adrtool("index")
    assert adrtool("check", code=1).output == (
        "docs/adr/0002-two.md:1: holds the same text as 0004-two.md under another number (a "
        "stopped renumber?); delete the copy that other records do not link to\n"
        "docs/adr/0004-two.md:1: holds the same text as 0002-two.md under another number (a "
        "stopped renumber?); delete the copy that other records do not link to\n"
    )


def test_two_records_of_one_title_are_not_taken_for_one(adrtool: Run, adr: Path) -> None:
    adrtool("new", "Two")
    two = adr / "0002-two.md"
    two.write_text(
        read(two).replace("## Context\n", "## Context\n\nThe first.\n"), encoding="utf-8"
    )
    adrtool("index")
    assert adrtool("check").output == ""


def test_one_sided_links_of_every_kind_are_findings(adrtool: Run, adr: Path) -> None:
    adrtool("link", "3", "Amends", "2", "Amended by")
    two = adr / "0002-two.md"
    two.write_text(
        read(two).replace("\nAmended by [3. Three](0003-three.md)\n", ""), encoding="utf-8"
    )
    adrtool("index")
    assert adrtool("check", code=1).output == (
        "docs/adr/0003-three.md:9: links to 0002-two.md as 'Amends', which has no link back; "
        "add one with 'adrtool link 3 \"Amends\" 2 REVERSE', REVERSE being the wording for "
        "the other side\n"
    )
    adrtool("link", "3", "Amends", "2", "Amended by")  # the fix it names
    assert adrtool("check").output == ""


def test_edits_keep_a_byte_order_mark(adrtool: Run, adr: Path) -> None:
    two = adr / "0002-two.md"
    two.write_bytes(b"\xef\xbb\xbf" + two.read_bytes())
    adrtool("supersede", "2", "Four")
    data = two.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# 2. Two\n")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert "Superseded by [4. Four](0004-four.md)" in data.decode("utf-8-sig")
    assert adrtool("check").output == ""


def test_a_symlinked_record_is_edited_through_its_link(adrtool: Run, adr: Path) -> None:
    elsewhere = adr.parent / "shared-two.md"
    (adr / "0002-two.md").rename(elsewhere)
    (adr / "0002-two.md").symlink_to(os.path.relpath(elsewhere, adr))
    adrtool("supersede", "2", "Four")
    assert (adr / "0002-two.md").is_symlink()
    assert "Superseded by [4. Four](0004-four.md)" in read(elsewhere)
    assert adrtool("check").output == ""


def _run_limited(project: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """adrtool in a process that may write no file larger than ``limit`` bytes (a full disk)."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from adrtool.cli import cli\n"
        f"cli({list(args)!r})\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        capture_output=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "ADR_DATE": "1992-01-12"},
    )


def test_an_index_that_cannot_be_written_leaves_the_records_as_they_were(
    adrtool: Run, adr: Path, project: Path
) -> None:
    for title in ("Four", "Five", "Six", "Seven", "Eight"):
        adrtool("new", title)
    # The index grows with the supersede past its size now; the records it writes stay below.
    index_size = (adr / "index.md").stat().st_size
    assert (adr / "0002-two.md").stat().st_size + 200 < index_size
    before = snapshot(adr)
    done = _run_limited(project, index_size, "supersede", "--no-edit", "2", "Nine")
    assert done.returncode == 1
    assert done.stderr == (
        "Error: docs/adr/index.md: cannot be written (File too large), so nothing was changed; "
        "free some space or fix the folder's permissions, then run the command again\n"
    )
    assert snapshot(adr) == before  # no new record, no edited record, no temp file


def test_a_full_disk_for_a_new_record_is_one_line(adr: Path, project: Path) -> None:
    before = snapshot(adr)
    done = _run_limited(project, 100, "new", "--no-edit", "Four")
    assert done.returncode == 1
    assert done.stderr == (
        "Error: docs/adr/0004-four.md: cannot be written (File too large), so nothing was "
        "changed; free some space or fix the folder's permissions, then run the command again\n"
    )
    assert snapshot(adr) == before


KILL_RENUMBER = """\
import os, sys
from pathlib import Path
from adrtool import _files
from adrtool.cli import cli

stage = sys.argv[1]
real_rename, real_install = Path.rename, _files.Prepared.install

def rename(self, target):
    if stage == "before rename":
        os._exit(137)
    result = real_rename(self, target)
    if stage == "after rename":
        os._exit(137)
    return result

def install(self):
    real_install(self)
    if stage == "after first replace":
        os._exit(137)

Path.rename = rename
_files.Prepared.install = install
cli(["renumber", "docs/adr/0002-two.md"])
"""


@pytest.mark.parametrize("stage", ["before rename", "after rename", "after first replace"])
def test_a_killed_renumber_never_leaves_the_record_under_two_numbers(
    adrtool: Run, adr: Path, project: Path, stage: str
) -> None:
    adrtool("link", "3", "Amends", "2", "Amended by")
    done = subprocess.run(
        [sys.executable, "-c", KILL_RENUMBER, stage],
        cwd=project,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 137, done.stderr
    names = sorted(p.name for p in adr.glob("*-two.md"))
    assert names == (["0002-two.md"] if stage == "before rename" else ["0004-two.md"])
    # What the stop left half done is named by check: temp files, or a link to the old name.
    findings = adrtool("check", code=1).output
    assert ".adrtool-" in findings
    if stage != "before rename":
        assert "links to 0002-two.md, which does not exist" in findings


def test_an_os_error_nobody_foresaw_is_one_line_naming_the_file(
    adrtool: Run, adr: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root the test cannot make a folder unreadable; the listing fails as it would then.
    def refuse(path: object) -> None:
        raise PermissionError(13, "Permission denied", os.fspath(adr))

    monkeypatch.setattr(os, "scandir", refuse)
    result = adrtool("list", code=1)
    assert result.output == "Error: docs/adr: Permission denied\n"
