"""Reader mode: a tutorial runs as a reader types it, and fails where the reader would fail.

The process tests run real processes (django-admin, manage.py, runserver, a shell session) and
batch their pages in one check each, so the pages run side by side in one warm worker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snippetcheck.extract import TUTORIAL_MARKER, Kind, extract
from snippetcheck.tutorial.edits import EditError, apply_assignments, assignment_names
from snippetcheck.tutorial.guard import refusals
from snippetcheck.tutorial.shell import Action, ReaderLineError, parse_fence
from snippetcheck.tutorial.transcript import mismatch

from .conftest import REPO, Check

TUTORIALS = REPO / "docs" / "tutorials"
CAR_DEALERSHIP = TUTORIALS / "admin-car-dealership.md"
READER_PAGES = Path(__file__).resolve().parent / "reader_pages"
WELCOME = READER_PAGES / "welcome.md"
SHOP = READER_PAGES / "shop-postgres.md"
POOL_BOOKING = TUTORIALS / "pool-booking-with-ranges.md"
FIRST_DECISION = TUTORIALS / "record-your-first-decision.md"


def variant(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not once in the page"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(numbers) == 1, (needle, numbers)
    return numbers[0]


def failures(out: str) -> dict[str, tuple[int, str]]:
    """Each failed page's line and the rest of its failure line."""
    found = {}
    for line in out.splitlines():
        matched = re.match(r"^docs/(?P<page>[\w-]+\.md):(?P<line>\d+): (?P<rest>.*)$", line)
        if matched:
            found[matched["page"]] = (int(matched["line"]), matched["rest"])
    return found


# The tutorials carry the marker


def test_every_tutorial_page_but_the_landing_page_is_checked_in_reader_mode() -> None:
    unmarked = {
        path.name
        for path in TUTORIALS.glob("*.md")
        if path.name != "index.md" and TUTORIAL_MARKER not in path.read_text(encoding="utf-8")
    }
    assert unmarked == set(), "a tutorial runs as a reader types it: add the tutorial marker"


# Shell lines, read as the reader types them


def test_set_up_lines_are_recognised_and_not_run() -> None:
    commands = parse_fence(
        "docs/t.md",
        [
            "$ python -m venv .venv",
            "$ source .venv/bin/activate",
            "$ .venv\\Scripts\\activate",
            '$ python -m pip install "Django~=5.2.0"',
            "$ mkdir site && cd site",
            "$ django-admin startproject mysite .",
            "$ python manage.py runserver",
            "$ python manage.py shell",
        ],
        10,
    )
    assert [(c.line, c.action) for c in commands] == [
        (10, Action.VENV),
        (11, Action.ACTIVATE),
        (12, Action.ACTIVATE),
        (13, Action.PIP),
        (14, Action.MKDIR),
        (14, Action.CD),
        (15, Action.DJANGO),
        (16, Action.RUNSERVER),
        (17, Action.SHELL),
    ]
    assert commands[3].args == ("Django~=5.2.0",)
    assert "not run" in commands[0].describe()


def test_output_shown_after_a_prompt_belongs_to_its_command() -> None:
    (migrate,) = parse_fence(
        "docs/t.md", ["$ python manage.py migrate", "Operations to perform:", "..."], 5
    )
    assert migrate.shown_output == ("Operations to perform:", "...")
    assert migrate.shown_output_line == 6


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("git init", "'git' is not a command a tutorial's check runs"),
        ('pip install "Django"', "pin 'Django' to the version the tutorial was written for"),
        ("pip install -r requirements.txt", "pip option '-r'"),
        ("python manage.py migrate | tee log", "put each command on its own line"),
        ("python manage.py shell -c 'print(1)'", "is interactive"),
        ("python mysite/manage.py migrate", "run mysite/manage.py from its folder"),
    ],
)
def test_a_line_the_check_cannot_run_as_typed_is_refused_with_what_to_write(
    line: str, says: str
) -> None:
    with pytest.raises(ReaderLineError) as raised:
        parse_fence("docs/t.md", [f"$ {line}"], 7)
    assert raised.value.line == 7
    assert says in raised.value.message


# Shown output against real output


