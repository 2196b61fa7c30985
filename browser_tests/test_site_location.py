"""A site that knows where it lives: sitemap, canonical links, edit links, breadcrumbs, the 404."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from browser_tests.conftest import site_pages
from browser_tests.traffic import watch

ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "/a/fork/"
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def _site_url(site_dir: Path) -> str:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    found = _CANONICAL.search(home)
    assert found, "the home page has no canonical link: is site_url set in mkdocs.yml?"
    return found.group(1)


def test_the_sitemap_lists_every_page(site_dir: Path) -> None:
    site_url = _site_url(site_dir)
    tree = ET.parse(site_dir / "sitemap.xml")
    locations = [
        loc.text or "" for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert all(loc.startswith(site_url) for loc in locations)
    assert sorted(loc.removeprefix(site_url) for loc in locations) == site_pages(site_dir)


def test_every_page_names_its_own_address_as_canonical(site_dir: Path) -> None:
    site_url = _site_url(site_dir)
    wrong = {}
    for path in site_pages(site_dir):
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        found = _CANONICAL.findall(html)
        if found != [site_url + path]:
            wrong[path] = found
    assert wrong == {}


def test_a_page_links_to_its_source_for_editing_and_viewing(
    context: BrowserContext, base_url: str
) -> None:
    page = context.new_page()
    page.goto(base_url + "how-to/admin-url/", wait_until="load")
    edit = page.locator('a.md-content__button[rel="edit"]')
    assert (edit.get_attribute("href") or "").endswith("/edit/main/docs/how-to/admin-url.md")
    view = page.locator("a.md-content__button:not([rel])")
    assert (view.get_attribute("href") or "").endswith("/raw/main/docs/how-to/admin-url.md")
    assert edit.is_visible() and view.is_visible()


def test_breadcrumbs_show_where_a_page_sits(context: BrowserContext, base_url: str) -> None:
    page = context.new_page()
    page.goto(base_url + "how-to/admin-url/", wait_until="load")
    crumbs = page.locator("nav.md-path .md-path__item")
    assert [text.strip() for text in crumbs.all_inner_texts()] == [
        "Home",
        "How-to guides",
        "The admin",
    ]


class _PagesHandler(SimpleHTTPRequestHandler):
    """Serves 404.html for a missing page, with status 404, as GitHub Pages and most hosts do."""

    not_found: bytes = b""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.not_found)))
        self.end_headers()
        self.wfile.write(self.not_found)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sub_path_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for, and served under, a sub-path, as a fork on GitHub Pages has it."""
    root = tmp_path_factory.mktemp("served")
    site = root / SUB_PATH.strip("/")
    env = {**os.environ, "SITE_URL": f"https://fork.example{SUB_PATH}", "NO_MKDOCS_2_WARNING": "1"}
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)]
    result = subprocess.run(
        build, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert result.returncode == 0, result.stderr
    handler = type("Handler", (_PagesHandler,), {"not_found": (site / "404.html").read_bytes()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_404_page_works_under_a_sub_path_with_search_and_a_way_into_each_part(
    context: BrowserContext, sub_path_url: str
) -> None:
    page = context.new_page()
    traffic = watch(context, page, sub_path_url)
    missing = sub_path_url + "how-to/a-page-that-moved/"
    response = page.goto(missing, wait_until="networkidle")
    assert response is not None and response.status == 404
    # The page itself answers 404; anything else that fails is a broken asset or link.
    traffic.failed_requests[:] = [f for f in traffic.failed_requests if not f.startswith(missing)]
    # Chromium logs that 404 in the console too, in words that name no URL: one is the page's.
    traffic.console_errors.remove(
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    )
    assert traffic.problems() == []
    assert "Page not found" in page.locator("h1").inner_text()
    page.get_by_text("Search the site").click()
    search = page.locator("input.md-search__input")
    search.wait_for(state="visible")
    search.press_sequentially("migration", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    ways = {
        "Tutorials": "tutorials/",
        "How-to guides": "how-to/",
        "Reference": "reference/",
        "Explanation": "explanation/",
        "Decisions": "adr/",
    }
    for name, path in ways.items():
        page.goto(missing, wait_until="load")
        page.locator("article ul a", has_text=name).click()
        page.wait_for_load_state("load")
        assert page.url == sub_path_url + path
        page.locator("h1").first.wait_for()
    assert [f for f in traffic.failed_requests if not f.startswith(missing)] == []
    assert traffic.foreign_requests == []
