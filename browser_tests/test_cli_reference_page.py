"""The built adrtool reference against each command's --help: what the reader gets is true.

No browser: the built HTML is read as the site serves it, so both builders' output can be held
to the commands (`--site-dir`).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrtool.cli import cli

_HELP_OPTION = re.compile(r"^  (?P<flags>(?:-\w, )?--[\w-]+)(?: (?P<value>\S+))?\s{2,}", re.M)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="adrtool", terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _sections(html: str) -> dict[str, str]:
    """The HTML of each command's section, by the command's anchor (`adrtool-new`)."""
    parts = re.split(r'<h[23] id="(adrtool(?:-[\w-]+)?)"', html)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def built_page(site_dir: Path) -> str:
    return (site_dir / "reference" / "adrtool-cli" / "index.html").read_text(encoding="utf-8")


def test_the_built_page_shows_no_sentinel_and_no_made_up_placeholder(built_page: str) -> None:
    text = unescape(_TAG.sub(" ", built_page))
    assert "Sentinel" not in text
    assert not re.search(r"<td><code>(TEXT|text|INTEGER|BOOLEAN)</code></td>", built_page)


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_each_option_of_the_help_is_a_row_of_the_built_page(built_page: str, command: str) -> None:
    sections = _sections(built_page)
    anchor = f"adrtool-{command}" if command else "adrtool"
    assert anchor in sections, f"no section for `adrtool {command}` on the built page"
    rows = [unescape(_TAG.sub("", row)) for row in _ROW.findall(sections[anchor])]
    help_text = _help(*([command] if command else []))
    usage = help_text.splitlines()[0].removeprefix("Usage: ")
    assert usage in unescape(_TAG.sub("", sections[anchor]))
    for option in _HELP_OPTION.finditer(help_text):
        flags = option["flags"]
        row = next((r for r in rows if r.lstrip().startswith(flags)), None)
        assert row is not None, f"{flags} of `adrtool {command} --help` is not on the page"
        value = option["value"]
        if value is None:
            assert "a flag" in row
        else:
            assert all(choice in row for choice in value.strip("[]").split("|")), row
