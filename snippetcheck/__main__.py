from __future__ import annotations

from snippetcheck.cli import main

raise SystemExit(main())
