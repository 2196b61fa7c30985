"""The realistic-fault operators: the edit each makes, where it must be reported, and which
edits are called equivalent (and why no other is)."""

from __future__ import annotations

import random

from snippetcheck.extract import extract

from .conftest import page
from .mutations import (
    change_number,
    delete_line,
    misspell_name,
    swap_snippets,
    wrong_flag,
)

PAGE = page(
    """
    # Cars

    ```python title="dealership/models.py"
    from django.db import models


    class Car(models.Model):
        make = models.CharField(max_length=100)
    ```

    ```python
    from dealership.models import Car

    car = Car.objects.create(make="Saab")
    print(car.make, 3)
    count = Car.objects.count()
    ```

    <!-- snippetcheck: test
    assert count == 1, count + 5
    assert Car.objects.count() < 2
    -->

    ```console
    $ python manage.py migrate --noinput
    ```
    """
)
SNIPPETS = extract(PAGE, "docs/cars.md")


def lines(text: str) -> list[str]:
    return text.splitlines()


def every(operator, index: int, seeds: int = 40):
    """What the operator makes of the snippet over many seeds, by its description."""
    found = {}
    for seed in range(seeds):
        mutation = operator(PAGE, SNIPPETS, index, random.Random(seed))
        if mutation is not None:
            found[mutation.what] = mutation
    return found


def test_a_number_is_made_one_more_where_it_is_and_a_printed_one_is_equivalent() -> None:
    found = every(change_number, 1)
    assert set(found) == {"line 15: 3 -> 4"}
    assert found["line 15: 3 -> 4"].equivalent == (
        "a number printed, and printed output is not compared"
    )
    assert lines(found["line 15: 3 -> 4"].text)[14] == "print(car.make, 4)"
    assert (found["line 15: 3 -> 4"].first_line, found["line 15: 3 -> 4"].last_line) == (12, 16)


def test_hidden_code_only_gets_numbers_in_its_assertions_and_weakening_one_is_equivalent() -> None:
    found = every(change_number, 2)
    # `count + 5` is the assertion's message; `< 2` made `< 3` only weakens it.
    assert set(found) == {"line 20: 1 -> 2", "line 21: 2 -> 3"}
    assert found["line 20: 1 -> 2"].equivalent is None
    assert found["line 21: 2 -> 3"].equivalent == (
        "one more on the greater side of an assertion only weakens it"
    )
    for operator in (misspell_name, delete_line, swap_snippets):
        assert every(operator, 2) == {}, operator


def test_a_misspelt_name_is_a_use_changed_by_one_letter_into_a_name_the_page_never_uses() -> None:
    found = every(misspell_name, 1)
    assert found
    words = set(PAGE.replace("(", " ").replace(".", " ").split())
    for mutation in found.values():
        old, new = mutation.what.split(": ")[1].split(" -> ")
        assert len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) == 1
        assert new not in words
        assert mutation.equivalent is None
    # `car` and `count` are bound here: a misspelling there would show only where they are read.
    for mutation in found.values():
        edited = lines(mutation.text)
        assert edited[13].startswith("car = ") and edited[15].startswith("count = ")


def test_a_deleted_line_is_a_middle_statement_and_a_deleted_print_is_equivalent() -> None:
    found = every(delete_line, 1)
    assert set(found) == {
        'line 14 deleted: car = Car.objects.create(make="Saab")',
        "line 15 deleted: print(car.make, 3)",
    }
    assert found["line 15 deleted: print(car.make, 3)"].equivalent == (
        "the deleted line only prints or does nothing"
    )
    assert found['line 14 deleted: car = Car.objects.create(make="Saab")'].equivalent is None


def test_two_snippets_swap_with_their_fences_and_the_report_may_name_either() -> None:
    mutation = swap_snippets(PAGE, SNIPPETS, 0, random.Random(0))
    assert mutation is not None and mutation.equivalent is None
    swapped = extract(mutation.text, "docs/cars.md")
    assert [s.kind for s in swapped.snippets[:2]] == [
        s.kind for s in reversed(SNIPPETS.snippets[:2])
    ]
    assert swapped.snippets[0].source == SNIPPETS.snippets[1].source
    # The hidden test stays where it was, after what is now the file.
    assert mutation.first_line == swapped.snippets[0].start_line
    assert mutation.last_line == swapped.snippets[1].end_line


def test_a_file_and_a_snippet_that_only_binds_literals_commute() -> None:
    text = page(
        """
        ```python title="shop/apps.py"
        from django.apps import AppConfig
        ```

        ```python
        MIDDLEWARE = ["shop.middleware.Count"]
        ```
        """
    )
    mutation = swap_snippets(text, extract(text, "docs/p.md"), 0, random.Random(0))
    assert mutation is not None
    assert mutation.equivalent is not None and "commute" in mutation.equivalent


