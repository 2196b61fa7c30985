"""What each page costs a reader on first visit: the files it fetches and their bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Response

from browser_tests.conftest import site_pages

# A page without a diagram, on a first visit with nothing cached, uncompressed.
BUDGET_BYTES = 1_300_000
MERMAID = "assets/javascripts/vendor/mermaid.min.js"


@dataclass(frozen=True)
class Fetched:
    path: str
    size: int


def test_only_pages_with_a_diagram_fetch_mermaid_and_the_others_stay_light(
    context: BrowserContext, base_url: str, site_dir: Path
) -> None:
    page = context.new_page()
    fetched: list[Fetched] = []

    def response(response: Response) -> None:
        # The local server sends Content-Length for every file, and compresses nothing.
        size = int(response.headers.get("content-length", "0"))
        fetched.append(Fetched(urlsplit(response.url).path.lstrip("/"), size))

    # On the context, so the search worker's fetch of the index is counted too.
    context.on("response", response)
    drawn: list[str] = []
    light: list[str] = []
    heavy: dict[str, int] = {}
    mermaid_where_no_diagram: list[str] = []
    no_mermaid_where_diagram: list[str] = []
    # No cache: each page is weighed as a reader's first visit.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    for path in site_pages(site_dir):
        fetched.clear()
        page.goto(base_url + path, wait_until="networkidle")
        has_diagram = page.locator(".mermaid").count() > 0
        paths = {f.path for f in fetched}
        if has_diagram:
            drawn.append(path)
            if MERMAID not in paths:
                no_mermaid_where_diagram.append(path)
            continue
        light.append(path)
        if MERMAID in paths:
            mermaid_where_no_diagram.append(path)
        total = sum(f.size for f in fetched)
        if total > BUDGET_BYTES:
            heavy[path] = total
    assert no_mermaid_where_diagram == []
    assert mermaid_where_no_diagram == []
    assert heavy == {}
    # Both kinds exist, so neither half of the check passed for want of pages.
    assert "adr/" in drawn
    assert len(light) > 50
