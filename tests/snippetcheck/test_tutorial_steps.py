"""Reader mode steps that tutorials need: pytest runs, new settings, the server's terminal.

The unit tests read lines and fragments; the process test runs one small tutorial with real
processes (django-admin, manage.py, runserver, pytest) and variants of it that must fail.
"""

from __future__ import annotations

import re

import pytest

from snippetcheck.extract import TUTORIAL_MARKER, Kind, extract
from snippetcheck.tutorial.edits import EditError, apply_assignments, assignment_names
from snippetcheck.tutorial.engine import installed_closure, plugin_modules
from snippetcheck.tutorial.shell import Action, parse_fence
from snippetcheck.tutorial.transcript import mismatch

from .conftest import REPO, Check

SETTINGS = """\
DEBUG = True

INSTALLED_APPS = [
    "django.contrib.admin",
]

WSGI_APPLICATION = "mysite.wsgi.application"
"""


# Output that differs from run to run


@pytest.mark.parametrize(
    ("shown", "real", "matches"),
    [
        (("1 passed in ...s",), "1 passed in 0.41s\n", True),
        (("1 passed in ...s",), "1 failed in 0.41s\n", False),
        (("... 1 passed in ...",), "===== 1 passed in 2.03s =====\n", True),
        (("Applying auth.0001_initial... OK",), "Applying auth.0001_initial... OK\n", True),
        (("Applying auth.0001_initial... OK",), "Applying auth.0001_initial... FAILED\n", False),
        (("F [100%]", "...", "1 failed in ...s"), "F [100%]\nE boom\n1 failed in 0.5s\n", True),
    ],
)
def test_dots_inside_a_line_stand_for_any_text_and_the_rest_must_match(
    shown: tuple[str, ...], real: str, matches: bool
) -> None:
    assert (mismatch(shown, real) is None) is matches


def test_a_shown_line_with_dots_that_matches_nothing_is_named_in_the_failure() -> None:
    said = mismatch(("2 passed in ...s",), "1 passed in 0.4s\n")
    assert said is not None and said.startswith("the page shows '2 passed in ...s'"), said


# Settings that startproject does not write


def test_an_assignment_after_a_dots_line_is_added_at_the_end_of_the_file() -> None:
    fragment = 'DEBUG = False\n\n...\n\n# Served by Daphne.\nASGI_APPLICATION = "mysite.asgi.application"\n'
    assert assignment_names(fragment) == ["DEBUG", "ASGI_APPLICATION"]
    assert apply_assignments(SETTINGS, fragment, "mysite/settings.py") == (
        SETTINGS.replace("DEBUG = True", "DEBUG = False")
        + '\n# Served by Daphne.\nASGI_APPLICATION = "mysite.asgi.application"\n'
    )


def test_an_assignment_after_a_dots_line_that_the_file_has_is_changed_in_place() -> None:
    fragment = "...\n\nDEBUG = False\n"
    assert apply_assignments(SETTINGS, fragment, "mysite/settings.py") == SETTINGS.replace(
        "DEBUG = True", "DEBUG = False"
    )


def test_a_new_assignment_without_a_dots_line_before_it_is_refused_as_a_likely_typo() -> None:
    with pytest.raises(EditError, match=r"has no top-level ASGI_APPLICATION .*put a '\.\.\.' line"):
        apply_assignments(SETTINGS, 'ASGI_APPLICATION = "x"\n', "mysite/settings.py")


# pytest, as the reader runs it


def test_python_dash_m_pytest_is_a_reader_command_with_its_arguments() -> None:
    (command,) = parse_fence("docs/t.md", ["$ python -m pytest -q library/tests.py"], 3)
    assert command.action is Action.PYTEST
    assert command.args == ("-q", "library/tests.py")
    (bare,) = parse_fence("docs/t.md", ["pytest library"], 3)
    assert bare.action is Action.PYTEST and bare.args == ("library",)


def test_pytest_gets_the_plugins_of_what_the_page_installed_and_nothing_else() -> None:
    with_plugin = installed_closure({"Django~=5.2.0", "pytest-django~=4.9"})
    assert {"django", "asgiref", "pytest", "pytest-django"} <= with_plugin
    assert plugin_modules(with_plugin) == ["pytest_django.plugin"]
    # hypothesis and pytest-cov are in the check's environment, not in this reader's.
    assert "pytest" not in installed_closure({"Django~=5.2.0"})


def test_an_exit_marker_may_come_before_a_tutorial_shell_fence() -> None:
    text = f"{TUTORIAL_MARKER}\n\n<!-- snippetcheck: exit 1 -->\n\n```console\n$ pytest\n```\n"
    (snippet,) = extract(text, "docs/t.md").snippets
    assert snippet.kind is Kind.SHELL and snippet.expect_exit == 1


# Real processes

