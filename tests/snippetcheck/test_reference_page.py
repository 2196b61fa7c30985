"""The snippetcheck reference page cannot drift from the command it documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from snippetcheck.extract import (
    ENDLESS_COMMANDS,
    FILE_LANGS,
    MARKERS,
    PYTHON_LANGS,
    SHELL_LANGS,
    extract,
)
from snippetcheck.filecheck import FileKind, file_kind

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "snippetcheck.md"
PROJECT = ROOT / "testproject"


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


def table(heading: str) -> list[list[str]]:
    """The body rows of the table under ``## heading``, as lists of cells."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


def ticked(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def test_the_exit_status_table_says_what_main_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from snippetcheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "marker.md").write_text(
        "<!-- snippetcheck: skip -->\n```python\nx = 1\n```\n", encoding="utf-8"
    )
    (tmp_path / "docs" / "prose.md").write_text("# Words only\n", encoding="utf-8")
    # Each case the table names, as the command meets it (none needs Django to start).
    cases = {
        "Every runnable snippet passed": ["--project", str(PROJECT), "docs/prose.md"],
        "a malformed marker": ["--list", "docs/marker.md"],
        "an unknown option": ["--frobnicate"],
        "a missing page": ["docs/missing.md"],
        "no test project": ["--project", str(tmp_path), "docs/prose.md"],
        "a settings module that is missing": ["--settings", "nosuch.settings", "docs/prose.md"],
    }
    rows = table("Exit status")
    assert sorted(int(row[0]) for row in rows) == [0, 1, 2]
    for phrase, argv in cases.items():
        (code,) = [int(row[0]) for row in rows if phrase in row[1]]
        returned = main(argv)
        assert returned == code, (phrase, capsys.readouterr())
        capsys.readouterr()
    # The marker case is a failed page, reported as one: at its line, on stdout.
    assert main(["--list", "docs/marker.md"]) == 1
    assert capsys.readouterr().out.startswith("docs/marker.md:1: MarkerError: ")


def test_the_fence_table_names_the_languages_and_commands_the_code_knows() -> None:
    rows = {row[0]: row[1] for row in table("What each fence becomes")}
    firsts = list(rows)
    assert ticked(firsts[0]) == set(PYTHON_LANGS)
    assert ticked(firsts[1]) == set(PYTHON_LANGS) | {'title="app/file.py"'}
    assert ticked(firsts[2]) == set(FILE_LANGS) | {"title"}
    assert ticked(firsts[3]) == set(SHELL_LANGS)
    assert ticked(firsts[4]) == set(ENDLESS_COMMANDS) | {"manage.py"}
    # Each row's claim about what happens, against what extract makes of such a fence.
    examples = [
        ("```python\nx = 1\n```\n", "runs as Python"),
        ('```python title="app/views.py"\nx = 1\n```\n', "becomes the file app/views.py"),
        ('```toml title="pyproject.toml"\nx = 1\n```\n', "becomes the file pyproject.toml, "),
        ("```console\n$ python manage.py migrate\n```\n", "runs manage.py migrate"),
        ("```console\n$ python manage.py runserver\n```\n", "skipped: manage.py runserver"),
        ("```bash\npip install django\n```\n", "skipped: 'pip install django' is not"),
        ("```nginx\nserver {}\n```\n", "not run: a nginx fence"),
        ("```html\n<p>hi</p>\n```\n", "not run: a html fence without a path title"),
    ]
    for text, described in examples:
        page = extract(text, "p.md")
        listed = [s.describe() for s in (*page.snippets, *page.skipped)]
        listed += [u.describe() for u in page.unrun]
        assert len(listed) == 1 and listed[0].startswith(described), (text, listed)
    assert "`--list` shows it under `Not run:`" in rows[firsts[-1]]
    assert "`--list` shows it under `Skipped:`" in rows[firsts[-2]]


def test_the_table_of_blocks_not_run_names_what_extract_refuses_to_run() -> None:
    rows = table("Blocks that are not run where they are")
    examples = [
        "Text.\n\n    code = 1\n",
        "Text.\n\n    ```python\n    x = 1\n    ```\n",
        "> ```python\n> x = 1\n> ```\n",
        "<details>\n\n```python\nx = 1\n```\n\n</details>\n",
        '--8<-- "x.py"\n',
    ]
    assert len(rows) == len(examples)
    for text in examples:
        (block,) = extract(text, "p.md").unrun
        assert block.by_position, text


def test_the_file_table_says_how_each_kind_of_file_is_checked() -> None:
    rows = table("How a file is checked")
    seen = set()
    for names, check in rows:
        for pattern in ticked(names):
            example = pattern.replace("*", "x") if "*" in pattern else pattern
            kind = file_kind(example)
            seen.add(kind)
            expected = "not checked" if kind is None else kind.value
            assert expected in check or (kind is FileKind.PYTHON and "imported" in check), (
                pattern,
                kind,
                check,
            )
    assert seen == {*FileKind, None}
