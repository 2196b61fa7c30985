"""The ADR dialects adrtool reads and writes, one module each.

A dialect is a module of this package with a ``DIALECT`` object (see ``_base.Dialect``); adding
a file adds a dialect. Each record's dialect is found on its own, so a folder may mix them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from adrtool.dialects._base import Dialect

__all__ = ["Dialect", "all_dialects", "by_name", "detect"]


@cache
def all_dialects() -> tuple[Dialect, ...]:
    """Every dialect, in the order they are asked to claim a record."""
    found: list[Dialect] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        dialect = importlib.import_module(f"{__name__}.{module.name}").DIALECT
        found.append(dialect)
    return tuple(sorted(found, key=lambda d: (d.priority, d.name)))


def detect(name: str, lines: list[str]) -> Dialect:
    """The dialect a record is written in; the last one (Nygard) takes any other text."""
    dialects = all_dialects()
    for dialect in dialects:
        if dialect.claims(name, lines):
            return dialect
    return dialects[-1]


def by_name(name: str) -> Dialect:
    for dialect in all_dialects():
        if dialect.name == name:
            return dialect
    known = ", ".join(d.name for d in all_dialects())
    raise KeyError(f"unknown dialect {name!r}; known: {known}")
