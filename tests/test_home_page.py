"""The home page's prerequisites and first steps agree with the pages they point to."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
HOME = DOCS / "index.md"
POSTGRES_MARKER = "<!-- snippetcheck: postgres -->"


def home_section(heading: str) -> str:
    text = HOME.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def linked_pages(text: str) -> set[str]:
    """The site pages that ``text`` links to, as paths under docs/."""
    return {
        target.split("#")[0]
        for target in re.findall(r"\]\(([^)\s]+\.md(?:#[^)]*)?)\)", text)
        if "://" not in target
    }


def test_the_postgresql_prerequisite_names_exactly_the_steps_that_run_on_postgresql() -> None:
    needs = home_section("What you need")
    postgres_part = needs[needs.index("**PostgreSQL") :]
    # A reference page may run its hidden checks on PostgreSQL; a reader only reads it.
    marked = {
        page.relative_to(DOCS).as_posix()
        for part in ("tutorials", "how-to")
        for page in (DOCS / part).glob("*.md")
        if POSTGRES_MARKER in page.read_text(encoding="utf-8").splitlines()
    }
    assert marked, "no page carries the postgres marker: the test reads the wrong thing"
    assert linked_pages(postgres_part) == marked


def test_the_python_prerequisite_is_the_one_the_tools_declare() -> None:
    pyproject = (DOCS.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject
    assert "**Python 3.11 or newer.**" in home_section("What you need")


def test_every_page_the_home_page_links_to_exists() -> None:
    linked = linked_pages(HOME.read_text(encoding="utf-8"))
    assert {"how-to/run-django-without-containers.md", "reference/snippetcheck.md"} <= linked
    assert sorted(page for page in linked if not (DOCS / page).is_file()) == []


def test_each_reader_of_the_home_page_gets_a_first_step() -> None:
    rows = [
        line.split("|")[1:3]
        for line in home_section("Start here").splitlines()
        if line.startswith("| ") and not line.startswith(("| You are", "| ---"))
    ]
    readers = [reader.strip() for reader, _ in rows]
    assert readers == [
        "New to Django",
        "Using the Django admin at work",
        "Deploying a project",
        "Keeping a record of decisions",
    ]
    assert all(linked_pages(first_step) for _, first_step in rows), rows
