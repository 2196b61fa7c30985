"""The ADR folder: which records it holds, reading them, and resolving references by number."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from adrtool.dialects import Dialect, all_dialects, detect
from adrtool.errors import AmbiguousRecord, BadUsage, RecordNotFound, UnreadableRecord
from adrtool.names import DATE_ID_DIGITS, EXPECTED, RECORD_NAME, NamePattern, is_date_id
from adrtool.records import STATUSES, Record, parse_record, read_record_text

INDEX_NAME = "index.md"
# Markdown files an ADR folder holds beside its records, by the tools' own habits.
NOT_RECORDS = frozenset({"index.md", "readme.md", "template.md", "adr-template.md"})


# RECORD_NAME, over a listing joined by line breaks: (prefix, number, name) of each record.
_RECORD_LINE = re.compile(r"^(((?i:adr)[-_]|)(\d+)[-_].*\.md)$", re.MULTILINE)


@dataclass
class _Listing:
    """One read of the folder: record names by number then name, and (name, prefix, number)
    of each as the listing gave them."""

    names: list[tuple[int, str]]
    found: list[tuple[str, str, str]]

    def widest(self) -> int:
        """The most digits a record number is written with, date ids left out."""
        widths = [
            len(digits)
            for _, prefix, digits in self.found
            if len(digits) != DATE_ID_DIGITS or prefix
        ]
        # Only eight digits and no prefix can be a date id; the date test is dearer.
        widths += [
            DATE_ID_DIGITS
            for name, prefix, digits in self.found
            if len(digits) == DATE_ID_DIGITS and not prefix and not is_date_id(name)
        ]
        return max(widths, default=0)


class Entry(NamedTuple):
    """A record file as the folder listing shows it, before it is read."""

    number: int
    path: Path


@dataclass
class Problem:
    path: Path
    line: int
    message: str


class AdrFolder:
    def __init__(self, path: Path, statuses: tuple[str, ...] | None = None) -> None:
        self.path = path
        # The statuses records may have: [tool.adrtool] statuses, else the five of adr-tools.
        if statuses is None:
            from adrtool.settings import configured_statuses  # noqa: PLC0415 - a toml read

            statuses = configured_statuses(path)
        self.statuses = statuses or STATUSES
        self._listing: _Listing | None = None
        # Set when a command refreshed index.md: it is adrtool's, with no need to look again.
        self.index_refreshed = False
        self._files: list[tuple[int, str]] | None = None

    @property
    def index_path(self) -> Path:
        return self.path / INDEX_NAME

    def names(self, *, files_only: bool = False) -> list[tuple[int, str]]:
        """(number, file name) of every record entry (``NNNN-slug.md``, ``adr-NNN-slug.md``,
        ``YYYYMMDD-slug.md``), by number then name.

        Numbers compare as integers, so ``10-x.md`` comes after ``0009-y.md``. One directory
        read and no stat calls; ``files_only`` leaves out folders that carry a record's name
        (os.scandir knows each entry's type from the read itself; a symbolic link is still
        followed). The listing is kept until ``forget``: a command lists the folder once under
        its lock, however many questions it asks.
        """
        if not files_only:
            return list(self._scan().names)
        if self._files is None:
            with os.scandir(self.path) as listing:
                kept = {item.name for item in listing if item.is_file()}
            self._files = [entry for entry in self._scan().names if entry[1] in kept]
        return list(self._files)

    def forget(self) -> None:
        """Read the folder again at the next question: it may have changed since."""
        self._listing = None
        self._files = None

    def _scan(self) -> _Listing:
        if self._listing is None:
            every = os.listdir(self.path)  # noqa: PTH208 - names only, no Path per entry
            joined = "\n".join(every)
            if joined.count("\n") == len(every) - 1:
                # One pattern over all the names: the per-name work is done in C, which keeps
                # `new` in ten thousand records about as quick as in a thousand.
                found = _RECORD_LINE.findall(joined)
            else:  # a name with a line break in it
                found = [
                    (name, match.group("prefix") or "", match.group("number"))
                    for name in every
                    if (match := RECORD_NAME.match(name))
                ]
            numbers = map(int, [digits for *_, digits in found])
            names = sorted(zip(numbers, [name for name, *_ in found], strict=True))
            self._listing = _Listing(names, found)
        return self._listing

    def entries(self) -> list[Entry]:
        """The record files, by number then name."""
        return [Entry(number, self.path / name) for number, name in self.names(files_only=True)]

    def numbers_taken(self) -> set[int]:
        return {number for number, _ in self.names()}

    def read(self, entry: Entry) -> Record:
        return parse_record(entry.path, read_record_text(entry.path), entry.number, self.statuses)

    def pattern(self) -> NamePattern:
        """How the folder names records: as its newest one is named (adr-tools' by default)."""
        names = self.names()
        if not names:
            return NamePattern()
        # Date ids outnumber any record number: the newest dated record sorts last. The widest
        # number wins, so that a stray "10-x.md" beside "0009-y.md" does not set the width.
        newest = NamePattern.of(names[-1][1])
        if newest.dated:
            return newest
        width = self._scan().widest()
        return NamePattern(newest.prefix, width, newest.separator)

    def strays(self) -> list[str]:
        """Markdown files that look like nothing but records, in a folder where no name fits
        any record pattern: most likely records named in a way adrtool does not read."""
        if self.names():
            return []
        with os.scandir(self.path) as listing:
            return sorted(
                item.name
                for item in listing
                if item.name.endswith(".md")
                and item.name.lower() not in NOT_RECORDS
                and item.is_file()
            )

    def stray_message(self) -> str | None:
        strays = self.strays()
        if not strays:
            return None
        more = f" and {len(strays) - 1} more" if len(strays) > 1 else ""
        return f"no file here is named as a record ({strays[0]}{more}); name records {EXPECTED}"

    def read_all(self) -> tuple[list[Record], list[Problem]]:
        """All records in one pass; unreadable ones become problems instead of stopping the rest."""
        records: list[Record] = []
        problems: list[Problem] = []
        for entry in self.entries():
            try:
                records.append(self.read(entry))
            except UnreadableRecord as error:
                problems.append(Problem(entry.path, 1, _without_path(str(error), entry.path)))
        return records, problems

    def read_every(self) -> list[Record]:
        """All records, or UnreadableRecord for the first that cannot be read.

        For the index, which lists every record: a record left out without a word would vanish
        from the published page.
        """
        records, problems = self.read_all()
        if problems:
            first = problems[0]
            raise UnreadableRecord(
                f"{first.path}: {first.message}; the index lists every record, so it was not "
                "written"
            )
        return records

    def find(self, reference: str) -> Record:
        """The record a command-line reference names: a number (``7``, ``0007``) or a file path.

        Numbers are matched as integers against file names, never as substrings, so ``1`` can
        never pick ``0012-...`` the way adr-tools' grep does.
        """
        number = parse_number(reference)
        if number is None:
            # A date id (log4brains) is named by its stem, or its file name.
            for entry in self.entries():
                if reference in (entry.path.stem, entry.path.name) and is_date_id(entry.path.name):
                    return self.read(entry)
            path = Path(reference)
            match = RECORD_NAME.match(path.name)
            if not (match and path.is_file()):
                raise BadUsage(
                    f"{reference!r} is not a record number or a record file; "
                    "give the number shown by 'adrtool list'"
                )
            # A path elsewhere would have adrtool edit a file that is no record of this folder.
            if path.parent.resolve() != self.path.resolve():
                raise BadUsage(
                    f"{reference} is not in the ADR folder {self.path}; give the number of a "
                    "record there (see 'adrtool list'), or --dir for the folder it belongs to"
                )
            return self.read(Entry(int(match.group("number")), self.path / path.name))
        matches = [entry for entry in self.entries() if entry.number == number]
        if not matches:
            raise RecordNotFound(
                f"there is no record number {number} in {self.path}; "
                "'adrtool list' shows the numbers there are"
            )
        if len(matches) > 1 and all(is_date_id(entry.path.name) for entry in matches):
            names = ", ".join(entry.path.stem for entry in matches)
            raise AmbiguousRecord(
                f"{number} is the date of {len(matches)} records ({names}); "
                "name one by its id as 'adrtool list' shows it"
            )
        if len(matches) > 1:
            names = ", ".join(entry.path.name for entry in matches)
            raise AmbiguousRecord(
                f"record number {number} is taken by {len(matches)} files ({names}); "
                f"give one a new number with 'adrtool renumber PATH'"
            )
        return self.read(matches[0])

    def dialect(self) -> Dialect:
        """The dialect of the newest record, so new records follow the folder's habit."""
        for _, name in reversed(self.names()):
            try:
                return detect(name, read_record_text(self.path / name).splitlines())
            except (UnreadableRecord, IsADirectoryError):
                continue
        return all_dialects()[-1]

    def front_matter_keys(self) -> list[str]:
        """The front matter keys of the newest readable record, the one whose dialect new
        records follow: none if it has no front matter. Older records are not read, so that
        `new` costs the same in a folder of ten thousand records as in one of ten."""
        from adrtool.editing import front_matter_keys  # noqa: PLC0415 - only `new` asks

        for _, name in reversed(self.names()):
            try:
                return front_matter_keys(read_record_text(self.path / name).splitlines())
            except (UnreadableRecord, IsADirectoryError):
                continue
        return []


def parse_number(reference: str) -> int | None:
    text = reference.strip()
    if text.isascii() and text.isdigit():
        return int(text)  # int("0012") is 12: never an octal surprise
    return None


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
