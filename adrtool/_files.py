"""Writing files so that a reader never sees half a record and nothing is clobbered."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _write_temp(folder: Path, text: str) -> Path:
    # The temp file lives in the target's folder so that os.replace / os.link stay on one file
    # system and are atomic.
    fd, name = tempfile.mkstemp(dir=folder, prefix=".adrtool-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return Path(name)


def write_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` in one step; return False, touching nothing, if unchanged."""
    with contextlib.suppress(FileNotFoundError, UnicodeDecodeError):
        if path.read_text(encoding="utf-8") == text:
            return False
    temp = _write_temp(path.parent, text)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return True


def create_exclusive(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``; raise FileExistsError if it exists.

    The record appears complete or not at all: the text goes to a temp file first and is then
    hard-linked into place, which fails rather than overwrites when the name is taken.
    """
    temp = _write_temp(path.parent, text)
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:
            # File systems without hard links: exclusive creation still never clobbers.
            with open(path, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
