"""`adr` against Debian's adr-tools 3.0.0: the same transcripts, the same output and files.

Every transcript of tests/adr_transcripts/ runs twice, once with our `adr` and once with
/usr/bin/adr, each in a folder of its own. The outputs and every file left behind must agree,
except for the differences pinned below, each with its reason. A pin is checked to still be
needed: when Debian's output no longer holds the text it names, the pin is stale and fails.
docs/how-to/replace-adr-tools-with-adrtool.md lists the same differences for readers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import _adr_transcripts as transcripts

ADR = transcripts.adr_tools()


@dataclass(frozen=True)
class Pin:
    """Debian's text ``debian`` stands where ours has ``ours``, for the reason ``why``."""

    debian: str
    ours: str
    why: str


@dataclass(frozen=True)
class OnlyIn:
    """A file that one side leaves and the other does not."""

    path: str
    side: str  # "debian" or "ours"
    why: str


NO_TITLE = 'adr new || echo "exit $?"\nERROR: no title given\n'
SAME_MESSAGE_CODE_2 = (
    "the same message, on stderr rather than stdout, and exit 2 for a mistake in the "
    "arguments (adr-tools exits 1 for every failure)"
)

OUTPUT_PINS: dict[str, list[Pin]] = {
    "errors": [
        Pin(
            "The doc/adr directory does not exist\nexit 1",
            "ERROR: The doc/adr directory does not exist\nexit 1",
            "the same message, marked as an error and on stderr, so that a script reading "
            "stdout for paths never takes it for one",
        ),
        Pin(NO_TITLE + "exit 1\n", NO_TITLE + "exit 2\n", SAME_MESSAGE_CODE_2),
        Pin(
            "/usr/libexec/adr-tools/adr-link: line 18: 2: LINK\nexit 1",
            "ERROR: LINK missing; usage: adr link SOURCE LINK TARGET REVERSE-LINK\nexit 2",
            "bash's own parameter message names a line of adr-tools' script; ours names the "
            "missing argument and the usage, exit 2 (bad usage)",
        ),
        Pin(
            "/usr/libexec/adr-tools/adr-new: illegal option -- x\nNot implemented: ?\nexit 1",
            "ERROR: no such option '-x'; see 'adr help new'\nexit 2",
            "one line that names the option and where the options are described, exit 2",
        ),
        Pin(
            '/dev/null 2>&1 || echo "exit $?"\nexit 1',
            '/dev/null 2>&1 || echo "exit $?"\nexit 2',
            "an unknown command is bad usage: exit 2, with one line on stderr (adr-tools prints "
            "its command list on stdout and exits 1)",
        ),
        Pin(
            "mv: cannot move '.tmp' to '': No such file or directory\nexit 1",
            "ERROR: no record in doc/adr matches '9'; give a number or part of a file name "
            "that 'adr list' shows\nexit 2",
            "adr-tools writes the new record, then fails to edit a record that is not there "
            "and leaves a stray .tmp file; we check every reference first and write nothing",
        ),
        Pin(
            "record-visual called with: doc/adr/0003-dated-the-old-way.md\n"
            "# 3. Dated the old way\ndoc/adr/0003-dated-the-old-way.md\n",
            "ERROR: ADR_DATE '12/01/1992' is not a date; write it as YYYY-MM-DD\nexit 2\n",
            "adr-tools writes any ADR_DATE as it is; adrtool reads dates as YYYY-MM-DD, so a "
            "record it could not read is refused (adr upgrade-repository fixes old records)",
        ),
        Pin(
            'failing editor || echo "exit $?"\nexit 1',
            "failing editor || echo \"exit $?\"\nERROR: the editor 'false' exited with status 1;"
            " the record is at doc/adr/0002-left-by-a-failing-editor.md\nexit 1",
            "adr-tools stops silently when the editor fails; we say so and where the record is "
            "(it was written before the editor ran, in both)",
        ),
        Pin(
            'adr init || echo "exit $?"\ndoc/adr/0005-record-architecture-decisions.md\n',
            'adr init || echo "exit $?"\nERROR: doc/adr already holds records; add one with '
            "'adr new TITLE_TEXT...'\nexit 1\n",
            "adr-tools' init in a folder with records adds a second first record, numbered "
            "after the others but headed '1.'; we refuse and change nothing",
        ),
        Pin(
            "..\n.tmp\ndoc\n",
            "..\ndoc\n",
            "the .tmp file adr-tools leaves after the failed -s (see above)",
        ),
        Pin(
            "0002-replace-a-record-that-is-not-there.md\n0003-dated-the-old-way.md\n"
            "0004-left-by-a-failing-editor.md\n0005-record-architecture-decisions.md\n",
            "0002-left-by-a-failing-editor.md\n",
            "the records adr-tools writes for the mistakes above, which we refuse",
        ),
    ],
    "upstream-spelling": [
        Pin(
            "Superseded by [4. Use SQLite]",
            "Superceded by [4. Use SQLite]",
            "in a folder that already spells it upstream's way we keep the folder's spelling; "
            "Debian's 3.0.0 always writes 'Superseded' (as we do in a new folder)",
        ),
        Pin(
            "Supersedes [3. Use PostgreSQL]",
            "Supercedes [3. Use PostgreSQL]",
            "the same, in the new record",
        ),
    ],
}

