"""log4brains: MADR 2's bullets (``- Status:``, ``- Date:``, ``- Tags:``) in records named by
date, ``20200925-use-log4brains.md``; a same-day record of the same title gets ``-2``."""

from __future__ import annotations

from adrtool._markdown import section_bounds
from adrtool.dialects._bullets import BulletDialect
from adrtool.names import is_date_id


class Log4brains(BulletDialect):
    name = "log4brains"
    summary = "log4brains (metadata bullets, date ids)"
    priority = 20
    bullet = "- "
    # log4brains' template offers "draft" before "proposed".
    extra_statuses = ("draft",)
    date_hint = "a '- Date: YYYY-MM-DD' bullet under the title"
    template = "log4brains"

    def claims(self, name: str, lines: list[str]) -> bool:
        # A dated record written the adr-tools way (a "## Status" section) stays Nygard's.
        return is_date_id(name) and (
            self.has_fields(lines) or section_bounds(lines, "Status") is None
        )

    def label(self, number: int, title: str, name: str) -> str:
        # The records name each other by title; the id is in the link's target.
        return title or name.removesuffix(".md")


DIALECT = Log4brains()
