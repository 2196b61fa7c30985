"""adrtool on a folder of each dialect it reads, as other tools and teams write them.

Each folder of tests/fixtures/adr_dialects/ is a small project of our own writing: adr-tools
(Nygard) records in the folder .adr-dir names, MADR 2 bullets, MADR 3 and MADR 4 front matter
(with [tool.adrtool] statuses), and log4brains' date-named records. Each holds deliberate
problems, listed in PLANTED below, and things that are not problems but were once taken for
them (a heading without a dot, a status over two lines, an image link with ``?raw=true``, two
log4brains records of one day, MADR's optional status and date).

The outputs of list, list --json, check, index and graph are golden files in
tests/fixtures/adr_dialects/expected/. After a deliberate change of output, regenerate them with

    ADRTOOL_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_dialects.py

and review the diff: PLANTED is written by hand and is never regenerated.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from adrtool.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "adr_dialects"
EXPECTED = FIXTURES / "expected"
REGENERATE = os.environ.get("ADRTOOL_REGENERATE_GOLDEN") == "1"
FOLDERS = ("nygard", "madr2", "madr3", "madr4", "log4brains")
ADR_DIRS = {
    "nygard": "doc/architecture/decisions",
    "madr2": "docs/adr",
    "madr3": "docs/decisions",
    "madr4": "docs/decisions",
    "log4brains": "docs/adr",
}
DIALECTS = {
    "nygard": "nygard",
    "madr2": "madr-bullets",
    "madr3": "madr",
    "madr4": "madr",
    "log4brains": "log4brains",
}

# The problems written into each folder on purpose: (file, line, what check must say of it).
PLANTED = {
    "nygard": [
        (
            "0002-use-postgresql-full-text-search.md",
            7,
            "status is 'Accepted' but the record is superseded by 4",
        ),
        ("0003-serve-static-files-with-whitenoise.md", 3, "date '17/10/2022' is not written"),
        (
            "0004-use-a-hosted-search-service.md",
            22,
            (
                "links to #decisions in "
                "0002-use-postgresql-full-text-search.md, which has no such heading"
            ),
        ),
        ("0005-cache-sessions-in-redis.md", 7, "unknown status 'Pending'"),
        (
            "0005-cache-sessions-in-redis.md",
            16,
            "links to 0006-session-benchmark.md, which does not exist",
        ),
    ],
    "madr2": [
        (
            "0003-send-reminders-by-email.md",
            17,
            "links to 0004-send-reminders-as-push-notifications.md, which does not exist",
        ),
        ("0004-translate-the-schedule.md", 3, "unknown status 'Approved'"),
        ("0004-translate-the-schedule.md", 4, "date 'October 2022' is not written"),
    ],
    "madr3": [
        (
            "0003-generate-thumbnails-in-a-task-queue.md",
            16,
            (
                "links to #worker-sizing in "
                "0001-store-uploaded-slides-on-s3.md, which has no such heading"
            ),
        ),
        ("0004-record-every-talk.md", 1, "number 4 is also used by 0004-stream-the-keynotes.md"),
        ("0004-stream-the-keynotes.md", 1, "number 4 is also used by 0004-record-every-talk.md"),
    ],
    "madr4": [
        ("0003-keep-the-venue-map-as-an-image.md", 14, "links to notes.md, which does not exist"),
        ("0004-sell-tickets-on-the-site.md", 2, "status names ADR-0005, which does not exist"),
        (
            "0006-publish-the-talk-videos.md",
            2,
            (
                "unknown status 'pending'; use one of: proposed, "
                "accepted, rejected, deprecated, superseded, on hold,"
            ),
        ),
    ],
    "log4brains": [
        ("20221020-send-the-newsletter-from-the-site.md", 3, "unknown status 'approved'"),
        (
            "20221020-send-the-newsletter-from-the-site.md",
            17,
            "links to 20221001-keep-media-in-object-storage.md, which does not exist",
        ),
    ],
}


CopyOf = Callable[[str], Path]


@pytest.fixture
def copy_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CopyOf:
    """Copy a fixture project into a temp folder and work there, as its owner would."""

    def make(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        monkeypatch.chdir(root)
        # The repository's own pyproject.toml is above the fixtures: never read it.
        monkeypatch.setenv("ADRTOOL_CEILING_DIRECTORIES", str(tmp_path))
        return root

    return make


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def matches_golden(name: str, actual: str) -> None:
    path = EXPECTED / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.is_file(), f"no golden file {path}; make it with ADRTOOL_REGENERATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


GOLDEN_COMMANDS = {
    "list.txt": ("list",),
    "list.json": ("list", "--json"),
    "check.txt": ("check",),
    "graph.mmd": ("graph",),
    "graph.dot": ("graph", "--format", "dot"),
}


@pytest.mark.parametrize("command", GOLDEN_COMMANDS)
@pytest.mark.parametrize("folder", FOLDERS)
def test_outputs_match_the_golden_files(copy_of: CopyOf, folder: str, command: str) -> None:
    copy_of(folder)
    result = run(*GOLDEN_COMMANDS[command])
    assert result.stderr == "", result.stderr
    assert result.exit_code == (1 if command == "check.txt" else 0), result.output
    matches_golden(f"{folder}/{command}", result.stdout)


@pytest.mark.parametrize("folder", FOLDERS)
def test_index_matches_the_golden_file(copy_of: CopyOf, folder: str) -> None:
    root = copy_of(folder)
    result = run("index")
    assert result.exit_code == 0, result.output
    matches_golden(f"{folder}/index.md", (root / ADR_DIRS[folder] / "index.md").read_text("utf-8"))


@pytest.mark.parametrize("folder", FOLDERS)
def test_check_reports_the_planted_problems_and_nothing_else(copy_of: CopyOf, folder: str) -> None:
    copy_of(folder)
    lines = run("check").stdout.splitlines()
    assert len(lines) == len(PLANTED[folder]), "\n".join(lines)
    for line, (name, number, message) in zip(lines, PLANTED[folder], strict=True):
        assert line.startswith(f"{ADR_DIRS[folder]}/{name}:{number}: {message}"), line


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_record_is_read_in_its_folders_dialect(copy_of: CopyOf, folder: str) -> None:
    copy_of(folder)
    formats = {item["format"] for item in json.loads(run("list", "--json").stdout)}
    assert formats == {DIALECTS[folder]}


# Each dialect's edits, in its own wording: every command but list, index and graph (pinned
# above). The golden file shows each command's output, then every file the commands changed
# or made, then what check says afterwards.
FLOWS = {
    "nygard": [
        ("supersede", "3", "Serve static files from a CDN"),
        ("status", "5", "accepted"),
        ("link", "4", "Amends", "1", "Amended by"),
    ],
    "madr2": [
        ("supersede", "2", "Build the API with plain Django views"),
        ("status", "4", "accepted"),
        ("new", "Publish the schedule as iCalendar"),
    ],
    "madr3": [
        ("renumber", "docs/decisions/0004-stream-the-keynotes.md"),
        ("supersede", "1", "Store slides in the database"),
        ("new", "Caption the videos"),
    ],
    "madr4": [
        ("status", "6", "on hold"),
        ("supersede", "1", "Use Alpine.js for the filters"),
        ("link", "3", "Refines", "1", "Refined by"),
    ],
    "log4brains": [
        ("new", "Send the newsletter by hand"),
        ("new", "Send the newsletter by hand"),
        ("supersede", "20221017-keep-media-in-object-storage", "Keep media on the servers"),
        ("status", "20221020-send-the-newsletter-from-the-site", "accepted"),
    ],
}


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("folder", FOLDERS)
def test_edits_are_written_in_each_dialects_own_wording(copy_of: CopyOf, folder: str) -> None:
    root = copy_of(folder)
    before = _files(root)
    report: list[str] = []
    for command in FLOWS[folder]:
        result = run(*command, "--no-edit") if command[0] in ("new", "supersede") else run(*command)
        assert result.exit_code == 0, result.output
        report.append(f"$ adrtool {' '.join(command)}\n{result.output}")
    after = _files(root)
    for name, text in after.items():
        if before.get(name) != text:
            report.append(f"==> {name} <==\n{text}")
    gone = sorted(set(before) - set(after))
    report.append(f"removed: {', '.join(gone) or 'nothing'}\n")
    report.append(f"$ adrtool check\n{run('check').output}")
    matches_golden(f"{folder}/flow.txt", "\n".join(report))


HOSTILE_TITLE = "<img src=x onerror=alert(1)> and [a link](javascript:alert(1))"


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_hostile_title_is_written_inert_in_each_dialect(copy_of: CopyOf, folder: str) -> None:
    root = copy_of(folder)
    result = run("new", "--no-edit", HOSTILE_TITLE)
    assert result.exit_code == 0, result.output
    text = (root / result.stdout.strip()).read_text(encoding="utf-8")
    # No tag and no link in the heading: every renderer shows the references as the characters.
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    assert "<" not in heading and "[" not in heading, heading
    assert "&lt;img src=x onerror=alert(1)> and &#91;a link](javascript:alert(1))" in heading
    titles = [item["title"] for item in json.loads(run("list", "--json").stdout)]
    assert HOSTILE_TITLE in titles
