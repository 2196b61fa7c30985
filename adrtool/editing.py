"""Pure text edits of a record, in the style it is written in. Nothing here touches the disk."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from adrtool._markdown import (
    INLINE_LINK,
    LINK_LINE,
    escape_link_text,
    first_heading,
    join_lines,
    outside_fences,
    parse_heading,
    section_bounds,
    split_lines,
)
from adrtool.records import (
    FRONT_MATTER_KEY,
    Relation,
    Style,
    front_matter_bounds,
    front_matter_value,
    nygard_status_index,
    relation_of,
)

# The lookbehind: a search never restarts inside a run of spaces it has already scanned.
YAML_COMMENT = re.compile(r"(?<!\s)\s+#.*$")


def link_line(style: Style, relation: str, text: str, href: str) -> str:
    line = f"{relation} [{escape_link_text(text)}]({href})"
    return f"* {line}" if style is Style.MADR else line


def _has_link(lines: list[str], start: int, end: int, relation: str, href: str) -> bool:
    for line in lines[start:end]:
        match = LINK_LINE.match(line)
        if (
            match
            and match.group("href") == href
            and match.group("relation").strip().lower() == relation.lower()
        ):
            return True
    return False


def add_link(text: str, style: Style, relation: str, target_text: str, href: str) -> str:
    """Add ``relation [target_text](href)`` where the style keeps links; no duplicates."""
    lines, newline = split_lines(text)
    if style is Style.MADR:
        bounds = section_bounds(lines, "Links")
        if bounds is None:
            while lines and not lines[-1].strip():
                lines.pop()
            lines += ["", "## Links"]
            bounds = (len(lines) - 1, len(lines))
    else:
        bounds = section_bounds(lines, "Status") or _insert_status_section(lines)
    start, end = bounds
    if _has_link(lines, start, end, relation, href):
        return text
    # Insert after the section's last non-blank line, keeping one blank line before the next
    # heading, as adr-tools' _adr_add_link does.
    last = end - 1
    while last > start and not lines[last].strip():
        last -= 1
    new = link_line(style, relation, target_text, href)
    # A MADR list stays one list; a Nygard link is its own paragraph.
    block = [new] if style is Style.MADR and last > start else ["", new]
    lines[last + 1 : last + 1] = block
    after = last + 1 + len(block)
    if after < len(lines) and lines[after].strip():
        lines.insert(after, "")
    return join_lines(lines, newline)


def _insert_status_section(lines: list[str]) -> tuple[int, int]:
    """A Nygard record without "## Status" gets one before its first second-level heading."""
    at = len(lines)
    for index, line in outside_fences(lines):
        heading = parse_heading(line)
        if heading and heading[0] == 2:
            at = index
            break
    lines[at:at] = ["## Status", ""]
    return at, at + 2


def set_status(text: str, style: Style, status: str | None) -> str:
    """Make ``status`` the record's status, changing nothing else.

    Only the status line (Nygard) or the ``status:`` value (MADR) changes: notes, bullets and
    links that people wrote in the section stay. For Nygard, None removes the status line and
    lets the "Superseded by" link speak, as adr-tools' ``_adr_remove_status`` does.
    """
    lines, newline = split_lines(text)
    if style is Style.MADR:
        _set_front_matter(lines, "status", status or "superseded")
        return join_lines(lines, newline)
    start, end = section_bounds(lines, "Status") or _insert_status_section(lines)
    index = nygard_status_index(lines, start, end)
    if index is not None:
        if status is not None:
            lines[index] = status
        else:
            del lines[index]
            # The paragraph is gone: keep one blank line where it stood, not two.
            if _blank(lines, index - 1) and _blank(lines, index):
                del lines[index]
    elif status is not None:
        # No status line yet (adr-tools removed it, or the section is new): it goes first.
        at = start + 1
        block = [status] if _blank(lines, at) else ["", status]
        at += 1 if _blank(lines, at) else 0
        if not _blank(lines, at) and at < len(lines):
            block.append("")
        lines[at:at] = block
    return join_lines(lines, newline)


def _blank(lines: list[str], index: int) -> bool:
    return 0 <= index < len(lines) and not lines[index].strip()


def _set_front_matter(lines: list[str], key: str, value: str) -> None:
    bounds = front_matter_bounds(lines)
    rendered = f'{key}: "{_yaml_quote(value)}"' if key == "status" else f"{key}: {value}"
    if bounds is None:
        lines[0:0] = ["---", rendered, "---", ""]
        return
    for index in range(1, bounds[1]):
        match = FRONT_MATTER_KEY.match(lines[index])
        if match and match.group("key").lower() == key:
            # Only the value changes: the key as written and a trailing comment stay.
            value = rendered.split(":", 1)[1]
            comment = _yaml_comment(match.group("value").strip())
            lines[index] = f"{match.group('key')}:{value}{comment}"
            return
    lines.insert(bounds[1], rendered)


def _yaml_comment(raw: str) -> str:
    """The ``  # comment`` that ends a YAML scalar, if any (a # inside quotes is not one)."""
    rest = raw
    if raw and raw[0] in "\"'":
        close = raw.find(raw[0], 1)
        rest = raw[close + 1 :] if close > 0 else ""
    comment = YAML_COMMENT.search(rest)
    return comment.group(0) if comment else ""


