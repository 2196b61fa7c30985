"""Check every link and anchor in a built HTML site, with no network and no MkDocs plugin.

It reads the HTML the generator wrote (MkDocs or Zensical alike), so it also sees links that
Markdown validation never does: raw HTML in pages, template overrides and the theme itself.

    python -m tools.linkcheck SITE_DIR

Exit status: 0 when every link resolves, 1 when one does not, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import NoReturn
from urllib.parse import unquote, urlsplit

# Attributes that hold a URL, per tag. `srcset` is a list and is split separately.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
}
# These only navigate when clicked; everything else is fetched while the page loads, so an
# external one breaks the offline promise even though the link itself may be fine.
NAVIGATION_TAGS = frozenset({"a", "area", "form"})
# <link rel=...> values that make the browser fetch the target while loading the page.
FETCHING_RELS = frozenset(
    {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "manifest"}
)
# Schemes that point at no file: nothing to resolve, nothing fetched from a host.
INERT_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "about", "blob"})


@dataclass(frozen=True)
class Reference:
    """One URL found in a page."""

    tag: str
    attribute: str
    url: str
    line: int
    fetched: bool  # loaded with the page (script, image, stylesheet) rather than followed


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    page: str
    line: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.url}: {self.reason}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        line = self.getpos()[0]
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            # A redirect page: "0; url=../elsewhere/"
            _, _, target = values.get("content", "").partition("=")
            if target.strip():
                self._add(tag, "content", target.strip(), line, fetched=False)
            return
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self._add(tag, attribute, url, line, fetched=True)
                continue
            fetched = tag not in NAVIGATION_TAGS
            if tag == "link":
                rels = set(values.get("rel", "").lower().split())
                fetched = bool(rels & FETCHING_RELS)
            self._add(tag, attribute, value.strip(), line, fetched=fetched)

    def _add(self, tag: str, attribute: str, url: str, line: int, *, fetched: bool) -> None:
        self.page.references.append(Reference(tag, attribute, url, line, fetched))


def parse_page(text: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


class SiteChecker:
    """Resolves the links of every page of one built site against its files and ids."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._pages: dict[Path, ParsedPage] = {}

    def _parsed(self, path: Path) -> ParsedPage:
        if path not in self._pages:
            self._pages[path] = parse_page(path.read_text(encoding="utf-8", errors="replace"))
        return self._pages[path]

    def html_files(self) -> Iterator[Path]:
        yield from sorted(self.root.rglob("*.html"))

    def check(self) -> tuple[int, list[Problem]]:
        """Return how many references were checked, and the problems found."""
        problems: list[Problem] = []
        count = 0
        for page in self.html_files():
            for reference in self._parsed(page).references:
                count += 1
                reason = self._problem(page, reference)
                if reason:
                    shown = page.relative_to(self.root).as_posix()
                    problems.append(Problem(shown, reference.line, reference.url, reason))
        return count, problems

    def _problem(self, page: Path, reference: Reference) -> str | None:
        parts = urlsplit(reference.url)
        scheme = parts.scheme.lower()
        if scheme in INERT_SCHEMES:
            return None
        if scheme or parts.netloc:
            if reference.fetched:
                return "loaded from another host, so the page breaks offline"
            return None  # an outbound link: followed by the reader, never fetched here
        target = self._target_file(page, unquote(parts.path))
        if target is None:
            return "points outside the site"
        if target.is_dir():
            target /= "index.html"
        if not target.is_file():
            return "no such file in the built site"
        fragment = unquote(parts.fragment)
        # Text fragments (#:~:text=...) address words, not ids.
        if not fragment or fragment.startswith(":~:") or target.suffix != ".html":
            return None
        if fragment not in self._parsed(target).ids:
            return f"no element with id '{fragment}' in {target.relative_to(self.root).as_posix()}"
        return None

    def _target_file(self, page: Path, path: str) -> Path | None:
        if not path:
            return page  # "#anchor" or "?query" alone: the same page
        if path.startswith("/"):
            relative = PurePosixPath(path.lstrip("/"))
        else:
            base = PurePosixPath(page.parent.relative_to(self.root).as_posix())
            relative = base / path
        resolved: list[str] = []
        for part in relative.parts:
            if part in ("", "."):
                continue
            if part == "..":
                if not resolved:
                    return None
                resolved.pop()
            else:
                resolved.append(part)
        return self.root.joinpath(*resolved)


class _OneLineParser(argparse.ArgumentParser):
    """Reports bad usage as one line, not argparse's usage block."""

    def error(self, message: str) -> NoReturn:
        print(f"Error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _OneLineParser(
        prog="python -m tools.linkcheck",
        description="Check the links and anchors of a built HTML site, offline.",
    )
    parser.add_argument("site", type=Path, help="the folder the generator built")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # --help exits 0; a usage error was already reported on one line and exits 2.
        return int(exit_.code or 0)
    site: Path = args.site
    if not site.is_dir():
        print(f"Error: {site} is not a folder (build the site first)", file=sys.stderr)
        return 2
    checker = SiteChecker(site)
    pages = sum(1 for _ in checker.html_files())
    if pages == 0:
        print(f"Error: {site} holds no HTML page (build the site first)", file=sys.stderr)
        return 2
    count, problems = checker.check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"linkcheck: {len(problems)} broken of {count} links in {pages} pages", file=sys.stderr
        )
        return 1
    print(f"linkcheck: {count} links in {pages} pages, none broken")
    return 0


if __name__ == "__main__":
    sys.exit(main())
