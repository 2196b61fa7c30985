"""Small Markdown helpers: sections, links, heading anchors and escaping. No Markdown library;
what is a fence is the one rule of ``adrtool.markdown_blocks``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from adrtool.markdown_blocks import fenced_lines

# An ATX heading; a closing run of #s counts only after a space, so "Use C#" keeps its "#".
HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
TRAILING_HASHES = re.compile(r"(^|[ \t])(#+)$")
# `Relation [text](target)` as adr-tools writes it; the text may hold escaped brackets.
LINK_LINE = re.compile(
    r"^(?P<bullet>\s*[-*+]\s+)?(?P<relation>\S.*?)\s+"
    r"\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<href>[^)\s]+)\)\s*$"
)
INLINE_LINK = re.compile(r"\[(?:\\.|[^\]\\])*\]\((?P<href>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
HTML_COMMENT = re.compile(r"<!--.*?-->")
EXPLICIT_ID = re.compile(r"""\{[^}]*#(?P<attr>[\w-]+)[^}]*\}|\bid=["'](?P<html>[^"']+)["']""")


def split_lines(text: str) -> tuple[list[str], str]:
    """Lines without their endings, and the line ending the text uses."""
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.splitlines(), newline


def join_lines(lines: list[str], newline: str) -> str:
    return newline.join(lines) + newline


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) for each line that is not inside a fenced code block.

    A fence is what the site renders as one (``adrtool.markdown_blocks``): a four-backtick fence
    is not closed by a three-backtick line, and a fence that never closes is no fence.
    """
    fenced = fenced_lines(lines)
    for index, line in enumerate(lines):
        if index not in fenced:
            yield index, line


def section_bounds(lines: list[str], name: str) -> tuple[int, int] | None:
    """(heading index, end index) of the first ``## name`` section; end is the next heading."""
    start: int | None = None
    for index, line in outside_fences(lines):
        heading = HEADING.match(line)
        if start is None:
            if (
                heading
                and len(heading.group(1)) == 2
                and _heading_name(heading.group(2) or "") == name.lower()
            ):
                start = index
        elif heading:
            return start, index
    return None if start is None else (start, len(lines))


def _heading_name(text: str) -> str:
    # MADR 2 and log4brains write "## Links <!-- optional -->": the comment is no part of it.
    if "<!--" in text:
        text = HTML_COMMENT.sub("", text)
    return text.strip().lower()


def first_heading(lines: list[str], start: int = 0, level: int = 1) -> tuple[int, str] | None:
    for index, line in outside_fences(lines):
        if index < start:
            continue
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) == level:
            return index, heading.group(2) or ""
    return None


def heading_text(title: str) -> str:
    """A title as heading text that Markdown shows unchanged: a trailing " #" would otherwise be
    read as the heading's closing sequence and vanish, so its last # is escaped."""
    return TRAILING_HASHES.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\#", title)


def heading_title(text: str) -> str:
    """The inverse of heading_text."""
    return text[:-2] + "#" if text.endswith("\\#") else text


def heading_anchor(text: str) -> str:
    """The id Python-Markdown's toc extension (and so MkDocs) gives a heading."""
    text = re.sub(r"<[^>]*>", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(text: str) -> set[str]:
    """Every anchor a page offers: heading ids (with toc's _1, _2 for repeats) and explicit ids."""
    found: set[str] = set()
    lines, _ = split_lines(text)
    for _, line in outside_fences(lines):
        heading = HEADING.match(line)
        if heading:
            base = heading_anchor(re.sub(r"\{[^}]*\}\s*$", "", heading.group(2) or ""))
            anchor, count = base, 0
            while anchor in found:
                count += 1
                anchor = f"{base}_{count}"
            found.add(anchor)
        for match in EXPLICIT_ID.finditer(line):
            found.add(match.group("attr") or match.group("html"))
    return found


# Characters that start Markdown or HTML syntax anywhere in a line, with the extensions Material
# sites use (emoji :x:, ==mark==, ^^insert^^, ~~delete~~, ++keys++, $math$).
SYNTAX_CHARS = frozenset("\\`*_{}[]<>&|~^=+:$")
# One str.translate per cell: the index escapes three cells of every record.
_SYNTAX_REFERENCES = {ord(c): f"&#{ord(c)};" for c in SYNTAX_CHARS}


def escape_inline(text: str) -> str:
    """Text that renders as itself inside a line: no emphasis, links, table cells or HTML.

    Syntax characters become numeric character references, which every Markdown renderer shows
    as the character and none reads as syntax.
    """
    return text.translate(_SYNTAX_REFERENCES)


def escape_link_text(text: str) -> str:
    """Text safe inside ``[...]`` of a Markdown link, still readable in the source."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def unescape_link_text(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
