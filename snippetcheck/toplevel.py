"""Run a snippet's code object, top-level ``await`` included, as a shell would.

Shared by the page child (``django_project.PageRun.python``) and the reader's shell session
(``tutorial/_session.py``, a script in the reader's interpreter): it imports nothing of
snippetcheck or Django at module level, only ``asgiref`` when the code awaits.
"""

from __future__ import annotations

import ast
import inspect
from types import CodeType
from typing import Any

# compile() flags for a snippet: `await` at the top level, none of our own __future__ imports.
FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def run(code: CodeType, namespace: dict[str, Any]) -> None:
    """Execute ``code`` in ``namespace``; a top-level ``await`` runs it on an event loop."""
    if not code.co_flags & inspect.CO_COROUTINE:
        exec(code, namespace)
        return
    from asgiref.sync import async_to_sync

    coroutine = eval(code, namespace)

    async def awaited() -> None:
        await coroutine

    # async_to_sync runs the loop in another thread and sends sync_to_async calls back here,
    # so the ORM keeps using this thread's connection, as in a real ASGI server.
    async_to_sync(awaited)()