@pytest.mark.parametrize(
    ("shown", "real", "matches"),
    [
        (("Superuser created successfully.",), "Superuser created successfully.\n", True),
        (("Superuser  created successfully. ",), "Superuser created successfully.\n", True),
        (("Superuser created.",), "Superuser created successfully.\n", False),
        (("a", "c"), "a\nb\nc\n", False),  # a line left out without saying so
        (("a", "...", "c"), "a\nb\nc\n", True),
        (("a", "..."), "a\nb\nc\n", True),
        (("...", "c"), "a\nb\nc\n", True),
        (("c", "...", "a"), "a\nb\nc\n", False),  # out of order
        (("a",), "a\nb\n", False),  # more printed than shown
    ],
)
def test_shown_output_must_be_the_real_output_or_an_excerpt_marked_with_dots(
    shown: tuple[str, ...], real: str, matches: bool
) -> None:
    assert (mismatch(shown, real) is None) is matches


# Hidden code may only observe


@pytest.mark.parametrize(
    "code",
    [
        'os.environ["DJANGO_SUPERUSER_PASSWORD"] = "secret"',
        'os.environ.setdefault("DEBUG", "1")',
        "settings.DEBUG = False",
        "get_app_template_dirs.cache_clear()",
        'engine.__dict__.pop("template_loaders", None)',
        "loader.reset()",
        'call_command("migrate")',
        "setup_test_environment()",
        "with override_settings(ROOT_URLCONF='x'):\n    pass",
        'open("mysite/settings.py", "w")',
        'Path("x.html").write_text("hi")',
        "import subprocess",
    ],
)
def test_hidden_code_that_changes_what_the_reader_meets_is_refused_at_its_line(code: str) -> None:
    found = refusals("assert True\n" + code + "\n", 40)
    assert [refusal.line for refusal in found] == [41], found


@pytest.mark.parametrize(
    "code",
    [
        'assert "Welcome" in reader.get("/").text',
        'reader.login("/admin/login/", "admin", "pw")',
        'car = Car.objects.get(model="Corolla")',
        'text = open("mysite/settings.py").read()',
        "names = sorted(os.environ)",
    ],
)
def test_hidden_code_that_only_observes_is_accepted(code: str) -> None:
    assert refusals(code + "\n", 1) == []


# Edits of a file the reader has


SETTINGS = """from pathlib import Path

DEBUG = True

INSTALLED_APPS = [
    "django.contrib.admin",
]

ROOT_URLCONF = "mysite.urls"
"""


def test_a_fragment_of_assignments_replaces_those_assignments_in_place() -> None:
    fragment = 'INSTALLED_APPS = [\n    "django.contrib.admin",\n    "shop",\n]\n'
    assert assignment_names(fragment) == ["INSTALLED_APPS"]
    assert apply_assignments(SETTINGS, fragment, "mysite/settings.py") == SETTINGS.replace(
        '    "django.contrib.admin",\n]', '    "django.contrib.admin",\n    "shop",\n]'
    )


def test_a_fragment_naming_an_assignment_the_file_lacks_is_refused() -> None:
    with pytest.raises(EditError, match="has no top-level INSTALED_APPS"):
        apply_assignments(SETTINGS, "INSTALED_APPS = []\n", "mysite/settings.py")


def test_a_fence_with_more_than_assignments_is_a_whole_file() -> None:
    assert assignment_names("from pathlib import Path\nDEBUG = True\n") is None


def test_prose_urls_of_the_development_server_are_fetched_in_page_order() -> None:
    page = extract(
        f"{TUTORIAL_MARKER}\n\nOpen <http://127.0.0.1:8000/admin/>, then `localhost:8000`.\n"
        "See <https://docs.djangoproject.com/>.\n",
        "docs/t.md",
    )
    assert [(s.kind, s.start_line, s.source) for s in page.snippets] == [
        (Kind.OPEN, 3, "http://127.0.0.1:8000/admin/"),
        (Kind.OPEN, 3, "http://localhost:8000"),
    ]


# Real processes


def test_a_pip_line_is_verified_against_the_installed_environment(check: Check) -> None:
    text = f'{TUTORIAL_MARKER}\n\n```console\n$ python -m pip install "Django~=4.2.0"\n```\n'
    outcome = check({"pip.md": text})
    assert outcome.code == 1, outcome.out
    line, rest = failures(outcome.out)["pip.md"]
    assert line == 4
    assert rest.startswith("NotInstalled: Django~=4.2.0 does not match the installed Django 5.2")


