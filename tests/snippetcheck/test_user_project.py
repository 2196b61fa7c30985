"""Pages run in the user's own Django project: --settings, [tool.snippetcheck], the wrapper."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from snippetcheck.cli import main

from .conftest import page

DJANGO_ADMIN = Path(sys.executable).parent / "django-admin"

# What a reader of a stock project's docs would try: the project's own settings and URLconf
# (admin at /admin/), an app of the page's own with a query, the project's templates folder
# next to the page's, and a file saved to the project's MEDIA_ROOT.
STOCK_PAGE = page(
    """
    # Using mysite

    ```python
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    assert settings.ROOT_URLCONF == "mysite.urls"
    assert reverse("admin:index") == "/admin/"
    assert Client().get("/admin/").status_code == 302  # to the admin's login
    ```

    ```python title="library/models.py"
    from django.db import models


    class Book(models.Model):
        title = models.CharField(max_length=100)
    ```

    ```html title="templates/book.html"
    {% extends "base.html" %}{% block body %}{{ book.title }}{% endblock %}
    ```

    ```python
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.template.loader import render_to_string

    from library.models import Book

    book = Book.objects.create(title="Two Scoops")
    assert Book.objects.count() == 1
    assert render_to_string("book.html", {"book": book}) == "<main>Two Scoops</main>\\n"
    default_storage.save("cover.txt", ContentFile(b"cover"))
    ```
    """
)


def startproject(folder: Path, name: str = "mysite", *, under: str = ".") -> Path:
    """A stock `django-admin startproject` project in ``folder``; the folder holding manage.py."""
    root = folder / under
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(DJANGO_ADMIN), "startproject", name, str(root)], check=True)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def stock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a stock project at its root and a docs/ folder, as the working folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNIPPETCHECK_PROJECT", raising=False)
    startproject(tmp_path)
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_a_stock_startproject_project_runs_a_page_and_nothing_is_written_into_it(
    stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = stock / "mysite" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    # Folders of the project's own that a careless check would write into.
    assert "'DIRS': []," in text
    text = text.replace("'DIRS': [],", "'DIRS': [BASE_DIR / 'templates'],")
    settings.write_text(text + '\nMEDIA_ROOT = BASE_DIR / "media"\n', encoding="utf-8")
    (stock / "templates").mkdir()
    (stock / "templates" / "base.html").write_text(
        "<main>{% block body %}{% endblock %}</main>\n", encoding="utf-8"
    )
    (stock / "docs" / "usage.md").write_text(STOCK_PAGE, encoding="utf-8")
    before = snapshot(stock)

    assert main(["--settings", "mysite.settings", "docs/usage.md"]) == 0, capsys.readouterr()
    assert capsys.readouterr().out == "snippetcheck: 4 snippets on 1 pages: all passed\n"
    # No db.sqlite3 from BASE_DIR / "db.sqlite3", no media/, no migrations, no __pycache__.
    assert snapshot(stock) == before
    assert sorted(p.name for p in stock.iterdir()) == ["docs", "manage.py", "mysite", "templates"]


def test_a_postgresql_page_runs_on_the_checks_server_in_the_users_project(
    stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (stock / "docs" / "pg.md").write_text(
        page(
            """
            <!-- snippetcheck: postgres -->

            ```python
            from django.conf import settings
            from django.db import connection

            assert connection.vendor == "postgresql"
            assert "django.contrib.postgres" in settings.INSTALLED_APPS
            assert settings.ROOT_URLCONF == "mysite.urls"
            ```
            """
        ),
        encoding="utf-8",
    )
    before = snapshot(stock)
    assert main(["--settings", "mysite.settings", "docs/pg.md"]) == 0, capsys.readouterr()
    assert capsys.readouterr().out == "snippetcheck: 1 snippets on 1 pages: all passed\n"
    assert snapshot(stock) == before


MARKED = page(
    """
    # Which settings

    ```python
    from django.conf import settings

    assert not hasattr(settings, "MARK"), settings.MARK
    ```
    """
)


def test_pyproject_names_the_settings_and_the_command_line_wins(
    stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (stock / "mysite" / "marked.py").write_text(
        'from .settings import *  # noqa: F403\n\nMARK = "marked"\n', encoding="utf-8"
    )
    (stock / "pyproject.toml").write_text(
        '[project]\nname = "mysite"\n\n[tool.snippetcheck]\nsettings = "mysite.settings"\n',
        encoding="utf-8",
    )
    (stock / "docs" / "which.md").write_text(MARKED, encoding="utf-8")

    assert main(["docs/which.md"]) == 0, capsys.readouterr()
    assert capsys.readouterr().out == "snippetcheck: 1 snippets on 1 pages: all passed\n"
    assert main(["--settings", "mysite.marked", "docs/which.md"]) == 1
    assert capsys.readouterr().out.startswith("docs/which.md:6: AssertionError: marked\n")


def test_project_in_pyproject_is_the_folder_on_sys_path_relative_to_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNIPPETCHECK_PROJECT", raising=False)
    startproject(tmp_path, "shop", under="src")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.snippetcheck]\nsettings = "shop.settings"\nproject = "src"\n', encoding="utf-8"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "shop.md").write_text(
        '```python\nfrom django.conf import settings\n\nassert settings.ROOT_URLCONF == "shop.urls"\n```\n',
        encoding="utf-8",
    )
    before = snapshot(tmp_path)
    assert main(["docs/shop.md"]) == 0, capsys.readouterr()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("pyproject", "argv", "message"),
    [
        (
            None,
            ["--settings", "mysite/settings.py"],
            (
                "--settings needs a dotted module name such as mysite.settings, "
                "not 'mysite/settings.py'"
            ),
        ),
        (
            None,
            ["--settings", "mysite.setting"],
            (
                "no settings module mysite.setting in the working folder (expected "
                "mysite/setting.py); fix --settings, or pass --project FOLDER (the folder on sys.path)"
            ),
        ),
        (
            None,
            ["--settings", "mysite.settings", "--project", "src"],
            "no such folder: src (--project); name the folder that holds your project's manage.py",
        ),
        (
            '[tool.snippetcheck]\nsetting = "mysite.settings"\n',
            [],
            (
                "pyproject.toml: unknown key 'setting' in [tool.snippetcheck]; "
                "the keys are settings, project"
            ),
        ),
        (
            "[tool.snippetcheck]\nsettings = 3\n",
            [],
            (
                "pyproject.toml: [tool.snippetcheck] settings must be a non-empty string, "
                'such as settings = "mysite.settings"'
            ),
        ),
        (
            '[tool.snippetcheck]\nsettings = "mysite.settings\n',
            [],
            (
                "pyproject.toml is not valid TOML (Illegal character '\\n' (at line 2, column 28)); "
                "fix it so [tool.snippetcheck] can be read"
            ),
        ),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    stock: Path,
    capsys: pytest.CaptureFixture[str],
    pyproject: str | None,
    argv: list[str],
    message: str,
) -> None:
    if pyproject is not None:
        (stock / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (stock / "docs" / "page.md").write_text("```python\nx = 1\n```\n", encoding="utf-8")
    before = snapshot(stock)
    code = main([*argv, "docs/page.md"])
    captured = capsys.readouterr()
    assert (code, captured.out, captured.err) == (2, "", f"snippetcheck: error: {message}\n")
    assert snapshot(stock) == before


def test_settings_that_cannot_be_imported_are_named_with_the_fix(
    stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = stock / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\nimport environ\n", encoding="utf-8"
    )
    (stock / "docs" / "page.md").write_text("```python\nx = 1\n```\n", encoding="utf-8")
    before = snapshot(stock)
    assert main(["--settings", "mysite.settings", "docs/page.md"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "snippetcheck: error: cannot import the settings module mysite.settings from "
        f"{stock}: ModuleNotFoundError: No module named 'environ'; fix the module, install what "
        "it imports where snippetcheck runs (the hook's additional_dependencies), or pass "
        "--settings and --project\n"
    )
    assert snapshot(stock) == before  # not even a .pyc of the settings module


def test_each_value_comes_from_the_command_line_then_the_environment_then_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snippetcheck.configuration import Project, find_project

    monkeypatch.chdir(tmp_path)
    for folder in ("cli", "env", "file", "."):
        for module in ("cli_settings", "file_settings"):
            (tmp_path / folder / "site").mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / "site" / f"{module}.py").write_text("", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.snippetcheck]\nsettings = "site.file_settings"\nproject = "file"\n',
        encoding="utf-8",
    )
    built_in = tmp_path / "built-in"

    def found(settings: str | None, project: str | None, **environ: str) -> Project:
        return find_project(settings, None if project is None else Path(project), environ, built_in)

    assert found("site.cli_settings", "cli", SNIPPETCHECK_PROJECT="env") == Project(
        tmp_path / "cli", "site.cli_settings"
    )
    assert found(None, None, SNIPPETCHECK_PROJECT="env") == Project(
        tmp_path / "env", "site.file_settings"
    )
    assert found(None, None) == Project(tmp_path / "file", "site.file_settings")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.snippetcheck]\nsettings = "site.file_settings"\n', encoding="utf-8"
    )
    # A settings module named without a folder is imported from the working folder.
    assert found(None, None) == Project(tmp_path, "site.file_settings")
    (tmp_path / "pyproject.toml").unlink()
    # Nothing named, no testproject/ here: the project built into the package.
    (built_in / "testproject").mkdir(parents=True)
    (built_in / "testproject" / "settings.py").write_text("", encoding="utf-8")
    assert found(None, None) == Project(built_in, "testproject.settings")
    # ./testproject/ comes before the built-in one.
    (tmp_path / "testproject" / "testproject").mkdir(parents=True)
    (tmp_path / "testproject" / "testproject" / "settings.py").write_text("", encoding="utf-8")
    assert found(None, None) == Project(tmp_path / "testproject", "testproject.settings")


def test_a_project_without_the_admin_runs_a_page_with_an_app_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing installed at all: the check must not lean on the admin being there.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "settings.py").write_text(
        'SECRET_KEY = "x"\nINSTALLED_APPS = []\nROOT_URLCONF = "tiny.urls"\n', encoding="utf-8"
    )
    (tmp_path / "tiny" / "urls.py").write_text("urlpatterns = []\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "shelf.md").write_text(
        page(
            """
            ```python title="shelf/models.py"
            from django.db import models


            class Item(models.Model):
                name = models.CharField(max_length=10)
            ```

            ```python
            from shelf.models import Item

            Item.objects.create(name="a")
            assert Item.objects.count() == 1
            ```
            """
        ),
        encoding="utf-8",
    )
    before = snapshot(tmp_path)
    assert main(["--settings", "tiny.settings", "docs/shelf.md"]) == 0, capsys.readouterr()
    assert snapshot(tmp_path) == before