FILES_ONLY_IN: dict[str, list[OnlyIn]] = {
    "errors": [
        OnlyIn(".tmp", "debian", "left by adr-tools' failed -s, see the output pins"),
        OnlyIn(
            "doc/adr/0002-replace-a-record-that-is-not-there.md",
            "debian",
            "we refuse -s of a record that is not there before writing anything",
        ),
        OnlyIn(
            "doc/adr/0003-dated-the-old-way.md", "debian", "we refuse an ADR_DATE we cannot read"
        ),
        OnlyIn(
            "doc/adr/0004-left-by-a-failing-editor.md",
            "debian",
            "the same record, numbered 2 here since the mistakes before it wrote nothing",
        ),
        OnlyIn("doc/adr/0002-left-by-a-failing-editor.md", "ours", "see the line above"),
        OnlyIn(
            "doc/adr/0005-record-architecture-decisions.md",
            "debian",
            "we refuse a second adr init in a folder that holds records",
        ),
    ],
}

# The help texts are our own words (adr-tools' are under the GPL); what they describe agrees:
# the usage lines, the commands and the reports. adr-tools lists the commands and reports in
# the order `find` meets its scripts, which depends on the file system; ours is fixed.
REWORDED = {"help"}


def _grammar(output: str) -> list[str]:
    kept = []
    for line in output.splitlines():
        words = line.split()
        if (
            line.startswith(("usage:", "adr ", "  adr ", "COMMAND is", "Run 'adr help"))
            or line in ("Subcommands:", "graph", "toc")
            or (line.startswith("  ") and len(words) == 1 and words[0].isalpha())
            or line == "  upgrade-repository"
        ):
            kept.append(line.rstrip())
    return sorted(kept)


@pytest.fixture
def debian_adr() -> str:
    if ADR is None:
        if os.environ.get("ADRTOOL_REQUIRE_ADR_TOOLS"):
            pytest.fail("adr-tools is required here but missing: apt-get install adr-tools")
        pytest.skip("adr-tools is not installed (apt-get install adr-tools): interop not tested")
    return ADR


def _unpinned(name: str, debian_text: str, *, output: bool = True) -> str:
    """Debian's text with each pinned difference made ours; every pin must still apply to
    the output (a file holds only some of them)."""
    for pin in OUTPUT_PINS.get(name, []):
        if output:
            assert pin.debian in debian_text, f"stale pin, Debian no longer prints {pin.debian!r}"
        debian_text = debian_text.replace(pin.debian, pin.ours)
    return debian_text


@pytest.mark.parametrize("name", transcripts.NAMES)
def test_same_as_debian(name: str, tmp_path: Path, debian_adr: str) -> None:
    (tmp_path / "debian").mkdir()
    (tmp_path / "ours").mkdir()
    theirs = transcripts.run(name, tmp_path / "debian", debian_adr)
    ours = transcripts.run(name, tmp_path / "ours")
    if name in REWORDED:
        assert _grammar(ours.output) == _grammar(theirs.output), ours.output
    else:
        assert ours.output == _unpinned(name, theirs.output), theirs.output
    only = FILES_ONLY_IN.get(name, [])
    for pin in only:
        side = theirs.files if pin.side == "debian" else ours.files
        other = ours.files if pin.side == "debian" else theirs.files
        assert pin.path in side and pin.path not in other, f"stale pin: {pin}"
    skipped = {pin.path for pin in only}
    for path in sorted((set(theirs.files) | set(ours.files)) - skipped):
        assert path in ours.files, f"{path}: only adr-tools wrote it"
        assert path in theirs.files, f"{path}: only our adr wrote it"
        debian_text = theirs.files[path].decode("utf-8")
        assert ours.files[path].decode("utf-8") == _unpinned(name, debian_text, output=False), path


def test_every_pin_has_a_reason() -> None:
    pins = [*(p for ps in OUTPUT_PINS.values() for p in ps)]
    assert all(pin.why.strip() and pin.debian != pin.ours for pin in pins)
    assert all(pin.why.strip() for ps in FILES_ONLY_IN.values() for pin in ps)
    assert set(OUTPUT_PINS) | set(FILES_ONLY_IN) | REWORDED <= set(transcripts.NAMES)
