"""Failures that say what to do: the postgres marker for SQLite's errors, a crash's own line."""

from __future__ import annotations

from .conftest import Check

POSTGRES_HINT = (
    "; the page runs on SQLite: if this is a PostgreSQL feature, "
    "add <!-- snippetcheck: postgres --> to the page"
)


def test_sqlite_errors_of_postgresql_features_name_the_postgres_marker(check: Check) -> None:
    outcome = check(
        {
            "array.md": """
            ```python title="talks/models.py"
            from django.contrib.postgres.fields import ArrayField
            from django.db import models


            class Talk(models.Model):
                tags = ArrayField(models.CharField(max_length=20))
            ```
            """,
            "distinct.md": """
            ```python
            from django.contrib.auth.models import User

            list(User.objects.order_by("username").distinct("username"))
            ```
            """,
            "function.md": """
            ```python
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT to_tsvector('english', 'talks')")
            ```
            """,
            "plain.md": """
            ```python
            1 / 0
            ```
            """,
        }
    )
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        f'docs/array.md:2: OperationalError: near "[]": syntax error{POSTGRES_HINT}',
        (
            "docs/distinct.md:4: NotSupportedError: DISTINCT ON fields is not supported by this "
            f"database backend{POSTGRES_HINT}"
        ),
        f"docs/function.md:5: OperationalError: no such function: to_tsvector{POSTGRES_HINT}",
        "docs/plain.md:2: ZeroDivisionError: division by zero",
        "snippetcheck: 4 snippets on 4 pages: 4 failed",
    ], outcome.out


def test_a_crash_names_the_line_that_was_running(check: Check) -> None:
    outcome = check(
        {
            "loop.md": """
            ```python
            import os

            def give_up():
                os._exit(3)
            ```

            ```python
            for attempt in range(3):
                if attempt == 2:
                    give_up()
            print("never")
            ```
            """,
        }
    )
    assert outcome.code == 1
    assert outcome.out.startswith(
        "docs/loop.md:11: Crashed: the page's process ended with exit code 3 before finishing; "
        "it was running this line\n"
        "    11 |         give_up()\n"
    ), outcome.out
