"""Titles and link wording that would be markup stay text on a site built from adrtool's records.

A tiny MkDocs site is built from an ADR folder that adrtool filled with hostile titles; each page
is opened in chromium, and no script of theirs may run, no element of theirs may exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog

REPO = Path(__file__).resolve().parent.parent
MERMAID = REPO / "docs" / "assets" / "javascripts" / "vendor" / "mermaid.min.js"

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script> wins"
JS_LINK = "[x](javascript:alert(3)) and <b>bold</b>"
ENTITY = "R&D &lt;i&gt; &#60;u&#62;"

MKDOCS_YML = """\
site_name: Hostile titles
theme:
  name: material
  font: false
extra_javascript:
  - mermaid.min.js
markdown_extensions:
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def _adrtool(project: Path, *args: str) -> None:
    # The ceiling keeps an ADR folder above the temp folder from being found.
    env = {
        **os.environ,
        "ADR_DATE": "2022-10-17",
        "ADRTOOL_CEILING_DIRECTORIES": str(project.parent),
    }
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "adrtool", *args],
        cwd=project,
        check=False,  # the assert below shows stderr
        env=env,
        capture_output=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MERMAID.is_file():
        pytest.fail(f"{MERMAID} is missing: run `make install` first", pytrace=False)
    project = tmp_path_factory.mktemp("hostile")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    _adrtool(project, "init")
    _adrtool(project, "new", "--no-edit", IMG)
    _adrtool(project, "new", "--no-edit", "-l", "2:Amends:Amended by", SCRIPT)
    _adrtool(project, "supersede", "--no-edit", "2", JS_LINK)
    _adrtool(project, "new", "--no-edit", "-l", "3:Refines:Refined by", ENTITY)
    shutil.copy(MERMAID, project / "docs" / "mermaid.min.js")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=project,
        check=False,  # the assert below shows stderr
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    return project / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        # One line per request would bury the test report.
        pass


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(hostile_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


PAGES = [
    "adr/",
    "adr/0002-img-src-x-onerror-alert-1/",
    "adr/0003-script-alert-2-script-wins/",
    "adr/0004-x-javascript-alert-3-and-b-bold-b/",
    "adr/0005-r-d-lt-i-gt-60-u-62/",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_titles_show_as_text_and_run_nothing(
    browser: Browser, hostile_site: Path, hostile_url: str, path: str
) -> None:
    assert (hostile_site / path / "index.html").is_file(), sorted(
        p.name for p in (hostile_site / "adr").iterdir()
    )
    context = browser.new_context()
    # Material draws diagrams into a closed shadow root; opening it lets the test see the SVG.
    context.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (init) {"
        "  return attach.call(this, { ...init, mode: 'open' }); };"
    )
    try:
        page = context.new_page()
        dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.goto(hostile_url + path, wait_until="load")
        if path == "adr/":
            # The decision graph is drawn by Mermaid in the page: wait for its drawing.
            page.locator("div.mermaid svg").first.wait_for(timeout=20_000)
        page.wait_for_timeout(300)  # an onerror of a broken image fires after load
        assert dialogs == []
        # None of the titles' markup became an element, and no link runs script.
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
        assert page.locator("article b, article i, article u").count() == 0
        assert not page.evaluate("[...document.scripts].some(s => s.text.includes('alert('))")
        body = page.locator("article").inner_text()
        nav = page.locator("nav.md-nav--primary").inner_text()
        for title in (IMG, SCRIPT, JS_LINK, ENTITY):
            # Every title shows as typed in the navigation of every page.
            assert title in nav, (title, nav)
        shown = {
            "adr/": (IMG, SCRIPT, JS_LINK, ENTITY),
            "adr/0002-img-src-x-onerror-alert-1/": (IMG, SCRIPT, JS_LINK),
            "adr/0003-script-alert-2-script-wins/": (SCRIPT, IMG, ENTITY),
            "adr/0004-x-javascript-alert-3-and-b-bold-b/": (JS_LINK, IMG),
            "adr/0005-r-d-lt-i-gt-60-u-62/": (ENTITY, SCRIPT),
        }[path]
        for title in shown:
            assert title in body, (title, body)
        if path == "adr/":
            graph = page.locator("div.mermaid svg").first.text_content() or ""
            # The index's graph wraps long titles over lines, which text_content() joins
            # without the space the line break stood for.
            for title in (IMG, SCRIPT, JS_LINK, ENTITY):
                assert "".join(title.split()) in "".join(graph.split()), (title, graph)
            assert page.locator("div.mermaid img, div.mermaid a[href]").count() == 0
    finally:
        context.close()
