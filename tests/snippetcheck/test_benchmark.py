"""The speed benchmark keeps running, and its page budget flags the pages it should."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.snippetcheck_speed import PAGE_LIMIT, page_seconds, pages_over

from .conftest import PAGES, REPO

# What `snippetcheck --durations 3` prints: failures first, then the slowest pages, a summary.
DURATIONS = """\
docs/how-to/broken.md:12: AssertionError: 2 != 3
snippetcheck: 3 slowest pages:
    4.10 s  docs/how-to/guard-query-counts.md
   11.70 s  docs/tutorials/aggregate-views-with-async.md
    0.15 s  docs/how-to/admin url.md
snippetcheck: 12 snippets on 3 pages: 1 failed
"""


def test_benchmark_reports_every_budget_and_passes_in_report_only_mode() -> None:
    result = subprocess.run(
        # The example pages stand in for the real docs/, which make test checks once already.
        [
            sys.executable,
            "benchmarks/snippetcheck_speed.py",
            "--pages",
            "2",
            "--repeat",
            "1",
            "--docs",
            str(PAGES),
            "--report-only",  # a busy machine misses budgets; only a failed run may fail this
        ],
        check=False,
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    for name in (
        "one SQLite page / pytest-django floor",
        "one PostgreSQL page / pytest-django floor (server running)",
        "real pages/ (2 pages with snippets of 2, PostgreSQL start included) / pytest-django floor",
        "real pages/ cores kept busy (machine CPU s per wall s",
        "real pages/ of which our own processes, PostgreSQL left out",
        "real pages/ slowest page / pytest-django floor",
        "real pages/ each page / pytest-django floor",
        "tutorial.md",  # each page's ratio, by name
        "bookings.md",
        "real pages/ with both cores busy / idle",
        "synthetic docs/ (2 copies of the example pages)",
        "synthetic 4 pages / 2 pages",
    ):
        assert name in result.stdout, result.stdout


def test_page_seconds_are_read_from_the_durations_output_slowest_first() -> None:
    assert page_seconds(DURATIONS) == [
        ("docs/tutorials/aggregate-views-with-async.md", 11.70),
        ("docs/how-to/guard-query-counts.md", 4.10),
        ("docs/how-to/admin url.md", 0.15),
    ]


def test_a_page_over_three_floors_misses_the_page_budget_and_one_under_it_does_not() -> None:
    assert PAGE_LIMIT == 3.0
    pages = page_seconds(DURATIONS)
    assert pages_over(pages, floor=3.8, limit=PAGE_LIMIT) == [  # 3.08 floors
        "docs/tutorials/aggregate-views-with-async.md"
    ]
    assert pages_over(pages, floor=4.0, limit=PAGE_LIMIT) == []  # 2.93 floors
    assert pages_over(pages, floor=1.0, limit=PAGE_LIMIT) == [
        "docs/tutorials/aggregate-views-with-async.md",
        "docs/how-to/guard-query-counts.md",
    ]
