"""The line a page is running, kept where its worker can read it after the page's process died.

A page that ends without reporting (``os._exit``, a segfault, the OOM killer) can no longer be
asked where it was. So each top-level statement of a Python snippet first writes its page line
to a few bytes of memory shared with the worker (no system call, no message): a function call
per statement run, in the page's own code only, not in Django's.
"""

from __future__ import annotations

import ast
import mmap
import struct

# The name the instrumented code calls; a builtin of the page's process, so that it is not in
# the page's namespace.
HOOK = "__snippetcheck_line__"
_FORMAT = "q"


class LineBoard:
    """An integer in memory shared across fork: the page writes it, the worker reads it."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, struct.calcsize(_FORMAT))

    def set(self, line: int) -> None:
        struct.pack_into(_FORMAT, self._memory, 0, line)

    def get(self) -> int:
        return int(struct.unpack_from(_FORMAT, self._memory, 0)[0])

    def close(self) -> None:
        self._memory.close()


class _Instrument(ast.NodeTransformer):
    """Before each statement outside functions and classes: ``HOOK(its line)``."""

    def _mark(self, body: list[ast.stmt], *, unmarked: int = 0) -> list[ast.stmt]:
        marked: list[ast.stmt] = []
        for index, statement in enumerate(body):
            self.visit(statement)
            if index >= unmarked:
                call = ast.Expr(
                    ast.Call(
                        ast.Name(HOOK, ast.Load()), [ast.Constant(statement.lineno)], keywords=[]
                    )
                )
                marked.append(ast.copy_location(call, statement))
            marked.append(statement)
        return marked

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            return node  # run later, from wherever they are called
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, name, self._mark(body))
        for handler in getattr(node, "handlers", []):
            handler.body = self._mark(handler.body)
        for case in getattr(node, "cases", []):
            case.body = self._mark(case.body)
        return node


def instrument(tree: ast.Module) -> ast.Module:
    """The module with its line reports added (in place); positions are the statements' own."""
    # A docstring and `from __future__` imports must stay first: nothing goes before them.
    unmarked = 0
    for index, statement in enumerate(tree.body):
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            unmarked = index + 1
    tree.body = _Instrument()._mark(tree.body, unmarked=unmarked)
    return ast.fix_missing_locations(tree)
