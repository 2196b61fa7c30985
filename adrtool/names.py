"""Record file names: the patterns folders use, and the name a new record gets in a folder."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

# The common patterns: adr-tools' and MADR's ``0007-slug.md``, ``adr-007-slug.md`` (and
# ``ADR-007_slug.md``), and log4brains' date ids ``20200925-slug.md``.
RECORD_NAME = re.compile(
    r"^(?P<prefix>(?i:adr)[-_])?(?P<number>\d+)(?P<separator>[-_])(?P<slug>.*)\.md$"
)
EXPECTED = "NNNN-title.md, adr-NNN-title.md or YYYYMMDD-title.md"
DATE_ID_DIGITS = 8


def last_part(path: str) -> str:
    """PurePosixPath(path).name, without making a path: `list` asks it of every link."""
    tail = path.rpartition("/")[2]
    # "a/." and "a/" name "a": the rare case is left to pathlib.
    return tail if tail not in ("", ".") else PurePosixPath(path).name


def record_number(name: str) -> int | None:
    """The number a file name gives a record (a date id's number is its date), else None."""
    match = RECORD_NAME.match(last_part(name.split("#", 1)[0].split("?", 1)[0]))
    return int(match.group("number")) if match else None


def is_date_id(name: str) -> bool:
    """Whether the name starts with a calendar date, as log4brains names records."""
    match = RECORD_NAME.match(name)
    if not match or match.group("prefix") or len(match.group("number")) != DATE_ID_DIGITS:
        return False
    try:
        # 00000001-x.md is a zero-padded number, not a date: only real dates count.
        datetime.datetime.strptime(match.group("number"), "%Y%m%d")
    except ValueError:
        return False
    return True


def ident(name: str) -> str:
    """How commands and tables name a record: its number, or for a date id the file's stem."""
    if is_date_id(name):
        return PurePosixPath(name).stem
    number = record_number(name)
    return str(number) if number is not None else PurePosixPath(name).stem


@dataclass(frozen=True)
class NamePattern:
    """How a folder names its records, so that new ones follow the habit."""

    prefix: str = ""
    width: int = 4
    separator: str = "-"
    dated: bool = False

    def numbered(self, number: int, slug: str) -> str:
        return f"{self.prefix}{number:0{self.width}d}{self.separator}{slug}.md"

    def dated_name(self, date: str, slug: str, attempt: int) -> str:
        # A second record of one day with the same title gets -2, -3...: the name stays unique.
        suffix = f"-{attempt + 1}" if attempt else ""
        return f"{date.replace('-', '')}{self.separator}{slug}{suffix}.md"

    @classmethod
    def of(cls, name: str) -> NamePattern:
        match = RECORD_NAME.match(name)
        if match is None:
            return cls()
        if is_date_id(name):
            return cls(separator=match.group("separator"), dated=True)
        return cls(
            prefix=match.group("prefix") or "",
            width=len(match.group("number")),
            separator=match.group("separator"),
        )

    def renamed(self, name: str, number: int) -> str:
        """``name`` (a record of this folder) under a new number, its slug kept."""
        match = RECORD_NAME.match(name)
        slug = match.group("slug") if match else PurePosixPath(name).stem
        pattern = NamePattern.of(name)
        return pattern.numbered(number, slug)
