"""File names from titles: never empty, never outside the folder, never too long."""

from __future__ import annotations

import unicodedata

# Leaves room under the 255-byte file-name limit of common file systems for "NNNN-" and ".md",
# and keeps names readable in a directory listing.
MAX_SLUG_CHARS = 60
MAX_SLUG_BYTES = 150
FALLBACK_SLUG = "decision"
APOSTROPHES = frozenset("'\u2019")


def slugify(title: str) -> str:
    """Return a lowercase, hyphen-separated file-name stem for ``title``.

    Latin letters lose their accents (``Café`` gives ``cafe``); letters of other scripts are kept
    as they are, so a title in Chinese gives a Chinese name rather than an empty one. Anything
    that is not a letter or digit, ``/`` and ``.`` included, becomes a hyphen, so the name can
    never leave the ADR folder.
    """
    decomposed = unicodedata.normalize("NFKD", title)
    chars: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) or char in APOSTROPHES:
            continue  # "don't" gives "dont", not "don-t"
        if unicodedata.category(char) == "Cf":
            # Invisible inside a word (a soft hyphen, a Persian non-joiner): a hyphen there would
            # split the word, and an invisible character in a file name only confuses.
            continue
        chars.append(char.lower() if char.isalnum() else "-")
    words = [word for word in "".join(chars).split("-") if word]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_CHARS or len(candidate.encode()) > MAX_SLUG_BYTES:
            if not slug:  # a single enormous word: cut it rather than give up
                slug = _truncate(word)
            break
        slug = candidate
    return unicodedata.normalize("NFC", slug) or FALLBACK_SLUG


def _truncate(word: str) -> str:
    cut = word[:MAX_SLUG_CHARS]
    while len(cut.encode()) > MAX_SLUG_BYTES:
        cut = cut[:-1]
    return cut
