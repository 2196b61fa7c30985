"""Compare a command's output as a tutorial shows it with what the command really printed.

Both sides are compared line by line after whitespace normalisation (runs of spaces become one,
ends stripped, blank lines dropped). Without a ``...`` line the shown lines must be the whole
output; each ``...`` line stands for any number of lines, so ``...`` marks an honest excerpt.
Inside a line, ``...`` stands for any text, as in doctest's ELLIPSIS: it marks what differs from
one run to the next, such as a duration (``1 passed in ...``).
"""

from __future__ import annotations

import re

ELLIPSIS = "..."


def normalise(text: str) -> str:
    return " ".join(text.split())


def same_line(shown: str, real: str) -> bool:
    """Whether a normalised shown line matches a normalised real one, ``...`` for any text."""
    if ELLIPSIS not in shown:
        return shown == real
    pattern = ".*".join(re.escape(part) for part in shown.split(ELLIPSIS))
    return re.fullmatch(pattern, real) is not None


def mismatch(shown: tuple[str, ...], real: str) -> str | None:
    """None when ``real`` matches ``shown``; else what differs, for the failure message."""
    want = [normalise(line) for line in shown if line.strip()]
    have = [normalise(line) for line in real.splitlines() if line.strip()]
    segments: list[list[str]] = [[]]
    for line in want:
        if line == ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(line)
    open_start = bool(want) and want[0] == ELLIPSIS
    open_end = bool(want) and want[-1] == ELLIPSIS
    position = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        anchored = number == 0 and not open_start
        found = _find(have, segment, position, anchored)
        if found is None:
            return _explain(have, segment, position)
        position = found + len(segment)
    if not open_end and position != len(have):
        extra = have[position] if position < len(have) else ""
        return (
            f"the command printed more than the page shows, from {extra!r}; show it, or end "
            f"the excerpt with a '{ELLIPSIS}' line"
        )
    return None


def _find(have: list[str], segment: list[str], start: int, anchored: bool) -> int | None:
    last = start if anchored else len(have) - len(segment)
    for index in range(start, last + 1):
        window = have[index : index + len(segment)]
        if len(window) == len(segment) and all(map(same_line, segment, window)):
            return index
    return None


def _explain(have: list[str], segment: list[str], start: int) -> str:
    for line in segment:
        if not any(same_line(line, real) for real in have[start:]):
            printed = " | ".join(have[start : start + 3]) or "nothing more"
            return (
                f"the page shows {line!r}, which the command did not print (it printed: "
                f"{printed}); show the real output, with '{ELLIPSIS}' for lines left out"
            )
    return (
        "the page shows lines the command printed, but not in this order or not together: "
        f"put a '{ELLIPSIS}' line where lines are left out"
    )
