"""The ADR folder: which records it holds, reading them, and resolving references by number."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from adrtool.errors import AmbiguousRecord, BadUsage, RecordNotFound, UnreadableRecord
from adrtool.records import (
    RECORD_NAME,
    Record,
    Style,
    detect_style,
    parse_record,
    read_record_text,
)

INDEX_NAME = "index.md"


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
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def index_path(self) -> Path:
        return self.path / INDEX_NAME

    def names(self, *, files_only: bool = False) -> list[tuple[int, str]]:
        """(number, file name) of every ``NNNN-slug.md`` entry, by number then name.

        Numbers compare as integers, so ``10-x.md`` comes after ``0009-y.md``. One directory
        read and no stat calls (os.scandir knows each entry's type from the read itself; a
        symbolic link is still followed): this runs on every `adrtool new`, twice.
        ``files_only`` leaves out folders that carry a record's name.
        """
        found: list[tuple[int, str]] = []
        with os.scandir(self.path) as listing:
            for item in listing:
                match = RECORD_NAME.match(item.name)
                if match and (not files_only or item.is_file()):
                    found.append((int(match.group("number")), item.name))
        found.sort()
        return found

    def entries(self) -> list[Entry]:
        """The record files, by number then name."""
        return [Entry(number, self.path / name) for number, name in self.names(files_only=True)]

    def numbers_taken(self) -> set[int]:
        return {number for number, _ in self.names()}

    def read(self, entry: Entry) -> Record:
        return parse_record(entry.path, read_record_text(entry.path), entry.number)

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
        if len(matches) > 1:
            names = ", ".join(entry.path.name for entry in matches)
            raise AmbiguousRecord(
                f"record number {number} is taken by {len(matches)} files ({names}); "
                f"give one a new number with 'adrtool renumber PATH'"
            )
        return self.read(matches[0])

    def style(self) -> Style:
        """The style of the newest record, so new records follow the folder's habit."""
        for _, name in reversed(self.names()):
            try:
                return detect_style(read_record_text(self.path / name))
            except (UnreadableRecord, IsADirectoryError):
                continue
        return Style.NYGARD


def parse_number(reference: str) -> int | None:
    text = reference.strip()
    if text.isascii() and text.isdigit():
        return int(text)  # int("0012") is 12: never an octal surprise
    return None


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
