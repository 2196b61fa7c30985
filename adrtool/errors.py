"""The exceptions the core raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class AdrError(Exception):
    """A problem with the state on disk (exit 1): the message names it and the fix."""

    exit_code = 1


class BadUsage(AdrError):
    """The arguments are wrong (exit 2): a bad title, number, date, status or link."""

    exit_code = 2


class NoAdrDirectory(AdrError):
    """No ADR folder could be found, or the one named does not exist."""


class RecordNotFound(BadUsage):
    """A command named a record number that no file in the folder has."""


class AmbiguousRecord(AdrError):
    """Two files share one number (two branches merged), so a reference cannot be resolved."""


class UnreadableRecord(AdrError):
    """A record file is empty, binary, not UTF-8, or cannot be read."""


class IndexNotOurs(AdrError):
    """index.md was not written by adrtool, or was edited by hand since: it is left alone."""


class WriteFailed(AdrError):
    """A file could not be written (full disk, size limit, permissions); nothing was changed."""
