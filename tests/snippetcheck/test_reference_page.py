"""The snippetcheck reference page cannot drift from the command it documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from snippetcheck.extract import MARKERS

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "snippetcheck.md"


def test_usage_on_the_page_is_the_commands_own_help() -> None:
    text = PAGE.read_text(encoding="utf-8")
    block = re.search(r"<!-- help:start -->\n```text\n(.*?)```\n<!-- help:end -->", text, re.S)
    assert block, "the help block markers are missing from the page"
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "snippetcheck", "--help"],
        capture_output=True,
        encoding="utf-8",
        env=env,
        check=True,
    )
    assert block.group(1) == result.stdout, "regenerate the Usage block with COLUMNS=100"


def test_every_marker_the_parser_knows_is_documented() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for word in MARKERS:
        assert f"<!-- snippetcheck: {word}" in page, word
