"""Check a file snippet by its kind, so a fault in it is reported at its own line in the page.

Python files are imported by the page's project (``django_project``); templates are compiled
there too, by the project's template engine. This module holds the rest, which need no Django:
TOML, YAML, JSON and INI files are parsed, and an ADR record gets the checks `adrtool check`
makes on a record. A file of another kind (CSS, SQL, ...) is written and not checked: nothing
in it can fail, so ``--list`` says so and the planted-fault test refuses such files in docs/.
"""

from __future__ import annotations

import configparser
import enum
import json
import re
import tomllib
from pathlib import Path, PurePosixPath

from adrtool.records import RECORD_NAME

_TOML_PLACE = re.compile(r"\(at line (\d+), column \d+\)")


class FileKind(enum.Enum):
    """What a file snippet is checked as; the value is how ``--list`` names it."""

    PYTHON = "imported"
    TEMPLATE = "compiled as a Django template"
    TOML = "parsed as TOML"
    YAML = "parsed as YAML"
    JSON = "parsed as JSON"
    INI = "parsed as INI"
    ADR = "checked as an ADR record"


_BY_SUFFIX = {
    ".toml": FileKind.TOML,
    ".yaml": FileKind.YAML,
    ".yml": FileKind.YAML,
    ".json": FileKind.JSON,
    ".ini": FileKind.INI,
    ".cfg": FileKind.INI,
}


def file_kind(name: str) -> FileKind | None:
    """How a file snippet titled ``name`` is checked, or None when it is only written."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if suffix == ".py":
        return FileKind.PYTHON
    # Django's loaders look in `templates/` folders (the project's and each app's), whatever the
    # file's extension (`.html`, `.txt` for mail bodies, `.xml` for sitemaps).
    if "templates" in path.parts[:-1]:
        return FileKind.TEMPLATE
    # A record by adrtool's own naming rule (``0002-use-htmx.md``), as `adrtool check` finds it.
    if suffix == ".md" and RECORD_NAME.match(path.name):
        return FileKind.ADR
    return _BY_SUFFIX.get(suffix)


class InvalidFile(Exception):
    """A written file its parser rejects; ``line`` is 1-based within the file."""

    def __init__(self, error_type: str, line: int, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.line = line
        self.message = message


def check_data_file(kind: FileKind, path: Path, text: str) -> None:
    """Parse the file at ``path`` (its text is ``text``) as ``kind``; raise InvalidFile.

    Python files and templates are the Django project's to check, so they pass here.
    """
    last_line = max(1, len(text.splitlines()))
    if kind is FileKind.TOML:
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            # Python 3.11's error has no line attribute; the message ends "(at line N, column M)"
            # or "(at end of document)".
            place = _TOML_PLACE.search(str(error))
            line = int(place[1]) if place else last_line
            message = _TOML_PLACE.sub("", str(error)).replace("(at end of document)", "")
            raise InvalidFile("TOMLDecodeError", line, message.strip()) from None
    elif kind is FileKind.YAML:
        _check_yaml(text, last_line)
    elif kind is FileKind.JSON:
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidFile("JSONDecodeError", error.lineno, error.msg) from None
    elif kind is FileKind.INI:
        _check_ini(text)
    elif kind is FileKind.ADR:
        _check_record(path)


def _check_yaml(text: str, last_line: int) -> None:
    import yaml

    try:
        # Composing checks the syntax (and aliases) without building Python objects, so files
        # with application tags (GitLab's `!reference`) are not refused for tags we do not know.
        for _ in yaml.compose_all(text, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else last_line
        message = " ".join(filter(None, [error.context, error.problem])) or str(error)
        raise InvalidFile(type(error).__name__, min(line, last_line), message) from None
    except yaml.YAMLError as error:
        raise InvalidFile(type(error).__name__, last_line, str(error)) from None


def _check_ini(text: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.ParsingError as error:
        line, shown = error.errors[0]
        raise InvalidFile("ParsingError", line, f"cannot parse {shown}") from None
    except configparser.Error as error:
        line = getattr(error, "lineno", None) or 1
        raise InvalidFile(type(error).__name__, line, error.message) from None


def _check_record(path: Path) -> None:
    """The problems `adrtool check` finds in this record, first one raised.

    Only the record's own: a folder's duplicate numbers or stale index are a story's middle
    (a page may show them on purpose, and `adrtool check` in a shell fence judges them).
    """
    from adrtool.check import check_record
    from adrtool.folder import AdrFolder

    problems = check_record(AdrFolder(path.parent), path)
    if problems:
        first = problems[0]
        raise InvalidFile("AdrCheckFailed", first.line, first.message)
