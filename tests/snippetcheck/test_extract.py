"""Finding snippets: every fence form, exact page lines, and the markers."""

from __future__ import annotations

import pytest

from snippetcheck.errors import MarkerError, UnrunnableCommand
from snippetcheck.extract import Kind, extract, parse_info

from .conftest import page

FORMS = page(
    """
    # Every place a fence can be

    ```python
    top = 1
    ```

    !!! note "An admonition"

        ```python
        in_admonition = 2
        ```

    ??? tip "A collapsed one"

        ```py
        in_details = 3
        ```

    === "Tab one"

        ```python
        in_tab = 4
        ```

    === "Tab two"

        !!! example

            ```python
            in_tab_and_admonition = 5
            ```

    1. A list item:

        ```python
        in_list = 6
        ```

    - Another:
      ```python
      in_bullet = 7
      ```

    ~~~python
    tilde = 8
    ~~~

    ```python title="library/models.py"
    file_one = 9
    ```

    ``` { .python title="library/admin.py" linenums="1" }
    file_two = 10
    ```

    ```{.python .annotate}
    braces = 11
    ```

    ```python title="In the shell"
    captioned = 12
    ```
    """
)


def test_every_fence_form_is_found_with_its_code_lines() -> None:
    found = extract(FORMS, "docs/forms.md")
    assert [(str(s), s.kind, s.source) for s in found.snippets] == [
        ("docs/forms.md:4-4", Kind.RUN, "top = 1\n"),
        ("docs/forms.md:10-10", Kind.RUN, "in_admonition = 2\n"),
        ("docs/forms.md:16-16", Kind.RUN, "in_details = 3\n"),
        ("docs/forms.md:22-22", Kind.RUN, "in_tab = 4\n"),
        ("docs/forms.md:30-30", Kind.RUN, "in_tab_and_admonition = 5\n"),
        ("docs/forms.md:36-36", Kind.RUN, "in_list = 6\n"),
        ("docs/forms.md:41-41", Kind.RUN, "in_bullet = 7\n"),
        ("docs/forms.md:45-45", Kind.RUN, "tilde = 8\n"),
        ("docs/forms.md:49-49", Kind.FILE, "file_one = 9\n"),
        ("docs/forms.md:53-53", Kind.FILE, "file_two = 10\n"),
        ("docs/forms.md:57-57", Kind.RUN, "braces = 11\n"),
        ("docs/forms.md:61-61", Kind.RUN, "captioned = 12\n"),
    ]
    lines = FORMS.splitlines()
    for snippet in found.snippets:
        # The line a snippet names is the line that holds its code in the page.
        assert lines[snippet.start_line - 1].strip() == snippet.source.strip()


def test_file_snippets_name_their_file() -> None:
    found = extract(FORMS, "docs/forms.md")
    assert [s.file for s in found.snippets if s.kind is Kind.FILE] == [
        "library/models.py",
        "library/admin.py",
    ]


