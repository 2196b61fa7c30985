"""File names from titles: adr-tools writes `0002-.md` for a CJK title; we never do."""

from __future__ import annotations

import pytest

from adrtool.slug import FALLBACK_SLUG, MAX_SLUG_BYTES, MAX_SLUG_CHARS, slugify

SLUGS = (
    ("Use PostgreSQL", "use-postgresql"),
    ("  Use   PostgreSQL  ", "use-postgresql"),
    ("Use PostgreSQL 15 for search", "use-postgresql-15-for-search"),
    ("../../etc/passwd", "etc-passwd"),
    ("a/b\\c", "a-b-c"),
    ("Café au lait", "cafe-au-lait"),
    ("Ünïcödé Straße", "unicode-straße"),
    ("数据库选择", "数据库选择"),
    ("使用 PostgreSQL 数据库", "使用-postgresql-数据库"),
    ("R&D | *bold* <b>HTML</b>", "r-d-bold-b-html-b"),
    ("***", FALLBACK_SLUG),
    ("🎉", FALLBACK_SLUG),
    ("-leading and trailing-", "leading-and-trailing"),
    ("0012 is not octal", "0012-is-not-octal"),
    ("Don't use the project's own tool", "dont-use-the-projects-own-tool"),
    ("Don\u2019t panic", "dont-panic"),
    # Invisible format characters vanish instead of splitting a word.
    ("Co\u00adoperate", "cooperate"),
    (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u06cc\u0645",
        "\u0645\u06cc\u062e\u0648\u0627\u0647\u06cc\u0645",
    ),
    ("\U0001f469\u200d\U0001f4bb at work", "at-work"),
    ("\U0001f469\u200d\U0001f4bb", FALLBACK_SLUG),
)


@pytest.mark.parametrize(("title", "slug"), SLUGS)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    "title", ["word " * 60, "x" * 300, "数" * 300, "Migrate the " + "very " * 80 + "old data"]
)
def test_long_titles_give_bounded_names_cut_at_a_word(title: str) -> None:
    slug = slugify(title)
    assert 0 < len(slug) <= MAX_SLUG_CHARS
    assert len(slug.encode()) <= MAX_SLUG_BYTES
    assert not slug.endswith("-")
    if " " in title.strip():
        assert all(part in title.lower().split() for part in slug.split("-"))
