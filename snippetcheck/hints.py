"""Hints added to a failure's message when the likely fix is not in the message itself.

A page that uses a PostgreSQL feature without ``<!-- snippetcheck: postgres -->`` runs on SQLite,
whose errors (``near "[]": syntax error``, ``no such function: to_tsvector``) never say so.
"""

from __future__ import annotations

import re
import sqlite3
import traceback
from collections.abc import Iterator

from django.db import NotSupportedError

POSTGRES_HINT = (
    "; the page runs on SQLite: if this is a PostgreSQL feature, "
    "add <!-- snippetcheck: postgres --> to the page"
)
# What SQLite says about SQL written for PostgreSQL: its types, functions, operators, casts.
_SQLITE_MESSAGES = re.compile(
    r'near "[^"]*": syntax error|no such function|unrecognized token|no such module'
)
# Lookups only django.contrib.postgres registers.
_POSTGRES_LOOKUPS = re.compile(
    r"Unsupported lookup '(search|trigram_similar|trigram_word_similar|trigram_strict_word_similar"
    r"|unaccent|overlap|contained_by|len|has_key|has_keys|has_any_keys)'"
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _through_contrib_postgres(error: BaseException) -> bool:
    return any(
        "/django/contrib/postgres/" in frame.f_code.co_filename.replace("\\", "/")
        for frame, _ in traceback.walk_tb(error.__traceback__)
    )


def postgres_hint(error: BaseException) -> str:
    """The marker to add, for an error a PostgreSQL-only construct causes on SQLite; else ""."""
    for cause in _chain(error):
        if isinstance(cause, NotSupportedError | sqlite3.NotSupportedError):
            return POSTGRES_HINT
        if isinstance(cause, sqlite3.OperationalError) and _SQLITE_MESSAGES.search(str(cause)):
            return POSTGRES_HINT
        if _POSTGRES_LOOKUPS.search(str(cause)) or _through_contrib_postgres(cause):
            return POSTGRES_HINT
    return ""
