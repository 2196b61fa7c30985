"""Faults the realistic-fault test found reported far from their line, or not at all."""

from __future__ import annotations

from .conftest import Check

VIEW = """
```python title="shop/views.py"
from django.http import JsonResponse


def price(request):
    return JsonResponse({"cents": request.GET["cents"].isdigit() and request.nothing})
```

```python title="shop/urls.py"
from django.urls import path

from shop import views

urlpatterns = [path("price/", views.price)]
```

```python
import asyncio

from django.test import AsyncClient

response = asyncio.run(AsyncClient(raise_request_exception=False).get("/shop/price/?cents=5"))
```

<!-- snippetcheck: test
assert response.status_code == 200, response.status_code
-->
"""


def test_a_failure_after_a_request_that_failed_in_a_view_names_the_view_s_line(
    check: Check,
) -> None:
    # The client only sees a 500; the failure, at its own line, says where the view raised.
    outcome = check({"view.md": VIEW})
    assert outcome.code == 1, outcome.out
    assert outcome.out.splitlines()[:2] == [
        "docs/view.md:26: AssertionError: 500 (a request failed before it, at line 6: AttributeError: 'ASGIRequest' object has no attribute 'nothing')",
        "    26 | assert response.status_code == 200, response.status_code",
    ], outcome.out


def test_a_failure_with_no_failed_request_is_reported_as_it_is(check: Check) -> None:
    working = VIEW.replace(" and request.nothing", "")
    outcome = check({"view.md": working.replace("== 200", "== 201")})
    assert outcome.code == 1, outcome.out
    assert outcome.out.splitlines()[0] == "docs/view.md:26: AssertionError: 200", outcome.out


MIGRATED = """
```python title="shop/models.py"
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
```

```python title="shop/migrations/0001_initial.py"
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
            ],
        ),
    ]
```

```python
from shop.models import Product

Product.objects.create(name="Mug")
```
"""


def test_a_page_s_own_migrations_must_match_its_models_at_the_end_of_the_page(
    check: Check,
) -> None:
    assert check({"ok.md": MIGRATED}).code == 0
    drifted = MIGRATED.replace(
        "CharField(max_length=100)),\n            ],", "CharField(max_length=101)),\n            ],"
    )
    assert drifted != MIGRATED
    outcome = check({"drift.md": drifted})
    assert outcome.code == 1, outcome.out
    first = outcome.out.splitlines()[0]
    # At the app's last file snippet (the migration), naming the field that differs.
    assert first.startswith("docs/drift.md:10: MigrationsOutOfDate: the models of shop differ"), (
        first
    )
    assert "Alter field name on product" in first, first


def test_a_model_used_before_the_page_shows_its_app_s_migration_has_no_table(
    check: Check,
) -> None:
    # A reader who has not yet written the migration the page shows has no table: the check
    # makes no migration of its own for an app whose migrations the page writes.
    models, migration, use = MIGRATED.strip("\n").split("\n\n```python", 2)
    early = f"{models}\n\n```python{use}\n\n```python{migration}\n"
    assert check({"ok.md": MIGRATED}).code == 0
    outcome = check({"early.md": early})
    assert outcome.code == 1, outcome.out
    first = outcome.out.splitlines()[0]
    line = early.splitlines().index('Product.objects.create(name="Mug")') + 1
    assert first.startswith(
        f"docs/early.md:{line}: OperationalError: no such table: shop_product"
    ), first


MIGRATE = "```console\npython manage.py migrate shop\n```\n"


def test_a_page_that_shows_migrate_has_its_migrations_applied_only_where_it_shows_it(
    check: Check,
) -> None:
    # The page's `migrate` is the reader's: the check applies none of the app's migrations at
    # a sync, so a snippet before that line has no table, as the reader would have none.
    models_and_migration, use = MIGRATED.strip("\n").rsplit("\n\n```python", 1)
    in_order = f"{models_and_migration}\n\n{MIGRATE}\n```python{use}\n"
    assert check({"ok.md": in_order}).code == 0
    late = f"{models_and_migration}\n\n```python{use}\n\n{MIGRATE}"
    outcome = check({"late.md": late})
    assert outcome.code == 1, outcome.out
    line = late.splitlines().index('Product.objects.create(name="Mug")') + 1
    assert outcome.out.splitlines()[0].startswith(
        f"docs/late.md:{line}: OperationalError: no such table: shop_product"
    ), outcome.out


