"""The code blocks of a Markdown page as the site renders them: one rule for every tool.

The site renders with Python-Markdown and Material's ``pymdownx`` extensions (mkdocs.yml), and
that renderer decides what a reader sees as code. This module follows its rule without importing
it, so that adrtool keeps click as its only dependency:

* A **fence** is found the way ``pymdownx.superfences`` finds it, before any other parsing: an
  opening run of three or more backticks or tildes after any indentation (and ``>`` of a
  blockquote), an info string superfences accepts, body lines indented at least as far as the
  opening line, and a closing line of *exactly* the opening run (a four-backtick fence is not
  closed by a three-backtick line). A fence that never closes is no fence.
* Where the fence then lands decides how it is shown. In the page, a list item, an admonition,
  ``???`` details or a content tab, it is a code block. Indented four columns past the block it
  would belong to (after a paragraph, at the start of the page), it is the text of an **indented
  code block**, fence lines and all. Inside a blockquote or a raw HTML block it is code the page
  shows, in a place tools that read pages may not look.
* An **indented code block** (four spaces after a paragraph, heading or the page start) is code.
* An HTML comment that starts within three columns of the line start is hidden from readers,
  whatever lines it spans; a one-line comment deeper inside a list or admonition is hidden too;
  a comment of several lines indented four columns or more is shown as text (its lines become
  paragraphs and headings).
* Include directives (``--8<--`` of pymdownx.snippets, ``{!file!}`` of markdown-include) are
  listed as blocks of their own: the code they pull in is not on the page.

``tests/test_markdown_blocks.py`` holds this module against Python-Markdown itself, configured as
mkdocs.yml, on fixture pages in several projects' styles; the site build holds it against every
page of ``docs/`` (``tools/snippet_gate.py``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Python-Markdown's tab_length: how far a list item's or an admonition's content is indented.
TAB_LENGTH = 4

# superfences' opening line after the prefix: its language, then attributes in braces, options
# (``key`` or ``key="value"``), or anything else, which it refuses.
_FENCE_START = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w\#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\})
        | (?P<options>
            (?:(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$))+
        )
        | (?P<unrecognized>(?:([ \t]*[^\s]+)(?=[\t ]|$))+)
    )?[ \t]*$
    """
)
_OPTION = re.compile(
    r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>"|')(?P<value>.*?)(?P=quot))?"""
)
_HL_LINES = re.compile(r"^\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$")
_LINENUMS = re.compile(r"[\d]+(?:[ \t]+[\d]+)?(?:[ \t]+[\d]+)?")
# The options pymdownx.highlight takes in the short form; any other makes the line no fence.
_HIGHLIGHT_OPTIONS: dict[str, re.Pattern[str] | None] = {
    "hl_lines": _HL_LINES,
    "linenums": _LINENUMS,
    "title": None,
    "title_mode": None,
}
# Custom fences of mkdocs.yml (superfences' default validator): any short-form option refuses.
CUSTOM_FENCES = frozenset({"mermaid"})

_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+\.)[ ]+")
# Admonitions, pymdownx.details, pymdownx.tabbed, footnote definitions: containers whose
# content is indented by TAB_LENGTH.
_CONTAINER = re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?|===[+!]{0,2})[ ]|^ {0,3}\[\^[^\]]+\]:")
_INCLUDE = re.compile(r"^\s*(?:-{1,}8<-{1,}\s|-{1,}8<-{1,}$|\{!.+!\}\s*$)")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
_HTML_START = re.compile(r"^ {0,3}<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")
# Python-Markdown's block-level tags: a raw HTML block starts with one of them.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "canvas",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "listing",
        "main",
        "math",
        "menu",
        "nav",
        "noframes",
        "noscript",
        "object",
        "ol",
        "output",
        "p",
        "pre",
        "script",
        "section",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "video",
    ]
)
_VOID_TAGS = frozenset({"hr"})


class Position(enum.Enum):
    """Where the renderer puts a block, which decides whether a tool that runs code may run it."""

    PAGE = "in the page"  # top level, list items, admonitions, details, content tabs
    INDENTED = "in an indented code block"
    BLOCKQUOTE = "in a blockquote"
    HTML = "in a raw HTML block"
    COMMENT = "in an HTML comment"  # never shown


class BlockKind(enum.Enum):
    FENCE = "fence"
    INDENTED = "indented code block"
    INCLUDE = "include directive"


