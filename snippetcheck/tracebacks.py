"""Turn an exception raised by a page's code into a failure at the page's Markdown line.

Python snippets are compiled under the page's name, padded with blank lines so that their line
numbers already are the page's (pytest-examples does the same). File snippets are real files on
disk, so their lines are shifted by where the snippet starts in the page.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from types import TracebackType

MAX_MESSAGE = 300


def one_line(message: str) -> str:
    """A message on one line, short enough to read in a pre-commit log."""
    text = " ".join(part.strip() for part in message.splitlines() if part.strip())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def excerpt(page_lines: list[str], line: int) -> str:
    """The page's line, numbered, as a reader would find it in the editor."""
    if 1 <= line <= len(page_lines):
        return f"    {line} | {page_lines[line - 1].rstrip()}"
    return ""


def page_line(
    error: BaseException,
    page_key: str,
    files: Mapping[str, int],
    fallback: int,
) -> int:
    """The page line where ``error`` happened: the deepest frame in the page's code.

    ``page_key`` is the filename Python snippets were compiled under; ``files`` maps each file
    snippet's path on disk to the page line of its first code line.
    """

    def mapped(filename: str | None, lineno: int | None) -> int | None:
        if filename is None or lineno is None:
            return None
        if filename == page_key:
            return lineno
        if filename in files:
            return files[filename] + lineno - 1
        return None

    found: int | None = None
    tb: TracebackType | None = error.__traceback__
    for frame, lineno in traceback.walk_tb(tb):
        line = mapped(frame.f_code.co_filename, lineno)
        if line is not None:
            found = line
    if isinstance(error, SyntaxError):
        line = mapped(error.filename, error.lineno)
        if line is not None:
            found = line
    debug = getattr(error, "template_debug", None)  # Django's template errors, when DEBUG
    if isinstance(debug, dict):
        line = mapped(str(debug.get("name")), debug.get("line"))
        if line is not None:
            found = line
    if found is None and error.__cause__ is not None and error.__cause__ is not error:
        return page_line(error.__cause__, page_key, files, fallback)
    if found is None and error.__context__ is not None and error.__context__ is not error:
        return page_line(error.__context__, page_key, files, fallback)
    return fallback if found is None else found


def describe(error: BaseException) -> tuple[str, str]:
    """The error's type name and one-line message."""
    if isinstance(error, SyntaxError):
        return type(error).__name__, one_line(error.msg or str(error))
    name = type(error).__name__
    text = str(error)
    # Some messages name their type already (Django's SystemCheckError does).
    text = text.removeprefix(f"{name}: ")
    return name, one_line(text) or "(no message)"