def _yaml_quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def madr_status_value(lines: list[str]) -> str | None:
    bounds = front_matter_bounds(lines)
    if bounds is None:
        return None
    for index in range(1, bounds[1]):
        match = FRONT_MATTER_KEY.match(lines[index])
        if match and match.group("key").lower() == "status":
            return front_matter_value(match.group("value"))
    return None


def set_heading_number(text: str, style: Style, number: int) -> str:
    """Give a Nygard heading (``# 3. Title``) a new number; MADR headings carry none."""
    if style is Style.MADR:
        return text
    lines, newline = split_lines(text)
    heading = first_heading(lines)
    if heading is None:
        return text
    index, title = heading
    title = re.sub(r"^\d+\.\s+", "", title)
    lines[index] = f"# {number}. {title}"
    return join_lines(lines, newline)


def retarget_links(
    text: str, style: Style, old_name: str, new_name: str, old_number: int, new_number: int
) -> str:
    """Point every link to ``old_name`` at ``new_name``; in relation lines, renumber the label."""
    lines, newline = split_lines(text)
    changed = False
    points_back_as_successor = False

    def new_href(match: re.Match[str]) -> str:
        path, sep, anchor = match.group("href").partition("#")
        prefix, _, name = path.rpartition("/")
        if name != old_name:
            return match.group(0)
        href = (f"{prefix}/" if prefix else "") + new_name + sep + anchor
        start, end = match.span("href")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + href + whole[end - offset :]

    for index, line in outside_fences(lines):
        relabelled = line
        relation = LINK_LINE.match(line)
        if relation and PurePosixPath(relation.group("href").partition("#")[0]).name == old_name:
            label = _renumber_label(relation.group("text"), old_number, new_number)
            relabelled = line[: relation.start("text")] + label + line[relation.end("text") :]
            if relation_of(relation.group("relation")) is Relation.SUPERSEDED_BY:
                points_back_as_successor = True
        updated = INLINE_LINK.sub(new_href, relabelled)
        if updated != lines[index]:
            lines[index] = updated
            changed = True
    if style is Style.MADR and points_back_as_successor:
        status = madr_status_value(lines)
        if status is not None:
            renumbered = re.sub(
                rf"ADR-0*{old_number}\b", f"ADR-{new_number:04d}", status, flags=re.IGNORECASE
            )
            if renumbered != status:
                _set_front_matter(lines, "status", renumbered)
                changed = True
    return join_lines(lines, newline) if changed else text


def _renumber_label(label: str, old: int, new: int) -> str:
    label = re.sub(rf"^{old}\.(\s)", rf"{new}.\1", label)
    return re.sub(rf"^ADR-0*{old}\b", f"ADR-{new:04d}", label, flags=re.IGNORECASE)
