"""MkDocs hook: the search index holds the pages' prose and inline code, not their code blocks.

Material's search loads the whole index on every page, before the reader types anything, so
the index is part of every page's weight. Code blocks were a fifth of it, and a reader searches
in words: the names a page is about are in its prose as inline code, which stays indexed. Each
`<pre>` gets Material's own `data-search-exclude` attribute, which its search plugin honours
and then strips from the published HTML (docs/adr/0036). Zensical does not run MkDocs hooks; its
index is its own.
"""

from __future__ import annotations

import re
from typing import Any

# The value must not be empty: Material strips `data-search-*="..."` with a non-empty value.
EXCLUDED = ' data-search-exclude="code-block"'
_PRE_OPENING = re.compile(r"<pre\b(?![^>]*data-search-exclude)")


def without_code_blocks_in_search(html: str) -> str:
    """The page's HTML with every code block marked for Material's search to leave out."""
    return _PRE_OPENING.sub(lambda match: match.group(0) + EXCLUDED, html)


def on_page_content(html: str, **_: Any) -> str:
    return without_code_blocks_in_search(html)
