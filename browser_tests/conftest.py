"""Serve the built site on loopback and open it in Debian's chromium through Playwright.

Playwright's own browser download is not reachable here, so the tests drive /usr/bin/chromium.
Without it they are skipped with a loud warning, unless REQUIRE_BROWSER=1 (set by .ci/run), which
turns the skip into a failure so CI always runs them. CHROMIUM=/path picks another binary.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIPPED_BANNER = "BROWSER TESTS SKIPPED: chromium not found"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--site-dir", default="site", help="the built site to serve")
    parser.addoption(
        "--screenshots-dir", default="site-screenshots", help="where page screenshots go"
    )


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        # One line per request would bury the test report.
        pass


@pytest.fixture(scope="session")
def site_dir(pytestconfig: pytest.Config) -> Path:
    path = Path(pytestconfig.getoption("--site-dir")).resolve()
    if not (path / "index.html").is_file():
        pytest.fail(f"{path} holds no built site: run `make build` first", pytrace=False)
    return path


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        message = f"{SKIPPED_BANNER} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        request.config.stash[_skipped_key] = True
        pytest.skip(message)
    playwright = request.getfixturevalue("playwright_session")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


_skipped_key = pytest.StashKey[bool]()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    try:
        yield context
    finally:
        context.close()


def site_pages(site_dir: Path) -> list[str]:
    pages = [p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html")]
    return sorted("" if p == "." else f"{p}/" for p in pages)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if config.stash.get(_skipped_key, False):
        line = "!" * 78
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(
            f"!! {SKIPPED_BANNER}: the site was NOT checked in a browser.", red=True, bold=True
        )
        terminalreporter.write_line(
            "!! Install it with `apt-get install chromium`; CI sets REQUIRE_BROWSER=1.",
            red=True,
            bold=True,
        )
        terminalreporter.write_line(line, red=True, bold=True)
