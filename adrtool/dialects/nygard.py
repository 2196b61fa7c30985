"""Michael Nygard's format, as adr-tools writes it.

``# 1. Title``, a ``Date: 2020-01-01`` line, a ``## Status`` section whose first paragraph is
the status and whose ``Supersedes [2. X](0002-x.md)`` lines are the links.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from adrtool import editing
from adrtool._markdown import (
    LINK_LINE,
    first_heading,
    heading_title,
    join_lines,
    outside_fences,
    parse_heading,
    section_bounds,
    split_lines,
)
from adrtool.dialects._base import Dialect
from adrtool.records import (
    STATUSES,
    Relation,
    link_from,
    normalize_status,
    number_of,
    relation_of,
)

if TYPE_CHECKING:
    from adrtool.records import Record

TITLE = re.compile(r"^(?:(?P<number>\d+)(?P<dot>\.)?\s+)?(?P<title>.*)$")
# The date runs to the end of the line and is stripped in code: a lazy value followed by \s*$
# takes time quadratic in a run of spaces.
DATE_LINE = re.compile(r"^Date:(?P<date>.*)$")


def relation_link(line: str) -> re.Match[str] | None:
    """A relation line (``Supersedes [2. X](0002-x.md)``), as adr-tools reads them.

    Only a link to another record is a relation; "Accepted, see [the thread](https://...)" is
    still a status line, and a bullet is a note.
    """
    if "](" not in line:  # most lines: no regex needed
        return None
    link = LINK_LINE.match(line)
    if link and not link.group("bullet") and number_of(link.group("href")) is not None:
        return link
    return None


def status_span(
    lines: list[str], start: int, end: int, known: tuple[str, ...] = STATUSES
) -> tuple[int, int] | None:
    """The lines [first, last) of the status paragraph in the ``## Status`` section
    ``start:end``.

    It is the first paragraph that starts with a known status; the section's other paragraphs
    are notes that people add and adr-tools keeps. With no such paragraph, the first other one
    is the status (so `check` can name an unknown one), unless a "Superseded by" link speaks for
    the status: adr-tools removes the status on supersede, and the notes left are not a status.
    A status written over several lines is one paragraph, kept whole.
    """
    first_other: int | None = None
    superseded = False
    index = start + 1
    while index < end:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        link = relation_link(line)
        if link is not None:
            if relation_of(link.group("relation")) is Relation.SUPERSEDED_BY:
                superseded = True
            index += 1
            continue
        stop = _paragraph_end(lines, index, end)
        if normalize_status(line, known) is not None:
            return index, stop
        if first_other is None:
            first_other = index
        index = stop
    if first_other is not None and not superseded:
        return first_other, _paragraph_end(lines, first_other, end)
    return None


def _paragraph_end(lines: list[str], index: int, end: int) -> int:
    stop = index + 1
    while (
        stop < end
        and lines[stop].strip()
        and relation_link(lines[stop]) is None
        and parse_heading(lines[stop]) is None
    ):
        stop += 1
    return stop


class Nygard(Dialect):
    name = "nygard"
    summary = "adr-tools (Michael Nygard)"
    priority = 100  # takes every record no other dialect claims
    default_status = "accepted"  # adr-tools accepts a record when it creates it
    title_hint = "'# N. Title' on its first line"
    date_hint = "a 'Date: YYYY-MM-DD' line"
    template = "nygard"

    def claims(self, name: str, lines: list[str]) -> bool:
        return True

    def read(self, record: Record, lines: list[str]) -> None:
        heading = first_heading(lines)
        if heading is not None:
            index, text = heading
            match = TITLE.match(text)
            assert match is not None  # the pattern matches any text
            number = match.group("number")
            # "# 10 Enable X" numbers the heading as "# 10. Enable X" does, but "# 2022 plans"
            # without the dot is a title that starts with a number, unless it is the file's.
            if number and (match.group("dot") or int(number) == record.number):
                record.title = heading_title(match.group("title"))
                record.heading_number = int(number)
            else:
                record.title = heading_title(text)
            record.title_line = index + 1
        for index, line in outside_fences(lines):
            if line.startswith("## "):
                break
            date = DATE_LINE.match(line)
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
                record.links.append(link_from(link, index))
        span = status_span(lines, start, end, record.statuses)
        if span is not None:
            first, last = span
            record.status_text = " ".join(line.strip() for line in lines[first:last])
            record.status_line = first + 1

    def status_word(self, status: str) -> str:
        return status.capitalize()

    def set_status(self, text: str, status: str, known: tuple[str, ...] = STATUSES) -> str:
        """Only the status paragraph changes: notes and links in the section stay."""
        return _replace_status(text, status, known)

    def add_link(self, text: str, relation: str, label: str, href: str) -> str:
        lines, newline = split_lines(text)
        bounds = section_bounds(lines, "Status") or editing.insert_section_before_first_h2(
            lines, "Status"
        )
        if editing.has_link(lines, bounds[0], bounds[1], relation, href):
            return text
        # Each link is its own paragraph, as adr-tools writes them.
        editing.add_to_section(
            lines, bounds, editing.link_line(relation, label, href), as_list=False
        )
        return join_lines(lines, newline)

    def supersede(
        self, text: str, label: str, href: str, number: int, known: tuple[str, ...] = STATUSES
    ) -> str:
        # adr-tools drops the old status and lets the "Superseded by" link speak.
        return _replace_status(self.add_link(text, "Superseded by", label, href), None, known)

    def label(self, number: int, title: str, name: str) -> str:
        return f"{number}. {title}"

    def set_heading_number(self, text: str, number: int) -> str:
        lines, newline = split_lines(text)
        heading = first_heading(lines)
        if heading is None:
            return text
        index, title = heading
        title = re.sub(r"^\d+\.?\s+", "", title)
        lines[index] = f"# {number}. {title}"
        return join_lines(lines, newline)


def _replace_status(text: str, status: str | None, known: tuple[str, ...]) -> str:
    """``status`` as the status paragraph; None removes it, as adr-tools' _adr_remove_status."""
    lines, newline = split_lines(text)
    start, end = section_bounds(lines, "Status") or editing.insert_section_before_first_h2(
        lines, "Status"
    )
    span = status_span(lines, start, end, known)
    if span is not None:
        first, last = span
        if status is not None:
            lines[first:last] = [status]
        else:
            del lines[first:last]
            # The paragraph is gone: keep one blank line where it stood, not two.
            if editing.blank(lines, first - 1) and editing.blank(lines, first):
                del lines[first]
    elif status is not None:
        # No status yet (adr-tools removed it, or the section is new): it goes first.
        at = start + 1
        block = [status] if editing.blank(lines, at) else ["", status]
        at += 1 if editing.blank(lines, at) else 0
        if not editing.blank(lines, at) and at < len(lines):
            block.append("")
        lines[at:at] = block
    return join_lines(lines, newline)


DIALECT = Nygard()
