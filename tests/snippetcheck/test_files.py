"""File snippets are checked by kind when written, and their faults reported at their own lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippetcheck.extract import extract
from snippetcheck.filecheck import FileKind, file_kind

from .conftest import Check

APP = """
            ```python title="shop/views.py"
            from django.shortcuts import render


            def home(request):
                return render(request, "shop/home.html")
            ```
"""


def test_a_template_only_a_later_test_renders_fails_at_its_own_line(check: Check) -> None:
    outcome = check(
        {
            "template.md": APP
            + """
            ```html title="shop/templates/shop/home.html"
            <h1>{{ title }}</h1>
            {% planted_fault %}
            ```

            ```python title="shop/tests.py"
            from django.template.loader import get_template
            from django.test import SimpleTestCase


            class HomeTests(SimpleTestCase):
                def test_home(self):
                    get_template("shop/home.html")
            ```

            ```console
            python manage.py test shop
            ```
            """
        }
    )
    assert outcome.code == 1, outcome.out
    assert outcome.out.splitlines()[:2] == [
        (
            "docs/template.md:11: TemplateSyntaxError: Invalid block tag on line 2: "
            "'planted_fault'. Did you forget to register or load this tag?"
        ),
        "    11 | {% planted_fault %}",
    ], outcome.out


def test_a_template_may_load_the_tag_library_of_the_page_s_own_app(check: Check) -> None:
    outcome = check(
        {
            "tags.md": APP
            + """
            ```python title="shop/templatetags/__init__.py"
            # The app's tag libraries.
            ```

            ```python title="shop/templatetags/shop_tags.py"
            from django import template

            register = template.Library()


            @register.simple_tag
            def shout(text):
                return text.upper()
            ```

            ```html title="shop/templates/shop/home.html"
            {% load shop_tags %}<h1>{% shout "hello" %}</h1>
            ```

            <!-- snippetcheck: test
            from django.template.loader import render_to_string

            assert render_to_string("shop/home.html").strip() == "<h1>HELLO</h1>"
            -->
            """,
        }
    )
    assert outcome.code == 0, outcome.out


def test_a_failing_manage_py_test_names_the_test_its_error_and_its_page_line(check: Check) -> None:
    outcome = check(
        {
            "tests.md": """
            ```python title="shop/tests.py"
            from django.test import SimpleTestCase


            class PriceTests(SimpleTestCase):
                def test_total(self):
                    self.assertEqual(2 + 2, 5)
            ```

            ```console
            $ python manage.py test shop
            ```
            """
        }
    )
    assert outcome.code == 1
    assert outcome.out.splitlines()[0] == (
        "docs/tests.md:11: CommandFailed: manage.py test shop exited 1: "
        "test_total (shop.tests.PriceTests.test_total) failed at line 7: AssertionError: 4 != 5"
    ), outcome.out


# (title, file content, line of the fault in the file, error type and message).
DATA_FILES = [
    (
        "pyproject.toml",
        "[tool.ruff]\nline-length = 100\nplanted_fault =\n",
        3,
        "TOMLDecodeError: Invalid value",
    ),
    (
        ".pre-commit-config.yaml",
        "repos:\n  - repo: local\nplanted_fault: *planted_fault\n",
        3,
        "ComposerError: found undefined alias 'planted_fault'",
    ),
    ("data/fixture.json", '{"name": "shop"}\nplanted_fault\n', 2, "JSONDecodeError: Extra data"),
    ("setup.cfg", "[metadata]\nname = shop\nplanted_fault\n", 3, "ParsingError: cannot parse"),
    (
        "docs/adr/0001-use-htmx.md",
        (
            "# 1. Use htmx\n\nDate: 2025-01-02\n\n## Status\n\nAccepted\n\n"
            "See [the planted fault](9999-planted-fault.md).\n"
        ),
        9,
        "AdrCheckFailed: links to 9999-planted-fault.md, which does not exist",
    ),
    (
        "docs/adr/0002-no-status.md",
        "# 2. No status\n\nDate: 2025-01-02\n\n## Context\n\nNone.\n",
        1,
        "AdrCheckFailed: the record has no status",
    ),
]


@pytest.fixture(scope="module")
def data_outcome(tmp_path_factory: pytest.TempPathFactory) -> str:
    """All data-file pages checked in one run: one Django start for the whole table."""
    import os
    from contextlib import redirect_stdout
    from io import StringIO

    from snippetcheck.cli import main

    from .conftest import PROJECT

    folder = tmp_path_factory.mktemp("data")
    (folder / "docs").mkdir()
    for number, (title, body, _, _) in enumerate(DATA_FILES):
        lang = title.rsplit(".", 1)[-1]
        fence = f'```{lang} title="{title}"\n{body}```\n'
        page = f"# Page\n\n{fence}\n```python\nassert False, 'ran on'\n```\n"
        (folder / "docs" / f"data{number}.md").write_text(page, encoding="utf-8")
    out = StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        with redirect_stdout(out):
            main(["--project", str(PROJECT), "docs"])
    finally:
        os.chdir(cwd)
    return out.getvalue()


@pytest.mark.parametrize(("number", "case"), list(enumerate(DATA_FILES)))
def test_a_data_file_is_parsed_when_written_and_fails_at_its_own_line(
    data_outcome: str, number: int, case: tuple[str, str, int, str]
) -> None:
    _, _, file_line, message = case
    line = 3 + file_line  # the file's first line is the page's fourth
    reported = [row for row in data_outcome.splitlines() if row.startswith(f"docs/data{number}.md")]
    assert len(reported) == 1, data_outcome
    assert reported[0].startswith(f"docs/data{number}.md:{line}: {message}"), data_outcome


def test_valid_data_files_pass_and_files_nothing_checks_are_written_and_listed(
    check: Check,
) -> None:
    page = """
    ```toml title="pyproject.toml"
    [tool.coverage.run]
    dynamic_context = "test_function"
    ```

    ```yaml title="config/app.yaml"
    greeting: !custom-tag hello
    ```

    ```css title="static/site.css"
    body { color: red; }
    ```

    <!-- snippetcheck: test
    import tomllib
    from pathlib import Path

    assert tomllib.loads(Path("pyproject.toml").read_text())["tool"]["coverage"]
    assert Path("static/site.css").is_file()
    -->
    """
    outcome = check({"fine.md": page})
    assert outcome.code == 0, outcome.out
    listed = check({"fine.md": page}, "--list")
    assert listed.out.splitlines()[:3] == [
        "docs/fine.md:2-3  becomes the file pyproject.toml, parsed as TOML (SQLite)",
        "docs/fine.md:7-7  becomes the file config/app.yaml, parsed as YAML (SQLite)",
        (
            "docs/fine.md:11-11  becomes the file static/site.css, not checked "
            "(no parser for .css files) (SQLite)"
        ),
    ], listed.out


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("shop/models.py", FileKind.PYTHON),
        ("shop/templates/shop/list.html", FileKind.TEMPLATE),
        ("templates/base.html", FileKind.TEMPLATE),
        ("shop/templates/shop/mail.txt", FileKind.TEMPLATE),
        ("pyproject.toml", FileKind.TOML),
        (".pre-commit-config.yaml", FileKind.YAML),
        ("ci.yml", FileKind.YAML),
        ("fixtures/shop.json", FileKind.JSON),
        ("setup.cfg", FileKind.INI),
        ("tox.ini", FileKind.INI),
        ("docs/adr/0002-use-htmx.md", FileKind.ADR),
        ("docs/notes.md", None),
        ("static/site.css", None),
        ("static/index.html", None),
    ],
)
def test_file_kinds(name: str, kind: FileKind | None) -> None:
    assert file_kind(name) is kind
    (snippet,) = extract(f'```text title="{name}"\nx\n```\n', "p.md").snippets
    assert snippet.checked_as is kind
