"""Find the snippets of a Markdown page: its code blocks, and ``snippetcheck:`` markers.

What is a code block, a comment or prose is the site renderer's rule, kept in one module that
adrtool also uses (``adrtool.markdown_blocks``): fences inside Material admonitions (``!!!``,
``???``), content tabs (``===``) and list items count like top-level ones; a fence the site
shows as the text of an indented code block, a fence in a blockquote or raw HTML, an indented
code block and an include directive are listed as not run, with the reason. Line numbers are
1-based and refer to the page: a snippet's ``start_line``-``end_line`` are its code lines.
The markers are HTML comments the site hides (ADR 13 records the syntax).
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from adrtool.markdown_blocks import BlockKind, Blocks, CodeBlock, Position, scan
from snippetcheck.errors import MarkerError, UnrunnableCommand
from snippetcheck.filecheck import FileKind, file_kind
from snippetcheck.tutorial.shell import ReaderCommand, describe_reader_snippet, parse_fence

PYTHON_LANGS = frozenset({"python", "py", "python3"})
SHELL_LANGS = frozenset({"console", "shell", "sh", "bash", "zsh", "shell-session"})
# Languages whose fences become files when their title is a path; Python is handled first.
FILE_LANGS = frozenset(
    {"html", "django", "htmldjango", "jinja", "jinja2", "text", "txt", "css", "js", "javascript"}
    | {"json", "toml", "ini", "cfg", "yaml", "yml", "sql", "xml", "markdown", "md"}
)
# manage.py commands that never finish on their own: shown to readers, never run.
ENDLESS_COMMANDS = frozenset({"runserver", "shell", "dbshell", "runserver_plus", "testserver"})

_OPTION = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_FILE_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[\w.-]+(?:/[\w.-]+)*\.[A-Za-z0-9]+$")
# The words a ``<!-- snippetcheck: WORD ... -->`` marker may start with.
MARKERS = ("postgres", "skip", "test", "exit", "timeout", "tutorial")
# The page marker of reader mode (snippetcheck/tutorial/): the page runs as a reader types it.
TUTORIAL_MARKER = "<!-- snippetcheck: tutorial -->"
# A development-server address in a tutorial's prose: the reader is told to open it.
_SERVER_URL = re.compile(r"(?:https?://)?(?:127\.0\.0\.1|localhost):8000(?:/[^\s<>()\[\]`\"']*)?")
_INTERPRETER = re.compile(r"^(?:\S*/)?python[0-9.]*$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_OPERATORS = frozenset({"&&", "||", ";", "|", "&", ">", ">>", "<", "<<", ">&", "|&", "(", ")"})
_EXIT_PLACE = "an exit marker must come right before a shell fence with a command the check runs"
_MARKER_PLACE = (
    "the site shows this marker as text: start '<!-- snippetcheck: test' at the beginning of "
    "its line, not indented inside a list item, admonition or tab (end the list before it)"
)
_MARKER = re.compile(r"^(?P<indent>[ ]*)<!--\s*snippetcheck:\s*(?P<body>.*?)\s*(?P<end>-->)?\s*$")


class Kind(enum.Enum):
    """What the check does with a snippet."""

    RUN = "run"  # Python run in the page's namespace, in order
    FILE = "file"  # written as a file into the page's project
    SHELL = "shell"  # manage.py commands, run in the page's project
    TEST = "test"  # hidden code from a marker, run like RUN
    OPEN = "open"  # a tutorial's development-server URL in prose: fetched as the reader would


@dataclass(frozen=True)
class Command:
    """One command of a shell snippet: its page line, its program and its arguments.

    ``program`` is ``manage.py`` (run in the page's Django process) or ``adrtool`` (run as a
    process in the page's folder).
    """

    line: int
    args: tuple[str, ...]
    program: str = "manage.py"
    # NAME=value words before the command: its environment, as in the shell.
    environ: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        assignments = [f"{name}={value}" for name, value in self.environ]
        return shlex.join([*assignments, self.program, *self.args])


@dataclass(frozen=True)
class Snippet:
    """A block of code in a page; ``str()`` is ``path:start-end`` like pytest-examples."""

    path: str
    start_line: int
    end_line: int
    source: str
    kind: Kind
    lang: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    file: str | None = None
    commands: tuple[Command, ...] = ()
    skip_reason: str | None = None
    # From an ``exit N`` marker: the exit status the fence's last command must have.
    expect_exit: int | None = None
    # Lines of a shell fence that are other programs' (git, pip): shown, never run.
    not_run: tuple[str, ...] = ()
    # In a tutorial page: the fence's lines as the reader types them (snippetcheck/tutorial/).
    reader: tuple[ReaderCommand, ...] = ()
    tutorial: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}-{self.end_line}"

    @property
    def checked_as(self) -> FileKind | None:
        """How a file snippet is checked when written; None for a file nothing checks."""
        return file_kind(self.file) if self.file is not None else None

    @property
    def is_python_fence(self) -> bool:
        return self.kind is not Kind.TEST and self.lang in PYTHON_LANGS

    def describe(self) -> str:
        """What the check does with the snippet, for ``--list``."""
        if self.skip_reason is not None:
            return f"skipped: {self.skip_reason}"
        if self.tutorial:
            return describe_reader_snippet(self)
        if self.kind is Kind.FILE:
            checked = self.checked_as
            if checked is FileKind.PYTHON:
                return f"becomes the file {self.file}"
            if checked is None:
                suffix = PurePosixPath(self.file or "").suffix or "such"
                return f"becomes the file {self.file}, not checked (no parser for {suffix} files)"
            return f"becomes the file {self.file}, {checked.value}"
        if self.kind is Kind.SHELL:
            described = "runs " + "; ".join(str(c) for c in self.commands)
            if self.expect_exit is not None:
                described += f" (expects exit {self.expect_exit})"
            if self.not_run:
                described += "; not run: " + "; ".join(self.not_run)
            return described
        if self.kind is Kind.TEST:
            return "runs hidden test code"
        return "runs as Python"


@dataclass(frozen=True)
class Unrun:
    """A code block the page shows and the check does not run, and why.

    ``by_position`` is set for blocks no language could make runnable where they are: indented
    code blocks, fences in blockquotes or raw HTML, include directives (``--strict-positions``
    fails them unless a skip marker gives the reason). ``skip_reason`` is that marker's reason.
    """

    path: str
    start_line: int
    end_line: int
    lang: str
    reason: str
    by_position: bool
    skip_reason: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}-{self.end_line}"

    def describe(self) -> str:
        if self.skip_reason is not None:
            return f"skipped: {self.skip_reason} ({self.reason})"
        return f"not run: {self.reason}"


@dataclass(frozen=True)
class Page:
    """The snippets of one page in order, the skipped ones, and the page's own settings."""

    path: str
    snippets: tuple[Snippet, ...]
    skipped: tuple[Snippet, ...]
    postgres: bool = False
    timeout: float | None = None
    # Code blocks the page shows that the check does not run, each with the reason.
    unrun: tuple[Unrun, ...] = ()
    # Every code block the site shows (and include directive), in page order.
    blocks: tuple[CodeBlock, ...] = ()
    # (line, word) of each marker.
    markers: tuple[tuple[int, str], ...] = ()
    # Reader mode: the page runs from an empty folder, as a reader types it.
    tutorial: bool = False

    @property
    def python_fences(self) -> int:
        return sum(s.is_python_fence for s in (*self.snippets, *self.skipped))

    @property
    def runnable_python_fences(self) -> int:
        return sum(s.is_python_fence for s in self.snippets)


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """The language and options of a fence's info string, in both of Material's forms.

    ``python title="a.py"`` and ``{ .python title="a.py" }`` give ``("python", {"title": ...})``.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        inner = info[1:-1]
        classes = re.findall(r"(?:^|\s)\.([\w+-]+)", _OPTION.sub(" ", inner))
        lang = classes[0] if classes else ""
        rest = inner
    else:
        lang, _, rest = info.partition(" ")
        lang = lang.lstrip(".")
    options = {
        m[1]: next(g for g in m.groups()[1:] if g is not None) for m in _OPTION.finditer(rest)
    }
    return lang.lower(), options


def _dedent(line: str, indent: int) -> str:
    stripped = len(line) - len(line.lstrip(" "))
    return line[min(stripped, indent) :]


def _shell_commands(
    path: str, lines: list[str], first_line: int
) -> tuple[list[Command], str | None, tuple[str, ...]]:
    """The manage.py and adrtool commands of a shell fence, why none runs, the lines not run.

    A line is either one of those commands (with ``NAME=value`` prefixes and an interpreter
    such as ``python`` or ``uv run`` before it), or another program's (``git switch main``),
    which the check never runs and ``--list`` names. A line that would only half run (``cd app
    && adrtool init``, a pipe) is refused: running part of it could pass a page that fails.
    """
    prompted = any(line.lstrip().startswith("$") for line in lines)
    commands: list[Command] = []
    endless: list[str] = []
    others: list[tuple[int, str]] = []  # lines of programs the check does not run, as shown
    pending = ""
    pending_line = 0
    for offset, raw in enumerate(lines):
        text = raw.strip()
        if pending:
            text = pending + " " + text
        elif prompted:
            if not text.startswith("$"):
                continue  # output shown after a prompt
            text = text[1:].strip()
            pending_line = first_line + offset
        else:
            pending_line = first_line + offset
        if text.endswith("\\"):
            pending = text[:-1].strip()
            continue
        pending = ""
        if not text or text.startswith("#"):
            continue
        words = _words(text)
        if words is None:
            others.append((pending_line, text))
            continue
        found = _find_program(words)
        operators = [w for w in words if w in _OPERATORS or w == "cd"]
        if found is not None and operators:
            program = found[1]
            raise UnrunnableCommand(
                path,
                pending_line,
                f"the check runs {program} commands on their own, and {operators[0]!r} cannot "
                f"run: put {program} alone on its line",
            )
        if found is None or not all(_launcher(w) for w in words[: found[0]]):
            # Another program's line, even with manage.py as an argument (`coverage run
            # manage.py test`): running only the manage.py part would not be what it does.
            others.append((pending_line, text))
            continue
        index, program, start = found
        args = tuple(words[start:])
        environ = tuple(_assignment(w) for w in words[:index] if _ASSIGNMENT.match(w))
        if program == "manage.py" and args and args[0] in ENDLESS_COMMANDS:
            endless.append(args[0])
        elif args or program in ADRTOOL_PROGRAMS:
            commands.append(Command(pending_line, args, program, environ))
    if commands:
        return commands, None, tuple(text for _, text in others)
    if endless:
        return [], f"manage.py {endless[0]} does not finish on its own", ()
    if others:
        return [], f"{others[0][1]!r} is not a manage.py or adrtool command", ()
    return [], "no manage.py or adrtool command in this shell snippet", ()


def _words(text: str) -> list[str] | None:
    """A shell line split as the shell would, operators as words of their own."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:
        return None


ADR_MODULE = "adrtool.adr_tools_cli"
# The programs run as processes: their module for ``python -m``.
ADRTOOL_PROGRAMS = {"adrtool": "adrtool", "adr": ADR_MODULE}


def _find_program(words: list[str]) -> tuple[int, str, int] | None:
    """Where manage.py, adrtool or adr starts in ``words``: (index, program, index of its
    arguments)."""
    for index, word in enumerate(words):
        if word.endswith("manage.py") or word == "django-admin":
            return index, "manage.py", index + 1
        if word == "adrtool" or word.endswith("/adrtool"):
            return index, "adrtool", index + 1
        if word == "-m" and words[index + 1 : index + 2] == ["adrtool"]:
            return index, "adrtool", index + 2
        # adr-tools' command line, as adrtool serves it (adrtool/adr_tools_cli.py).
        if word == "adr" or word.endswith("/adr"):
            return index, "adr", index + 1
        if word == "-m" and words[index + 1 : index + 2] == [ADR_MODULE]:
            return index, "adr", index + 2
    return None


def _assignment(word: str) -> tuple[str, str]:
    name, _, value = word.partition("=")
    return name, value


def _launcher(word: str) -> bool:
    """Whether a word before manage.py or adrtool only starts it, as the shell would run it:
    ``NAME=value``, an interpreter and its options, ``uv run`` and the like."""
    return bool(
        _ASSIGNMENT.match(word)
        or _INTERPRETER.match(word)
        or word.startswith("-")
        or word in ("uv", "poetry", "pipenv", "run", "exec")
    )


@dataclass(frozen=True)
class _Marker:
    """A ``snippetcheck:`` comment: its line, word, the rest of its first line, its body."""

    line: int
    word: str
    rest: str
    end_line: int
    body: tuple[str, ...] = ()


def _markers(path: str, blocks: Blocks) -> list[_Marker]:
    """The page's markers, from the comments the renderer sees (none inside code)."""
    found: list[_Marker] = []
    for comment in blocks.comments:
        marker = _MARKER.match(comment.lines[0])
        if not marker:
            continue
        word, _, rest = marker["body"].partition(" ")
        rest = rest.strip()
        if word == "test":
            if marker["end"] or rest:
                raise MarkerError(
                    path,
                    comment.line,
                    "put hidden test code on the lines after '<!-- snippetcheck: test'",
                )
            if "-->" not in comment.lines[-1] or len(comment.lines) < 2:
                raise MarkerError(path, comment.line, "hidden test code needs a closing '-->' line")
            if comment.lines[-1].strip() != "-->":
                raise MarkerError(
                    path,
                    comment.end_line,
                    "'-->' inside hidden test code ends the comment here, and the site shows "
                    "the lines after it: write it as '--' '>' and close the code with '-->' "
                    "on its own line",
                )
            if not comment.hidden:
                raise MarkerError(path, comment.line, _MARKER_PLACE)
            indent = len(marker["indent"])
            body = tuple(_dedent(raw, indent) for raw in comment.lines[1:-1])
            found.append(_Marker(comment.line, word, rest, comment.end_line, body))
            continue
        if not marker["end"]:
            raise MarkerError(
                path, comment.line, f"close the '{word}' marker with '-->' on its line"
            )
        if word not in MARKERS:
            known = ", ".join(MARKERS[:-1]) + f" or {MARKERS[-1]}"
            raise MarkerError(path, comment.line, f"unknown marker {word!r}: use {known}")
        found.append(_Marker(comment.line, word, rest, comment.end_line))
    return found


def _block_after(
    lines: list[str], marker: _Marker, starts: Mapping[int, CodeBlock]
) -> CodeBlock | None:
    """The code block that starts on the first non-blank line after a marker, if any."""
    for number in range(marker.end_line + 1, len(lines) + 1):
        if lines[number - 1].strip():
            return starts.get(number)
    return None


def _unrun_reason(block: CodeBlock, lang: str) -> tuple[str, bool]:
    """Why the check does not run a block the page shows, and whether its place is why."""
    if block.kind is BlockKind.INCLUDE or block.includes:
        return "an include directive: the code it includes is not on the page", True
    if block.kind is BlockKind.INDENTED:
        if block.swallowed_fence is not None:
            return (
                (
                    f"the fence of line {block.swallowed_fence} is indented past the text it "
                    "follows, so the site shows it as an indented code block, fence lines and "
                    "all: indent it as that text"
                ),
                True,
            )
        return "an indented code block: the check runs fences with a language only", True
    if block.position is Position.BLOCKQUOTE:
        return "a fence in a blockquote: the check does not run code in blockquotes", True
    if block.position is Position.HTML:
        return "a fence in a raw HTML block: the check does not run code in HTML", True
    if not any(line.strip() for line in block.body):
        return "an empty fence", False
    if not lang:
        return "a fence without a language", False
    if lang in FILE_LANGS or lang in PYTHON_LANGS:
        return f"a {lang} fence without a path title (with one it becomes a file)", False
    return f"a {lang} fence: not a language the check runs", False


@dataclass
class _Builder:
    """Turns the page's blocks and markers, in page order, into snippets and settings."""

    path: str
    snippets: list[Snippet] = field(default_factory=list)
    skipped: list[Snippet] = field(default_factory=list)
    unrun: list[Unrun] = field(default_factory=list)
    postgres: bool = False
    timeout: float | None = None
    # Known before the first block, wherever the marker is: it changes how shell fences read.
    tutorial: bool = False

    def setting(self, marker: _Marker) -> None:
        """A marker that is not code: postgres, timeout, or the checks of skip and exit."""
        number, rest = marker.line, marker.rest
        if marker.word == "postgres" and not rest:
            self.postgres = True
        elif marker.word == "tutorial" and rest:
            raise MarkerError(
                self.path, number, "write the tutorial marker alone: " + TUTORIAL_MARKER
            )
        elif marker.word == "skip" and not rest:
            raise MarkerError(self.path, number, "a skip marker needs a reason: 'skip <why>'")
        elif marker.word == "exit" and (not rest.isdigit() or not 0 < int(rest) < 256):
            raise MarkerError(
                self.path, number, f"exit needs the expected status, 1 to 255, not {rest!r}"
            )
        elif marker.word == "timeout":
            try:
                self.timeout = float(rest)
            except ValueError:
                self.timeout = 0
            if self.timeout <= 0:
                raise MarkerError(self.path, number, f"timeout needs seconds above 0, not {rest!r}")

    def hidden_test(self, marker: _Marker) -> None:
        if any(line.strip() for line in marker.body):
            source = "\n".join(marker.body) + "\n"
            self.snippets.append(
                Snippet(
                    self.path,
                    marker.line + 1,
                    marker.end_line - 1,
                    source,
                    Kind.TEST,
                    "python",
                    tutorial=self.tutorial,
                )
            )

    def block(self, block: CodeBlock, skip: str | None, expect: tuple[int, int] | None) -> None:
        lang = parse_info(block.info)[0] if block.kind is BlockKind.FENCE else ""
        snippet = None
        if block.kind is BlockKind.FENCE and block.position is Position.PAGE and not block.includes:
            snippet = _snippet(
                self.path, block.line, list(block.body), block.info, skip is not None, self.tutorial
            )
        if expect is not None:
            runs = snippet is not None and bool(snippet.commands or snippet.reader)
            if snippet is None or snippet.kind is not Kind.SHELL or not runs:
                raise MarkerError(self.path, expect[0], _EXIT_PLACE)
            snippet = replace(snippet, expect_exit=expect[1])
        if snippet is not None:
            if skip is not None:
                snippet = replace(snippet, skip_reason=skip)
            (self.skipped if snippet.skip_reason is not None else self.snippets).append(snippet)
            return
        reason, by_position = _unrun_reason(block, lang)
        end = max(block.first, block.last)
        self.unrun.append(Unrun(self.path, block.first, end, lang, reason, by_position, skip))


def _build(path: str, lines: list[str], blocks: Blocks, markers: list[_Marker]) -> Page:
    """The page's snippets: each code block and hidden test, in page order, with its markers."""
    builder = _Builder(path, tutorial=any(m.word == "tutorial" for m in markers))
    shown = tuple(b for b in blocks.code if b.shown or b.kind is BlockKind.INCLUDE)
    starts = {block.line: block for block in shown}
    skips: dict[int, str] = {}  # a block's line -> the reason its skip marker gives
    exits: dict[int, tuple[int, int]] = {}  # a block's line -> (exit marker's line, status)
    events: list[tuple[int, CodeBlock | _Marker | Snippet]] = [
        (block.line, block) for block in shown
    ]
    for marker in markers:
        if marker.word == "test":
            events.append((marker.line, marker))
            continue
        builder.setting(marker)
        if marker.word in ("skip", "exit"):
            block = _block_after(lines, marker, starts)
            if block is None and marker.word == "skip":
                raise MarkerError(path, marker.line, "a skip marker must come right before a fence")
            if block is None:
                raise MarkerError(path, marker.line, _EXIT_PLACE)
            if marker.word == "skip":
                skips[block.line] = marker.rest
            else:
                exits[block.line] = (marker.line, int(marker.rest))
    if builder.tutorial:
        events.extend(_prose_urls(path, lines, blocks))
    for line, event in sorted(events, key=lambda item: item[0]):
        if isinstance(event, _Marker):
            builder.hidden_test(event)
        elif isinstance(event, Snippet):
            builder.snippets.append(event)
        else:
            builder.block(event, skips.get(line), exits.get(line))
    return Page(
        path,
        tuple(builder.snippets),
        tuple(builder.skipped),
        builder.postgres,
        builder.timeout,
        unrun=tuple(builder.unrun),
        blocks=shown,
        markers=tuple((m.line, m.word) for m in markers),
        tutorial=builder.tutorial,
    )


def _prose_urls(path: str, lines: list[str], blocks: Blocks) -> list[tuple[int, Snippet]]:
    """A tutorial's development-server URLs in its prose (not in code or comments), in order:
    the reader is told to open each one, so each is fetched at its place."""
    hidden = {n for b in blocks.code for n in range(b.line, b.end_line + 1)}
    hidden |= {n for c in blocks.comments for n in range(c.line, c.end_line + 1)}
    found: list[tuple[int, Snippet]] = []
    for number, line in enumerate(lines, start=1):
        if number in hidden:
            continue
        for match in _SERVER_URL.finditer(line):
            url = match.group().rstrip(".,;:!?")
            url = url if url.startswith("http") else f"http://{url}"
            snippet = Snippet(path, number, number, url, Kind.OPEN, options={}, tutorial=True)
            found.append((number, snippet))
    return found


def extract(text: str, path: str) -> Page:
    """Every snippet of a page's text; ``path`` is how the page is named in messages.

    Three steps: the page's code blocks and comments as the site renders them
    (``adrtool.markdown_blocks``), the markers among those comments, then the snippets.
    """
    lines = text.expandtabs(4).splitlines()
    blocks = scan(text)
    return _build(path, lines, blocks, _markers(path, blocks))


def _snippet(
    path: str,
    fence_line: int,
    body: list[str],
    info: str,
    skipped: bool = False,
    tutorial: bool = False,
) -> Snippet | None:
    snippet = _fence_snippet(path, fence_line, body, info, skipped, tutorial)
    return replace(snippet, tutorial=True) if snippet is not None and tutorial else snippet


def _fence_snippet(
    path: str, fence_line: int, body: list[str], info: str, skipped: bool, tutorial: bool
) -> Snippet | None:
    """The snippet a fence makes, or None when the check has nothing to do with it.

    A ``skipped`` fence (after a skip marker) is never run, so its shell lines are not judged.
    """
    lang, options = parse_info(info)
    if not any(line.strip() for line in body):
        return None
    start, end = fence_line + 1, fence_line + len(body)
    source = "\n".join(body) + "\n"
    title = options.get("title", "").strip()
    is_file = bool(_FILE_PATH.match(title))
    if lang in PYTHON_LANGS:
        if is_file and title.endswith(".py"):
            return Snippet(path, start, end, source, Kind.FILE, lang, options, title)
        return Snippet(path, start, end, source, Kind.RUN, lang, options)
    if lang in FILE_LANGS and is_file:
        return Snippet(path, start, end, source, Kind.FILE, lang, options, title)
    if lang in SHELL_LANGS and skipped:
        return Snippet(path, start, end, source, Kind.SHELL, lang, options)
    if lang in SHELL_LANGS and tutorial:
        reader = parse_fence(path, body, start)
        return Snippet(path, start, end, source, Kind.SHELL, lang, options, reader=reader)
    if lang in SHELL_LANGS:
        commands, reason, not_run = _shell_commands(path, body, start)
        return Snippet(
            path,
            start,
            end,
            source,
            Kind.SHELL,
            lang,
            options,
            None,
            tuple(commands),
            reason,
            not_run=not_run,
        )
    return None


def extract_file(page: Path, shown: str) -> Page:
    """Read and extract a page; ``shown`` is its name in messages (relative when possible)."""
    return extract(page.read_text(encoding="utf-8"), shown)