GUARDED = f"""\
# Guarded page

{TUTORIAL_MARKER}

```console
$ python -m pip install "Django~=5.2.0" "pytest-django~=4.9"
$ django-admin startproject mysite .
$ python manage.py startapp pages
```

```python title="mysite/settings.py"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "pages",
]

...

GREETING = "Hello"
```

```python title="pages/views.py"
from django.conf import settings
from django.shortcuts import render


def home(request):
    return render(request, "pages/home.html", {{"greeting": settings.GREETING}})
```

```python title="mysite/urls.py"
from django.urls import path

from pages.views import home

urlpatterns = [path("", home)]
```

```html title="pages/templates/pages/home.html"
<p>{{{{ greeting }}}}, reader</p>
```

```console
$ python manage.py runserver
```

<http://127.0.0.1:8000/> greets us.

<!-- snippetcheck: test
import re
assert "Hello, reader" in reader.get("/").text
assert re.search(r'"GET / HTTP/1.1" 200', reader.console()), reader.console()
-->

A change to the view restarts the server; the template changes right after the restart.

```python title="pages/views.py"
from django.conf import settings
from django.shortcuts import render


def home(request):
    context = {{"greeting": settings.GREETING, "name": "reader"}}
    return render(request, "pages/home.html", context)
```

```html title="pages/templates/pages/home.html"
<p>{{{{ greeting }}}} again, {{{{ name }}}}</p>
```

<!-- snippetcheck: test
assert "Hello again, reader" in reader.get("/").text
-->

```toml title="pyproject.toml"
[tool.pytest.ini_options]
DJANGO_SETTINGS_MODULE = "mysite.settings"
```

```python title="pages/tests.py"
def test_home_greets(client):
    assert b"Hello again" in client.get("/").content
```

```console
$ python -m pytest -q pages/tests.py
.                                                                        [100%]
1 passed in ...s
```
"""


def variant(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not once in the page"
    return text.replace(old, new)


def failure_of(out: str, page: str) -> tuple[int, str]:
    found = re.search(rf"^docs/{re.escape(page)}:(\d+): (.*)$", out, re.M)
    assert found, out
    return int(found[1]), found[2]


def line_of(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return number


def test_a_page_adds_a_setting_reads_the_terminal_edits_a_template_and_runs_pytest(
    check: Check,
) -> None:
    text = GUARDED
    no_plugin = variant(text, ' "pytest-django~=4.9"', "")
    failing = variant(text, 'Hello again" in', 'Goodbye" in')
    outcome = check({"guarded.md": text, "no-plugin.md": no_plugin, "failing.md": failing})
    assert "docs/guarded.md" not in outcome.out, outcome.out
    # Without pytest-django on the pip line, the reader has no pytest to run.
    line, rest = failure_of(outcome.out, "no-plugin.md")
    assert line == line_of(no_plugin, "$ python -m pytest"), outcome.out
    assert rest.startswith(
        "ReaderStep: python -m pytest -q pages/tests.py: the page installed no pytest"
    ), rest
    # A failing test exits 1, which the page did not expect.
    line, rest = failure_of(outcome.out, "failing.md")
    assert line == line_of(failing, "$ python -m pytest"), outcome.out
    assert rest.startswith("CommandFailed: python -m pytest -q pages/tests.py exited 1"), rest
    assert outcome.code == 1


TUTORIALS = REPO / "docs" / "tutorials"


def test_the_async_and_n_plus_one_tutorials_pass_and_fail_where_the_reader_would(
    check: Check,
) -> None:
    async_page = (TUTORIALS / "aggregate-views-with-async.md").read_text(encoding="utf-8")
    n_plus_one = (TUTORIALS / "find-and-fix-n-plus-one.md").read_text(encoding="utf-8")
    # Without Daphne first in INSTALLED_APPS, runserver is Django's own WSGI server.
    no_daphne = variant(
        async_page, '    "daphne",\n    "django.contrib.admin",', '    "django.contrib.admin",'
    )
    # Without pytest-django on the pip line, the reader has no pytest.
    no_plugin = variant(n_plus_one, ' "pytest-django~=4.14.0"', "")
    outcome = check(
        {
            "async.md": async_page,
            "n-plus-one.md": n_plus_one,
            "no-daphne.md": no_daphne,
            "no-plugin.md": no_plugin,
        }
    )
    assert "docs/async.md" not in outcome.out, outcome.out
    assert "docs/n-plus-one.md" not in outcome.out, outcome.out
    line, rest = failure_of(outcome.out, "no-daphne.md")
    assert line == line_of(no_daphne, "Watching for file changes"), outcome.out
    assert rest.startswith("ReaderOutput: the page shows 'Starting ASGI/Daphne version"), rest
    line, rest = failure_of(outcome.out, "no-plugin.md")
    first_run = no_plugin.splitlines().index("$ python -m pytest -q library/tests.py") + 1
    assert line == first_run, outcome.out
    assert rest.startswith("ReaderStep: python -m pytest -q library/tests.py: the page"), rest
    assert outcome.code == 1
