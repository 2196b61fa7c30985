"""Find the snippets of a Markdown page: fences anywhere, and ``snippetcheck:`` markers.

A fence is found at any indentation, so the ones inside Material admonitions (``!!!``, ``???``),
content tabs (``===``) and list items count like top-level ones. Line numbers are 1-based and
refer to the page: a snippet's ``start_line``-``end_line`` are the code lines inside its fence.
The markers are HTML comments, so the reader never sees them (ADR 13 records the syntax).
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

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

_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
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
class Page:
    """The snippets of one page in order, the skipped ones, and the page's own settings."""

    path: str
    snippets: tuple[Snippet, ...]
    skipped: tuple[Snippet, ...]
    postgres: bool = False
    timeout: float | None = None
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
        elif args or program == "adrtool":
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


def _find_program(words: list[str]) -> tuple[int, str, int] | None:
    """Where manage.py or adrtool starts in ``words``: (index, program, index of its arguments)."""
    for index, word in enumerate(words):
        if word.endswith("manage.py") or word == "django-admin":
            return index, "manage.py", index + 1
        if word == "adrtool" or word.endswith("/adrtool"):
            return index, "adrtool", index + 1
        if word == "-m" and words[index + 1 : index + 2] == ["adrtool"]:
            return index, "adrtool", index + 2
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


def extract(text: str, path: str) -> Page:
    """Every snippet of a page's text; ``path`` is how the page is named in messages."""
    lines = text.expandtabs(4).splitlines()
    snippets: list[Snippet] = []
    skipped: list[Snippet] = []
    # Known before the first fence, wherever the marker is: it changes how shell fences read.
    tutorial = any(line.strip() == TUTORIAL_MARKER for line in lines)
    postgres = False
    timeout: float | None = None
    skip: tuple[int, str] | None = None  # (marker line, reason) waiting for its fence
    expect: tuple[int, int] | None = None  # (marker line, exit status) waiting for its fence
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        fence = _FENCE.match(line)
        if skip is not None and line.strip() and not fence:
            raise MarkerError(path, skip[0], "a skip marker must come right before a fence")
        if expect is not None and line.strip() and not fence:
            raise MarkerError(path, expect[0], _EXIT_PLACE)
        if fence:
            indent = len(fence["indent"])
            char = fence["fence"][0]
            size = len(fence["fence"])
            if char == "`" and "`" in fence["info"]:
                index += 1
                continue  # inline code that starts a line, not a fence
            close = index + 1
            while close < len(lines):
                candidate = lines[close].strip()
                if len(candidate) >= size and candidate == char * len(candidate):
                    break
                close += 1
            body = [_dedent(raw, indent) for raw in lines[index + 1 : close]]
            snippet = _snippet(
                path, number, body, fence["info"], skipped=skip is not None, tutorial=tutorial
            )
            if expect is not None:
                runs = snippet is not None and bool(snippet.commands or snippet.reader)
                if snippet is None or snippet.kind is not Kind.SHELL or not runs:
                    raise MarkerError(path, expect[0], _EXIT_PLACE)
                snippet = replace(snippet, expect_exit=expect[1])
                expect = None
            if snippet is not None:
                if skip is not None:
                    snippet = replace(snippet, skip_reason=skip[1])
                    skip = None
                (skipped if snippet.skip_reason is not None else snippets).append(snippet)
            elif skip is not None:
                raise MarkerError(
                    path, skip[0], "a skip marker must come right before a code fence"
                )
            index = close + 1
            continue
        marker = _MARKER.match(line)
        if marker:
            word, _, rest = marker["body"].partition(" ")
            rest = rest.strip()
            if word == "test":
                if marker["end"] or rest:
                    raise MarkerError(
                        path,
                        number,
                        "put hidden test code on the lines after '<!-- snippetcheck: test'",
                    )
                end = index + 1
                while end < len(lines) and lines[end].strip() != "-->":
                    end += 1
                if end == len(lines):
                    raise MarkerError(path, number, "hidden test code needs a closing '-->' line")
                indent = len(marker["indent"])
                body = [_dedent(raw, indent) for raw in lines[index + 1 : end]]
                if any(b.strip() for b in body):
                    snippets.append(
                        Snippet(
                            path,
                            number + 1,
                            end,
                            "\n".join(body) + "\n",
                            Kind.TEST,
                            "python",
                            tutorial=tutorial,
                        )
                    )
                index = end + 1
                continue
            if not marker["end"]:
                raise MarkerError(path, number, f"close the '{word}' marker with '-->' on its line")
            if word == "postgres" and not rest:
                postgres = True
            elif word == "tutorial" and not rest:
                pass  # found before the loop
            elif word == "tutorial":
                raise MarkerError(
                    path, number, "write the tutorial marker alone: " + TUTORIAL_MARKER
                )
            elif word == "skip":
                if not rest:
                    raise MarkerError(path, number, "a skip marker needs a reason: 'skip <why>'")
                skip = (number, rest)
            elif word == "exit":
                if not rest.isdigit() or not 0 < int(rest) < 256:
                    raise MarkerError(
                        path, number, f"exit needs the expected status, 1 to 255, not {rest!r}"
                    )
                expect = (number, int(rest))
            elif word == "timeout":
                try:
                    timeout = float(rest)
                except ValueError:
                    timeout = 0
                if timeout <= 0:
                    raise MarkerError(path, number, f"timeout needs seconds above 0, not {rest!r}")
            else:
                known = ", ".join(MARKERS[:-1]) + f" or {MARKERS[-1]}"
                raise MarkerError(path, number, f"unknown marker {word!r}: use {known}")
        elif tutorial:
            for found in _SERVER_URL.finditer(line):
                url = found.group().rstrip(".,;:!?")
                url = url if url.startswith("http") else f"http://{url}"
                snippets.append(
                    Snippet(path, number, number, url, Kind.OPEN, options={}, tutorial=True)
                )
        index += 1
    if skip is not None:
        raise MarkerError(path, skip[0], "a skip marker must come right before a fence")
    if expect is not None:
        raise MarkerError(path, expect[0], _EXIT_PLACE)
    return Page(path, tuple(snippets), tuple(skipped), postgres, timeout, tutorial)


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
