"""What a record says: one model for every dialect, and reading a file into it.

The dialects (``adrtool.dialects``) know where each format keeps its title, date, status and
links; this module holds what they share.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from adrtool._markdown import parse_heading, unescape_link_text
from adrtool.errors import UnreadableRecord
from adrtool.names import RECORD_NAME, ident, is_date_id, last_part, record_number

if TYPE_CHECKING:
    from adrtool.dialects import Dialect

__all__ = ["RECORD_NAME", "Link", "Record", "Relation", "parse_record", "read_record_text"]

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The value runs to the end of the line and is stripped by whoever reads it: a lazy value
# followed by \s*$ takes time quadratic in a run of spaces.
FRONT_MATTER_KEY = re.compile(r"^(?P<key>[A-Za-z][\w-]*):(?P<value>.*)$")
ADR_REFERENCE = re.compile(r"ADR-0*(?P<number>\d+)", re.IGNORECASE)


class Relation(Enum):
    SUPERSEDES = "supersedes"
    SUPERSEDED_BY = "superseded_by"
    OTHER = "other"


def relation_of(text: str) -> Relation:
    """Classify a link's wording; adr-tools' "Supercedes"/"Superceded by" spelling counts."""
    words = text.strip().lower().replace("supercede", "supersede")
    if words == "supersedes":
        return Relation.SUPERSEDES
    if words == "superseded by":
        return Relation.SUPERSEDED_BY
    return Relation.OTHER


def normalize_status(text: str, known: tuple[str, ...] = STATUSES) -> str | None:
    """The known status a status text starts with (``Superceded by ...`` is superseded), else None.

    A status may be several words ("on hold"); the longest known one that the text starts with,
    as whole words, wins.
    """
    words = " ".join(text.strip().lower().replace("supercede", "supersede").split())
    words = words.lstrip("*_ ").strip()
    for status in _longest_first(known):
        if words.startswith(status) and not words[len(status) : len(status) + 1].isalnum():
            return status
    return None


@functools.cache
def _longest_first(known: tuple[str, ...]) -> list[str]:
    return sorted(known, key=len, reverse=True)


def target_name(href: str) -> str:
    """The file a link points at: ``?raw=true`` and ``#anchor`` are not part of the name."""
    return last_part(href.split("#", 1)[0].split("?", 1)[0])


def number_of(href: str) -> int | None:
    return record_number(target_name(href))


@dataclass(frozen=True)
class Link:
    """One ``Relation [text](target)`` of a record."""

    relation: str
    href: str
    text: str
    line: int  # 1-based
    # MADR's "status: superseded by [ADR-0005](0005-x.md)": the format asks no link back.
    in_status: bool = False

    # Cached: the index asks each link these questions once per other record it meets.
    @cached_property
    def kind(self) -> Relation:
        return relation_of(self.relation)

    @cached_property
    def target_number(self) -> int | None:
        return number_of(self.href)

    @cached_property
    def target_name(self) -> str:
        return target_name(self.href)


def link_from(match: re.Match[str], index: int, relation: str | None = None) -> Link:
    return Link(
        relation=(relation if relation is not None else match.group("relation")).strip(),
        href=match.group("href"),
        text=unescape_link_text(match.group("text")),
        line=index + 1,
    )


@dataclass
class Record:
    path: Path
    number: int
    dialect: Dialect
    text: str
    statuses: tuple[str, ...] = STATUSES
    title: str = ""
    title_line: int | None = None
    heading_number: int | None = None
    date: str | None = None
    date_line: int | None = None
    status_text: str | None = None
    status_line: int | None = None
    links: list[Link] = field(default_factory=list)
    # MADR 4 says "superseded by ADR-0005" in its status rather than (only) in a link.
    status_reference: int | None = None

    @property
    def ident(self) -> str:
        """The record's number as commands take it; a date id (log4brains) is the file's stem."""
        return ident(self.path.name)

    @property
    def dated(self) -> bool:
        return is_date_id(self.path.name)

    @property
    def written_status(self) -> str | None:
        """The known status the status text names, else None."""
        if self.status_text is None:
            return None
        return normalize_status(self.status_text, self.statuses)

    @property
    def status(self) -> str | None:
        """The normalized status. A record that a "Superseded by" link names as superseded is
        superseded whatever its status line says (adr-tools removes that line on supersede, and
        a line left behind contradicts the link: `check` reports it)."""
        if self.superseded_by:
            return "superseded"
        return self.written_status

    @property
    def display_status(self) -> str:
        status = self.status
        if status is not None:
            return status.capitalize()
        return self.status_text or "Unknown"

    @property
    def supersedes(self) -> list[int]:
        return _numbers(
            link.target_number for link in self.links if link.kind is Relation.SUPERSEDES
        )

    @property
    def superseded_by(self) -> list[int]:
        numbers = [link.target_number for link in self.links if link.kind is Relation.SUPERSEDED_BY]
        return _numbers([*numbers, self.status_reference])

    @property
    def label(self) -> str:
        """How other records' links name this one."""
        return self.dialect.label(self.number, self.title, self.path.name)


def _numbers(values: object) -> list[int]:
    seen: list[int] = []
    for value in values:  # type: ignore[attr-defined]
        if isinstance(value, int) and value not in seen:
            seen.append(value)
    return seen


def read_record_text(path: Path) -> str:
    """The record's text, or UnreadableRecord saying why it cannot be used."""
    try:
        data = _read_bytes(path)
    except OSError as error:
        raise UnreadableRecord(f"{path}: cannot be read ({error.strerror})") from None
    if not data.strip():
        raise UnreadableRecord(f"{path}: the record is empty; write its content or delete it")
    if b"\0" in data:
        raise UnreadableRecord(f"{path}: is a binary file, not a Markdown record; move it away")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableRecord(
            f"{path}: is not valid UTF-8 (byte {error.start}); re-save it as UTF-8"
        ) from None


def _read_bytes(path: Path) -> bytes:
    # os.read on a descriptor: half the cost of Path.read_bytes and its buffered file object,
    # which counts when the index reads every record of a large folder.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """(opening, closing) line indexes of YAML front matter, if the text starts with it."""
    if not lines or lines[0].lstrip("\ufeff").strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return 0, index
    return None


def front_matter_value(raw: str) -> str:
    value = raw.strip()
    if value[:1] in ("'", '"'):
        # A quoted scalar ends at its closing quote; a comment may follow it.
        close = value.find(value[0], 1)
        if close > 0:
            return value[1:close]
    return value.split(" #", 1)[0].strip()


def parse_record(
    path: Path,
    text: str,
    number: int | None = None,
    statuses: tuple[str, ...] = STATUSES,
) -> Record:
    """Read a record in the dialect it is written in; missing parts stay None for `check`."""
    from adrtool.dialects import detect  # noqa: PLC0415 - the dialects import this module

    found = record_number(path.name) if number is None else number
    lines = text.splitlines()
    dialect = detect(path.name, lines)
    record = Record(
        path=path,
        number=found if found is not None else 0,
        dialect=dialect,
        text=text,
        statuses=tuple(dict.fromkeys((*statuses, *dialect.extra_statuses))),
    )
    dialect.read(record, lines)
    return record


def is_heading(line: str) -> bool:
    return parse_heading(line) is not None
