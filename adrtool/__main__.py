from __future__ import annotations

from adrtool.cli import cli

raise SystemExit(cli())
