"""Check the built HTML for what a reader must never see, for MkDocs and Zensical builds alike.

    python -m tools.html_gate SITE_DIR

Each page must have exactly one `<h1>`, a non-empty `<title>` and a non-empty meta description;
its text (outside code, where an example may show them) must hold no escaped comment opener
(`&lt;!--`, a marker or comment that leaked as text), and nowhere may it hold a plugin's
placeholder: an attribute list left unread (`{ #id }`), a tags-plugin anchor
(`page.md:1571-1613/`) or click's `Sentinel.UNSET`.

Exit status: 0 when every page passes, 1 when one does not, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.S | re.I)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)
_H1 = re.compile(r"<h1\b", re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"', re.I)
# Attributes are not what the reader sees, so the text checks read between the tags.
_TAG = re.compile(r"<[^>]*>")

# What is wrong in the text a reader sees, outside code.
TEXT_LEAKS = {
    "&lt;!--": "an HTML comment shown as text (a marker escaped or inside inline code)",
}
# What is wrong anywhere in the page, code included: no example shows these.
PLACEHOLDERS = {
    re.compile(r"\{ ?#[\w./:-]+ ?\}"): "an attribute list left as text ({ #id })",
    re.compile(r"\.md:\d+-\d+/"): "a tags-plugin placeholder (page.md:NNN-NNN/)",
    re.compile(r"Sentinel\.UNSET"): "click's Sentinel.UNSET instead of a default",
}


@dataclass(frozen=True)
class Problem:
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def page_problems(html: str) -> list[str]:
    """What is wrong with one page's HTML, one message each."""
    problems: list[str] = []
    body = html.split("<body", 1)[-1]
    readable = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", body))
    headings = len(_H1.findall(_SCRIPT_OR_STYLE.sub(" ", body)))
    if headings != 1:
        problems.append(f"{headings} <h1> headings; a page has exactly one")
    title = _TITLE.search(html)
    if title is None or not title.group(1).strip():
        problems.append("no <title>; give the page a heading or a `title` in front matter")
    description = _DESCRIPTION.search(html)
    if description is None or not description.group(1).strip():
        problems.append("no meta description; add `description` to the page's front matter")
    prose = _TAG.sub(" ", _CODE.sub(" ", _SCRIPT_OR_STYLE.sub(" ", body)))
    for leak, what in TEXT_LEAKS.items():
        if leak in prose:
            problems.append(f"{what}: {_around(prose, prose.index(leak))}")
    for pattern, what in PLACEHOLDERS.items():
        found = pattern.search(readable)
        if found:
            problems.append(f"{what}: {_around(readable, found.start())}")
    return problems


def _around(text: str, at: int) -> str:
    return " ".join(text[max(0, at - 30) : at + 60].split())


def html_pages(site: Path) -> Iterator[Path]:
    """The site's HTML files, outside the theme's assets."""
    for path in sorted(site.rglob("*.html")):
        if "assets" not in path.relative_to(site).parts:
            yield path


def check_site(site: Path) -> tuple[int, list[Problem]]:
    """How many pages were checked, and what is wrong with them."""
    count = 0
    problems: list[Problem] = []
    for path in html_pages(site):
        count += 1
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            count -= 1  # a redirect stub has no content of its own
            continue
        name = path.relative_to(site).as_posix()
        problems += [Problem(name, message) for message in page_problems(html)]
    return count, problems


class _OneLineParser(argparse.ArgumentParser):
    """Reports bad usage as one line, not argparse's usage block."""

    def error(self, message: str) -> NoReturn:
        print(f"Error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _OneLineParser(
        prog="python -m tools.html_gate",
        description="Check a built site's HTML for leaks, placeholders and missing titles.",
    )
    parser.add_argument("site", type=Path, help="the folder the generator built")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    site: Path = args.site
    if not site.is_dir():
        print(f"Error: {site} is not a folder (build the site first)", file=sys.stderr)
        return 2
    try:
        count, problems = check_site(site)
    except (OSError, UnicodeDecodeError) as error:
        print(f"Error: {site} cannot be read ({error}); rebuild the site", file=sys.stderr)
        return 2
    if count == 0:
        print(f"Error: {site} holds no HTML page (build the site first)", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"html_gate: {len(problems)} problems in {count} pages", file=sys.stderr)
        return 1
    print(f"html_gate: {count} pages, each with one <h1>, a title and a description, no leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
