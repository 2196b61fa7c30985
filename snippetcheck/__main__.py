from __future__ import annotations

from snippetcheck.cli import run

run()
