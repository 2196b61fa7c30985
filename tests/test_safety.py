"""No half-written or clobbered record, ever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adrtool import _files, operations
from adrtool.folder import AdrFolder
from tests.conftest import Run, read, snapshot


def test_a_failed_supersede_leaves_both_records_as_they_were(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adrtool("init")
    adrtool("new", "Two")
    adrtool("new", "Three")
    before = snapshot(project)
    real_prepare = _files.prepare
    calls = []

    def failing_prepare(path: Path, text: str) -> _files.Prepared | None:
        calls.append(path.name)
        if len(calls) == 2:  # the second superseded record cannot be written
            raise PermissionError(13, "Permission denied", str(path))
        return real_prepare(path, text)

    monkeypatch.setattr(operations, "prepare", failing_prepare)
    with pytest.raises(PermissionError):
        operations.new_record(AdrFolder(project / "docs" / "adr"), ["Four"], supersedes=["2", "3"])
    assert snapshot(project) == before  # no edit in place, temp files and new record removed


def test_a_rename_failing_half_way_puts_back_what_it_had_replaced(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adrtool("init")
    adrtool("new", "Two")
    adrtool("new", "Three")
    before = snapshot(project)
    real_install = _files.Prepared.install
    calls = []

    def failing_install(self: _files.Prepared) -> None:
        calls.append(self.target.name)
        if len(calls) == 2:  # the first record is in place, the second is not
            raise PermissionError(13, "Permission denied", str(self.target))
        real_install(self)

    monkeypatch.setattr(_files.Prepared, "install", failing_install)
    with pytest.raises(PermissionError):
        operations.new_record(AdrFolder(project / "docs" / "adr"), ["Four"], supersedes=["2", "3"])
    assert calls[:2] == ["0002-two.md", "0003-three.md"]  # then 0002 is put back
    assert snapshot(project) == before


def test_interrupted_supersede_is_named_by_check(adrtool: Run, project: Path) -> None:
    adrtool("init")
    adrtool("new", "Two")
    adr = project / "docs" / "adr"
    old = read(adr / "0002-two.md")
    adrtool("supersede", "2", "Three")
    (adr / "0002-two.md").write_text(old, encoding="utf-8")  # as if stopped before the 2nd write
    adrtool("index")
    assert adrtool("check", code=1).output == (
        "docs/adr/0003-three.md:9: supersedes 0002-two.md, which has no 'Superseded by' link back "
        "(an interrupted supersede?); run 'adrtool link 3 Supersedes 2 \"Superseded by\"'\n"
    )
    # and the fix it names works
    adrtool("link", "3", "Supersedes", "2", "Superseded by")
    assert adrtool("check").output == ""


def test_atomic_write_leaves_no_temp_files_and_keeps_mtime_when_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    assert _files.write_atomic(target, "one\n") is True
    assert _files.write_atomic(target, "one\n") is False
    assert _files.write_atomic(target, "two\n") is True
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    assert read(target) == "two\n"


def test_exclusive_create_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "0001-a.md"
    _files.create_exclusive(target, "first\n")
    with pytest.raises(FileExistsError):
        _files.create_exclusive(target, "second\n")
    assert read(target) == "first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["0001-a.md"]


def test_24_processes_at_once_make_24_distinct_records(adrtool: Run, project: Path) -> None:
    adrtool("init")
    # One file name for each pair on purpose, the hardest collision; the titles still differ,
    # or `check` would rightly take each pair for one record under two numbers.
    titles = [f"Parallel {i % 12}{'!' * (i // 12)}" for i in range(24)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "adrtool", "new", "--no-edit", title],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        for title in titles
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 24, outputs
    created = sorted(Path(out.strip()).name for out, _ in outputs)
    assert len(set(created)) == 24
    adr = project / "docs" / "adr"
    records = sorted(p.name for p in adr.glob("[0-9]*.md"))
    assert len(records) == 25
    numbers = [int(name.split("-", 1)[0]) for name in records]
    assert len(set(numbers)) == 25  # no number taken twice
    assert not list(adr.glob(".adrtool-*"))  # no temp files left behind
    for name in records:
        number = int(name.split("-", 1)[0])
        assert read(adr / name).startswith(f"# {number}. ")  # each file whole, its own number
    assert adrtool("index").exit_code == 0
    assert adrtool("check").output == ""


def test_8_concurrent_supersedes_of_one_record_keep_every_link(adrtool: Run, project: Path) -> None:
    adrtool("init")
    adrtool("new", "Two")
    # Each supersede reads record 2, adds its link and replaces the file: without the folder
    # lock, the last writer's text drops the links the others had added meanwhile.
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "adrtool", "supersede", "2", "--no-edit", f"Replace {i}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )
        for i in range(8)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, outputs
    created = sorted(Path(out.strip()).name for out, _ in outputs)
    adr = project / "docs" / "adr"
    two = read(adr / "0002-two.md")
    assert (
        sorted(
            line.rsplit("(", 1)[1].rstrip(")")
            for line in two.splitlines()
            if line.startswith("Superseded by [")
        )
        == created
    )
    for name in created:
        assert "Supersedes [2. Two](0002-two.md)" in read(adr / name)
    assert not list(adr.glob(".adrtool-*"))
    assert [p.name for p in project.rglob("*lock*")] == []  # the lock leaves no file behind
    # Nothing stale either: the index was refreshed under the same lock.
    assert adrtool("check").output == ""


def test_without_flock_edits_still_work_unlocked(
    adrtool: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows has no fcntl: the lock gives way rather than the command.
    monkeypatch.setitem(sys.modules, "fcntl", None)
    adrtool("init")
    adrtool("new", "Two")
    adrtool("supersede", "2", "Three")
    assert adrtool("check").output == ""


def test_records_get_ordinary_permissions_and_edits_keep_them(adrtool: Run, project: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        adrtool("init")
        adrtool("new", "Two")
    finally:
        os.umask(old_umask)
    adr = project / "docs" / "adr"
    assert (adr / "0002-two.md").stat().st_mode & 0o777 == 0o644
    (adr / "0002-two.md").chmod(0o664)
    adrtool("supersede", "2", "Three")
    assert (adr / "0002-two.md").stat().st_mode & 0o777 == 0o664
