"""adrtool: scaffold, supersede, link, index and check Architecture Decision Records."""

from __future__ import annotations

__version__ = "0.1.0"
