"""Pure text edits that the dialects build on. Nothing here touches the disk, and nothing here
knows a dialect: each dialect says which section, list or field its records keep a thing in."""

from __future__ import annotations

import re

from adrtool._markdown import (
    INLINE_LINK,
    LINK_LINE,
    escape_link_text,
    join_lines,
    outside_fences,
    parse_heading,
    section_bounds,
    split_lines,
)
from adrtool.records import FRONT_MATTER_KEY, front_matter_bounds, target_name

# The lookbehind: a search never restarts inside a run of spaces it has already scanned.
YAML_COMMENT = re.compile(r"(?<!\s)\s+#.*$")


def link_line(relation: str, text: str, href: str, bullet: str = "") -> str:
    return f"{bullet}{relation} [{escape_link_text(text)}]({href})"


def has_link(lines: list[str], start: int, end: int, relation: str, href: str) -> bool:
    for line in lines[start:end]:
        match = LINK_LINE.match(line)
        if (
            match
            and match.group("href") == href
            and match.group("relation").strip().lower() == relation.lower()
        ):
            return True
    return False


def add_to_section(
    lines: list[str], bounds: tuple[int, int], new: str, *, as_list: bool
) -> list[str]:
    """``new`` after the section's last non-blank line, one blank line before the next heading,
    as adr-tools' _adr_add_link does. A list stays one list; otherwise ``new`` is a paragraph."""
    start, end = bounds
    last = end - 1
    while last > start and not lines[last].strip():
        last -= 1
    block = [new] if as_list and last > start else ["", new]
    lines[last + 1 : last + 1] = block
    after = last + 1 + len(block)
    if after < len(lines) and lines[after].strip():
        lines.insert(after, "")
    return lines


def add_link_in_section(
    text: str, section: str, relation: str, label: str, href: str, *, bullet: str
) -> str:
    """Add ``relation [label](href)`` to ``## section`` (made at the end if missing); no duplicate.

    ``bullet`` ("* ", "- ") makes the links a list; "" writes each link as its own paragraph.
    """
    lines, newline = split_lines(text)
    bounds = section_bounds(lines, section)
    if bounds is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"## {section}"]
        bounds = (len(lines) - 1, len(lines))
    if has_link(lines, bounds[0], bounds[1], relation, href):
        return text
    add_to_section(lines, bounds, link_line(relation, label, href, bullet), as_list=bool(bullet))
    return join_lines(lines, newline)


def insert_section_before_first_h2(lines: list[str], name: str) -> tuple[int, int]:
    """A ``## name`` section before the first second-level heading (or at the end)."""
    at = len(lines)
    for index, line in outside_fences(lines):
        heading = parse_heading(line)
        if heading and heading[0] == 2:
            at = index
            break
    lines[at:at] = [f"## {name}", ""]
    return at, at + 2


def blank(lines: list[str], index: int) -> bool:
    return 0 <= index < len(lines) and not lines[index].strip()


def set_front_matter(lines: list[str], key: str, value: str, *, quote: bool) -> None:
    """Set ``key`` in the front matter (made if missing); the key as written and a trailing
    comment stay."""
    bounds = front_matter_bounds(lines)
    shown = f'"{yaml_quote(value)}"' if quote else value
    if bounds is None:
        lines[0:0] = ["---", f"{key}: {shown}", "---", ""]
        return
    for index in range(1, bounds[1]):
        match = FRONT_MATTER_KEY.match(lines[index])
        if match and match.group("key").lower() == key:
            # The pattern keeps the value's surrounding spaces (see FRONT_MATTER_KEY).
            comment = yaml_comment(match.group("value").strip())
            lines[index] = f"{match.group('key')}: {shown}{comment}"
            return
    lines.insert(bounds[1], f"{key}: {shown}")


def front_matter_keys(lines: list[str]) -> list[str]:
    bounds = front_matter_bounds(lines)
    if bounds is None:
        return []
    return [
        match.group("key")
        for line in lines[1 : bounds[1]]
        if (match := FRONT_MATTER_KEY.match(line))
    ]


def front_matter_raw(lines: list[str], key: str) -> str | None:
    bounds = front_matter_bounds(lines)
    if bounds is None:
        return None
    for index in range(1, bounds[1]):
        match = FRONT_MATTER_KEY.match(lines[index])
        if match and match.group("key").lower() == key:
            return match.group("value").strip()
    return None


def yaml_comment(raw: str) -> str:
    """The ``  # comment`` that ends a YAML scalar, if any (a # inside quotes is not one)."""
    rest = raw
    if raw and raw[0] in "\"'":
        close = raw.find(raw[0], 1)
        rest = raw[close + 1 :] if close > 0 else ""
    comment = YAML_COMMENT.search(rest)
    return comment.group(0) if comment else ""


def yaml_quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def relabel_patterns(old: int, new: int) -> dict[str, str]:
    """Labels that name record ``old`` by number, as Nygard ("3. X") and MADR ("ADR-0003")
    write them, and their renumbered form."""
    return {rf"^{old}\.(?=\s)": f"{new}.", rf"^ADR-0*{old}\b": f"ADR-{new:04d}"}


def retarget_links(
    text: str,
    old_name: str,
    new_name: str,
    relabel: dict[str, str] | None = None,
) -> str:
    """Point every link to ``old_name`` at ``new_name``; ``relabel`` maps a link text (the old
    label) to the new one, for the relation lines that name the record by number."""
    lines, newline = split_lines(text)
    changed = False

    def new_href(match: re.Match[str]) -> str:
        href = match.group("href")
        cut = min((i for i in (href.find("#"), href.find("?")) if i >= 0), default=len(href))
        path, rest = href[:cut], href[cut:]
        prefix, _, name = path.rpartition("/")
        if name != old_name:
            return match.group(0)
        start, end = match.span("href")
        whole, offset = match.group(0), match.start()
        new = (f"{prefix}/" if prefix else "") + new_name + rest
        return whole[: start - offset] + new + whole[end - offset :]

    for index, line in outside_fences(lines):
        relabelled = line
        relation = LINK_LINE.match(line)
        if relabel and relation and target_name(relation.group("href")) == old_name:
            label = relation.group("text")
            for old, new in relabel.items():
                label = re.sub(old, new, label, count=1, flags=re.IGNORECASE)
            relabelled = line[: relation.start("text")] + label + line[relation.end("text") :]
        updated = INLINE_LINK.sub(new_href, relabelled)
        if updated != lines[index]:
            lines[index] = updated
            changed = True
    return join_lines(lines, newline) if changed else text
