"""`adrtool list` output: a plain table for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from adrtool.index import sorted_records
from adrtool.names import ident, is_date_id
from adrtool.records import Link, Record, Relation


def records_as_table(records: list[Record]) -> str:
    rows = [("Number", "Status", "Date", "Title")]
    rows += [(r.ident, r.display_status, r.date or "", r.title) for r in sorted_records(records)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    )


def records_as_json(records: list[Record], shown: Callable[[Path], str]) -> str:
    items = [
        {
            "id": r.ident,
            # A date id (log4brains) is no number: null, so scripts never take it for one.
            "number": None if r.dated else r.number,
            "title": r.title,
            "status": r.status,
            "status_text": r.status_text,
            "date": r.date,
            "path": shown(r.path),
            "format": r.dialect.name,
            "supersedes": _targets(r, Relation.SUPERSEDES, []),
            "superseded_by": _targets(r, Relation.SUPERSEDED_BY, [r.status_reference]),
            "links": [
                {"relation": link.relation, "target": _target(link), "path": link.href}
                for link in r.links
            ],
        }
        for r in sorted_records(records)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2)


def _target(link: Link) -> int | str | None:
    """A link's target as `list` names records: a number, or a date id's stem."""
    if is_date_id(link.target_name):
        return ident(link.target_name)
    return link.target_number


def _targets(record: Record, kind: Relation, more: list[int | None]) -> list[int | str]:
    found = [_target(link) for link in record.links if link.kind is kind]
    return [target for target in dict.fromkeys([*found, *more]) if target is not None]