def test_a_pip_line_with_an_extra_needs_what_the_extra_brings(check: Check) -> None:
    def pip(requirement: str) -> str:
        return f'{TUTORIAL_MARKER}\n\n```console\npython -m pip install "{requirement}"\n```\n'

    # psycopg-binary is in the lock, psycopg-pool (psycopg's "pool" extra) is not.
    outcome = check(
        {
            "binary.md": pip("psycopg[binary]~=3.2"),
            "pool.md": pip("psycopg[pool]~=3.2"),
            "typo.md": pip("psycopg[binray]~=3.2"),
        }
    )
    found = failures(outcome.out)
    assert "binary.md" not in found, outcome.out
    assert found["pool.md"][1].startswith(
        "NotInstalled: psycopg[pool]~=3.2 brings psycopg-pool: psycopg-pool is not installed"
    ), outcome.out
    assert found["typo.md"][1].startswith(
        "NotInstalled: psycopg[binray]~=3.2: psycopg has no extra 'binray'"
    ), outcome.out
    assert outcome.code == 1


def test_the_welcome_page_passes_and_each_reader_blocker_fails_at_its_line(check: Check) -> None:
    text = WELCOME.read_text(encoding="utf-8")
    no_password = variant(text, "$ DJANGO_SUPERUSER_PASSWORD=a-long-practice-password \\\n  ", "$ ")
    no_restart = variant(
        text,
        "The server lists the apps' template folders when it starts, so we restart it:\n\n"
        "```console\n$ python manage.py runserver\n```\n",
        "",
    )
    wrong_output = variant(text, "Superuser created successfully.", "Superuser created.")
    hidden_row = variant(
        text,
        '<!-- snippetcheck: test\nassert "Welcome"',
        "<!-- snippetcheck: test\nfrom django.contrib.auth.models import User\n"
        'User.objects.create_user("helper", password="x")\nassert "Welcome"',
    )
    outcome = check(
        {
            "welcome.md": text,
            "no-password.md": no_password,
            "no-restart.md": no_restart,
            "wrong-output.md": wrong_output,
            "hidden-row.md": hidden_row,
        }
    )
    found = failures(outcome.out)
    assert "welcome.md" not in found, outcome.out
    # createsuperuser --noinput without the variable: an unusable password, so no login.
    assert found["no-password.md"] == (
        line_of(no_password, "reader.login("),
        (
            "AssertionError: logging in at /admin/login/ as 'admin' failed: Please enter the "
            "correct username and password for a staff account. Note that both fields may be "
            "case-sensitive."
        ),
    ), outcome.out
    # Without the restart, the new templates folder is not found: the page fails to render.
    line, rest = found["no-restart.md"]
    assert line == line_of(no_restart, '<http://127.0.0.1:8000/> says "Welcome"'), outcome.out
    assert rest.startswith("ReaderOpen: http://127.0.0.1:8000/ answers HTTP 500"), rest
    line, rest = found["wrong-output.md"]
    assert line == line_of(wrong_output, "Superuser created."), outcome.out
    assert rest.startswith("ReaderOutput: the page shows 'Superuser created.'"), rest
    line, rest = found["hidden-row.md"]
    assert line == line_of(hidden_row, "from django.contrib.auth.models import User"), outcome.out
    assert rest.startswith("HiddenChange: hidden code changed the rows of the table auth_user")
    assert outcome.code == 1


