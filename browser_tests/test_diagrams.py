"""Every diagram is legible on a phone: its text is at least 10 px, and a wide one scrolls."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ViewportSize

from browser_tests.conftest import site_pages

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
MIN_TEXT_PX = 10
# Material draws diagrams into a closed shadow root; opening it lets the test see the SVG.
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (init) {"
    "  return attach.call(this, { ...init, mode: 'open' }); };"
)
# For each diagram: the smallest text it shows, in CSS pixels as rendered (font size times the
# scale the SVG is drawn at), and whether it is wider than its column and scrolls.
MEASURE = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  if (!svg) return null;
  let smallest = Infinity;
  const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const drawn = element.closest("foreignObject, text, tspan");
    const matrix = drawn && drawn.getScreenCTM();
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    const size = parseFloat(getComputedStyle(element).fontSize) * scale;
    smallest = Math.min(smallest, size);
  }
  return {
    smallest,
    width: svg.getBoundingClientRect().width,
    height: svg.getBoundingClientRect().height,
    column: host.clientWidth,
    scrolls: host.scrollWidth > host.clientWidth && getComputedStyle(host).overflowX === "auto",
  };
})
"""


def diagram_pages(site_dir: Path) -> list[str]:
    return [
        path
        for path in site_pages(site_dir)
        if '<pre class="mermaid">' in (site_dir / path / "index.html").read_text(encoding="utf-8")
    ]


@pytest.fixture
def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=PHONE, color_scheme="light", is_mobile=True)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    return context


def _diagrams(context: BrowserContext, url: str) -> list[dict[str, float]]:
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    expected = page.locator("pre.mermaid, div.mermaid").count()
    page.wait_for_function(
        f"document.querySelectorAll('div.mermaid').length === {expected}"
        " && [...document.querySelectorAll('div.mermaid')].every((h) => h.shadowRoot"
        " && h.shadowRoot.querySelector('svg'))",
        timeout=20_000,
    )
    measured: list[dict[str, float]] = page.evaluate(MEASURE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url}: the page itself scrolls sideways by {overflow} px"
    page.close()
    return measured


def test_every_diagram_has_text_of_at_least_10_px_on_a_phone(
    phone: BrowserContext, base_url: str, site_dir: Path
) -> None:
    pages = diagram_pages(site_dir)
    assert len(pages) >= 8
    too_small: dict[str, list[float]] = {}
    for path in pages:
        diagrams = _diagrams(phone, base_url + path)
        assert diagrams, path
        sizes = [round(d["smallest"], 1) for d in diagrams]
        if min(sizes) < MIN_TEXT_PX:
            too_small[path] = sizes
        # Wider than the column: it must scroll, not shrink.
        assert all(d["scrolls"] for d in diagrams if d["width"] > d["column"] + 1), path
    phone.close()
    assert too_small == {}


def test_the_decision_graph_is_tall_enough_to_read_on_a_desktop(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    context.add_init_script(OPEN_SHADOW_ROOTS)
    (graph,) = _diagrams(context, base_url + "adr/")
    context.close()
    # It was one row of 21 boxes, 49 px tall with 5 px text: now a row per chain of records.
    assert graph["height"] > 300
    assert graph["smallest"] >= MIN_TEXT_PX
