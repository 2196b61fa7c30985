"""A tutorial's shell lines, read as the reader types them: each becomes a ReaderCommand.

Only what a reader can type and the check can honour is accepted: the set-up lines (``python -m
venv``, activating it), ``pip install`` of pinned requirements (verified, never downloaded),
``cd`` and ``mkdir`` inside the page's folder, Django's commands (``django-admin``, ``python
manage.py``, ``python -m django``), ``adrtool`` and ``createdb``. Any other program fails the page
at its line with what to write instead. In a fence with ``$`` prompts, the lines after a command
are its output as the page shows it, compared with the real output.
"""

from __future__ import annotations

import enum
import re
import shlex
from dataclasses import dataclass
from typing import Any

from snippetcheck.errors import MarkerError


class Action(enum.Enum):
    """What the check does with one command line."""

    VENV = "venv"  # python -m venv NAME: verified for form, not run
    ACTIVATE = "activate"  # source NAME/bin/activate, NAME\\Scripts\\activate: not run
    PIP = "pip"  # pip install REQ...: verified against the installed environment
    CD = "cd"
    MKDIR = "mkdir"
    DJANGO = "django"  # django-admin / manage.py / python -m django: a process
    RUNSERVER = "runserver"  # a real server on a free loopback port, kept running
    SHELL = "shell"  # manage.py shell: later Python fences run in it
    ADRTOOL = "adrtool"  # a process
    CREATEDB = "createdb"  # a PostgreSQL database on the check's server


class ReaderLineError(MarkerError):
    """A tutorial shell line the check cannot run as the reader would; says what to write."""

    kind = "ReaderLine"


@dataclass(frozen=True)
class ReaderCommand:
    """One line of a tutorial's shell fence, its output as shown, and what the check does."""

    line: int
    action: Action
    args: tuple[str, ...]  # the arguments after the program (after ``manage.py``, ``install``)
    text: str  # the line as shown, without its prompt
    environ: tuple[tuple[str, str], ...] = ()
    # "manage.py" or "django-admin" for Action.DJANGO: which one the reader typed.
    program: str = ""
    shown_output: tuple[str, ...] = ()
    shown_output_line: int = 0  # the page line of the first output line shown

    def describe(self) -> str:
        if self.action in (Action.VENV, Action.ACTIVATE):
            return f"set-up line, verified for form, not run: {self.text}"
        if self.action is Action.PIP:
            return f"verifies installed, nothing downloaded: {' '.join(self.args)}"
        if self.action is Action.RUNSERVER:
            return f"starts a real server on a free loopback port: {self.text}"
        if self.action is Action.SHELL:
            return f"opens the shell session the next Python fences run in: {self.text}"
        if self.action in (Action.CD, Action.MKDIR):
            return f"{self.text} (inside the page's folder)"
        compared = ", output compared with the page's" if self.shown_output else ""
        return f"runs {self.text} as a process{compared}"


_PYTHON = re.compile(r"^(?:\S*[/\\])?(?:python[0-9.]*|py)(?:\.exe)?$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_ACTIVATE = re.compile(
    r"^(?:(?:source|\.)\s+)?(?P<venv>[\w.-]+)[/\\](?:bin|Scripts)[/\\]"
    r"(?:activate|activate\.bat|Activate\.ps1|activate\.fish|activate\.csh)$"
)
_OPERATORS = frozenset({"||", ";", "|", "&", ">", ">>", "<", "<<", ">&", "|&", "(", ")"})
_RUNS = (
    'python -m venv NAME, source NAME/bin/activate, python -m pip install "Pkg~=X.Y", cd, mkdir, '
    "django-admin, python manage.py, python -m django, adrtool, createdb"
)


