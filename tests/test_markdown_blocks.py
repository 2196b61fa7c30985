"""adrtool.markdown_blocks against the renderer itself: Python-Markdown, configured as mkdocs.yml.

Each fixture page is written in a style other projects use (Material admonitions and tabs, list
items, indented code blocks, blockquotes, long fences, raw HTML, include directives). The code
blocks the module says the site shows must be, in order, the ``<pre><code>`` blocks of the HTML
Python-Markdown makes of the page; a comment the module calls hidden must be a comment of the
HTML, and one it calls shown must not be.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load

from adrtool._markdown import section_bounds
from adrtool.markdown_blocks import BlockKind, Position, normalized, scan
from tools.snippet_gate import rendered

ROOT = Path(__file__).resolve().parent.parent
# Extensions that render directives from Python code, which no fixture uses.
_DIRECTIVES = {"mkdocs-click"}


def _site_markdown() -> markdown.Markdown:
    """A Markdown converter with the markdown_extensions of mkdocs.yml, as MkDocs builds it."""
    # UnsafeLoader: our own mkdocs.yml names a Python formatter (!!python/name).
    config: dict[str, Any] = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    settings: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in _DIRECTIVES:
            names.append(name)
            settings[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings)


def page(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PAGES = {
    "material admonitions, details and tabs": page(
        """
        !!! note "Title"

            ```python
            one = 1
            ```

        ???+ tip

            ```py
            two = 2
            ```

        === "Tab"

            !!! example

                ```python
                three = 3
                ```

        === "Other"

            ~~~bash
            echo four
            ~~~
        """
    ),
    "list items, loose and tight": page(
        """
        1. Step:

            ```python
            one = 1
            ```

            More text.

        2. Next:
           ```python
           two = 2
           ```

        - Bullet
          ```python
          three = 3
          ```

        - Nested:

            - Inner

                ```python
                four = 4
                ```
        """
    ),
    "indented code blocks, no fences": page(
        """
        Some text.

            first = 1
            second = 2

        More text.

            third = 3

        # A heading
            not_code_yet = 4
        """
    ),
    "a fence indented four spaces after a paragraph": page(
        """
        A paragraph.

            ```python
            shown_as_text = 1
            ```

        A paragraph
            ```python
            lazy_fence = 2
            ```
        """
    ),
    "blockquotes": page(
        """
        > Quoted:
        >
        > ```python
        > quoted = 1
        > ```

        > Quoted and indented:
        >
        >     code = 2

        - Item

            > ```python
            > deep = 3
            > ```
        """
    ),
    "long fences holding shorter ones": page(
        """
        ````markdown
        ```python
        inner = 1
        ```
        ````

        ```text
        a
        ````
        b
        ```

        ~~~~
        ~~~
        tilde
        ~~~
        ~~~~
        """
    ),
    "a console fence with a line of prompt characters only": page(
        """
        ```console
        $ python -i
        >>>
        > quoted?
        ```
        """
    ),
    "admonitions and lists in other shapes": page(
        """
        !!! note
            ```python
            no_blank_line = 1
            ```

        1. Step

           ```python
           three_spaces = 2
           ```

        - item
        ```python
        lazy_at_zero = 3
        ```

        - a

            - b

                ```python
                nested = 4
                ```

        | a | b |
        | - | - |
        | 1 | 2 |

            after_a_table = 5
        """
    ),
    "fences that are not fences": page(
        """
        ```python unknown
        not_a_fence = 1
        ```

        ```python
        never closed = 2
        """
    ),
    "options, attributes and custom fences": page(
        """
        ```python title="app/x.py" hl_lines="1" linenums="1"
        titled = 1
        second = 2
        ```

        ``` { .python title="y.py" }
        braces = 3
        ```

        ```mermaid
        graph LR
          a --> b
        ```
        """
    ),
    "raw HTML blocks": page(
        """
        <details>
        <summary>More</summary>

        ```python
        in_details = 1
        ```

        </details>

        <div markdown>

        ```python
        in_div = 2
        ```

        </div>

        After.
        """
    ),
    "include directives": page(
        """
        Text.

        --8<-- "snippets/example.py"

        {!includes/example.md!}

        ```python
        real = 1
        ```
        """
    ),
    "indented code inside containers": page(
        """
        - Item

                indented_in_item = 1

        !!! note

            Text.

                indented_in_note = 2
        """
    ),
    "footnotes and definitions": page(
        """
        Text[^1].

        [^1]: A note:

            ```python
            in_footnote = 1
            ```

        Term
        :   Definition.
        """
    ),
    "tabs in the source": page(
        """
        - Item

        \t```python
        \ttabbed = 1
        \t```
        """
    ),
}

COMMENTS = {
    "top-level markers": page(
        """
        <!-- snippetcheck: postgres -->

        <!-- snippetcheck: test
        # a comment line
        assert True
        -->

        Text.
        """
    ),
    "one-line markers inside a list item and an admonition": page(
        """
        - Item

            <!-- snippetcheck: skip needs a server -->
            ```python
            send()
            ```

        !!! note

            <!-- snippetcheck: skip also -->

            ```python
            x = 1
            ```
        """
    ),
    "hidden code indented in a list item": page(
        """
        1. Step

            <!-- snippetcheck: test
            # The site makes this a heading.
            assert True
            -->
        """
    ),
}


@pytest.mark.parametrize("text", PAGES.values(), ids=PAGES.keys())
def test_the_module_finds_the_code_blocks_the_site_shows(text: str) -> None:
    html = _site_markdown().convert(text)
    shown = [normalized(block.code) for block in scan(text).code if block.shown]
    assert shown == [normalized(code) for code in rendered(html).code], html


@pytest.mark.parametrize("text", COMMENTS.values(), ids=COMMENTS.keys())
def test_comments_the_module_calls_hidden_are_comments_of_the_html(text: str) -> None:
    html = _site_markdown().convert(text)
    comments = [normalized(c) for c in rendered(html).comments]
    found = scan(text).comments
    assert found
    for comment in found:
        inner = normalized(
            "\n".join(comment.lines).strip().removeprefix("<!--").removesuffix("-->")
        )
        assert (inner in comments) is comment.hidden, (comment, html)


def test_each_position_is_named_where_the_renderer_puts_the_block() -> None:
    # The table above proves the blocks; this says where each one is, which snippetcheck needs.
    positions = {
        (block.kind, block.position) for text in PAGES.values() for block in scan(text).code
    }
    assert positions >= {
        (BlockKind.FENCE, Position.PAGE),
        (BlockKind.FENCE, Position.BLOCKQUOTE),
        (BlockKind.FENCE, Position.HTML),
        (BlockKind.INDENTED, Position.INDENTED),
        (BlockKind.INDENTED, Position.BLOCKQUOTE),
        (BlockKind.INCLUDE, Position.PAGE),
    }
    (swallowed,) = [
        b
        for b in scan(PAGES["a fence indented four spaces after a paragraph"]).code
        if b.kind is BlockKind.INDENTED
    ]
    assert swallowed.swallowed_fence == 3 and swallowed.body[0] == "```python"


def test_adrtool_reads_a_heading_inside_a_long_fence_as_code() -> None:
    # A record showing Markdown in a four-backtick fence: the three-backtick line inside does
    # not close it, so the "## Status" inside is an example, not the record's section.
    lines = ["# 1. Title", "", "````markdown", "```", "## Status", "```", "````", "", "## Status"]
    lines += ["", "Accepted"]
    assert section_bounds(lines, "Status") == (8, 11)
