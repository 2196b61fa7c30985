"""The exceptions the core raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class SnippetCheckError(Exception):
    """A problem that stops the check (exit 1); the message names it and the fix."""

    exit_code = 1


class BadUsage(SnippetCheckError):
    """The arguments are wrong (exit 2): a missing page, a page that is not Markdown."""

    exit_code = 2


class MarkerError(SnippetCheckError):
    """A ``snippetcheck:`` marker in a page is malformed; carries the page line."""

    kind = "MarkerError"

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {self.kind}: {message}")
        self.path = path
        self.line = line
        self.message = message


class UnrunnableCommand(MarkerError):
    """A shell line the check would only half run (``cd x && adrtool``, a pipe, ``git`` beside
    ``adrtool`` in one fence): refused, rather than run in part and reported as passing."""

    kind = "UnrunnableCommand"


class PostgresUnavailable(SnippetCheckError):
    """No PostgreSQL server could be started or reached for a page that needs one."""


class SettingsNotImportable(BadUsage):
    """The project's settings module raised on import (exit 2): the configuration is wrong."""
