"""MADR 2: ``* Status:``, ``* Deciders:`` and ``* Date:`` bullets under ``# Title``."""

from __future__ import annotations

from adrtool.dialects._bullets import BulletDialect
from adrtool.names import is_date_id


class MadrBullets(BulletDialect):
    name = "madr-bullets"
    summary = "MADR 2 (metadata bullets)"
    priority = 30
    template = "madr-bullets"

    def claims(self, name: str, lines: list[str]) -> bool:
        return not is_date_id(name) and self.has_fields(lines)

    def label(self, number: int, title: str, name: str) -> str:
        return f"ADR-{number:04d}: {title}"


DIALECT = MadrBullets()
