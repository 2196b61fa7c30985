"""Nothing silent: every code block a page shows is run, or listed with the reason it is not."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from snippetcheck.cli import main
from snippetcheck.errors import MarkerError
from snippetcheck.extract import Kind, extract

from .conftest import PROJECT, page

INDENTED_ONLY = "Intro.\n\n" + "\n".join(f"    step_{n} = {n}\n\nThen:\n" for n in range(28))

POSITIONS = page(
    """
    Text.

        indented = 1

    > ```python
    > quoted = 2
    > ```

    <details>

    ```python
    in_html = 3
    ```

    </details>

    --8<-- "example.py"

    A paragraph.

        ```python
        swallowed = 4
        ```
    """
)


def test_blocks_unrunnable_where_they_are_are_listed_with_their_reason() -> None:
    found = extract(POSITIONS, "docs/p.md")
    assert found.snippets == ()
    listed = [(u.start_line, u.by_position, u.describe()) for u in found.unrun]
    assert listed == [
        (3, True, "not run: an indented code block: the check runs fences with a language only"),
        (6, True, "not run: a fence in a blockquote: the check does not run code in blockquotes"),
        (12, True, "not run: a fence in a raw HTML block: the check does not run code in HTML"),
        (17, True, "not run: an include directive: the code it includes is not on the page"),
        (
            21,
            True,
            (
                "not run: the fence of line 21 is indented past the text it follows, so the "
                "site shows it as an indented code block, fence lines and all: indent it as "
                "that text"
            ),
        ),
    ]


@pytest.mark.parametrize("directive", ['--8<-- "docs_src/views.py"', "{!docs_src/views.py!}"])
def test_a_python_fence_that_includes_a_file_is_listed_not_run_as_python(directive: str) -> None:
    # Run as Python, the directive would be a bare SyntaxError at the fence.
    found = extract(f"```python\n{directive}\n```\n", "docs/p.md")
    assert found.snippets == ()
    (block,) = found.unrun
    assert (block.by_position, block.reason) == (
        True,
        "an include directive: the code it includes is not on the page",
    )


def test_a_skip_marker_before_such_a_block_gives_its_reason() -> None:
    text = "Text.\n\n<!-- snippetcheck: skip shows the output only -->\n\n    output\n"
    (block,) = extract(text, "docs/p.md").unrun
    assert block.skip_reason == "shows the output only"
    assert block.describe().startswith("skipped: shows the output only (an indented code block")


def test_fences_of_languages_the_check_does_not_run_are_listed_but_not_by_position() -> None:
    text = "```mermaid\ngraph LR\n```\n\n```text\nplain\n```\n"
    found = extract(text, "docs/p.md")
    assert [(u.lang, u.by_position) for u in found.unrun] == [("mermaid", False), ("text", False)]


def test_a_marker_inside_an_indented_code_block_is_code_not_a_marker() -> None:
    text = "Text.\n\n    <!-- snippetcheck: postgres -->\n"
    found = extract(text, "docs/p.md")
    assert found.postgres is False and len(found.unrun) == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "1. Step\n\n    <!-- snippetcheck: test\n    # a heading on the site\n    x = 1\n    -->\n",
            3,
            "start '<!-- snippetcheck: test' at the beginning of its line",
        ),
        (
            "<!-- snippetcheck: test\nassert 'a -->b'\n-->\n",
            2,
            "'-->' inside hidden test code ends the comment here",
        ),
    ],
    ids=["indented in a list item", "an arrow inside the code"],
)
def test_hidden_code_the_site_would_show_is_refused_at_its_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(MarkerError) as raised:
        extract(text, "docs/p.md")
    assert (raised.value.line, message in raised.value.message) == (line, True)


def test_one_line_markers_inside_list_items_stay_markers() -> None:
    text = "- Item\n\n    <!-- snippetcheck: skip needs a server -->\n    ```python\n    x()\n    ```\n"
    (snippet,) = extract(text, "docs/p.md").skipped
    assert (snippet.kind, snippet.skip_reason) == (Kind.RUN, "needs a server")


def _run(docs: Path, name: str, text: str, *flags: str) -> tuple[int, str]:
    (docs / name).write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--project", str(PROJECT), *flags, f"docs/{name}"])
    return code, out.getvalue()


def test_a_page_with_only_indented_code_says_nothing_ran(docs: Path) -> None:
    code, out = _run(docs, "foreign.md", INDENTED_ONLY)
    assert code == 0, out
    assert out.splitlines() == [
        "snippetcheck: docs/foreign.md: none of its 28 code blocks is run (--list says why)",
        (
            "snippetcheck: 0 snippets on 1 pages: nothing ran; 28 code blocks not run "
            "(--list says why)"
        ),
    ]


def test_list_names_every_block_not_run(docs: Path) -> None:
    code, out = _run(docs, "foreign.md", INDENTED_ONLY, "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Not run:"
    assert len(lines) == 29
    assert lines[1] == (
        "docs/foreign.md:3-3  not run: an indented code block: the check runs fences with a "
        "language only"
    )


def test_strict_positions_fails_unmarked_indented_blocks_at_their_line(docs: Path) -> None:
    code, out = _run(docs, "foreign.md", INDENTED_ONLY, "--strict-positions")
    assert code == 1
    assert out.startswith(
        "docs/foreign.md:3: NotRun: an indented code block: the check runs fences with a "
        "language only; or give the reason before it: '<!-- snippetcheck: skip REASON -->'"
    )
    assert out.splitlines()[-1].startswith("snippetcheck: 0 snippets on 1 pages: 28 failed")


def test_strict_positions_leaves_other_languages_alone_and_strict_does_not(docs: Path) -> None:
    text = "```mermaid\ngraph LR\n```\n"
    assert _run(docs, "diagram.md", text, "--strict-positions")[0] == 0
    code, out = _run(docs, "diagram.md", text, "--strict")
    assert code == 1 and "docs/diagram.md:2: NotRun: a mermaid fence" in out
    marked = "<!-- snippetcheck: skip a diagram -->\n" + text
    assert _run(docs, "diagram.md", marked, "--strict")[0] == 0


def test_skipped_fences_count_among_the_blocks_not_run(docs: Path) -> None:
    text = "<!-- snippetcheck: skip sends mail -->\n```python\nsend()\n```\n\n    output\n"
    code, out = _run(docs, "mail.md", text)
    assert code == 0
    assert out.splitlines() == [
        "snippetcheck: docs/mail.md: none of its 2 code blocks is run (--list says why)",
        "snippetcheck: 0 snippets on 1 pages: nothing ran; 2 code blocks not run (--list says why)",
    ]
