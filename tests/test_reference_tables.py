"""The reference tables list everything Django's own registries hold, and nothing else."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django.contrib.postgres import operations as postgres_operations
from django.contrib.postgres.fields import ranges
from django.db.migrations import operations as core_operations
from django.db.migrations.operations.base import Operation

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference"
# The collation operations' shared base: Django documents CreateCollation and RemoveCollation.
NOT_FOR_MIGRATION_FILES = {"CollationOperation"}
RANGE_FIELDS = (
    ranges.IntegerRangeField,
    ranges.BigIntegerRangeField,
    ranges.DecimalRangeField,
    ranges.DateTimeRangeField,
    ranges.DateRangeField,
)


def section(page: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = page.index(f"\n{heading}\n")
    following = re.compile(rf"^#{{1,{level}}} ", flags=re.MULTILINE)
    end = following.search(page, start + len(heading) + 2)
    return page[start : end.start() if end else len(page)]


def first_column_names(text: str) -> list[str]:
    """The names in backticks in the first cell of each table row of ``text``, without arguments.

    A row may name several (`` `lt`, `lte` ``); a header row names none.
    """
    names = []
    for line in text.splitlines():
        if line.startswith("| "):
            names.extend(re.findall(r"`([A-Za-z_]+)", line.split("|")[1]))
    return names


def first_table(text: str) -> str:
    """The first Markdown table in ``text``: its run of lines that start with a pipe."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("| ")), len(lines))
    return "\n".join(lines[start:end])


def test_first_column_names_reads_the_first_cell_of_table_rows_only() -> None:
    text = (
        "Intro `NotARow`.\n\n| Op | SQL |\n| --- | --- |\n"
        "| `AddIndex(index)` | `CREATE INDEX` |\n| `lt`, `gt` | `<`, `>` |\n"
    )
    assert first_column_names(text) == ["AddIndex", "lt", "gt"]


def operation_names(module: object) -> set[str]:
    return {
        name
        for name, value in inspect.getmembers(module, inspect.isclass)
        if issubclass(value, Operation) and name not in NOT_FOR_MIGRATION_FILES
    }


def test_the_migration_operations_page_has_a_row_for_every_operation() -> None:
    page = (REFERENCE / "migration-operations.md").read_text(encoding="utf-8")
    every = section(page, "## Every operation: locks and reversal")
    core = first_column_names(section(every, "### In `django.db.migrations.operations`"))
    postgres = first_column_names(section(every, "### In `django.contrib.postgres.operations`"))
    assert len(core) == len(set(core)) and len(postgres) == len(set(postgres)), (core, postgres)
    assert sorted(core) == sorted(operation_names(core_operations))
    # The postgres module imports AddConstraint, AddIndex and RemoveIndex to subclass them.
    defined_there = {
        name
        for name in operation_names(postgres_operations)
        if getattr(postgres_operations, name).__module__ == postgres_operations.__name__
    }
    assert sorted(postgres) == sorted(defined_there)


def test_the_range_fields_page_has_a_row_for_every_lookup_of_every_range_field() -> None:
    page = (REFERENCE / "range-fields.md").read_text(encoding="utf-8")
    listed = first_column_names(section(page, "## Lookups and transforms"))
    assert len(listed) == len(set(listed)), sorted(listed)
    registered = set().union(*(field.get_class_lookups() for field in RANGE_FIELDS))
    assert sorted(listed) == sorted(registered)


def test_the_range_fields_page_lists_every_range_form_field() -> None:
    from django.contrib.postgres import forms

    page = (REFERENCE / "range-fields.md").read_text(encoding="utf-8")
    listed = first_column_names(first_table(section(page, "## Form fields")))
    form_fields = {
        name
        for name, value in inspect.getmembers(forms, inspect.isclass)
        if issubclass(value, forms.BaseRangeField) and value is not forms.BaseRangeField
    }
    assert sorted(listed) == sorted(form_fields)
    model_form_fields = {field().formfield().__class__.__name__ for field in RANGE_FIELDS}
    assert model_form_fields == form_fields
