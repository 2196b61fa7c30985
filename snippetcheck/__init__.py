"""snippetcheck: run the code snippets of Markdown pages in a real Django project."""

from __future__ import annotations

__version__ = "0.1.0"
