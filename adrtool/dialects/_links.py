"""Where MADR and log4brains records keep links: ``## Links`` bullets, and the status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adrtool._markdown import INLINE_LINK, LINK_LINE, section_bounds
from adrtool.records import ADR_REFERENCE, Link, link_from, normalize_status

if TYPE_CHECKING:
    from adrtool.records import Record


def read_links_section(record: Record, lines: list[str]) -> None:
    """The bullets of ``## Links`` (MADR's "Refined by [ADR-0005](0005-example.md)")."""
    links = section_bounds(lines, "Links")
    if links is None:
        return
    for index in range(links[0] + 1, links[1]):
        link = LINK_LINE.match(lines[index])
        if link and link.group("bullet"):
            record.links.append(link_from(link, index))


def status_successor(record: Record, value: str, index: int) -> None:
    """``superseded by [ADR-0005](0005-x.md)`` is a "Superseded by" link at the status line;
    ``superseded by ADR-0005`` names the successor by number."""
    if normalize_status(value, record.statuses) != "superseded":
        return
    link = INLINE_LINK.search(value)
    if link is not None:
        text = value[link.start() + 1 : value.index("](", link.start())]
        record.links.append(
            Link("Superseded by", link.group("href"), text, index + 1, in_status=True)
        )
        return
    reference = ADR_REFERENCE.search(value)
    if reference:
        record.status_reference = int(reference.group("number"))
