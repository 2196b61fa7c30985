"""$VISUAL / $EDITOR open the new record when adrtool runs in a terminal, and only then."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import read

FAKE_EDITOR = """\
import sys
with open(sys.argv[-1], "a", encoding="utf-8") as record:
    record.write("Edited by " + sys.argv[1] + "\\n")
"""


@pytest.fixture
def editor(tmp_path: Path) -> str:
    script = tmp_path / "editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    return f"{sys.executable} {script}"


def run_in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run with stdin and stdout on a pseudo-terminal, as a person at a shell would."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=terminal, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def folder(project: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "adrtool", "init"], cwd=project, check=True, capture_output=True
    )
    return project / "docs" / "adr"


def test_visual_opens_the_new_record_in_a_terminal(
    project: Path, folder: Path, editor: str
) -> None:
    env = {**os.environ, "VISUAL": f"{editor} visual", "EDITOR": f"{editor} editor"}
    code, output = run_in_terminal([sys.executable, "-m", "adrtool", "new", "Two"], project, env)
    assert code == 0, output
    assert read(folder / "0002-two.md").endswith("Edited by visual\n")
    assert "docs/adr/0002-two.md" in output


def test_editor_is_used_without_visual(project: Path, folder: Path, editor: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "VISUAL"} | {"EDITOR": f"{editor} editor"}
    code, _ = run_in_terminal([sys.executable, "-m", "adrtool", "new", "Two"], project, env)
    assert code == 0
    assert read(folder / "0002-two.md").endswith("Edited by editor\n")


def test_no_edit_and_pipes_do_not_open_the_editor(project: Path, folder: Path, editor: str) -> None:
    env = {**os.environ, "VISUAL": f"{editor} visual"}
    code, _ = run_in_terminal(
        [sys.executable, "-m", "adrtool", "new", "--no-edit", "Two"], project, env
    )
    assert code == 0
    piped = subprocess.run(
        [sys.executable, "-m", "adrtool", "new", "Three"],
        cwd=project,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    assert piped.stdout == "docs/adr/0003-three.md\n"
    assert "Edited" not in read(folder / "0002-two.md") + read(folder / "0003-three.md")
