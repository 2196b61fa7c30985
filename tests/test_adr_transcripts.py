"""`adr`, adr-tools' command line served by adrtool: golden transcripts of its behaviour.

Regenerate the .expected files after a deliberate change with ``ADRTOOL_REGENERATE_GOLDEN=1``,
then read the diff: tests/test_adr_interop.py still holds them against Debian's adr-tools.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import _adr_transcripts as transcripts


@pytest.mark.parametrize("name", transcripts.NAMES)
def test_transcript(name: str, tmp_path: Path) -> None:
    got = transcripts.run(name, tmp_path)
    expected = transcripts.expected_path(name)
    if os.environ.get(transcripts.REGENERATE):
        expected.write_text(got.output, encoding="utf-8")
    assert got.output == expected.read_text(encoding="utf-8"), got.output


def test_every_behaviour_has_a_transcript() -> None:
    wanted = {
        "init", "new", "supersede", "new-link", "link", "list", "toc", "graph",
        "upgrade-repository", "help", "editor", "folder-search", "errors", "template",
    }  # fmt: skip
    assert wanted <= set(transcripts.NAMES)
    for name in transcripts.NAMES:
        assert transcripts.expected_path(name).is_file(), f"{name}.expected is missing"