@dataclass(frozen=True)
class CodeBlock:
    """One block of code as the reader sees it, with its page lines (1-based).

    ``line`` is the opening fence's line (the first code line of an indented block, the
    directive's line); ``end_line`` the closing fence's (the last code line). ``body`` is the
    code as shown, dedented; ``first`` and ``last`` are the page lines of its first and last line.
    """

    kind: BlockKind
    line: int
    end_line: int
    body: tuple[str, ...]
    position: Position
    info: str = ""
    indent: int = 0
    fence: str = ""
    # An indented code block that holds what the writer meant as a fence (its opening line).
    swallowed_fence: int | None = None

    @property
    def first(self) -> int:
        return self.line + 1 if self.kind is BlockKind.FENCE else self.line

    @property
    def last(self) -> int:
        return self.first + len(self.body) - 1

    @property
    def code(self) -> str:
        return "\n".join(self.body) + "\n" if self.body else ""

    @property
    def includes(self) -> bool:
        """Whether the block's code is an include directive, filled in by an extension."""
        return any(_INCLUDE.match(line) for line in self.body)

    @property
    def shown(self) -> bool:
        """Whether the site shows the block as code (a block in a comment is never shown)."""
        return self.position is not Position.COMMENT and self.kind is not BlockKind.INCLUDE


@dataclass(frozen=True)
class Comment:
    """An HTML comment of the page: its lines, its text, and whether readers see it."""

    line: int
    end_line: int
    indent: int
    lines: tuple[str, ...]
    hidden: bool


@dataclass(frozen=True)
class Blocks:
    """Every code block and comment of a page, in page order."""

    code: tuple[CodeBlock, ...]
    comments: tuple[Comment, ...]


def normalized(code: str) -> str:
    """Code text compared between a page and its HTML: no trailing spaces or outer blank lines."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines()).strip("\n")


@dataclass
class _Fence:
    start: int  # 0-based index of the opening line
    end: int  # 0-based index of the closing line
    prefix: str  # the opening line's spaces and ">" characters
    fence: str
    info: str
    body: list[str]


def _valid_info(match: re.Match[str]) -> bool:
    """Whether superfences, as mkdocs.yml configures it, accepts the opening line's info."""
    if match["unrecognized"]:
        return False
    if match["attrs"] is not None:
        return True
    lang = match["lang"] or ""
    values = {m["key"]: m["value"] for m in _OPTION.finditer(match["options"] or "")}
    if lang in CUSTOM_FENCES:
        return not values
    for key, value in values.items():
        if key.startswith("data-"):
            continue
        if key not in _HIGHLIGHT_OPTIONS or value is None:
            return False
        pattern = _HIGHLIGHT_OPTIONS[key]
        if pattern is not None and not pattern.match(value):
            return False
    return True


def _prefix(line: str) -> str:
    """The leading spaces and blockquote ">" characters of a line."""
    return line[: len(line) - len(line.lstrip(" >"))]


def _split_prefix(line: str, width: int) -> tuple[str, str]:
    """A body line split as superfences reads it: up to ``width`` prefix characters, the rest."""
    count = 0
    while count < min(width, len(line)) and line[count] in " >":
        count += 1
    return line[:count], line[count:]


def _read_line(current: _Fence, line: str, blank_run: int) -> str:
    """What superfences makes of a line inside an open fence: abandon, close, blank or code."""
    width = len(current.prefix)
    quote_level = current.prefix.count(">")
    ws, content = _split_prefix(line, width)
    level = ws.count(">")
    closes = re.match(re.escape(current.fence) + r"[ \t]*$", content) is not None
    if quote_level:
        if level > quote_level:
            return "abandon"
        if content == "":
            return "blank"
        if len(ws) < width or (blank_run and level < quote_level):
            return "abandon"
        return "close" if closes else "code"
    if level:
        return "abandon"  # a blockquote line, the fence not in one
    if (ws + content).strip() == "":
        return "blank"
    if len(ws) != width:
        return "abandon"  # not indented as the opening line
    return "close" if closes and not content.startswith((" ", "\t")) else "code"


