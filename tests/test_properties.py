"""Properties that hold for every title a person could type, not just the ones we thought of."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adrtool._markdown import escape_inline
from adrtool.dialects import by_name
from adrtool.errors import BadUsage
from adrtool.index import render_index
from adrtool.operations import MAX_TITLE, check_title
from adrtool.records import parse_record
from adrtool.slug import MAX_SLUG_BYTES, slugify
from adrtool.templates import NYGARD, Template, render

# Any text on one line, as `check_title` accepts it: format characters (Cf: joiners, soft
# hyphens, bidi marks), private-use and unassigned code points included.
titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=MAX_TITLE,
).filter(lambda t: t.strip())
visible_titles = titles.filter(
    lambda t: any(unicodedata.category(c) not in ("Cf", "Zs") for c in t.strip())
)
line_breaks = st.characters(categories=("Cc", "Zl", "Zp"))


@given(visible_titles)
def test_every_one_line_title_is_accepted_as_it_is(title: str) -> None:
    assert check_title([title]) == title.strip()


@given(visible_titles, line_breaks)
def test_a_title_with_a_line_break_or_control_is_refused(title: str, char: str) -> None:
    # In the middle: at either end, strip() takes the whitespace ones away, as a shell's $(...)
    # leaves a trailing newline.
    with pytest.raises(BadUsage):
        check_title([f"{title}{char}{title}"])


@given(titles)
def test_slug_is_a_safe_non_empty_file_name(title: str) -> None:
    slug = slugify(title)
    assert slug
    assert "/" not in slug and "\\" not in slug and "." not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert len(slug.encode()) <= MAX_SLUG_BYTES


@given(titles)
@settings(max_examples=200)
def test_rendered_record_reads_back_with_the_exact_title(title: str) -> None:
    title = title.strip()
    text = render(
        Template("nygard", NYGARD, by_name("nygard")),
        number=7,
        title=title,
        date="2020-01-01",
        status="Accepted",
    )
    record = parse_record(Path("0007-x.md"), text)
    assert record.title == title
    assert record.heading_number == 7
    assert record.date == "2020-01-01"
    assert record.status == "accepted"


@given(titles)
@settings(max_examples=200)
def test_escaped_title_has_no_markdown_or_html_syntax(title: str) -> None:
    escaped = escape_inline(title)
    for char in "<>|[]*_`\\":
        assert char not in escaped
    record = parse_record(
        Path("0002-x.md"), f"# 2. {title.strip()}\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"
    )
    row = next(line for line in render_index([record]).splitlines() if line.startswith("| 2 |"))
    assert row.count("|") == 6
