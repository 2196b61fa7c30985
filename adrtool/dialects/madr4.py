"""MADR 3 and 4: YAML front matter holding ``status`` and ``date``, then ``# Title``.

Both fields are optional in MADR 4's template (and in MADR 3's). A superseded record says
``status: "superseded by ADR-0005"`` (or with a link); other links are bullets of ``## Links``.
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
    split_lines,
)
from adrtool.dialects._base import Dialect
from adrtool.dialects._links import read_links_section, status_successor
from adrtool.records import (
    FRONT_MATTER_KEY,
    STATUSES,
    Relation,
    front_matter_bounds,
    front_matter_value,
    relation_of,
    target_name,
)

if TYPE_CHECKING:
    from adrtool.records import Record


class Madr4(Dialect):
    name = "madr"
    summary = "MADR 3 and 4 (YAML front matter)"
    priority = 10
    default_status = "proposed"  # MADR's template starts a decision as proposed
    optional_fields = frozenset({"status", "date"})
    date_hint = "'date: YYYY-MM-DD'"
    template = "madr"

    def claims(self, name: str, lines: list[str]) -> bool:
        return front_matter_bounds(lines) is not None

    def read(self, record: Record, lines: list[str]) -> None:
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
                    status_successor(record, value, index)
                elif key == "date":
                    record.date, record.date_line = value, index + 1
        heading = first_heading(lines, body_start)
        if heading is not None:
            record.title_line = heading[0] + 1
            record.title = heading_title(heading[1])
        read_links_section(record, lines)

    def set_status(self, text: str, status: str, known: tuple[str, ...] = STATUSES) -> str:
        lines, newline = split_lines(text)
        editing.set_front_matter(lines, "status", status, quote=True)
        return join_lines(lines, newline)

    def add_link(self, text: str, relation: str, label: str, href: str) -> str:
        return editing.add_link_in_section(text, "Links", relation, label, href, bullet="* ")

    def supersede(
        self, text: str, label: str, href: str, number: int, known: tuple[str, ...] = STATUSES
    ) -> str:
        linked = self.add_link(text, "Superseded by", label, href)
        return self.set_status(linked, f"superseded by ADR-{number:04d}")

    def fill_template(self, text: str, *, date: str, status: str) -> str:
        # MADR's own template says `status: "{proposed | ...}"`: the fields are set whatever
        # they hold, and only inside the front matter.
        lines, newline = split_lines(text)
        if front_matter_bounds(lines) is None:
            return text
        editing.set_front_matter(lines, "status", status, quote=True)
        editing.set_front_matter(lines, "date", date, quote=False)
        return join_lines(lines, newline)

    def label(self, number: int, title: str, name: str) -> str:
        return f"ADR-{number:04d}: {title}"

    def retarget(
        self, text: str, old_name: str, new_name: str, old_number: int, new_number: int
    ) -> str:
        lines, _ = split_lines(text)
        # The status names the successor by number only; renumber it when this record's own
        # "Superseded by" link says the renumbered record is the one meant (two records may
        # have shared the number: that is why one is being renumbered).
        successor = any(
            (match := LINK_LINE.match(line))
            and relation_of(match.group("relation")) is Relation.SUPERSEDED_BY
            and target_name(match.group("href")) == old_name
            for line in lines
        )
        text = super().retarget(text, old_name, new_name, old_number, new_number)
        raw = editing.front_matter_raw(split_lines(text)[0], "status")
        if not successor or raw is None:
            return text
        status = front_matter_value(raw)
        renumbered = re.sub(
            rf"ADR-0*{old_number}\b", f"ADR-{new_number:04d}", status, flags=re.IGNORECASE
        )
        return text if renumbered == status else self.set_status(text, renumbered)


DIALECT = Madr4()
