"""The generated index page and the decision graph (Mermaid or Graphviz DOT)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adrtool._markdown import escape_inline
from adrtool.names import ident, record_number
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
    import textwrap  # noqa: PLC0415 - compiles its patterns on import; only graphs wrap

    lines = textwrap.wrap(_label(record), _LABEL_WIDTH, break_long_words=False) or [""]
    return "<br>".join(_mermaid_text(line) for line in lines)


def mermaid(records: list[Record], direction: str = "BT", wrap: bool = False) -> str:
    """A Mermaid flowchart of the records and their links, newer records pointing at older.

    `wrap` breaks long titles into lines of a box, for a graph shown on a page.
    """
    ids = _node_ids(records)
    nodes = [node_line(ids[record.path.name], record, wrap) for record in records]
    lines = [
        edge_line(ids[edge.source.path.name], ids[edge.target.path.name], edge.relation)
        for edge in edges(records)
    ]
    superseded = [ids[r.path.name] for r in records if r.status == "superseded"]
    return flowchart(direction, nodes, lines, superseded)


def node_line(node: str, record: Record, wrap: bool) -> str:
    return f'    {node}["{_mermaid_label(record, wrap)}"]'


def edge_line(source: str, target: str, relation: str) -> str:
    return f'    {source} -->|"{_mermaid_text(relation)}"| {target}'


def flowchart(direction: str, nodes: list[str], lines: list[str], superseded: list[str]) -> str:
    """The flowchart's text from its node lines, edge lines and the ids of superseded nodes."""
    parts = [f"flowchart {direction}", *nodes, *lines]
    if superseded:
        parts.append(SUPERSEDED_STYLE)
        parts.append(f"    class {','.join(superseded)} superseded")
    return "\n".join(parts) + "\n"


SUPERSEDED_STYLE = "    classDef superseded stroke-dasharray: 4 4, opacity: 0.7"


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


EMPTY = "\nNo decisions are recorded yet. Record one with `adrtool new TITLE`.\n"
TABLE_HEAD = (
    "\n| Number | Decision | Status | Date | Superseded by |\n| ---: | --- | --- | --- | --- |\n"
)
GRAPH_HEADING = "\n## How the decisions relate\n\n"
NO_LINKS = "No record links to another yet.\n"
# A record with no link would be a box on its own, and a row of them shrinks the graph past
# reading; the table above lists every record.
GRAPH_INTRO = "The records that link to another record, or that another links to:\n\n```mermaid\n"
GRAPH_END = "```\n"
# Right to left: each chain of records is one row, the oldest first, and the rows stack, so the
# graph grows down the page rather than across it.
GRAPH_DIRECTION = "RL"


def render_index(records: list[Record]) -> str:
    """The whole index page. Deterministic: same records, same bytes."""
    if not records:
        return HEADER + EMPTY
    names: dict[int, list[str]] = {}
    for record in records:
        names.setdefault(record.number, []).append(record.path.name)
    rows = [table_row(record, names) for record in records]
    linked = related(records)
    graph = mermaid(linked, direction=GRAPH_DIRECTION, wrap=True) if linked else None
    return page(rows, graph)


def page(rows: list[str], graph: str | None) -> str:
    """The index page from its table rows and its flowchart (None: no record links another)."""
    if not rows:
        return HEADER + EMPTY
    parts = [HEADER, TABLE_HEAD, "\n".join(rows), "\n", GRAPH_HEADING]
    parts += [NO_LINKS] if graph is None else [GRAPH_INTRO, graph, GRAPH_END]
    return "".join(parts)


def table_row(record: Record, names: dict[int, list[str]]) -> str:
    """The record's row of the index table. ``names`` holds the file names of the folder's
    records by number: a successor is linked only when its file is there."""
    title = escape_inline(record.title) if record.title else "(untitled)"
    successors = ", ".join(_successors(record, names))
    return (
        f"| {escape_inline(record.ident)} | [{title}]({record.path.name}) | "
        f"{escape_inline(record.display_status)} | {escape_inline(record.date or '')} | "
        f"{successors} |"
    )


def _successors(record: Record, names: dict[int, list[str]]) -> list[str]:
    """Links to the records that supersede ``record``: named by its links where it has them,
    else by the number its status names (which two merged records may share)."""
    shown: list[str] = []
    for link in record.links:
        if link.kind is not Relation.SUPERSEDED_BY:
            continue
        target = link.target_name
        number = record_number(target)
        if number is not None and target in names.get(number, ()):
            shown.append(f"[{escape_inline(ident(target))}]({target})")
        elif link.target_number is not None:
            shown.append(str(link.target_number))
    if record.status_reference is not None:
        targets = names.get(record.status_reference, [])
        if len(targets) == 1:
            shown.append(f"[{ident(targets[0])}]({targets[0]})")
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