def test_multi_line_snippet_spans_its_code_lines_and_keeps_inner_indentation() -> None:
    text = page(
        """
        Intro

        !!! example

            ```python
            def total(items):
                return sum(items)

            assert total([1, 2]) == 3
            ```
        """
    )
    (snippet,) = extract(text, "p.md").snippets
    assert (snippet.start_line, snippet.end_line) == (6, 9)
    assert (
        snippet.source == "def total(items):\n    return sum(items)\n\nassert total([1, 2]) == 3\n"
    )


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("python", ("python", {})),
        ('python title="cars/admin.py"', ("python", {"title": "cars/admin.py"})),
        ("python linenums='3' hl_lines=\"1 2\"", ("python", {"linenums": "3", "hl_lines": "1 2"})),
        ('{ .python title="a.py" }', ("python", {"title": "a.py"})),
        ("{.py .annotate}", ("py", {})),
        ('{ title="x.html" .html }', ("html", {"title": "x.html"})),
        ("Python", ("python", {})),
        ("", ("", {})),
    ],
)
def test_info_strings(info: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_info(info) == expected


def test_fences_of_other_languages_are_not_snippets_and_do_not_end_the_outer_fence() -> None:
    text = page(
        """
        ````markdown
        ```python
        inside_an_example = True
        ```
        ````

        ```text
        plain
        ```

        ```html title="library/templates/library/book_list.html"
        <ul>{% for book in books %}<li>{{ book }}</li>{% endfor %}</ul>
        ```
        """
    )
    found = extract(text, "p.md")
    assert [(str(s), s.kind, s.file) for s in found.snippets] == [
        ("p.md:12-12", Kind.FILE, "library/templates/library/book_list.html")
    ]


def test_hidden_test_code_runs_at_its_place_with_its_lines() -> None:
    text = page(
        """
        ```python
        x = 1
        ```

        <!-- snippetcheck: test
        assert x == 1
        assert x + 1 == 2
        -->

        ```python
        y = 2
        ```
        """
    )
    found = extract(text, "p.md")
    assert [(str(s), s.kind) for s in found.snippets] == [
        ("p.md:2-2", Kind.RUN),
        ("p.md:6-7", Kind.TEST),
        ("p.md:11-11", Kind.RUN),
    ]
    assert found.snippets[1].source == "assert x == 1\nassert x + 1 == 2\n"


def test_skip_marker_moves_the_next_fence_to_skipped_with_its_reason() -> None:
    text = page(
        """
        <!-- snippetcheck: skip needs a mail server -->
        ```python
        send_mail("hi", "there", "a@example.com", ["b@example.com"])
        ```

        ```python
        runs = True
        ```
        """
    )
    found = extract(text, "p.md")
    assert [str(s) for s in found.snippets] == ["p.md:7-7"]
    assert [(str(s), s.skip_reason) for s in found.skipped] == [("p.md:3-3", "needs a mail server")]
    assert (found.python_fences, found.runnable_python_fences) == (2, 1)


def test_page_markers_postgres_and_timeout() -> None:
    text = "<!-- snippetcheck: postgres -->\n<!-- snippetcheck: timeout 2.5 -->\n"
    found = extract(text, "p.md")
    assert (found.postgres, found.timeout) == (True, 2.5)
    assert extract("", "p.md").postgres is False


def test_shell_snippets_run_manage_py_commands_and_skip_the_rest() -> None:
    text = page(
        """
        ```console
        $ python manage.py makemigrations library
        Migrations for 'library':
        $ ./manage.py migrate \\
            library
        ```

        ```sh
        pip install django
        ```

        ```console
        $ python manage.py runserver
        ```
        """
    )
    found = extract(text, "p.md")
    (shell,) = found.snippets
    assert [(c.line, c.args) for c in shell.commands] == [
        (2, ("makemigrations", "library")),
        (4, ("migrate", "library")),
    ]
    assert [(str(s), s.skip_reason) for s in found.skipped] == [
        ("p.md:9-9", "'pip install django' is not a manage.py or adrtool command"),
        ("p.md:13-13", "manage.py runserver does not finish on its own"),
    ]


def test_shell_snippets_run_adrtool_commands_however_it_is_called() -> None:
    text = page(
        """
        ```console
        $ adrtool init
        docs/adr/0001-record-architecture-decisions.md
        $ .venv/bin/adrtool new --no-edit "Use PostgreSQL"
        $ python -m adrtool index
        ```
        """
    )
    (shell,) = extract(text, "p.md").snippets
    assert [(c.line, c.program, c.args) for c in shell.commands] == [
        (2, "adrtool", ("init",)),
        (4, "adrtool", ("new", "--no-edit", "Use PostgreSQL")),
        (5, "adrtool", ("index",)),
    ]
    assert (
        shell.describe()
        == "runs adrtool init; adrtool new --no-edit 'Use PostgreSQL'; adrtool index"
    )


def test_shell_snippets_run_adr_commands_the_same_way() -> None:
    text = page(
        """
        ```console
        $ adr init
        doc/adr/0001-record-architecture-decisions.md
        $ ADR_DATE=2020-01-01 .venv/bin/adr new Use PostgreSQL
        $ python -m adrtool.adr_tools_cli list
        $ adrtool check
        ```
        """
    )
    (shell,) = extract(text, "p.md").snippets
    assert [(c.line, c.program, c.args) for c in shell.commands] == [
        (2, "adr", ("init",)),
        (4, "adr", ("new", "Use", "PostgreSQL")),
        (5, "adr", ("list",)),
        (6, "adrtool", ("check",)),
    ]
    assert shell.describe() == (
        "runs adr init; ADR_DATE=2020-01-01 adr new Use PostgreSQL; adr list; adrtool check"
    )


def test_environment_prefixes_apply_and_other_programs_lines_are_listed_not_run() -> None:
    text = page(
        """
        ```console
        $ git merge other-branch
        $ ADR_DATE=2020-01-01 uv run adrtool init
        $ coverage run manage.py test
        ```
        """
    )
    (shell,) = extract(text, "p.md").snippets
    (command,) = shell.commands
    assert (command.line, command.args, command.environ) == (
        3,
        ("init",),
        (("ADR_DATE", "2020-01-01"),),
    )
    # coverage with manage.py as its argument is coverage's line: running manage.py alone
    # would not be what the reader runs.
    assert shell.describe() == (
        "runs ADR_DATE=2020-01-01 adrtool init; "
        "not run: git merge other-branch; coverage run manage.py test"
    )


@pytest.mark.parametrize(
    "line",
    [
        "$ mkdir sub && cd sub && adrtool init",
        "$ cd sub; python manage.py migrate",
        "$ adrtool list --json | jq .",
        "$ python manage.py dumpdata > data.json",
    ],
)
def test_a_command_line_the_check_could_only_half_run_is_refused_at_its_line(line: str) -> None:
    text = f"Intro\n\n```console\n{line}\n```\n"
    with pytest.raises(UnrunnableCommand) as raised:
        extract(text, "docs/p.md")
    assert raised.value.line == 4
    assert "alone on its line" in raised.value.message


def test_a_skipped_shell_fence_may_hold_any_shell() -> None:
    text = page(
        """
        <!-- snippetcheck: skip a script for the server -->
        ```bash
        cd /srv/app && python manage.py migrate | tee migrate.log
        ```
        """
    )
    found = extract(text, "p.md")
    assert [(str(s), s.skip_reason) for s in found.skipped] == [
        ("p.md:3-3", "a script for the server")
    ]


def test_exit_marker_sets_the_status_the_fence_s_last_command_must_have() -> None:
    text = page(
        """
        <!-- snippetcheck: exit 1 -->
        ```console
        $ adrtool check
        docs/adr/0002-b.md: duplicate number 2
        ```
        """
    )
    (shell,) = extract(text, "p.md").snippets
    assert shell.expect_exit == 1
    assert shell.describe() == "runs adrtool check (expects exit 1)"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("<!-- snippetcheck: skip -->\n```python\nx\n```\n", 1, "needs a reason"),
        ("<!-- snippetcheck: skip why -->\nText\n", 1, "right before a fence"),
        ("<!-- snippetcheck: skip why -->\n", 1, "right before a fence"),
        ("\n<!-- snippetcheck: sometimes -->\n", 2, "unknown marker 'sometimes'"),
        ("<!-- snippetcheck: test\nassert x\n", 1, "closing '-->'"),
        ("<!-- snippetcheck: test assert x -->\n", 1, "on the lines after"),
        ("<!-- snippetcheck: timeout soon -->\n", 1, "timeout needs seconds"),
        ("<!-- snippetcheck: postgres\n", 1, "close the 'postgres' marker"),
        ("<!-- snippetcheck: exit -->\n```sh\nadrtool check\n```\n", 1, "expected status"),
        ("<!-- snippetcheck: exit 0 -->\n```sh\nadrtool check\n```\n", 1, "1 to 255"),
        ("<!-- snippetcheck: exit 1 -->\n```python\nx\n```\n", 1, "before a shell fence"),
        ("<!-- snippetcheck: exit 1 -->\n```sh\npip install x\n```\n", 1, "shell fence"),
        ("<!-- snippetcheck: exit 1 -->\nText\n", 1, "right before a shell fence"),
        ("x\n<!-- snippetcheck: exit 2 -->\n", 2, "right before a shell fence"),
    ],
)
def test_malformed_markers_name_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(MarkerError) as raised:
        extract(text, "docs/p.md")
    assert raised.value.line == line
    assert message in raised.value.message


def test_markers_inside_fences_are_examples_not_markers() -> None:
    text = "````markdown\n<!-- snippetcheck: postgres -->\n````\n"
    assert extract(text, "p.md").postgres is False
