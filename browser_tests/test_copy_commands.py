"""Copy buttons give what a reader can paste: commands, without prompts and without output."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from playwright.sync_api import BrowserContext


def _copy(context: BrowserContext, base_url: str, path: str, block_text: str) -> str:
    """Click the copy button of the first code block on `path` that shows `block_text`."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(base_url + path, wait_until="load")
    block = page.locator("div.highlight pre", has_text=block_text).first
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator('button[data-md-type="copy"]').click()
    return str(page.evaluate("navigator.clipboard.readText()"))


@pytest.mark.parametrize(
    ("path", "block_text", "expected"),
    [
        (
            # A console block with its output: only the command.
            "how-to/merge-diverging-migrations/",
            "Merging shop",
            "python manage.py makemigrations shop --merge --noinput",
        ),
        (
            # A console block that starts the Django shell: the Python lines go with it, as the
            # shell reads them after the command, and the QuerySet it printed does not.
            "how-to/recover-from-a-failed-migration/",
            "from django.db.models import Count",
            (
                "python manage.py shell\n"
                "from django.db.models import Count\n"
                'Product.objects.values("sku").annotate(n=Count("id")).filter(n__gt=1)'
            ),
        ),
        (
            # Without prompts, every line is a command: all of it is copied.
            "how-to/merge-diverging-migrations/",
            "python manage.py migrate shop",
            "python manage.py migrate shop",
        ),
    ],
)
def test_the_copy_button_gives_commands_without_prompts_or_output(
    context: BrowserContext, base_url: str, path: str, block_text: str, expected: str
) -> None:
    assert _copy(context, base_url, path, block_text) == expected


PYCON = """```pycon
>>> total = 0
>>> for n in range(3):
...     total += n
...
>>> total
3
```"""


def test_a_pycon_blocks_copy_button_gives_the_statements_without_prompts_or_output(
    context: BrowserContext, base_url: str, site_dir: Path
) -> None:
    # No page shows a pycon block yet; a built page with one in place of its text stands in,
    # at the same depth so that its assets resolve, rendered as mkdocs.yml highlights code.
    fragment = markdown.markdown(
        PYCON,
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"anchor_linenums": True}},
    )
    html = (site_dir / "how-to" / "admin-url" / "index.html").read_text(encoding="utf-8")
    start = html.index("<h1")
    html = html[:start] + f"<h1>Fixture</h1>{fragment}" + html[html.index("</article>") :]
    fixture = base_url + "how-to/pycon-fixture/"
    context.route(fixture, lambda route: route.fulfill(body=html, content_type="text/html"))
    copied = _copy(context, base_url, "how-to/pycon-fixture/", "total += n")
    assert copied == "total = 0\nfor n in range(3):\n    total += n\n\ntotal"
