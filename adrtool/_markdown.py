"""Small Markdown helpers: sections, links, heading anchors and escaping. No Markdown library;
what is a fence is the one rule of ``adrtool.markdown_blocks``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Every pattern here runs in time linear in the line: no lazy run is followed by a run of the
# same characters (a title of 24,000 spaces took a minute to read with such patterns), and no
# unanchored search can restart inside what it has already scanned.
# The opening of an ATX heading: one to six #s, then a space, a tab or the end of the line.
HEADING_OPENING = re.compile(r"#{1,6}(?=[ \t]|$)")
TRAILING_HASHES = re.compile(r"(^|[ \t])(#+)$")
# `Relation [text](target)` as adr-tools writes it; the text may hold escaped brackets. The
# relation runs to the first "[" and must end in white space (the lookbehind).
LINK_LINE = re.compile(
    r"^(?P<bullet>\s*[-*+]\s+)?(?P<relation>[^\s\[][^\[]*)(?<=\s)"
    r"\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<href>[^)\s]+)\)\s*$"
)
# Link text holds no unescaped "[": a search from each "[" stops at the next one.
INLINE_LINK = re.compile(r"\[(?:\\.|[^\[\]\\])*\]\((?P<href>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
EXPLICIT_ID = re.compile(r"""\{[^{}]*#(?P<attr>[\w-]+)[^{}]*\}|\bid=["'](?P<html>[^"']+)["']""")


def parse_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, else None.

    A closing run of #s counts only after a space, so "Use C#" keeps its "#"; a text of #s
    alone is the text.
    """
    opening = HEADING_OPENING.match(line)
    if opening is None:
        return None
    text = line[opening.end() :].strip(" \t")
    without_closing = text.rstrip("#")
    if without_closing != text and without_closing[-1:] in (" ", "\t"):
        text = without_closing.rstrip(" \t")
    return opening.end(), text


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
    fenced = _fenced_lines(lines)
    for index, line in enumerate(lines):
        if index not in fenced:
            yield index, line


def _fenced_lines(lines: list[str]) -> frozenset[int]:
    # Most records hold no fence, and the fence rule's module costs more to import than
    # `adrtool new` spends on everything else of its own: it is imported for the pages that do.
    joined = "\n".join(lines)
    if "```" not in joined and "~~~" not in joined:
        return frozenset()
    from adrtool.markdown_blocks import fenced_lines  # noqa: PLC0415 - see above

    return fenced_lines(lines)


def section_bounds(lines: list[str], name: str) -> tuple[int, int] | None:
    """(heading index, end index) of the first ``## name`` section; end is the next heading."""
    start: int | None = None
    for index, line in outside_fences(lines):
        heading = parse_heading(line)
        if start is None:
            if heading and heading[0] == 2 and _heading_name(heading[1]) == name.lower():
                start = index
        elif heading:
            return start, index
    return None if start is None else (start, len(lines))


def _heading_name(text: str) -> str:
    # MADR 2 and log4brains write "## Links <!-- optional -->": the comment is no part of it.
    return without_comments(text).strip().lower()


def comment_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each closed ``<!-- ... -->`` comment in text.

    Found with str.find, not a lazy pattern: a pattern search restarts at every unclosed
    "<!--" and scans to the end of the line again, which is quadratic in the line.
    """
    position = 0
    while (opening := text.find("<!--", position)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            return
        position = closing + 3
        yield opening, position


def without_comments(text: str, replacement: str = "") -> str:
    """Text with each closed ``<!-- ... -->`` comment replaced."""
    kept: list[str] = []
    position = 0
    for start, end in comment_spans(text):
        kept.append(text[position:start])
        kept.append(replacement)
        position = end
    kept.append(text[position:])
    return "".join(kept)


def first_heading(lines: list[str], start: int = 0, level: int = 1) -> tuple[int, str] | None:
    for index, line in outside_fences(lines):
        if index < start:
            continue
        heading = parse_heading(line)
        if heading and heading[0] == level:
            return index, heading[1]
    return None


# What would make a title live on the built page: a tag or comment (``<``), a link (``[``) and
# a character reference (``&`` before ``name;``). Each becomes a character reference that every
# renderer shows as the character itself; nothing else changes, so the source stays readable.
_LIVE_IN_TEXT = re.compile(r"[<\[]|&(?=#?\w+;)")
_LIVE_REFERENCES = {"<": "&lt;", "[": "&#91;", "&": "&amp;"}
_LIVE_REFERENCE = re.compile(r"&(?:lt|#91|amp);")
_LIVE_CHARACTERS = {value: key for key, value in _LIVE_REFERENCES.items()}


def _inert(text: str) -> str:
    return _LIVE_IN_TEXT.sub(lambda m: _LIVE_REFERENCES[m.group(0)], text)


def _live(text: str) -> str:
    return _LIVE_REFERENCE.sub(lambda m: _LIVE_CHARACTERS[m.group(0)], text)


def heading_text(title: str) -> str:
    """A title as heading text that Markdown shows unchanged, as text and never as markup.

    A trailing " #" would otherwise be read as the heading's closing sequence and vanish, so its
    last # is escaped; a tag, link or character reference is made inert (see _LIVE_IN_TEXT).
    """
    text = _inert(title)
    if text.endswith("\\#"):
        # A title ending in a backslash and "#" would read back as an escaped "#": one more
        # backslash keeps both characters, on the page and for heading_title.
        text = text[:-1] + "\\#"
    return TRAILING_HASHES.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\#", text)


def heading_title(text: str) -> str:
    """The inverse of heading_text."""
    return _live(text[:-2] + "#" if text.endswith("\\#") else text)


def _without_attributes(text: str) -> str:
    """A heading's text without its trailing ``{#id .class}`` attribute list."""
    stripped = text.rstrip()
    if stripped.endswith("}"):
        opening = stripped.find("{", stripped.rfind("}", 0, len(stripped) - 1) + 1)
        if opening >= 0:
            return stripped[:opening]
    return text


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
        heading = parse_heading(line)
        if heading:
            base = heading_anchor(_without_attributes(heading[1]))
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
    """Text safe inside ``[...]`` of a Markdown link, still readable in the source.

    Brackets and backslashes are escaped; a tag or character reference is made inert, since
    Markdown renders raw HTML inside link text too.
    """
    return re.sub(r"([\\\[\]])", r"\\\1", _LIVE_IN_TEXT.sub(_inert_but_brackets, text))


def _inert_but_brackets(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if char == "[" else _LIVE_REFERENCES[char]


def unescape_link_text(text: str) -> str:
    return _live(re.sub(r"\\(.)", r"\1", text))
