"""Writing files so that a reader never sees half a record and nothing is clobbered."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from adrtool.errors import WriteFailed


def _write_temp(folder: Path, text: str, mode: int | None, target: Path) -> Path:
    # The temp file lives in the target's folder so that os.replace / os.link stay on one file
    # system and are atomic. Created with 0o666 so the umask applies, as for any new file
    # (tempfile.mkstemp would make every record private to its owner).
    while True:
        name = folder / f".adrtool-{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise _write_failed(target, error) from None
    try:
        if mode is not None:
            os.chmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        if isinstance(error, OSError):
            raise _write_failed(target, error) from None
        raise
    return name


def _write_failed(target: Path, error: OSError) -> WriteFailed:
    return WriteFailed(
        f"{target}: cannot be written ({error.strerror or error}), so nothing was changed; "
        "free some space or fix the folder's permissions, then run the command again"
    )


BOM = "\ufeff"
TEMP_GLOB = ".adrtool-*.tmp"


class Prepared:
    """A replacement of one file, written whole to a temp file beside it and not yet in place.

    A change of several files writes every temp file first, then puts them all in place: a full
    disk or a file size limit stops it before any file has changed.
    """

    def __init__(self, target: Path, temp: Path) -> None:
        self.target = target
        self.temp = temp

    def install(self) -> None:
        os.replace(self.temp, self.target)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)


def prepare(path: Path, text: str) -> Prepared | None:
    """Write what ``path`` is to hold to a temp file; None, writing nothing, if it holds it already.

    A symbolic link is followed: the file it points to is replaced and the link stays a link. A
    file that starts with a byte order mark keeps it, as the editor that wrote it expects. The
    file keeps its permissions.
    """
    target = Path(os.path.realpath(path))
    mode: int | None = None
    with contextlib.suppress(FileNotFoundError):
        mode = target.stat().st_mode & 0o7777
        current = target.read_bytes()
        if current.startswith(BOM.encode("utf-8")) and not text.startswith(BOM):
            text = BOM + text
        if current == text.encode("utf-8", "surrogateescape"):
            return None
    return Prepared(target, _write_temp(target.parent, text, mode, path))


def write_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` in one step; return False, touching nothing, if unchanged.

    On failure the old content stays and no temp file remains.
    """
    prepared = prepare(path, text)
    if prepared is None:
        return False
    try:
        prepared.install()
    except BaseException:
        prepared.discard()
        raise
    return True


def create_exclusive(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``; raise FileExistsError if it exists.

    The record appears complete or not at all: the text goes to a temp file first and is then
    hard-linked into place, which fails rather than overwrites when the name is taken.
    """
    temp = _write_temp(path.parent, text, None, path)
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
            os.unlink(temp)


# Folders this process holds the lock of: a nested `locked` (init creating its first record)
# must not wait for itself, as a second flock on a new descriptor would.
_held: set[str] = set()


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the ADR folder's exclusive lock: one adrtool at a time edits its records.

    Each write is atomic, but an edit reads a record, changes it and replaces it; two processes
    doing that at once would each write back a text without the other's change. The lock is a
    flock on a descriptor of the folder itself, so no lock file is left behind and the kernel
    releases it when the process ends, however it ends. Where there is no flock (Windows) or the
    file system refuses it (some network mounts), the edit goes ahead unlocked: records are still
    written whole, and `adrtool check` names a link that a race lost.
    """
    key = os.path.realpath(folder)
    if key in _held:
        yield
        return
    try:
        import fcntl  # noqa: PLC0415 - POSIX only
    except ImportError:
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as error:
            if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
                raise
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
    finally:
        os.close(fd)  # releases the lock
