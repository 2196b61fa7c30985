"""Snippets that cannot fail are found, named by --list, and rare in docs/."""

from __future__ import annotations

import pytest

from snippetcheck.cli import main
from snippetcheck.extract import extract
from snippetcheck.fragments import cannot_fail

from .conftest import REPO, Check, page
from .test_docs import DOCS, pages

# Each case: a page's Python snippets in order, and what cannot_fail says of the first one.
CASES = (
    # A bare assignment of a literal nobody reads: the fragment of the ModelAdmin example.
    (['list_select_related = ["make", "dealer"]'], ["list_select_related"]),
    # The same name read later: a wrong value could be seen there.
    (
        ['list_select_related = ["make", "dealer"]', "assert list_select_related"],
        None,
    ),
    # A later snippet only naming it in a string still counts as a read: never more fragments.
    (['ordering = ["-id"]', 'print("ordering")'], None),
    # A call can raise, an import can fail, a name read can be misspelt: all checked by running.
    (["workers = int('5')"], None),
    (["from django.db import models"], None),
    (["timeout = TIMEOUT"], None),
    (["settings.DEBUG = False"], None),
    # A function nobody calls: its body never runs.
    (
        ["def get_queryset(self, request):\n    return super().get_queryset(request)\n"],
        ["get_queryset"],
    ),
    # A decorator runs at definition, and so does a default that is not a literal.
    (["@admin.display\ndef shown(obj):\n    return obj\n"], None),
    (["def shown(obj, when=now()):\n    return obj\n"], None),
    # A class without bases whose body only binds literals and functions.
    (["class Meta:\n    ordering = ['name']\n    verbose_name = 'car'\n"], ["Meta"]),
    # A base class is a name read (and a metaclass can raise): checked.
    (["class CarAdmin(admin.ModelAdmin):\n    list_display = ['make']\n"], None),
    # Nested literals, negative numbers, a dict with constant keys.
    (["LIMITS = {'low': [-1, 2.5], 'high': (3, {4})}"], ["LIMITS"]),
    # A dict whose key is a list raises TypeError: checked.
    (["BROKEN = {[1]: 2}"], None),
    # Unpacking can raise (wrong count).
    (["low, high = (1, 2, 3)"], None),
)


@pytest.mark.parametrize(("sources", "expected"), CASES)
def test_a_snippet_cannot_fail_only_when_it_runs_no_risky_code_and_nothing_reads_it_later(
    sources: list[str], expected: list[str] | None
) -> None:
    text = "\n".join(f"```python\n{source.rstrip()}\n```\n" for source in sources)
    assert cannot_fail(extract(text, "docs/p.md"), 0) == expected


def test_hidden_test_code_and_file_snippets_are_never_fragments() -> None:
    found = extract(
        page(
            """
            ```python title="shop/admin.py"
            list_per_page = 50
            ```

            <!-- snippetcheck: test
            checked = True
            -->
            """
        ),
        "docs/p.md",
    )
    assert [cannot_fail(found, i) for i in range(2)] == [None, None]


def test_list_marks_a_fragment_and_names_what_nothing_uses(check: Check) -> None:
    outcome = check(
        {
            "admin.md": """
                ```python
                list_select_related = ["make", "dealer"]
                ```

                ```python
                ordering = ["-id"]
                ```

                <!-- snippetcheck: test
                assert ordering == ["-id"]
                -->
                """
        },
        "--list",
    )
    assert outcome.code == 0, outcome
    assert outcome.out.splitlines() == [
        "docs/admin.md:2-2  runs as Python; cannot fail: nothing later uses list_select_related (SQLite)",
        "docs/admin.md:6-6  runs as Python (SQLite)",
        "docs/admin.md:10-10  runs hidden test code (SQLite)",
    ], outcome.out


def test_fewer_than_one_in_twenty_runnable_python_snippets_of_the_docs_cannot_fail() -> None:
    found = pages(DOCS)
    runnable = sum(page.runnable_python_fences for _, page in found)
    fragments = [
        str(snippet)
        for _, page in found
        for index, snippet in enumerate(page.snippets)
        if cannot_fail(page, index) is not None
    ]
    assert runnable >= 20  # a share of an empty docs/ proves nothing
    assert len(fragments) < 0.05 * runnable, (
        f"{len(fragments)} of {runnable} runnable Python snippets cannot fail: show each in "
        f"context (the class it belongs to, as a file) or assert what it claims: {fragments}"
    )


def test_list_of_the_real_docs_marks_no_fragment_left(capsys: pytest.CaptureFixture[str]) -> None:
    # The docs' fragments were all put in context or given an assertion; a new one shows here.
    assert main(["--list", str(REPO / "docs")]) == 0
    marked = [line for line in capsys.readouterr().out.splitlines() if "cannot fail" in line]
    assert marked == []