def _fences(lines: Sequence[str]) -> list[_Fence]:
    """The fences superfences' preprocessor finds, read line by line as it reads them.

    A line that breaks an open fence (too little indentation, a blockquote line outside the
    quote) abandons it, and is not itself read as an opening line: superfences does the same.
    """
    found: list[_Fence] = []
    current: _Fence | None = None
    blank_run = 0
    for index, line in enumerate(lines):
        if current is None:
            if "```" not in line and "~~~" not in line:
                continue  # most lines: no regular expression needed (adrtool reads 10,000s)
            prefix = _prefix(line)
            match = _FENCE_START.match(line, len(prefix))
            if match is not None and _valid_info(match):
                info = line[len(prefix) + len(match["fence"]) :].strip()
                current = _Fence(index, -1, prefix, match["fence"], info, [])
                blank_run = 0
            continue
        action = _read_line(current, line, blank_run)
        if action == "abandon":
            current = None
        elif action == "close":
            current.end = index
            found.append(current)
            current = None
        else:
            # Superfences counts blank lines only inside blockquotes, where they end a quote.
            blank_run = blank_run + 1 if action == "blank" else 0
            current.body.append(line[len(current.prefix) :])
    return found


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


@dataclass(frozen=True)
class _Entry:
    """A line as the block parser sees it: a fence is one placeholder line, an HTML block too."""

    number: int  # 0-based page line
    text: str
    fence: int | None = None  # index into the page's fences
    html: bool = False

    def dedented(self, width: int) -> _Entry:
        return _Entry(
            self.number, self.text[min(width, _indent(self.text)) :], self.fence, self.html
        )


_PLACEHOLDER = "\x02"  # never in a page after expandtabs; not a space, so it starts a block
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_QUOTE = re.compile(r"^ {0,3}>")


class _Layout:
    """Python-Markdown's block parser, reduced to what decides where code lands."""

    def __init__(self, lines: Sequence[str], fences: Sequence[_Fence]) -> None:
        self.lines = lines
        self.fences = fences
        self.positions: dict[int, Position] = {}
        self.indented: list[CodeBlock] = []

    def run(self, entries: list[_Entry], quoted: bool) -> None:
        # The kind of the block before matters only where a container takes the indented blocks
        # after it; each container branch below takes them itself, so no state is kept.
        chunks = _chunks(entries)
        index = 0
        while index < len(chunks):
            chunk = chunks[index]
            first = chunk[0]
            index += 1
            if first.html:
                continue
            if _indent(first.text) >= TAB_LENGTH:
                taken, rest = self._code(chunks, index - 1, quoted)
                index = taken
                if rest:
                    chunks.insert(index, rest)
            elif first.fence is not None and first.text.lstrip(" ") == _PLACEHOLDER:
                self._place(chunk, quoted)
            elif _QUOTE.match(first.text):
                stripped = [
                    _Entry(e.number, re.sub(r"^ {0,3}> ?", "", e.text), e.fence, e.html)
                    for e in chunk
                ]
                self.run(stripped, quoted=True)
            elif _LIST_ITEM.match(first.text):
                index = self._list(chunks, index - 1, quoted)
            elif _CONTAINER.match(first.text):
                index = self._container(chunks, index - 1, quoted)
            else:
                heading = next((n for n, e in enumerate(chunk) if _HEADING.match(e.text)), None)
                if heading is not None and heading + 1 < len(chunk):
                    # A heading line ends the paragraph; the lines after it are a new block.
                    self._place(chunk[: heading + 1], quoted)
                    chunks.insert(index, chunk[heading + 1 :])
                else:
                    self._place(chunk, quoted)

    def _place(self, chunk: Sequence[_Entry], quoted: bool) -> None:
        """Fences inside a paragraph-like block: shown as code where they are."""
        for entry in chunk:
            if entry.fence is not None:
                self.positions[entry.fence] = Position.BLOCKQUOTE if quoted else Position.PAGE

    def _following(self, chunks: list[list[_Entry]], index: int) -> tuple[list[_Entry], int]:
        """The chunks after ``index`` indented TAB_LENGTH or more, joined, and the next index."""
        content: list[_Entry] = []
        index += 1
        while index < len(chunks) and _indent(chunks[index][0].text) >= TAB_LENGTH:
            if not chunks[index][0].html:
                content.append(_Entry(-1, ""))
                content.extend(chunks[index])
            index += 1
        return content, index

    def _code(
        self, chunks: list[list[_Entry]], index: int, quoted: bool
    ) -> tuple[int, list[_Entry]]:
        """An indented code block from chunk ``index`` on; the next index, and any lazy rest."""
        body: list[str] = []
        numbers: list[int] = []
        swallowed: int | None = None
        rest: list[_Entry] = []
        while index < len(chunks) and _indent(chunks[index][0].text) >= TAB_LENGTH:
            if body:
                body.append("")
            for position, entry in enumerate(chunks[index]):
                if _indent(entry.text) < TAB_LENGTH and entry.text.strip():
                    rest = list(chunks[index][position:])
                    break
                if entry.fence is None:
                    body.append(entry.text[TAB_LENGTH:])
                    numbers.append(entry.number)
                    continue
                fence = self.fences[entry.fence]
                self.positions[entry.fence] = Position.INDENTED
                swallowed = fence.start if swallowed is None else swallowed
                shift = len(fence.prefix) - _indent(entry.text) + TAB_LENGTH
                for number in range(fence.start, fence.end + 1):
                    text = self.lines[number]
                    body.append(text[min(shift, _indent(text)) :])
                    numbers.append(number)
            index += 1
            if rest:
                break
        while body and not body[-1].strip():
            body.pop()
        self.indented.append(
            CodeBlock(
                BlockKind.INDENTED,
                numbers[0] + 1,
                numbers[-1] + 1,
                tuple(body),
                Position.BLOCKQUOTE if quoted else Position.INDENTED,
                swallowed_fence=None if swallowed is None else swallowed + 1,
            )
        )
        return index, rest

    def _list(self, chunks: list[list[_Entry]], index: int, quoted: bool) -> int:
        """A list's items, each parsed as blocks of its own; returns the next chunk's index."""
        items: list[list[_Entry]] = []
        for entry in chunks[index]:
            item = _LIST_ITEM.match(entry.text)
            if item and _indent(entry.text) < TAB_LENGTH:
                items.append([_Entry(entry.number, entry.text[item.end() :], entry.fence)])
            elif entry.text.startswith(" " * TAB_LENGTH):
                items[-1].append(entry.dedented(TAB_LENGTH))
            else:
                items[-1].append(entry)
        content, index = self._following(chunks, index)
        items[-1].extend(e.dedented(TAB_LENGTH) for e in content)
        for item_entries in items:
            self.run(item_entries, quoted)
        return index

    def _container(self, chunks: list[list[_Entry]], index: int, quoted: bool) -> int:
        """An admonition, details, tab or footnote: its indented content, parsed as blocks."""
        chunk = chunks[index]
        content: list[_Entry] = []
        for position, entry in enumerate(chunk[1:], start=1):
            if not entry.text.startswith(" " * TAB_LENGTH):
                chunks.insert(index + 1, chunk[position:])
                break
            content.append(entry.dedented(TAB_LENGTH))
        else:
            following, index = self._following(chunks, index)
            content.extend(e.dedented(TAB_LENGTH) for e in following)
            self.run(content, quoted)
            return index
        self.run(content, quoted)
        return index + 1


