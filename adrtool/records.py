"""What a record says: parsing adr-tools/Nygard and MADR records into one model."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path, PurePosixPath

from adrtool._markdown import (
    LINK_LINE,
    first_heading,
    heading_title,
    outside_fences,
    parse_heading,
    section_bounds,
    split_lines,
    unescape_link_text,
)
from adrtool.errors import UnreadableRecord

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
RECORD_NAME = re.compile(r"^(?P<number>\d+)-(?P<slug>.*)\.md$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NYGARD_TITLE = re.compile(r"^(?:(?P<number>\d+)\.\s+)?(?P<title>.*)$")
# The values run to the end of the line and are stripped by whoever reads them: a lazy value
# followed by \s*$ takes time quadratic in a run of spaces.
NYGARD_DATE = re.compile(r"^Date:(?P<date>.*)$")
FRONT_MATTER_KEY = re.compile(r"^(?P<key>[A-Za-z][\w-]*):(?P<value>.*)$")
ADR_REFERENCE = re.compile(r"ADR-0*(?P<number>\d+)", re.IGNORECASE)


class Style(Enum):
    """The two record formats adrtool reads and writes."""

    NYGARD = "nygard"  # adr-tools: "# 1. Title", "Date:", a "## Status" section holding links
    MADR = "madr"  # MADR 4: YAML front matter with status and date, "# Title"


class Relation(Enum):
    SUPERSEDES = "supersedes"
    SUPERSEDED_BY = "superseded_by"
    OTHER = "other"


def relation_of(text: str) -> Relation:
    """Classify a link's wording; adr-tools' old "Supercedes"/"Superceded by" spelling counts."""
    words = text.strip().lower().replace("supercede", "supersede")
    if words == "supersedes":
        return Relation.SUPERSEDES
    if words == "superseded by":
        return Relation.SUPERSEDED_BY
    return Relation.OTHER


def normalize_status(text: str) -> str | None:
    """The known status a status text names (``Superceded by ...`` is superseded), else None."""
    words = text.strip().lower().replace("supercede", "supersede").split()
    if not words:
        return None
    first = words[0].strip(".,;:!")
    return first if first in STATUSES else None


def number_of(href: str) -> int | None:
    match = RECORD_NAME.match(PurePosixPath(href.split("#", 1)[0]).name)
    return int(match.group("number")) if match else None


@dataclass(frozen=True)
class Link:
    """One ``Relation [text](target)`` line of a record."""

    relation: str
    href: str
    text: str
    line: int  # 1-based

    # Cached: the index asks each link these questions once per other record it meets.
    @cached_property
    def kind(self) -> Relation:
        return relation_of(self.relation)

    @cached_property
    def target_number(self) -> int | None:
        return number_of(self.href)

    @cached_property
    def target_name(self) -> str:
        return PurePosixPath(self.href.split("#", 1)[0]).name


@dataclass
class Record:
    path: Path
    number: int
    style: Style
    text: str
    title: str = ""
    title_line: int | None = None
    heading_number: int | None = None
    date: str | None = None
    date_line: int | None = None
    status_text: str | None = None
    status_line: int | None = None
    links: list[Link] = field(default_factory=list)
    # MADR says "superseded by ADR-0005" in its status rather than (only) in a link.
    status_reference: int | None = None

    @property
    def status(self) -> str | None:
        """The normalized status; a Nygard record whose status lines adr-tools removed on
        supersede counts as superseded when it links to its successor."""
        if self.status_text is not None:
            return normalize_status(self.status_text)
        if self.superseded_by:
            return "superseded"
        return None

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
        if self.style is Style.MADR:
            return f"ADR-{self.number:04d}: {self.title}"
        return f"{self.number}. {self.title}"


def _numbers(values: object) -> list[int]:
    seen: list[int] = []
    for value in values:  # type: ignore[attr-defined]
        if isinstance(value, int) and value not in seen:
            seen.append(value)
    return seen


def record_number(path: Path) -> int | None:
    match = RECORD_NAME.match(path.name)
    return int(match.group("number")) if match else None


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


def detect_style(text: str) -> Style:
    return Style.MADR if text.lstrip("\ufeff").startswith("---") else Style.NYGARD


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """(opening, closing) line indexes of YAML front matter, if the text starts with it."""
    if not lines or lines[0].strip() != "---":
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


def parse_record(path: Path, text: str, number: int | None = None) -> Record:
    """Read a record of either style; missing parts stay None for `check` to report."""
    found = record_number(path) if number is None else number
    style = detect_style(text)
    record = Record(path=path, number=found if found is not None else 0, style=style, text=text)
    lines, _ = split_lines(text)
    if style is Style.MADR:
        _parse_madr(record, lines)
    else:
        _parse_nygard(record, lines)
    return record


def _parse_nygard(record: Record, lines: list[str]) -> None:
    heading = first_heading(lines)
    if heading is not None:
        index, text = heading
        match = NYGARD_TITLE.match(text)
        assert match is not None  # the pattern matches any text
        record.title = heading_title(match.group("title"))
        record.title_line = index + 1
        if match.group("number"):
            record.heading_number = int(match.group("number"))
    for index, line in outside_fences(lines):
        if line.startswith("## "):
            break
        date = NYGARD_DATE.match(line)
        if date:
            record.date, record.date_line = date.group("date").strip(), index + 1
            break
    bounds = section_bounds(lines, "Status")
    if bounds is None:
        return
    start, end = bounds
    for index in range(start + 1, end):
        link = relation_link(lines[index])
        if link is not None:
            record.links.append(_link(link, index))
    status = nygard_status_index(lines, start, end)
    if status is not None:
        record.status_text, record.status_line = lines[status].strip(), status + 1


def relation_link(line: str) -> re.Match[str] | None:
    """A Nygard relation line (``Supersedes [2. X](0002-x.md)``), as adr-tools reads them.

    Only a link to another record is a relation; "Accepted, see [the thread](https://...)" is
    still a status line, and a bullet is a note.
    """
    if "](" not in line:  # most lines: no regex needed
        return None
    link = LINK_LINE.match(line)
    if link and not link.group("bullet") and number_of(link.group("href")) is not None:
        return link
    return None


def nygard_status_index(lines: list[str], start: int, end: int) -> int | None:
    """The index of the status line in the ``## Status`` section spanning ``start:end``.

    It is the first line naming a known status; the section's other lines are notes that people
    add and adr-tools keeps. With no such line, the first other line is the status (so `check`
    can name an unknown one), unless a "Superseded by" link speaks for the status: adr-tools
    removes the status line on supersede, and the notes left behind are not a status.
    """
    others: list[int] = []
    superseded = False
    for index in range(start + 1, end):
        line = lines[index]
        if not line.strip():
            continue
        link = relation_link(line)
        if link is None:
            if normalize_status(line) is not None:
                return index
            others.append(index)
        elif relation_of(link.group("relation")) is Relation.SUPERSEDED_BY:
            superseded = True
    if others and not superseded:
        return others[0]
    return None


def _parse_madr(record: Record, lines: list[str]) -> None:
    bounds = front_matter_bounds(lines)
    body_start = 0
    if bounds is not None:
        body_start = bounds[1] + 1
        for index in range(1, bounds[1]):
            match = FRONT_MATTER_KEY.match(lines[index])
            if not match:
                continue
            key, value = match.group("key").lower(), front_matter_value(match.group("value"))
            if key == "status":
                record.status_text, record.status_line = value, index + 1
                reference = ADR_REFERENCE.search(value)
                if reference and normalize_status(value) == "superseded":
                    record.status_reference = int(reference.group("number"))
            elif key == "date":
                record.date, record.date_line = value, index + 1
    heading = first_heading(lines, body_start)
    if heading is not None:
        record.title_line = heading[0] + 1
        record.title = heading_title(heading[1])
    links = section_bounds(lines, "Links")
    if links is None:
        return
    for index in range(links[0] + 1, links[1]):
        link = LINK_LINE.match(lines[index])
        if link and link.group("bullet"):
            record.links.append(_link(link, index))


def _link(match: re.Match[str], index: int) -> Link:
    return Link(
        relation=match.group("relation").strip(),
        href=match.group("href"),
        text=unescape_link_text(match.group("text")),
        line=index + 1,
    )


def is_heading(line: str) -> bool:
    return parse_heading(line) is not None
