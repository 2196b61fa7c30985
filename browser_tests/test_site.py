"""The built site as a reader gets it: in a real browser, from a local server, offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ViewportSize

from browser_tests.conftest import site_pages
from browser_tests.traffic import watch

# Home and one page per Diátaxis quadrant, for a person to look at.
SCREENSHOT_PAGES = {
    "home": "",
    "tutorials": "tutorials/",
    "how-to": "how-to/",
    "reference": "reference/",
    "explanation": "explanation/",
    "adr-index": "adr/",
    "404": "404.html",
}
# The sizes the site was read at: a laptop, and a phone.
SCREENSHOT_SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def test_the_site_has_the_pages_a_reader_expects(site_dir: Path) -> None:
    pages = set(site_pages(site_dir))
    expected = {"", "tutorials/", "how-to/", "reference/", "explanation/", "adr/"}
    expected |= {"reference/talks/", "reference/adrtool-cli/", "reference/adrtool-api/"}
    assert expected <= pages


def test_every_page_loads_cleanly_and_offline(
    context: BrowserContext, base_url: str, site_dir: Path
) -> None:
    page = context.new_page()
    traffic = watch(context, page, base_url)
    problems: dict[str, list[str]] = {}
    for path in site_pages(site_dir):
        page.goto(base_url + path, wait_until="networkidle")
        page.locator("h1").first.wait_for()
        if traffic.problems():
            problems[path] = traffic.problems()
        traffic.foreign_requests.clear()
        traffic.failed_requests.clear()
        traffic.console_errors.clear()
    assert problems == {}


def test_the_404_page_is_styled_and_offline(context: BrowserContext, base_url: str) -> None:
    page = context.new_page()
    traffic = watch(context, page, base_url)
    page.goto(base_url + "404.html", wait_until="networkidle")
    assert "404" in page.locator("h1").first.inner_text()
    assert traffic.problems() == []


def test_search_finds_a_word_offline(context: BrowserContext, base_url: str) -> None:
    page = context.new_page()
    traffic = watch(context, page, base_url)
    page.goto(base_url, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    # Typed key by key: Material searches on keyboard events, which fill() does not send.
    search.press_sequentially("dealership", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 1
    # The word's own tutorial may rank first, or the landing page that links it: either shows it.
    assert "dealership" in results.first.inner_text().lower()
    assert traffic.foreign_requests == []


def test_a_mermaid_diagram_renders_as_svg_offline(context: BrowserContext, base_url: str) -> None:
    # Material draws diagrams into a closed shadow root; opening it lets the test see the SVG.
    context.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (init) {"
        "  return attach.call(this, { ...init, mode: 'open' }); };"
    )
    page = context.new_page()
    traffic = watch(context, page, base_url)
    page.goto(base_url + "adr/", wait_until="networkidle")
    svg = page.locator("div.mermaid svg").first
    svg.wait_for(timeout=15_000)
    drawn = svg.text_content() or ""
    # A record with a link is drawn (its title wraps, so only its first line is whole); one
    # without, such as the first, is only in the table.
    assert "Ship Mermaid from the npm" in drawn
    assert "Record architecture decisions" not in drawn
    assert svg.bounding_box() is not None
    assert traffic.problems() == []


def test_the_scheme_toggle_switches_to_dark_and_back(
    context: BrowserContext, base_url: str
) -> None:
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    body = page.locator("body")
    light_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert body.get_attribute("data-md-color-scheme") == "default"
    schemes = []
    for _ in range(3):  # automatic -> light -> dark, or wherever it starts in the cycle
        page.locator("form[data-md-component=palette] label:visible").first.click()
        schemes.append(body.get_attribute("data-md-color-scheme"))
        if schemes[-1] == "slate":
            break
    assert schemes[-1] == "slate", schemes
    dark_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_background != light_background
    page.reload(wait_until="networkidle")  # the choice is remembered across pages
    assert body.get_attribute("data-md-color-scheme") == "slate"


def test_the_copy_button_copies_a_code_block(context: BrowserContext, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(base_url + "reference/adrtool-cli/", wait_until="load")
    # The CLI page shows each command's usage as a code block; content.code.copy adds the button.
    buttons = page.locator('pre button[data-md-type="copy"]')
    buttons.first.wait_for(state="attached", timeout=10_000)
    assert buttons.count() == page.locator("pre > code").count()
    page.locator("pre").first.hover()
    buttons.first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == page.locator("pre > code").first.inner_text().strip()
    assert copied.startswith("adrtool")


def test_a_committed_page_shows_when_it_was_last_updated(
    context: BrowserContext, base_url: str
) -> None:
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    # The home page is committed, so the git log gives it a date (tools/last_updated.py).
    when = page.locator(".md-source-file time")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", when.get_attribute("datetime") or "")
    assert when.is_visible()


@pytest.mark.parametrize("size", SCREENSHOT_SIZES)
@pytest.mark.parametrize(("name", "path"), SCREENSHOT_PAGES.items())
def test_screenshot(
    browser: Browser,
    base_url: str,
    name: str,
    path: str,
    size: str,
    pytestconfig: pytest.Config,
) -> None:
    folder = Path(pytestconfig.getoption("--screenshots-dir"))
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SCREENSHOT_SIZES[size], color_scheme="light")
    page = context.new_page()
    page.goto(base_url + path, wait_until="networkidle")
    target = folder / f"{name}-{size}.png"
    page.screenshot(path=str(target), full_page=True)
    context.close()
    assert target.stat().st_size > 10_000  # a real rendering, not a blank page