def _chunks(entries: Sequence[_Entry]) -> list[list[_Entry]]:
    """Entries split into blocks at blank lines, as Python-Markdown splits a page."""
    chunks: list[list[_Entry]] = []
    current: list[_Entry] = []
    for entry in entries:
        if entry.text.strip():
            current.append(entry)
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _html_end(lines: Sequence[str], start: int, skip: frozenset[int], tag: str | None) -> int:
    """The last line of a raw HTML block (a comment when ``tag`` is None) starting at ``start``."""
    if tag is None:
        for index in range(start, len(lines)):
            offset = lines[index].find("<!--") + 4 if index == start else 0
            if index not in skip and "-->" in lines[index][offset:]:
                return index
        return len(lines) - 1
    if tag in _VOID_TAGS:
        return start
    opening = re.compile(rf"<{tag}(?=[\s/>]|$)", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    depth = 0
    for index in range(start, len(lines)):
        if index in skip:
            continue
        depth += len(opening.findall(lines[index])) - len(closing.findall(lines[index]))
        if depth <= 0:
            return index
    return len(lines) - 1


_Regions = dict[int, tuple[int, bool]]  # a raw HTML block's first line -> (last line, comment?)


def _entries(lines: Sequence[str], fences: Sequence[_Fence]) -> tuple[list[_Entry], _Regions]:
    """The lines as the block parser meets them, and the raw HTML blocks (comments included).

    Like Python-Markdown, fences are taken out first; then a line starting, within three
    columns, a comment or a block-level tag starts a raw HTML block, a block of its own.
    """
    in_fence = {index: n for n, f in enumerate(fences) for index in range(f.start, f.end + 1)}
    skip = frozenset(in_fence)
    entries: list[_Entry] = []
    regions: _Regions = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if index in in_fence:
            fence = fences[in_fence[index]]
            if index == fence.start:
                entries.append(_Entry(index, fence.prefix + _PLACEHOLDER, in_fence[index]))
            index += 1
            continue
        html = _HTML_START.match(line)
        tag = html["tag"].lower() if html else ""
        if _COMMENT_START.match(line) or tag in BLOCK_TAGS:
            is_comment = html is None
            end = _html_end(lines, index, skip, None if is_comment else tag)
            regions[index] = (end, is_comment)
            entries += [_Entry(index, ""), _Entry(index, _PLACEHOLDER, html=True), _Entry(end, "")]
            index = end + 1
            continue
        entries.append(_Entry(index, line))
        index += 1
    return entries, regions


def _fence_blocks(fences: Sequence[_Fence], layout: _Layout, regions: _Regions) -> list[CodeBlock]:
    """The fences as code blocks where the layout placed them (those in indented code excepted)."""
    blocks = []
    for number, fence in enumerate(fences):
        position = layout.positions.get(number, Position.PAGE)
        for start, (end, is_comment) in regions.items():
            if start <= fence.start <= end:
                position = Position.COMMENT if is_comment else Position.HTML
        if position is Position.INDENTED:
            continue  # shown as the text of its indented code block, listed there
        body = tuple(fence.body)
        blocks.append(
            CodeBlock(
                BlockKind.FENCE,
                fence.start + 1,
                fence.end + 1,
                body,
                position,
                fence.info,
                _indent(fence.prefix),
                fence.fence,
            )
        )
    return blocks


def _outside_blocks(
    lines: Sequence[str], taken: frozenset[int]
) -> tuple[list[Comment], list[CodeBlock]]:
    """Comments below raw HTML's three columns, and include directives, outside ``taken``.

    A one-line comment there is inline HTML, hidden; one of several lines is shown as text.
    """
    comments: list[Comment] = []
    includes: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if index not in taken and line.lstrip(" ").startswith("<!--"):
            end = _html_end(lines, index, taken, None)
            comment = tuple(lines[index : end + 1])
            comments.append(Comment(index + 1, end + 1, _indent(line), comment, end == index))
            index = end + 1
            continue
        if index not in taken and _INCLUDE.match(line):
            block = CodeBlock(
                BlockKind.INCLUDE, index + 1, index + 1, (line.strip(),), Position.PAGE
            )
            includes.append(block)
        index += 1
    return comments, includes


def scan(text: str) -> Blocks:
    """Every code block and HTML comment of a page's text, as the site renders them."""
    lines = text.expandtabs(TAB_LENGTH).splitlines()
    fences = _fences(lines)
    entries, regions = _entries(lines, fences)
    layout = _Layout(lines, fences)
    layout.run(entries, quoted=False)
    code = [*layout.indented, *_fence_blocks(fences, layout, regions)]
    taken = {n for block in code for n in range(block.line - 1, block.end_line)}
    taken.update(n for f in fences for n in range(f.start, f.end + 1))
    taken.update(n for start, (end, _) in regions.items() for n in range(start, end + 1))
    comments = [
        Comment(start + 1, end + 1, _indent(lines[start]), tuple(lines[start : end + 1]), True)
        for start, (end, is_comment) in regions.items()
        if is_comment
    ]
    more_comments, includes = _outside_blocks(lines, frozenset(taken))
    code += includes
    code.sort(key=lambda block: block.line)
    comments = sorted([*comments, *more_comments], key=lambda comment: comment.line)
    return Blocks(tuple(code), tuple(comments))


def fenced_lines(lines: Sequence[str]) -> frozenset[int]:
    """0-based indexes of the lines of every fence (opening and closing lines included)."""
    joined = "\n".join(lines)
    if "```" not in joined and "~~~" not in joined:
        return frozenset()  # most records: adrtool reads tens of thousands of them
    expanded = [line.expandtabs(TAB_LENGTH) for line in lines] if "\t" in joined else lines
    return frozenset(
        index for fence in _fences(expanded) for index in range(fence.start, fence.end + 1)
    )


def iter_fences(text: str) -> Iterator[CodeBlock]:
    """The fences of a page the site shows as code, in order (with their language and title)."""
    for block in scan(text).code:
        if block.kind is BlockKind.FENCE and block.shown:
            yield block