def parse_fence(path: str, body: list[str], first_line: int) -> tuple[ReaderCommand, ...]:
    """The commands of a tutorial's shell fence, with the output shown after each."""
    prompted = any(line.lstrip().startswith("$") for line in body)
    commands: list[ReaderCommand] = []
    output: list[str] = []
    output_line = 0
    pending = ""
    pending_line = 0

    def close_output() -> None:
        nonlocal output
        if commands and output:
            last = commands[-1]
            while output and not output[-1].strip():
                output.pop()
            commands[-1] = ReaderCommand(
                last.line,
                last.action,
                last.args,
                last.text,
                last.environ,
                last.program,
                tuple(output),
                output_line,
            )
        output = []

    for offset, raw in enumerate(body):
        number = first_line + offset
        text = raw.strip()
        if pending:
            text = pending + " " + text
        elif prompted:
            if not text.startswith("$"):
                if commands and (output or text):
                    if not output:
                        output_line = number
                    output.append(text)
                elif text:
                    raise ReaderLineError(
                        path,
                        number,
                        "output before the first '$ command' of the fence: "
                        "put the command it comes from first",
                    )
                continue
            close_output()
            text = text[1:].strip()
            pending_line = number
        else:
            pending_line = number
        if text.endswith("\\") and not _ACTIVATE.match(text):
            pending = text[:-1].strip()
            continue
        pending = ""
        if not text or text.startswith("#"):
            continue
        commands.extend(_parse_line(path, pending_line, text))
    close_output()
    return tuple(commands)


def _parse_line(path: str, line: int, text: str) -> list[ReaderCommand]:
    activate = _ACTIVATE.match(text)
    if activate:
        return [ReaderCommand(line, Action.ACTIVATE, (activate["venv"],), text)]
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError:
        raise ReaderLineError(path, line, f"cannot read {text!r}: close its quotes") from None
    operators = [w for w in words if w in _OPERATORS]
    if operators:
        raise ReaderLineError(
            path,
            line,
            f"{operators[0]!r} in {text!r}: the check runs one command per line as the reader "
            "types it; put each command on its own line (only '&&' may join them)",
        )
    parts: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            parts.append([])
        else:
            parts[-1].append(word)
    return [_parse_words(path, line, part, shlex.join(part)) for part in parts if part]


def _parse_words(path: str, line: int, words: list[str], text: str) -> ReaderCommand:
    index = 0
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        index += 1
    environ = tuple(_assignment(w) for w in words[:index])
    rest = words[index:]
    if not rest:
        raise ReaderLineError(
            path, line, f"{text!r} only sets variables: put them before the command that uses them"
        )
    program, args = rest[0], rest[1:]
    if environ and not (_PYTHON.match(program) or program in ("django-admin", "adrtool")):
        raise ReaderLineError(
            path,
            line,
            f"NAME=value before {program!r}: the check sets variables only for "
            "Django's and adrtool's commands",
        )
    if program in ("cd", "mkdir"):
        targets = [a for a in args if a != "-p"]
        if len(targets) != 1:
            raise ReaderLineError(path, line, f"{program} takes one folder here, not {args!r}")
        action = Action.CD if program == "cd" else Action.MKDIR
        return ReaderCommand(line, action, tuple(targets), text)
    if program in ("pip", "pip3") or (_PYTHON.match(program) and args[:2] == ["-m", "pip"]):
        pip_args = args if program in ("pip", "pip3") else args[2:]
        return _pip(path, line, pip_args, text)
    if program == "createdb":
        names = [a for a in args if not a.startswith("-")]
        if len(names) != 1 or len(names) != len(args):
            raise ReaderLineError(
                path,
                line,
                "write createdb with only the database's name: libpq's PGHOST, "
                "PGPORT and PGUSER say which server",
            )
        return ReaderCommand(line, Action.CREATEDB, tuple(names), text)
    if program == "adrtool" or (_PYTHON.match(program) and args[:2] == ["-m", "adrtool"]):
        return ReaderCommand(
            line, Action.ADRTOOL, tuple(args if program == "adrtool" else args[2:]), text, environ
        )
    if program == "django-admin" or (_PYTHON.match(program) and args[:2] == ["-m", "django"]):
        django_args = tuple(args if program == "django-admin" else args[2:])
        return _django(path, line, django_args, text, environ, "django-admin")
    if _PYTHON.match(program) and args[:2] == ["-m", "venv"]:
        if len(args) != 3 or args[2].startswith("-"):
            raise ReaderLineError(path, line, "write the set-up line as 'python -m venv .venv'")
        return ReaderCommand(line, Action.VENV, (args[2],), text)
    if _PYTHON.match(program) and args and args[0].endswith("manage.py"):
        if args[0] not in ("manage.py", "./manage.py"):
            raise ReaderLineError(
                path, line, f"run {args[0]} from its folder: 'cd' there, then 'python manage.py'"
            )
        return _django(path, line, tuple(args[1:]), text, environ, "manage.py")
    raise ReaderLineError(
        path,
        line,
        f"{program!r} is not a command a tutorial's check runs ({_RUNS}); mark the fence "
        "'<!-- snippetcheck: skip REASON -->' if the reader should not type it",
    )