def test_the_car_dealership_tutorial_passes_and_fails_when_a_blocker_comes_back(
    check: Check,
) -> None:
    text = CAR_DEALERSHIP.read_text(encoding="utf-8")
    password = "$ DJANGO_SUPERUSER_PASSWORD=a-long-tutorial-password \\\n  "
    hidden_password = variant(
        variant(text, password, "$ "),
        "<!-- snippetcheck: test\nfrom dealership.models import Car\nfields",
        "<!-- snippetcheck: test\nimport os\n"
        'os.environ["DJANGO_SUPERUSER_PASSWORD"] = "a-long-tutorial-password"\n'
        "from dealership.models import Car\nfields",
    )
    restart = (
        "did not exist then, so the running server does not look in it yet. We stop the server "
        "with\nCtrl+C (in its terminal) and start it again:\n\n```console\npython manage.py runserver\n```\n"
    )
    hidden_cache_clear = variant(
        text,
        restart,
        "did not exist then.\n\n<!-- snippetcheck: test\n"
        "from django.template.utils import get_app_template_dirs\n"
        "get_app_template_dirs.cache_clear()\n-->\n",
    )
    no_startproject = variant(text, "django-admin startproject mysite .\n", "")
    outcome = check(
        {
            "car-dealership.md": text,
            "hidden-password.md": hidden_password,
            "hidden-cache-clear.md": hidden_cache_clear,
            "no-startproject.md": no_startproject,
        }
    )
    found = failures(outcome.out)
    assert "car-dealership.md" not in found, outcome.out
    line, rest = found["hidden-password.md"]
    assert line == line_of(hidden_password, 'os.environ["DJANGO_SUPERUSER_PASSWORD"]')
    assert rest.startswith("HiddenChange: hidden code writes os.environ[...]"), rest
    line, rest = found["hidden-cache-clear.md"]
    assert line == line_of(hidden_cache_clear, "get_app_template_dirs.cache_clear()")
    assert rest.startswith("HiddenChange: hidden code calls get_app_template_dirs.cache_clear()")
    line, rest = found["no-startproject.md"]
    assert line == line_of(no_startproject, "python manage.py startapp dealership")
    assert rest.startswith(
        "ReaderStep: python manage.py startapp dealership: there is no manage.py"
    )
    assert outcome.code == 1


SHELL_AND_A_MODULE = f"""{TUTORIAL_MARKER}

```console
$ django-admin startproject mysite .
$ python manage.py startapp notes
$ python manage.py shell
```

```python
greeting = "hello"
```

```python title="notes/words.py"
import string

WORD = "new"
```

```python
from notes.words import WORD

assert (greeting, WORD) == ("hello", "new")
```
"""


def test_a_new_module_keeps_the_open_shell_and_a_changed_one_restarts_it(check: Check) -> None:
    # notes/models.py exists (startapp wrote it) and Django imported it: a shell open before
    # the change is stale, and the reader must start a new one, losing `greeting`.
    changed = SHELL_AND_A_MODULE.replace("notes/words.py", "notes/models.py").replace(
        "notes.words", "notes.models"
    )
    outcome = check({"new-module.md": SHELL_AND_A_MODULE, "changed-module.md": changed})
    found = failures(outcome.out)
    assert "new-module.md" not in found, outcome.out
    assert found["changed-module.md"] == (
        line_of(changed, "assert (greeting, WORD)"),
        "NameError: name 'greeting' is not defined",
    ), outcome.out
    assert outcome.code == 1


def test_a_postgresql_tutorial_reaches_the_checks_server_through_libpq_variables(
    check: Check,
) -> None:
    # The page's DATABASES names only ENGINE and NAME, as for a reader's own server; createdb
    # and migrate find the server through PGHOST/PGPORT/PGUSER, and so does the shell.
    text = SHOP.read_text(encoding="utf-8")
    # Its own name: the pages of one run share the server, and shop.md makes "shop" meanwhile.
    no_createdb = variant(variant(text, "createdb shop\n", ""), '"NAME": "shop"', '"NAME": "depot"')
    outcome = check({"shop.md": text, "no-createdb.md": no_createdb})
    found = failures(outcome.out)
    assert "shop.md" not in found, outcome.out
    line, rest = found["no-createdb.md"]
    assert line == line_of(no_createdb, "$ python manage.py migrate"), outcome.out
    assert rest.startswith("CommandFailed: python manage.py migrate exited 1:"), rest
    assert 'database "depot" does not exist' in rest, rest


def test_list_says_what_reader_mode_does_with_each_line(check: Check) -> None:
    text = (
        f"{TUTORIAL_MARKER}\n\n```console\npython -m venv .venv\nsource .venv/bin/activate\n"
        'python -m pip install "Django~=5.2.0"\ndjango-admin startproject mysite .\n```\n'
    )
    outcome = check({"setup.md": text}, "--list")
    assert outcome.code == 0, outcome.err
    assert outcome.out == (
        "docs/setup.md:4-7  set-up line, verified for form, not run: python -m venv .venv; "
        "set-up line, verified for form, not run: source .venv/bin/activate; "
        "verifies installed, nothing downloaded: Django~=5.2.0; "
        "runs django-admin startproject mysite . as a process (SQLite)\n"
    )