def test_a_wrong_flag_misspells_an_option_of_the_command() -> None:
    found = every(wrong_flag, 3)
    assert found
    for mutation in found.values():
        line = lines(mutation.text)[24]
        assert line.startswith("$ python manage.py migrate --") and "--noinput" not in line
        assert mutation.equivalent is None


def test_a_deleted_migration_attribute_is_equivalent_only_when_it_has_the_base_class_value() -> (
    None
):
    text = page(
        """
        ```python title="shop/migrations/0001_initial.py"
        from django.db import migrations


        class Migration(migrations.Migration):
            initial = True
            dependencies = []
            replaces = [("shop", "0001_squashed")]
            operations = []
        ```
        """
    )
    snippets = extract(text, "docs/shop.md")
    found = {}
    for seed in range(40):
        mutation = delete_line(text, snippets, 0, random.Random(seed))
        if mutation is not None:
            found[mutation.what.split(": ", 1)[1]] = mutation.equivalent
    assert found == {
        # The base class has initial = None, which Django's executor reads as initial for a
        # migration that depends on none of its own app's.
        "initial = True": "initial = True deleted where Django infers it: no dependency in its app",
        "dependencies = []": "the migration class attribute deleted had its base class's value",
        'replaces = [("shop", "0001_squashed")]': None,
    }


def test_a_deleted_initial_true_is_a_fault_after_a_migration_of_its_own_app_or_with_update() -> (
    None
):
    def deleted(dependencies: str, command: str = "") -> dict[str, str | None]:
        text = (
            page(
                f"""
            ```python title="shop/migrations/0002_more.py"
            from django.db import migrations


            class Migration(migrations.Migration):
                initial = True
                dependencies = {dependencies}
                operations = []
            ```
            """
            )
            + command
        )
        snippets = extract(text, "docs/shop.md")
        found = {}
        for seed in range(40):
            mutation = delete_line(text, snippets, 0, random.Random(seed))
            if mutation is not None:
                found[mutation.what.split(": ", 1)[1]] = mutation.equivalent
        return found

    # Initial by inference only when no dependency is in the migration's own app.
    assert deleted('[("shop", "0001_initial")]')["initial = True"] is None
    assert deleted('[("auth", "0012_alter_user_first_name_max_length")]')["initial = True"] == (
        "initial = True deleted where Django infers it: no dependency in its app"
    )
    # makemigrations --update names the migration it rewrites from the attribute.
    update = "\n```console\n$ python manage.py makemigrations --update shop\n```"
    assert deleted("[]", update)["initial = True"] is None


def test_a_longer_timeout_is_equivalent_only_for_a_wait_that_raises_when_it_runs_out() -> None:
    text = page(
        """
        ```python
        import asyncio
        import subprocess

        done = subprocess.run(["true"], timeout=60)
        got = asyncio.run(asyncio.wait_for(asyncio.sleep(0, "x"), timeout=5))
        quiet = asyncio.run(socket.receive_nothing(timeout=2))
        asyncio.run(socket.receive_from(timeout=7))
        asyncio.run(asyncio.wait_for(anext(events), 8))
        ```
        """
    )
    snippets = extract(text, "docs/waits.md")
    found = {}
    for seed in range(60):
        mutation = change_number(text, snippets, 0, random.Random(seed))
        if mutation is not None:
            found[mutation.what] = mutation.equivalent
    longer = "a longer timeout of a wait that raises when it runs out"
    assert found == {
        "line 5: 60 -> 61": longer,
        "line 6: 0 -> 1": None,  # the sleep's length is not a limit
        "line 6: 5 -> 6": longer,
        # receive_nothing answers whether anything came: a longer wait may see a late message.
        "line 7: 2 -> 3": None,
        "line 8: 7 -> 8": longer,
        "line 9: 8 -> 9": longer,
    }


def test_one_more_on_the_greater_side_of_a_unittest_ordering_assertion_is_equivalent() -> None:
    text = page(
        """
        ```python
        self.assertLess(elapsed, 5)
        self.assertGreater(7, elapsed)
        self.assertLessEqual(3, elapsed)
        ```
        """
    )
    snippets = extract(text, "docs/order.md")
    found = {}
    for seed in range(40):
        mutation = change_number(text, snippets, 0, random.Random(seed))
        if mutation is not None:
            found[mutation.what] = mutation.equivalent
    weaker = "one more on the greater side of an assertion only weakens it"
    # The lesser side made one more is a stronger assertion, which a passing page may fail.
    assert found == {"line 2: 5 -> 6": weaker, "line 3: 7 -> 8": weaker, "line 4: 3 -> 4": None}
