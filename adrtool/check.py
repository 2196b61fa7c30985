"""`adrtool check`: everything that can be wrong with a folder of records, one line each."""

from __future__ import annotations

import os
from pathlib import Path

from adrtool._files import TEMP_GLOB
from adrtool._markdown import INLINE_CODE, INLINE_LINK, anchors, outside_fences, split_lines
from adrtool.editing import set_heading_number
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
from adrtool.records import DATE, STATUSES, Record, Relation, Style, normalize_status


def check_folder(folder: AdrFolder) -> list[Problem]:
    records, problems = folder.read_all()
    records = sorted_records(records)
    by_number: dict[int, list[Record]] = {}
    for record in records:
        by_number.setdefault(record.number, []).append(record)
    by_name = {record.path.name: record for record in records}
    anchor_cache: dict[Path, set[str] | None] = {}

    for number, group in by_number.items():
        if len(group) > 1:
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
    problems += _one_record_under_two_numbers(records)
    for record in records:
        problems += _check_record(record, by_name, anchor_cache)
    problems += _check_index(folder, records)
    problems += [
        Problem(
            temp,
            1,
            "a temp file left by an adrtool that was stopped while writing; "
            "delete it (the record it was for is whole)",
        )
        for temp in sorted(folder.path.glob(TEMP_GLOB))
    ]
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
        by_slug.setdefault(record.path.name.split("-", 1)[-1], []).append(record)
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
    return set_heading_number(record.text, record.style, 0)


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

    if not record.title:
        heading = "'# N. Title' on its first line" if record.style is Style.NYGARD else "'# Title'"
        problem(1, f"the record has no title heading; add {heading}")
    elif record.heading_number is not None and record.heading_number != record.number:
        problem(
            record.title_line,
            f"the heading says {record.heading_number} but the file name says {record.number}; "
            "make them agree",
        )
    if record.date is None:
        where = (
            "a 'Date: YYYY-MM-DD' line" if record.style is Style.NYGARD else "'date: YYYY-MM-DD'"
        )
        problem(record.title_line, f"the record has no date; add {where}")
    elif not DATE.match(record.date):
        problem(record.date_line, f"date {record.date!r} is not written as YYYY-MM-DD")

    if record.status_text is None and not record.superseded_by:
        problem(
            record.title_line, "the record has no status; set one with 'adrtool status N STATUS'"
        )
    elif record.status_text is not None and normalize_status(record.status_text) is None:
        problem(
            record.status_line,
            f"unknown status {record.status_text!r}; use one of: {', '.join(STATUSES)}",
        )
    elif (
        record.superseded_by
        and record.status_text is not None
        and normalize_status(record.status_text) != "superseded"
    ):
        problem(
            record.status_line,
            f"status is {record.status_text!r} but the record is superseded by "
            f"{', '.join(map(str, record.superseded_by))}; "
            f"run 'adrtool status {record.number} superseded'",
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
                f"(an interrupted supersede?); run 'adrtool link {record.number} Supersedes "
                f'{target.number} "Superseded by"\'',
            )
        if link.kind is Relation.SUPERSEDED_BY and not _links_back(
            target, record, Relation.SUPERSEDES
        ):
            problem(
                link.line,
                f"is superseded by {target.path.name}, which has no 'Supersedes' link back; "
                f"run 'adrtool link {target.number} Supersedes {record.number} \"Superseded by\"'",
            )
        if link.kind is Relation.OTHER and not any(
            back.target_name == record.path.name for back in target.links
        ):
            problem(
                link.line,
                f"{link.relation} {target.path.name}, which has no link back; add it with "
                f"'adrtool link {record.number} \"{link.relation}\" {target.number} REVERSE', "
                "REVERSE being what the other record says, such as 'Amended by'",
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
