"""What MADR 2 and log4brains share: metadata as a bullet list under the title.

    # Use PostgreSQL

    * Status: accepted
    * Deciders: Ada, Grace
    * Date: 2020-09-25

Both templates mark each field optional. A superseded record says so in its status, with a
link to its successor; other links are bullets of ``## Links``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from adrtool._markdown import (
    comment_spans,
    first_heading,
    heading_title,
    join_lines,
    split_lines,
    without_comments,
)
from adrtool.dialects._base import Dialect
from adrtool.dialects._links import read_links_section, status_successor
from adrtool.editing import add_link_in_section, link_line
from adrtool.records import STATUSES

if TYPE_CHECKING:
    from adrtool.records import Record

# The value is all the rest of the line, stripped in code: a lazy value before trailing blanks
# would make a line of many spaces cost quadratic time.
FIELD = re.compile(
    r"^(?P<bullet>[ \t]*[-*+][ \t]+)(?P<open>\*\*|__)?(?P<key>[A-Za-z][\w -]*?)(?P=open)?:"
    r"(?:(?P=open))?(?P<value>.*)$"
)
KNOWN_KEYS = frozenset({"status", "date", "deciders", "tags"})


def head_fields(lines: list[str]) -> dict[str, tuple[int, re.Match[str]]]:
    """``key -> (index, match)`` of the bullet fields before the first ``## `` heading."""
    found: dict[str, tuple[int, re.Match[str]]] = {}
    # Asked of every record to tell MADR 2 from Nygard: only the head is read, and it ends at
    # the first section or code fence, so no fence scan of the whole record is needed.
    for index, line in enumerate(lines):
        if line.startswith("## ") or line.lstrip().startswith(("```", "~~~")):
            break
        match = FIELD.match(line)
        if match:
            found.setdefault(match.group("key").strip().lower(), (index, match))
    return found


def field_value(match: re.Match[str]) -> str:
    # The templates end fields with "<!-- optional -->": a note to the writer, not the value.
    return " ".join(without_comments(match.group("value"), " ").split())


class BulletDialect(Dialect):
    default_status = "proposed"
    optional_fields = frozenset({"status", "date"})
    date_hint = "a '* Date: YYYY-MM-DD' bullet under the title"
    bullet = "* "

    def has_fields(self, lines: list[str]) -> bool:
        return bool(KNOWN_KEYS & head_fields(lines).keys())

    def read(self, record: Record, lines: list[str]) -> None:
        heading = first_heading(lines)
        if heading is not None:
            record.title_line = heading[0] + 1
            record.title = heading_title(heading[1])
        fields = head_fields(lines)
        if "status" in fields:
            index, match = fields["status"]
            record.status_text, record.status_line = field_value(match), index + 1
            status_successor(record, record.status_text, index)
        if "date" in fields:
            index, match = fields["date"]
            record.date, record.date_line = field_value(match), index + 1
        read_links_section(record, lines)

    def set_status(self, text: str, status: str, known: tuple[str, ...] = STATUSES) -> str:
        return self._set_field(text, "Status", status)

    def _set_field(self, text: str, key: str, value: str) -> str:
        lines, newline = split_lines(text)
        fields = head_fields(lines)
        if key.lower() in fields:
            index, match = fields[key.lower()]
            # The bullet, the key as written and a trailing "<!-- ... -->" stay.
            raw = match.group("value")
            comment = next(comment_spans(raw), None)
            tail = f" {raw[comment[0] : comment[1]]}" if comment else ""
            start = match.start("value") + len(raw) - len(raw.lstrip())
            lines[index] = (lines[index][:start] + value + tail).rstrip()
            return join_lines(lines, newline)
        bullet = self._bullet_of(text)
        if fields:
            at = min(index for index, _ in fields.values())
            lines.insert(at, f"{bullet}{key}: {value}")
        else:
            heading = first_heading(lines)
            at = heading[0] + 1 if heading is not None else 0
            lines[at:at] = ["", f"{bullet}{key}: {value}"]
        return join_lines(lines, newline)

    def fill_template(self, text: str, *, date: str, status: str) -> str:
        # The templates say "* Status: [proposed | rejected | ...] <!-- optional -->".
        return self._set_field(self._set_field(text, "Status", status), "Date", date)

    def _bullet_of(self, text: str) -> str:
        fields = head_fields(split_lines(text)[0])
        return next(iter(fields.values()))[1].group("bullet") if fields else self.bullet

    def add_link(self, text: str, relation: str, label: str, href: str) -> str:
        bullet = self._bullet_of(text).lstrip()
        return add_link_in_section(text, "Links", relation, label, href, bullet=bullet)

    def supersede(
        self, text: str, label: str, href: str, number: int, known: tuple[str, ...] = STATUSES
    ) -> str:
        # The templates' own wording: "superseded by [ADR-0005](0005-example.md)".
        return self.set_status(text, link_line("superseded by", label, href))
