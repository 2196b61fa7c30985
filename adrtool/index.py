"""The generated index page and the decision graph (Mermaid or Graphviz DOT)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from adrtool._markdown import escape_inline
from adrtool.records import Record, Relation

HEADER = """\
# Architecture decision records

<!-- Made by `adrtool index` from the records in this folder: edit them, not this page. -->

Each record keeps one decision: the context it was made in, the options weighed, what was chosen,
and what follows from it. A record is never rewritten to change its mind; a newer record
supersedes it, and both stay here so the history can be followed.
"""


@dataclass(frozen=True)
class Edge:
    source: Record
    target: Record
    relation: str


def _node_ids(records: list[Record]) -> dict[str, str]:
    """A stable node id per file; a number two files share gets a suffix on the second."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for record in records:
        base = f"adr{record.number}"
        node, count = base, 1
        while node in used:
            count += 1
            node = f"{base}_{count}"
        used.add(node)
        ids[record.path.name] = node
    return ids


def edges(records: list[Record]) -> list[Edge]:
    """One edge per related pair, drawn from the newer record with its own wording.

    Both records of a pair carry a link (``Supersedes`` / ``Superseded by``); drawing both would
    show every relation twice. A link with no link back is drawn as it is.
    """
    by_name = {record.path.name: record for record in records}
    found: list[Edge] = []
    for record in records:
        for link in record.links:
            target = by_name.get(link.target_name)
            if target is None or target is record:
                continue
            linked_back = any(back.target_name == record.path.name for back in target.links)
            newer = (record.number, record.path.name) > (target.number, target.path.name)
            if linked_back and not newer:
                continue
            found.append(Edge(record, target, link.relation))
    return found


# Mermaid reads "#35;" as a character code: no quote, bracket or tag in a title can end the
# label or reach the page as markup. Every ASCII character but letters, digits and " .,-".
_MERMAID_CODES = {
    code: f"#{code};" for code in range(128) if not chr(code).isalnum() and chr(code) not in " .,-"
}


def _mermaid_text(text: str) -> str:
    return text.translate(_MERMAID_CODES)


# Mermaid does not wrap a plain label: a long title would make one box as wide as the page.
_LABEL_WIDTH = 36


def _mermaid_label(record: Record, wrap: bool) -> str:
    if not wrap:
        return _mermaid_text(_label(record))
    lines = textwrap.wrap(_label(record), _LABEL_WIDTH, break_long_words=False) or [""]
    return "<br>".join(_mermaid_text(line) for line in lines)


def mermaid(records: list[Record], direction: str = "BT", wrap: bool = False) -> str:
    """A Mermaid flowchart of the records and their links, newer records pointing at older.

    `wrap` breaks long titles into lines of a box, for a graph shown on a page.
    """
    ids = _node_ids(records)
    lines = [f"flowchart {direction}"]
    for record in records:
        lines.append(f'    {ids[record.path.name]}["{_mermaid_label(record, wrap)}"]')
    for edge in edges(records):
        source, target = ids[edge.source.path.name], ids[edge.target.path.name]
        lines.append(f'    {source} -->|"{_mermaid_text(edge.relation)}"| {target}')
    superseded = [ids[r.path.name] for r in records if r.status == "superseded"]
    if superseded:
        lines.append("    classDef superseded stroke-dasharray: 4 4, opacity: 0.7")
        lines.append(f"    class {','.join(superseded)} superseded")
    return "\n".join(lines) + "\n"


def dot(records: list[Record]) -> str:
    ids = _node_ids(records)
    lines = ["digraph adr {", "    rankdir=BT;", "    node [shape=box, style=rounded];"]
    for record in records:
        style = ', style="rounded,dashed"' if record.status == "superseded" else ""
        lines.append(
            f'    {ids[record.path.name]} [label="{_dot_text(_label(record))}", '
            f'URL="{_dot_text(record.path.name)}"{style}];'
        )
    for edge in edges(records):
        source, target = ids[edge.source.path.name], ids[edge.target.path.name]
        lines.append(f'    {source} -> {target} [label="{_dot_text(edge.relation)}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _label(record: Record) -> str:
    if record.dated:
        # A date id is long and the title says more: the id is in the link.
        return record.title or record.ident
    return f"{record.number}. {record.title}" if record.title else f"{record.number}."


def render_index(records: list[Record]) -> str:
    """The whole index page. Deterministic: same records, same bytes."""
    parts = [HEADER]
    if not records:
        parts.append("\nNo decisions are recorded yet. Record one with `adrtool new TITLE`.\n")
        return "".join(parts)
    by_number: dict[int, list[Record]] = {}
    for record in records:
        by_number.setdefault(record.number, []).append(record)
    by_name = {record.path.name: record for record in records}
    rows = [
        "",
        "| Number | Decision | Status | Date | Superseded by |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for record in records:
        title = escape_inline(record.title) if record.title else "(untitled)"
        successors = ", ".join(_successors(record, by_name, by_number))
        rows.append(
            f"| {escape_inline(record.ident)} | [{title}]({record.path.name}) | "
            f"{escape_inline(record.display_status)} | {escape_inline(record.date or '')} | "
            f"{successors} |"
        )
    parts.append("\n".join(rows) + "\n")
    parts.append("\n## How the decisions relate\n\n")
    linked = related(records)
    if not linked:
        parts.append("No record links to another yet.\n")
        return "".join(parts)
    # A record with no link would be a box on its own, and a row of them shrinks the graph
    # past reading; the table above lists every record.
    parts.append("The records that link to another record, or that another links to:\n\n")
    parts.append("```mermaid\n")
    # Right to left: each chain of records is one row, the oldest first, and the rows stack, so
    # the graph grows down the page rather than across it.
    parts.append(mermaid(linked, direction="RL", wrap=True))
    parts.append("```\n")
    return "".join(parts)


def _successors(
    record: Record, by_name: dict[str, Record], by_number: dict[int, list[Record]]
) -> list[str]:
    """Links to the records that supersede ``record``: named by its links where it has them,
    else by the number its status names (which two merged records may share)."""
    shown: list[str] = []
    for link in record.links:
        target = by_name.get(link.target_name)
        if link.kind is Relation.SUPERSEDED_BY and target is not None:
            shown.append(f"[{escape_inline(target.ident)}]({target.path.name})")
        elif link.kind is Relation.SUPERSEDED_BY and link.target_number is not None:
            shown.append(str(link.target_number))
    if record.status_reference is not None:
        targets = by_number.get(record.status_reference, [])
        if len(targets) == 1:
            shown.append(f"[{targets[0].ident}]({targets[0].path.name})")
        else:
            shown.append(str(record.status_reference))
    return list(dict.fromkeys(shown))


def related(records: list[Record]) -> list[Record]:
    """The records with at least one link, to another record or from one, in their order."""
    ends = {end.path.name for edge in edges(records) for end in (edge.source, edge.target)}
    return [record for record in records if record.path.name in ends]


def sorted_records(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.number, r.path.name))


__all__ = [
    "Edge",
    "Relation",
    "dot",
    "edges",
    "mermaid",
    "related",
    "render_index",
    "sorted_records",
]
