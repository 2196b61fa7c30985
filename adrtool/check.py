"""`adrtool check`: everything that can be wrong with a folder of records, one line each."""

from __future__ import annotations

import os
from pathlib import Path

from adrtool._files import TEMP_GLOB
from adrtool._markdown import INLINE_CODE, INLINE_LINK, anchors, outside_fences, split_lines
from adrtool.errors import AdrError
from adrtool.folder import AdrFolder, Problem
from adrtool.index import render_index, sorted_records
from adrtool.index_file import (
    EDITED,
    EDITED_FIX,
    IndexState,
    read_index,
    same_page,
    stamped,
    state_of,
)
from adrtool.names import RECORD_NAME
from adrtool.records import DATE, Record, Relation


def check_folder(folder: AdrFolder) -> list[Problem]:
    records, problems = folder.read_all()
    records = sorted_records(records)
    by_number: dict[int, list[Record]] = {}
    for record in records:
        by_number.setdefault(record.number, []).append(record)
    by_name = {record.path.name: record for record in records}
    anchor_cache: dict[Path, set[str] | None] = {}

    stray = folder.stray_message()
    if stray is not None:
        problems.append(Problem(folder.path, 1, stray))
    for number, group in by_number.items():
        # Two records of one day share a date id's number, and are not a merge accident.
        if len(group) > 1 and not all(record.dated for record in group):
            for record in group:
                others = ", ".join(o.path.name for o in group if o is not record)
                problems.append(
                    Problem(
                        record.path,
                        1,
                        f"number {number} is also used by {others} (two branches merged?); "
                        f"give one of them a new number with 'adrtool renumber PATH'",
                    )
                )
    problems += _leftover_temp_files(folder)
    problems += _one_record_under_two_numbers(records)
    for record in records:
        problems += _check_record(record, by_name, anchor_cache)
    problems += _check_index(folder, records)
    problems.sort(key=lambda p: (str(p.path), p.line, p.message))
    return problems


def _check_index(folder: AdrFolder, records: list[Record]) -> list[Problem]:
    """A stale or hand-edited index adrtool keeps; a page it does not keep is not its business."""
    try:
        current = read_index(folder.index_path)
    except AdrError as error:
        return [Problem(folder.index_path, 1, str(error).removeprefix(f"{folder.index_path}: "))]
    state = state_of(current)
    if state is IndexState.EDITED:
        return [Problem(folder.index_path, 1, f"{EDITED}; {EDITED_FIX}")]
    if state is IndexState.OURS and not same_page(current, stamped(render_index(records))):
        return [
            Problem(folder.index_path, 1, "the index is stale; regenerate it with 'adrtool index'")
        ]
    return []


def _one_record_under_two_numbers(records: list[Record]) -> list[Problem]:
    """Two files with one name but the number, and one text but the heading's number.

    What a renumber that copies and then deletes leaves when it is stopped in between; two
    records of one title differ at least in their dates or bodies.
    """
    found: list[Problem] = []
    by_slug: dict[str, list[Record]] = {}
    for record in records:
        match = RECORD_NAME.match(record.path.name)
        slug = match.group("slug") if match else record.path.stem
        by_slug.setdefault(slug, []).append(record)
    for group in by_slug.values():
        for record in group:
            same = [
                other.path.name
                for other in group
                if other is not record and _without_number(other) == _without_number(record)
            ]
            if same:
                found.append(
                    Problem(
                        record.path,
                        1,
                        f"holds the same text as {', '.join(same)} under another number (a "
                        "stopped renumber?); delete the copy that other records do not link to",
                    )
                )
    return found


def _without_number(record: Record) -> str:
    return record.dialect.set_heading_number(record.text, 0)


def check_record(folder: AdrFolder, path: Path) -> list[Problem]:
    """What `adrtool check` finds in one record of ``folder``, in line order.

    Only the record's own problems: not the folder's (a number another record also uses, a stale
    index), which a tool showing one record at a time, as snippetcheck does, cannot judge.
    """
    records, problems = folder.read_all()
    by_name = {record.path.name: record for record in records}
    found = [problem for problem in problems if problem.path == path]
    record = by_name.get(path.name)
    if record is not None and record.path == path:
        found += _check_record(record, by_name, {})
    found.sort(key=lambda p: (p.line, p.message))
    return found