def test_the_range_and_adrtool_tutorials_pass_and_fail_when_a_blocker_comes_back(
    check: Check,
) -> None:
    pool = POOL_BOOKING.read_text(encoding="utf-8")
    # The page's DATABASES names only "pool", which libpq's variables complete: hidden code
    # may not point the project at another database.
    hidden_server = variant(
        pool,
        "<!-- snippetcheck: test\nfrom django.db import connection\n",
        "<!-- snippetcheck: test\nimport os\n"
        'os.environ["PGDATABASE"] = "postgres"\nfrom django.db import connection\n',
    )
    decision = FIRST_DECISION.read_text(encoding="utf-8")
    # Without --date the new record carries the day the command runs, not the story's, and the
    # list shown right after it says so.
    undated = variant(decision, "$ adrtool supersede --date 2026-03-10 ", "$ adrtool supersede ")
    outcome = check(
        {
            "pool.md": pool,
            "hidden-server.md": hidden_server,
            "decision.md": decision,
            "undated.md": undated,
        }
    )
    found = failures(outcome.out)
    assert "pool.md" not in found and "decision.md" not in found, outcome.out
    line, rest = found["hidden-server.md"]
    assert line == line_of(hidden_server, 'os.environ["PGDATABASE"]'), outcome.out
    assert rest.startswith("HiddenChange: hidden code writes os.environ[...]"), rest
    line, rest = found["undated.md"]
    # The output shown starts at the table's header; the record's row is what differs.
    assert line == line_of(undated, "Number  Status      Date        Title"), outcome.out
    assert rest.startswith("ReaderOutput: the page shows "), rest
    assert "3 Accepted 2026-03-10 Keep uploaded files in S3-compatible" in rest, rest
    assert outcome.code == 1


def test_an_exit_marker_applies_to_a_tutorials_shell_fence() -> None:
    page = extract(
        f"{TUTORIAL_MARKER}\n\n<!-- snippetcheck: exit 1 -->\n```console\nadrtool check\n```\n",
        "docs/t.md",
    )
    (fence,) = page.snippets
    assert fence.expect_exit == 1
    assert [command.action for command in fence.reader] == [Action.ADRTOOL]


def test_the_readers_processes_get_no_variable_of_the_checks_own_run() -> None:
    from snippetcheck.tutorial.engine import reader_environ

    # A DJANGO_SUPERUSER_PASSWORD in the developer's shell would hide the missing variable again.
    assert reader_environ(
        {
            "PATH": "/usr/bin",
            "DJANGO_SUPERUSER_PASSWORD": "from-my-shell",
            "DJANGO_SETTINGS_MODULE": "testproject.settings",
            "PYTHONPATH": "/repo",
            "SNIPPETCHECK_POSTGRES_HOST": "/tmp/pg",
            "SNIPPETCHECK_POSTGRES_USER": "postgres",
        }
    ) == {"PATH": "/usr/bin", "PGHOST": "/tmp/pg", "PGUSER": "postgres"}


def test_a_top_level_await_in_the_readers_shell_is_a_syntax_error_as_in_pythons_repl(
    check: Check,
) -> None:
    # Without IPython (which awaits at its prompt) Django's shell is Python's own REPL, which
    # calls the line a SyntaxError. Hidden code is the check's own and may await.
    steps = (
        f"{TUTORIAL_MARKER}\n\n```console\n$ django-admin startproject mysite .\n"
        "$ python manage.py migrate -v 0\n$ python manage.py shell\n```\n\n"
        "```python\nfrom django.contrib.auth.models import User\n\n"
        'User.objects.create(username="ada")\n```\n\n'
        "<!-- snippetcheck: test\nassert await User.objects.acount() == {count}\n-->\n"
    )
    counted = steps.format(count=1)
    wrong = steps.format(count=2)
    typed = counted.replace(
        'User.objects.create(username="ada")', 'await User.objects.acreate(username="ada")'
    )
    outcome = check({"counted.md": counted, "wrong.md": wrong, "typed.md": typed})
    found = failures(outcome.out)
    assert "counted.md" not in found, outcome.out
    assert found["wrong.md"] == (
        line_of(wrong, "acount() == 2"),
        "AssertionError: (no message)",
    ), outcome.out
    line, rest = found["typed.md"]
    assert line == line_of(typed, "await User.objects.acreate")
    assert rest.startswith(
        "SyntaxError: 'await' outside function: the reader's 'python manage.py shell' is "
        "Python's own REPL; install ipython on the page's pip line"
    ), outcome.out
