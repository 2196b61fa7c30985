"""Refreshing index.md after a command changed a few records, without reading the others.

`new`, `supersede`, `link` and `status` change one to three records. The index adrtool wrote
(marker and digest intact, ADR 33) already holds what the unchanged records give the page: their
table rows, their graph boxes and the edges drawn from them. Only the changed records are read
again; their rows, boxes and edges are made by the same functions `adrtool index` uses, so the
page is the one a full regeneration writes (tests/test_index_refresh.py checks it on random
folders and random sequences of commands).

An edge between two unchanged records depends only on them; an edge between a changed record
and an unchanged one is drawn from the newer of the two when both link to each other, and a
command only adds links between the records it changes, so whether such an edge is drawn is
what the old page shows. Whatever the page cannot answer falls back to reading every record:
a page that does not parse as adrtool writes it, records added, removed or renamed beside it,
two records sharing a number, date ids, and a successor named by a bare number (a link to a
record that is missing, which a new record could fill).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from adrtool.index import (
    EMPTY,
    GRAPH_DIRECTION,
    GRAPH_END,
    GRAPH_HEADING,
    GRAPH_INTRO,
    HEADER,
    NO_LINKS,
    SUPERSEDED_STYLE,
    TABLE_HEAD,
    edge_line,
    flowchart,
    node_line,
    page,
    table_row,
)
from adrtool.index_file import MARKER
from adrtool.names import record_number
from adrtool.records import Record

_NODE = re.compile(r'^    (?P<id>adr\d+)\["[^"]*"\]$')
_EDGE = re.compile(r'^    (?P<source>adr\d+) -->\|"[^"]*"\| (?P<target>adr\d+)$')
_CLASS = re.compile(r"^    class (?P<ids>adr\d+(?:,adr\d+)*) superseded$")
_FLOWCHART = f"flowchart {GRAPH_DIRECTION}\n"


@dataclass
class IndexPage:
    """What an index page adrtool wrote says of each record.

    The table stays text: a command changes a row or two of thousands, and the others are
    never looked at one by one. The graph (the related records only) is read by line.
    """

    listing: list[tuple[int, str]]  # the records the page lists, in its order
    rows: list[str] = field(default_factory=list)
    # By record number (ids are adrN: no two records share a number here).
    nodes: dict[int, str] = field(default_factory=dict)
    edges: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # (target, line)
    superseded: set[int] = field(default_factory=set)


# A name of eight digits and no prefix may be a date id (log4brains): left to the full pass.
_MAYBE_DATE = re.compile(r"^\d{8}[-_]", re.MULTILINE)
# The file name each row links to, in the decision cell: titles, statuses and dates are escaped
# (no "](" in them), and a successor's link ends its row or is followed by ", ", not " | ".
_ROW_NAME = re.compile(r"\]\((?P<name>[^)\s]+)\) \| ")
# A successor named by a bare number: a record that is missing, or a number two files share.
_BARE_SUCCESSOR = re.compile(r"(?:\| |, )\d+(?:, | \|$)", re.MULTILINE)


def _usable(listing: list[tuple[int, str]]) -> bool:
    """Whether every record has a number of its own, and none may be a date id."""
    names = "\n".join(name for _, name in listing)
    return len({number for number, _ in listing}) == len(listing) and not _MAYBE_DATE.search(names)


def parse_page(text: str, listing: list[tuple[int, str]]) -> IndexPage | None:
    """The page ``text`` (an index adrtool wrote) over the records ``listing`` ((number, file
    name), in the folder's order); None if it does not list exactly those records as
    `adrtool index` would."""
    marker, _, body = text.replace("\r\n", "\n").partition("\n")
    if not MARKER.match(marker) or not body.startswith(HEADER) or not _usable(listing):
        return None
    rest = body[len(HEADER) :]
    found = IndexPage(list(listing))
    if rest == EMPTY:
        return found if not listing else None
    if not rest.startswith(TABLE_HEAD):
        return None
    table, heading, graph = rest[len(TABLE_HEAD) :].partition("\n" + GRAPH_HEADING)
    if not heading or _BARE_SUCCESSOR.search(table):
        return None
    found.rows = table.split("\n")
    if _ROW_NAME.findall(table) != [name for _, name in listing] or len(found.rows) != len(listing):
        return None
    if graph == NO_LINKS:
        return found
    start = GRAPH_INTRO + _FLOWCHART
    if not (graph.startswith(start) and graph.endswith(GRAPH_END)):
        return None
    lines = graph[len(start) : -len(GRAPH_END)].split("\n")
    if lines.pop() != "":
        return None
    styled = False
    for line in lines:
        if (node := _NODE.match(line)) and not found.edges and not styled:
            found.nodes[int(node.group("id")[3:])] = line
        elif (edge := _EDGE.match(line)) and not styled:
            source = int(edge.group("source")[3:])
            found.edges.setdefault(source, []).append((int(edge.group("target")[3:]), line))
        elif line == SUPERSEDED_STYLE and not styled:
            styled = True
        elif (marked := _CLASS.match(line)) and styled and not found.superseded:
            found.superseded = {int(node_id[3:]) for node_id in marked.group("ids").split(",")}
        else:
            return None
    return found if styled == bool(found.superseded) else None


def refreshed(
    old: IndexPage, listing: list[tuple[int, str]], changed: dict[str, Record]
) -> str | None:
    """The index page (without its marker) of the records ``listing``, where the records
    ``changed`` (by file name: created or edited) are as given and the others as ``old``
    shows them; None if that cannot be known without reading them."""
    if not _usable(listing):
        return None
    by_number = dict(listing)
    if any(by_number.get(record.number) != name for name, record in changed.items()):
        return None
    # The rows: the changed ones replaced, the new ones put in their place by number.
    keys = list(old.listing)
    rows = list(old.rows)
    for name, record in sorted(changed.items(), key=lambda item: item[1].number):
        key = (record.number, name)
        position = bisect.bisect_left(keys, key)
        row = table_row(record, _names(record, by_number))
        if position < len(keys) and keys[position] == key:
            rows[position] = row
        else:
            keys.insert(position, key)
            rows.insert(position, row)
    # Records added, removed or renamed beside the page: rows that link to them change.
    if keys != listing:
        return None
    if not rows:
        return page(rows, None)
    changed_numbers = {record.number: record for record in changed.values()}
    edges = {source: lines for source, lines in old.edges.items() if source not in changed_numbers}
    for number, record in changed_numbers.items():
        drawn = {target for target, _ in old.edges.get(number, [])}
        found: list[tuple[int, str]] = []
        for link in record.links:
            target_number = record_number(link.target_name)
            if target_number is None or by_number.get(target_number) != link.target_name:
                continue  # no such record: no edge
            if target_number == number:
                continue
            target = changed_numbers.get(target_number)
            if target is not None:
                linked_back = any(back.target_name == record.path.name for back in target.links)
                if linked_back and number < target_number:
                    continue
            elif target_number not in drawn:
                continue  # the unchanged record links back and is the newer: its edge is drawn
            line = edge_line(f"adr{number}", f"adr{target_number}", link.relation)
            found.append((target_number, line))
        if found:
            edges[number] = found
    ends = {n for source, lines in edges.items() for n in (source, *(t for t, _ in lines))}
    nodes: dict[int, str] = {}
    superseded: list[int] = []
    for number in ends:
        end = changed_numbers.get(number)
        if end is not None:
            nodes[number] = node_line(f"adr{number}", end, wrap=True)
            is_superseded = end.status == "superseded"
        elif number in old.nodes:
            nodes[number] = old.nodes[number]
            is_superseded = number in old.superseded
        else:
            return None
        if is_superseded:
            superseded.append(number)
    if not nodes:
        return page(rows, None)
    return page(
        rows,
        flowchart(
            GRAPH_DIRECTION,
            [nodes[number] for number in sorted(nodes)],
            [line for source in sorted(edges) for _, line in edges[source]],
            [f"adr{number}" for number in sorted(superseded)],
        ),
    )


def _names(record: Record, by_number: dict[int, str]) -> dict[int, list[str]]:
    """The folder's names by number, for the numbers the record's row may name."""
    wanted = [link.target_number for link in record.links] + [record.status_reference]
    return {n: [by_number[n]] for n in wanted if n is not None and n in by_number}
