"""axe-core on every page, in both colour schemes: no critical or serious violation.

axe-core comes from the npm package pinned in package-lock.json (`make install`), and is
injected into each page after it loads; nothing is fetched from another host.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from browser_tests.conftest import site_pages

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
RUN_AXE = "axe.run(document, { resultTypes: ['violations'] })"


@pytest.fixture(params=["light", "dark"])
def scheme_context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    # The palette follows the system preference until the reader picks one (mkdocs.yml).
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, color_scheme=request.param
    )
    try:
        yield context
    finally:
        context.close()


def test_no_page_has_a_critical_or_serious_violation(
    scheme_context: BrowserContext, base_url: str, site_dir: Path
) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make install`", pytrace=False)
    page = scheme_context.new_page()
    found: dict[str, list[str]] = {}
    for path in [*site_pages(site_dir), "404.html"]:
        page.goto(base_url + path, wait_until="load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE)
        blocking = [
            f"{violation['id']} ({violation['impact']}): "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            for violation in result["violations"]
            if violation["impact"] in BLOCKING
        ]
        if blocking:
            found[path] = blocking
    assert found == {}
