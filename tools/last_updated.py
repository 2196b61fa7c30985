"""MkDocs hook: "last updated" on every page, from one `git log` for the whole docs folder.

The git-revision-date plugin runs git once per page, which grows with the site; one log read
up front costs the same for ten pages or a thousand (docs/adr/0012). The date goes into
`page.meta.revision_date`, which Material's source-file partial already shows. Zensical does not
run MkDocs hooks, so its build simply shows no date.
"""

from __future__ import annotations

import logging
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.last_updated")

# Commit date (strict ISO 8601) after a NUL, so a header line can never be taken for a path.
_GIT_LOG = ["git", "-c", "core.quotePath=false", "log", "--format=%x00%cI", "--name-only"]

_dates: dict[str, date] = {}


def parse_log(output: str) -> dict[str, date]:
    """Map each path in `git log --name-only` output to the date of its newest commit."""
    dates: dict[str, date] = {}
    for entry in output.split("\0")[1:]:
        header, _, names = entry.partition("\n")
        when = datetime.fromisoformat(header.strip()).date()
        for name in names.splitlines():
            # The log is newest first: the first date seen for a path is its last change.
            if name.strip():
                dates.setdefault(name.strip(), when)
    return dates


def read_dates(docs_dir: Path) -> dict[str, date]:
    """Dates of the committed files under docs_dir, by path relative to it; {} without git."""
    try:
        result = subprocess.run(
            [*_GIT_LOG, "--relative", "--", "."],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:
        return {}
    if result.returncode != 0:
        log.info("no git history for %s: pages show no date", docs_dir)
        return {}
    return parse_log(result.stdout)


def shown(when: date) -> str:
    return f'<time datetime="{when.isoformat()}">{when.day} {when:%B %Y}</time>'


def on_config(config: Any) -> None:
    _dates.clear()
    _dates.update(read_dates(Path(config["docs_dir"])))


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    when = _dates.get(page.file.src_uri)
    if when is not None:  # a page not committed yet has no honest date to show
        page.meta["revision_date"] = shown(when)
    return context
