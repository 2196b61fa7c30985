"""Whose index.md it is: adrtool rewrites only an index it wrote, and only as it left it.

The index adrtool writes starts with a marker line holding the SHA-256 of the rest of the page.
No marker: the page is someone else's (MADR's Jekyll navigation page, log4brains' home page, a
page a team wrote), and adrtool leaves it alone. A marker whose digest no longer matches: the
page was edited by hand since, and the edit would be lost if the page were regenerated.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from adrtool.errors import AdrError

# The interpreter's own SHA-256: hashlib would load OpenSSL first, a few milliseconds of every
# `adrtool new`, for one digest of one page.
if TYPE_CHECKING:
    from hashlib import sha256 as _sha256
else:
    try:
        from _sha2 import sha256 as _sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256 as _sha256
        except ImportError:  # a build without them
            from hashlib import sha256 as _sha256

MARKER = re.compile(r"^<!-- adrtool index sha256:(?P<digest>[0-9a-f]{64}) -->$")
CONFLICT_OPENING = "<<<<<<< "


class IndexState(Enum):
    ABSENT = "absent"
    OURS = "ours"  # as adrtool wrote it (perhaps stale: the records changed since)
    EDITED = "edited"  # adrtool wrote it, then someone changed it
    FOREIGN = "foreign"  # not written by adrtool


def _digest(body: str) -> str:
    # Line endings do not count: git may check the page out with CRLF on Windows.
    return _sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def stamped(body: str) -> str:
    """The page as `adrtool index` writes it: the marker line, then ``body``."""
    return f"<!-- adrtool index sha256:{_digest(body)} -->\n{body}"


def same_page(current: str | None, expected: str) -> bool:
    """Whether the index on disk says what ``expected`` says, whatever its line endings."""
    return current is not None and current.replace("\r\n", "\n") == expected


def read_index(path: Path) -> str | None:
    """The index page's text, None if there is none; AdrError if it is there but unusable."""
    if not os.path.lexists(path):
        return None
    if not path.is_file():
        raise AdrError(
            f"{path} is not a file, so the index cannot be written; move it out of the way"
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise AdrError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise AdrError(
            f"{path}: is not valid UTF-8 (byte {error.start}); re-save it as UTF-8 or move it away"
        ) from None


def state_of(text: str | None) -> IndexState:
    if text is None:
        return IndexState.ABSENT
    first, _, body = text.partition("\n")
    if first.startswith(CONFLICT_OPENING) and MARKER.match(body.partition("\n")[0].rstrip("\r")):
        # Two branches each changed adrtool's index and git left a conflict at the marker. The
        # page is generated, so regenerating it from the merged records resolves the conflict.
        return IndexState.OURS
    marker = MARKER.match(first.rstrip("\r"))
    if marker is None:
        return IndexState.FOREIGN
    return IndexState.OURS if marker.group("digest") == _digest(body) else IndexState.EDITED


def index_state(path: Path) -> IndexState:
    return state_of(read_index(path))


EDITED = "was edited by hand since adrtool wrote it"
EDITED_FIX = "move the change into the records, then run 'adrtool index --force'"


def why_left_alone(path: Path, state: IndexState) -> str:
    """One line saying why adrtool did not write ``path``, and how to let it."""
    if state is IndexState.EDITED:
        return f"{path} {EDITED}, so it was left as it is; {EDITED_FIX}"
    return (
        f"{path} was not written by adrtool (no adrtool marker on its first line), so it was "
        "left as it is; to let adrtool keep it, run 'adrtool index --force'"
    )
