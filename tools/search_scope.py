"""MkDocs hook: the search index holds the pages' prose and inline code, not their code blocks.

Material's search loads the whole index on every page, before the reader types anything, so
the index is part of every page's weight. Code blocks were a fifth of it, and a reader searches
in words: the names a page is about are in its prose as inline code, which stays indexed. Each
`<pre>` gets Material's own `data-search-exclude` attribute, which its search plugin honours
and then strips from the published HTML (docs/adr/0036). Zensical does not run MkDocs hooks; its
index is its own.

A page's "Related" list is left out too: it repeats other pages' titles, so a search for a
guide's title ("rename a model") would land on every page that links to the guide.

A decision record's "Options considered" is left out as well: it is mostly the options not
taken, so a search for "polling" should find the guide and the decision, not every record that
weighed polling and chose otherwise. It was a tenth of the index, which every page loads.

Decision records rank at half weight: they are the history of a choice, and a reader's words
("undo a migration") should land on the guide that answers them before the record that decided
how the check treats a migrate line. Records are Nygard files with no front matter of their
own, so the hook sets Material's per-page ``search.boost`` for them.
"""

from __future__ import annotations

import re
from typing import Any

# The value must not be empty: Material strips `data-search-*="..."` with a non-empty value.
EXCLUDED = ' data-search-exclude="code-block"'
_PRE_OPENING = re.compile(r"<pre\b(?![^>]*data-search-exclude)")


_RELATED_HEADING = re.compile(r'<h2 id="related">(?:(?!</h2>).)*</h2>\s*(?=<ul>)', re.S)
_LIST_TAG = re.compile(r"<(/?)ul\b")
# On a wrapper of its own: Material's search parser tells elements apart by tag, so an
# attribute on the <ul> would end at the first nested list's </ul>.
RELATED_OPENING = '<div data-search-exclude="related">'


def _without_related_list(html: str) -> str:
    heading = _RELATED_HEADING.search(html)
    if heading is None:
        return html
    start = heading.end()
    depth = 0
    for tag in _LIST_TAG.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.index(">", tag.end()) + 1
            return f"{html[:start]}{RELATED_OPENING}{html[start:end]}</div>{html[end:]}"
    return html


def without_code_blocks_in_search(html: str) -> str:
    """The page's HTML with every code block, and its Related list, marked for Material's search
    to leave out."""
    return _without_related_list(_PRE_OPENING.sub(lambda match: match.group(0) + EXCLUDED, html))


_OPTIONS = re.compile(r'(<h2 id="options-considered">(?:(?!</h2>).)*</h2>)(.*?)(?=<h2 |\Z)', re.S)
# A <section>, which nothing inside a record's options nests: Material's search parser ends a
# skipped element at the first closing tag of the same name.
OPTIONS_OPENING = '<section data-search-exclude="options">'


def without_options_in_search(html: str) -> str:
    """A decision record's HTML with what follows its "Options considered" heading, up to the next
    heading of its level, marked for Material's search to leave out."""
    return _OPTIONS.sub(lambda m: f"{m.group(1)}{OPTIONS_OPENING}{m.group(2)}</section>", html, 1)


RECORD_BOOST = 0.5
_RECORD = re.compile(r"^adr/\d{4}-[^/]+\.md$")


def on_page_markdown(markdown: str, *, page: Any, **_: Any) -> str:
    if _RECORD.match(page.file.src_uri):
        page.meta.setdefault("search", {}).setdefault("boost", RECORD_BOOST)
    return markdown


def on_page_content(html: str, *, page: Any, **_: Any) -> str:
    if _RECORD.match(page.file.src_uri):
        html = without_options_in_search(html)
    return without_code_blocks_in_search(html)
