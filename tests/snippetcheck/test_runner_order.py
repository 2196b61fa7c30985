"""Pages are handed out longest first, tutorials weighed as the processes they start."""

from __future__ import annotations

from pathlib import Path

from snippetcheck.extract import extract_file
from snippetcheck.runner import TUTORIAL_WEIGHT, _cost

from .conftest import page


def test_a_short_tutorial_goes_out_before_a_long_how_to(tmp_path: Path) -> None:
    fence = "```python\nx = 1\n```\n\n"
    how_to = tmp_path / "how-to.md"
    how_to.write_text(page("# A how-to\n\n" + fence * 12), encoding="utf-8")
    tutorial = tmp_path / "tutorial.md"
    tutorial.write_text(
        page(
            "# A tutorial\n\n<!-- snippetcheck: tutorial -->\n\n"
            "```console\n$ python -m django startproject mysite .\n```\n\n"
            "```console\n$ python manage.py migrate\n```\n"
        ),
        encoding="utf-8",
    )
    pages = [extract_file(path, path.name) for path in (how_to, tutorial)]
    assert [len(found.snippets) for found in pages] == [12, 2]
    assert pages[1].tutorial and not pages[0].tutorial
    assert _cost(pages[1]) == 2 * TUTORIAL_WEIGHT > _cost(pages[0]) == 12
