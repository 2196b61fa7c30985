"""Findable: talks shown by their titles, and search in readers' words finds the right page."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import BrowserContext

ROOT = Path(__file__).resolve().parent.parent

# A reader's words, and the page that answers them. Synonyms of one task (roll back, undo,
# revert) must all lead to it.
QUERIES = {
    "rollback migration": "how-to/recover-from-a-failed-migration/",
    "undo a migration": "how-to/recover-from-a-failed-migration/",
    "revert a migration": "how-to/recover-from-a-failed-migration/",
    "admin url": "how-to/admin-url/",
    "n+1 queries": "tutorials/find-and-fix-n-plus-one/",
    "too many queries admin": "how-to/admin-fewer-queries/",
    "rename a field": "how-to/rename-field-keep-column/",
    "rename a model": "how-to/rename-model-keep-table/",
    "websockets": "how-to/push-updates-with-websockets/",
    "server-sent events": "how-to/push-updates-with-server-sent-events/",
    "date range": "how-to/query-ranges/",
    "django without docker": "how-to/run-django-without-containers/",
    "merge migrations": "how-to/merge-diverging-migrations/",
    "log sql queries": "how-to/log-queries-per-request/",
    "async views": "tutorials/aggregate-views-with-async/",
    "bulk action": "how-to/admin-bulk-action/",
    "add full text search": "how-to/full-text-search/",
}


def test_each_readers_query_finds_its_page_first(context: BrowserContext, base_url: str) -> None:
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    first = page.locator(".md-search-result__item > a").first
    found: dict[str, str] = {}
    for query in QUERIES:
        search.click()
        search.fill("")
        page.locator(".md-search-result__item").first.wait_for(state="detached")
        # Typed key by key: Material searches on keyboard events, which fill() does not send.
        search.press_sequentially(query, delay=10)
        first.wait_for(timeout=10_000)
        # Results follow each key typed: the answer to the whole query highlights its last word
        # (Material puts the words it matched in the link's `h` parameter), and stays.
        last_word = re.split(r"[\s-]+", query)[-1]
        href, previous = "", None
        for _ in range(50):
            href = first.get_attribute("href") or ""
            if href == previous and last_word in parse_qs(urlsplit(href).query).get("h", [""])[0]:
                break
            previous = href
            page.wait_for_timeout(300)
        found[query] = urlsplit(href).path.removeprefix(urlsplit(base_url).path)
    wrong = {query: path for query, path in found.items() if path != QUERIES[query]}
    assert wrong == {}, f"first results: {found}"


def _talk_titles() -> dict[str, str]:
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {slug: talk["title"] for slug, talk in config["extra"]["talks"].items()}


def _text(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def test_tags_show_talk_titles_on_pages_and_on_the_tags_page(site_dir: Path) -> None:
    titles = _talk_titles()
    page = (site_dir / "how-to" / "admin-url" / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r'class="md-tag[^"]*">(.*?)</a>', page, re.S)
    assert [_text(tag) for tag in tags] == [titles["admin-oyster"]]
    index = (site_dir / "reference" / "tags" / "index.html").read_text(encoding="utf-8")
    headings = [_text(h) for h in re.findall(r'<h2 id="tag:[^"]+">(.*?)</h2>', index, re.S)]
    assert sorted(h.rstrip("¶").strip() for h in headings) == sorted(titles.values())


def test_the_talks_pages_contents_list_talks_not_slugs(site_dir: Path) -> None:
    html = (site_dir / "reference" / "talks" / "index.html").read_text(encoding="utf-8")
    toc = html[html.index('class="md-nav md-nav--secondary"') : html.index('class="md-content"')]
    entries = [_text(e) for e in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]
    titles = _talk_titles()
    assert set(titles.values()) <= set(entries)
    assert [entry for entry in entries if entry in titles] == []
