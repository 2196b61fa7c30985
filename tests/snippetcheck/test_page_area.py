"""A page's files stay in the check's own temp folder, which goes with the run."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from .conftest import Check


def test_paths_above_a_pages_folder_and_its_temp_files_stay_inside_the_checks_folder(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    outcome = check(
        {
            "writes.md": """
            ```python
            import os
            import tempfile
            from pathlib import Path

            Path("../../README.md").write_text("overwritten", encoding="utf-8")
            Path("../../../x").write_text("x", encoding="utf-8")
            Path("../../../../y").write_text("y", encoding="utf-8")
            scratch = Path(tempfile.mkdtemp()) / "scratch.txt"
            scratch.write_text("scratch", encoding="utf-8")
            ```

            <!-- snippetcheck: test
            ours = [
                parent
                for parent in Path.cwd().parents
                if parent.name.startswith("snippetcheck-worker-")
            ]
            assert len(ours) == 1, Path.cwd()
            for written in ("../../README.md", "../../../x", "../../../../y", scratch):
                assert Path(written).resolve().is_relative_to(ours[0]), written
            -->
            """
        }
    )
    assert outcome.code == 0, outcome.out
    assert sorted(tmp_path.iterdir()) == [tmp_path / "docs", tmp]
    assert list(tmp.iterdir()) == []  # and nothing is left of the run's own folder