def _django(
    path: str,
    line: int,
    args: tuple[str, ...],
    text: str,
    environ: tuple[tuple[str, str], ...],
    program: str,
) -> ReaderCommand:
    if not args:
        raise ReaderLineError(path, line, f"{text!r} names no command: add one, e.g. 'migrate'")
    action = Action.DJANGO
    if args[0] == "runserver":
        action = Action.RUNSERVER
    elif args[0] == "shell" and len(args) == 1:
        action = Action.SHELL
    elif args[0] in ("shell", "dbshell"):
        raise ReaderLineError(
            path,
            line,
            f"{text!r} is interactive: show 'python manage.py shell' alone, then the "
            "Python the reader types in a python fence",
        )
    return ReaderCommand(line, action, args, text, environ, program)


def _pip(path: str, line: int, args: list[str], text: str) -> ReaderCommand:
    from packaging.requirements import InvalidRequirement, Requirement

    if not args or args[0] != "install":
        raise ReaderLineError(path, line, f"the check verifies only 'pip install', not {text!r}")
    requirements = []
    for word in args[1:]:
        if word in ("-U", "--upgrade", "-q", "--quiet"):
            continue
        if word.startswith("-"):
            raise ReaderLineError(
                path,
                line,
                f"pip option {word!r}: the check verifies requirement specifiers only "
                '(python -m pip install "Django~=5.2.0")',
            )
        try:
            requirement = Requirement(word)
        except InvalidRequirement:
            raise ReaderLineError(
                path, line, f"{word!r} is not a requirement: write 'Name~=X.Y.Z' in quotes"
            ) from None
        if not requirement.specifier:
            raise ReaderLineError(
                path,
                line,
                f"pin {word!r} to the version the tutorial was written for, "
                f'for example "{requirement.name}~=X.Y.Z"',
            )
        requirements.append(str(requirement))
    if not requirements:
        raise ReaderLineError(path, line, f"{text!r} installs nothing: name a requirement")
    return ReaderCommand(line, Action.PIP, tuple(requirements), text)


def _assignment(word: str) -> tuple[str, str]:
    name, _, value = word.partition("=")
    return name, value


def describe_reader_snippet(snippet: Any) -> str:
    """What reader mode does with a tutorial's snippet, for ``--list``."""
    kind = snippet.kind.value
    if kind == "shell":
        if not snippet.reader:
            return "nothing to run"
        return "; ".join(command.describe() for command in snippet.reader)
    if kind == "open":
        return f"fetches {snippet.source} from the running server, as the reader's browser"
    if kind == "test":
        return "runs hidden code in the shell session; it may only observe"
    if kind == "run":
        return "runs in the reader's 'python manage.py shell' session"
    from snippetcheck.tutorial.edits import assignment_names

    names = assignment_names(snippet.source) if str(snippet.file).endswith(".py") else None
    if names:
        return (
            f"sets {', '.join(names)} in {snippet.file} (replaces those assignments; "
            "the whole file if it does not exist yet)"
        )
    return f"becomes the file {snippet.file} in the page's working folder"