def _check_record(
    record: Record, by_name: dict[str, Record], anchor_cache: dict[Path, set[str] | None]
) -> list[Problem]:
    found: list[Problem] = []

    def problem(line: int | None, message: str) -> None:
        found.append(Problem(record.path, line or 1, message))

    dialect = record.dialect
    if not record.title:
        problem(1, f"the record has no title heading; add {dialect.title_hint}")
    elif record.heading_number is not None and record.heading_number != record.number:
        problem(
            record.title_line,
            f"the heading says {record.heading_number} but the file name says {record.number}; "
            "make them agree",
        )
    if record.date is None:
        if "date" not in dialect.optional_fields:
            problem(record.title_line, f"the record has no date; add {dialect.date_hint}")
    elif not DATE.match(record.date):
        problem(record.date_line, f"date {record.date!r} is not written as YYYY-MM-DD")

    if record.status_text is None and not record.superseded_by:
        if "status" not in dialect.optional_fields:
            problem(
                record.title_line,
                f"the record has no status; set one with 'adrtool status {record.ident} STATUS'",
            )
    elif record.status_text is not None and record.written_status is None:
        problem(
            record.status_line,
            f"unknown status {record.status_text!r}; use one of: {', '.join(record.statuses)}, "
            "or add it to [tool.adrtool] statuses in pyproject.toml",
        )
    elif (
        record.superseded_by
        and record.status_text is not None
        and record.written_status != "superseded"
    ):
        problem(
            record.status_line,
            f"status is {record.status_text!r} but the record is superseded by "
            f"{', '.join(map(str, record.superseded_by))}; "
            f"run 'adrtool status {record.ident} superseded'",
        )

    for link in record.links:
        target = by_name.get(link.target_name)
        if target is None:
            continue  # reported with the other links below
        if link.kind is Relation.SUPERSEDES and not _links_back(
            target, record, Relation.SUPERSEDED_BY
        ):
            problem(
                link.line,
                f"supersedes {target.path.name}, which has no 'Superseded by' link back "
                f"(an interrupted supersede?); run 'adrtool link {record.ident} Supersedes "
                f'{target.ident} "Superseded by"\'',
            )
        if (
            link.kind is Relation.SUPERSEDED_BY
            and not link.in_status
            and not _links_back(target, record, Relation.SUPERSEDES)
        ):
            problem(
                link.line,
                f"is superseded by {target.path.name}, which has no 'Supersedes' link back; "
                f"run 'adrtool link {target.ident} Supersedes {record.ident} \"Superseded by\"'",
            )
        if (
            link.kind is Relation.OTHER
            and target is not record
            and not any(back.target_name == record.path.name for back in target.links)
        ):
            problem(
                link.line,
                f"links to {target.path.name} as {link.relation!r}, which has no link back; "
                f'add one with \'adrtool link {record.ident} "{link.relation}" {target.ident} '
                "REVERSE', REVERSE being the wording for the other side",
            )
    if record.status_reference is not None and not any(
        r.number == record.status_reference for r in by_name.values()
    ):
        problem(
            record.status_line,
            f"status names ADR-{record.status_reference:04d}, which does not exist",
        )
    found += _check_links(record, anchor_cache)
    return found


def _leftover_temp_files(folder: AdrFolder) -> list[Problem]:
    """Temp files that an adrtool killed mid-write left: the write they held never happened.

    Every file of a change is written to a temp file first and replaced only when all are
    written, so the file a temp file was for still holds its old text.
    """
    return [
        Problem(
            temp,
            1,
            "a temp file an interrupted adrtool left behind; delete it (the file it was "
            "writing kept its old text)",
        )
        for temp in sorted(folder.path.glob(TEMP_GLOB))
    ]


def _links_back(target: Record, record: Record, kind: Relation) -> bool:
    if kind is Relation.SUPERSEDED_BY and target.status_reference == record.number:
        return True
    return any(link.kind is kind and link.target_name == record.path.name for link in target.links)


def _check_links(record: Record, anchor_cache: dict[Path, set[str] | None]) -> list[Problem]:
    """Relative links in the record must reach a file, and an anchor a heading or id there."""
    found: list[Problem] = []
    lines, _ = split_lines(record.text)
    for index, line in outside_fences(lines):
        for match in INLINE_LINK.finditer(INLINE_CODE.sub("", line)):
            href = match.group("href")
            if "://" in href or href.startswith(("mailto:", "/", "<")):
                continue
            path_part, _, anchor = href.partition("#")
            # "0015-dns.jpg?raw=true" names the file 0015-dns.jpg.
            path_part = path_part.split("?", 1)[0]
            target = (
                Path(os.path.normpath(record.path.parent / path_part)) if path_part else record.path
            )
            if path_part and not target.exists():
                found.append(
                    Problem(record.path, index + 1, f"links to {path_part}, which does not exist")
                )
                continue
            if anchor and target.suffix == ".md":
                offered = _anchors(target, anchor_cache)
                if offered is not None and anchor not in offered:
                    found.append(
                        Problem(
                            record.path,
                            index + 1,
                            f"links to #{anchor} in {target.name}, which has no such heading",
                        )
                    )
    return found


def _anchors(path: Path, cache: dict[Path, set[str] | None]) -> set[str] | None:
    if path not in cache:
        try:
            cache[path] = anchors(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    return cache[path]