def test_apps_a_page_never_migrates_itself_are_still_migrated_by_the_check(
    check: Check,
) -> None:
    # The page migrates shop only; its library app, with no migration shown, is migrated at
    # the sync as before, or its table would be missing for no fault of the page's.
    library = (
        '```python title="library/models.py"\nfrom django.db import models\n\n\n'
        "class Book(models.Model):\n    title = models.CharField(max_length=100)\n```\n\n"
        '```python\nfrom library.models import Book\n\nBook.objects.create(title="Emma")\n```\n'
    )
    models_and_migration, use = MIGRATED.strip("\n").rsplit("\n\n```python", 1)
    text = f"{models_and_migration}\n\n{MIGRATE}\n```python{use}\n\n{library}"
    outcome = check({"two.md": text})
    assert outcome.code == 0, outcome.out


def test_a_migrate_command_for_another_database_leaves_the_default_one_to_the_check(
    check: Check,
) -> None:
    other = "```console\npython manage.py migrate shop --database other\n```\n"
    models_and_migration, use = MIGRATED.strip("\n").rsplit("\n\n```python", 1)
    # Parsed by migrate's own parser: an app label with --database names another database, so
    # shop is still migrated on the default one by the check (the command then fails on its
    # unknown database, at its own line, after the snippet ran).
    text = f"{models_and_migration}\n\n```python{use}\n\n{other}"
    outcome = check({"other.md": text})
    assert outcome.code == 1, outcome.out
    line = text.splitlines().index("python manage.py migrate shop --database other") + 1
    assert outcome.out.splitlines()[0].startswith(f"docs/other.md:{line}: "), outcome.out


TESTS = """
```python title="shop/tests.py"
from django.test import SimpleTestCase


class ArithmeticTests(SimpleTestCase):
    def test_adds(self):
        self.assertEqual(1 + 1, 2)
```
"""
RUN_TESTS = "```console\npython manage.py test shop\n```\n"


def test_a_manage_py_test_that_runs_no_test_fails_at_its_line(check: Check) -> None:
    # unittest passes an empty run; a reader who runs the command before writing the tests
    # sees "Ran 0 tests", not the tests the page means.
    assert check({"ok.md": f"{TESTS}\n{RUN_TESTS}"}).code == 0
    app = '```python title="shop/models.py"\nfrom django.db import models\n```\n'
    early = f"{app}\n{RUN_TESTS}\n{TESTS}"
    outcome = check({"early.md": early})
    assert outcome.code == 1, outcome.out
    assert outcome.out.splitlines()[0] == (
        "docs/early.md:6: CommandFailed: manage.py test shop ran no tests: show the tests "
        "before the command, or name their app"
    ), outcome.out


def test_a_migration_that_crashes_under_the_page_s_migrate_is_reported_at_its_own_line(
    check: Check,
) -> None:
    # The page's migrate loads the migration, not a sync: the report still names its line.
    models_and_migration, use = MIGRATED.strip("\n").rsplit("\n\n```python", 1)
    broken = models_and_migration.replace(
        "    ]\n```", '    ]\nraise RuntimeError("broken migration")\n```'
    )
    assert broken != models_and_migration
    text = f"{broken}\n\n{MIGRATE}\n```python{use}\n"
    outcome = check({"broken.md": text})
    assert outcome.code == 1, outcome.out
    line = text.splitlines().index('raise RuntimeError("broken migration")') + 1
    assert outcome.out.splitlines()[0] == (
        f"docs/broken.md:{line}: RuntimeError: broken migration"
    ), outcome.out
