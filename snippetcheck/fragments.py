"""Python snippets that cannot fail: fragments whose running nothing checked depends on.

A plain fence such as ``list_select_related = ["make", "dealer"]`` runs as a bare assignment:
it raises for no mistake in it, and when no later code of the page reads the name, a wrong
value is never seen either. Such a snippet passes the check whatever it says. This module finds
them, so ``--list`` can say so and a test can hold their share of the docs down.

A snippet is such a fragment when running it cannot raise and nothing later reads what it
binds. Running cannot raise when each top-level statement is one of:

- an assignment of a literal (numbers, strings, ``True``, lists, tuples, dicts and sets of
  them) to plain names;
- a function definition without decorators whose defaults are literals (its body runs only if
  something calls it, and then something later would name it);
- a class definition without bases, keywords or decorators, whose body is made of the same;
- ``pass``, ``...`` or a docstring.

An import, a call, an attribute or a name read can raise, so a snippet with one is checked by
being run. A later snippet "reads" a name when its source holds the name as a word: a string or
comment counts too, which can only make fewer snippets fragments, never more.
"""

from __future__ import annotations

import ast
import re

from snippetcheck.extract import Kind, Page


def _literal(node: ast.expr | None) -> bool:
    """Whether evaluating the expression cannot raise: a literal made of literals."""
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        # A dict key must hash: a list as a key raises, so only constants as keys.
        return all(isinstance(key, ast.Constant) for key in node.keys) and all(
            _literal(value) for value in node.values
        )
    return False


def literal_bindings(statements: list[ast.stmt]) -> list[str] | None:
    """The names the statements bind if running them cannot raise, else None."""
    names: list[str] = []
    for statement in statements:
        if isinstance(statement, ast.Assign):
            if not _literal(statement.value):
                return None
            for target in statement.targets:
                if not isinstance(target, ast.Name):
                    return None  # unpacking or an attribute or item store can raise
                names.append(target.id)
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = statement.args
            defaults = [*arguments.defaults, *arguments.kw_defaults]
            annotated = statement.returns is not None or any(
                a.annotation is not None
                for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            )
            # Annotations are evaluated at definition (no future import in a page): a name.
            if statement.decorator_list or annotated or not all(map(_literal, defaults)):
                return None
            if arguments.vararg and arguments.vararg.annotation is not None:
                return None
            if arguments.kwarg and arguments.kwarg.annotation is not None:
                return None
            names.append(statement.name)
        elif isinstance(statement, ast.ClassDef):
            if statement.bases or statement.keywords or statement.decorator_list:
                return None
            if literal_bindings(statement.body) is None:
                return None
            names.append(statement.name)
        elif isinstance(statement, ast.Pass):
            continue
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring, or ``...``
        else:
            return None
    return names


def cannot_fail(page: Page, index: int) -> list[str] | None:
    """The names a fragment binds and nothing later reads, when snippet ``index`` of the page
    is Python that cannot fail; None when a fault in it could be seen."""
    snippet = page.snippets[index]
    if snippet.kind is not Kind.RUN:
        return None
    try:
        tree = ast.parse(snippet.source)
    except SyntaxError:
        return None  # the check reports it
    names = literal_bindings(tree.body)
    if names is None:
        return None
    later = "\n".join(s.source for s in page.snippets[index + 1 :])
    if any(re.search(rf"\b{re.escape(name)}\b", later) for name in names):
        return None
    return list(dict.fromkeys(names))


def describe_fragment(names: list[str]) -> str:
    """How ``--list`` says that a snippet cannot fail."""
    if not names:
        return "cannot fail: it binds nothing and does nothing"
    return f"cannot fail: nothing later uses {', '.join(names)}"
