"""Apply a tutorial's fragment of a Python file the reader already has (``mysite/settings.py``).

A Python fence titled with an existing file, whose body is only top-level assignments to plain
names (``INSTALLED_APPS = [...]``), is an edit: each assignment replaces the file's top-level
assignment of the same name, whole, in place. A ``...`` line stands for the rest of the file, as
a reader reads it: an assignment after one, of a name the file does not assign yet, is added at
the end of the file (``LOGGING``, a setting ``startproject`` does not write). A new name without
a ``...`` before it is an error, most often a typo: the reader would not find the line to change.
Any other body replaces the whole file.
"""

from __future__ import annotations

import ast


class EditError(Exception):
    """A fragment that cannot be applied as shown; the message says what to write."""


def assignment_names(source: str) -> list[str] | None:
    """The names a fragment assigns, in order, or None when it is not only assignments."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = []
    for statement in tree.body:
        if _is_ellipsis(statement):
            continue
        name = _assigned_name(statement)
        if name is None:
            return None
        names.append(name)
    return names or None


def _is_ellipsis(statement: ast.stmt) -> bool:
    """A ``...`` line: the rest of the file, left as it is."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is Ellipsis
    )


def _assigned_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return statement.target.id if isinstance(statement.target, ast.Name) else None
    return None


def apply_assignments(existing: str, fragment: str, file: str) -> str:
    """``existing`` with each of the fragment's assignments put in place of its namesake."""
    tree = ast.parse(fragment)
    fragment_lines = fragment.splitlines()
    try:
        target = ast.parse(existing)
    except SyntaxError as error:
        raise EditError(f"{file} no longer parses ({error.msg}), so it cannot be edited") from None
    lines = existing.splitlines()
    spans: dict[str, tuple[int, int]] = {}
    for statement in target.body:
        name = _assigned_name(statement)
        if name is not None:
            assert statement.end_lineno is not None
            spans[name] = (statement.lineno - 1, statement.end_lineno)  # the last one wins
    replacements = []
    added: list[str] = []
    previous_end = 0
    after_ellipsis = False
    for statement in tree.body:
        assert statement.end_lineno is not None
        if _is_ellipsis(statement):
            after_ellipsis = True
            previous_end = statement.end_lineno
            continue
        name = _assigned_name(statement)
        assert name is not None
        # Comment lines just above an assignment in the fragment go in with it.
        start = statement.lineno - 1
        while start > previous_end and fragment_lines[start - 1].lstrip().startswith("#"):
            start -= 1
        new = fragment_lines[start : statement.end_lineno]
        previous_end = statement.end_lineno
        if name in spans:
            replacements.append((spans[name], new))
        elif after_ellipsis:
            added.extend(["", *new])
        else:
            known = ", ".join(sorted(spans)) or "nothing"
            raise EditError(
                f"{file} has no top-level {name} = ... to change (it assigns {known}): show "
                "an assignment the file already has, put a '...' line before a new one to "
                "add it at the end, or show the whole file"
            )
    for (begin, end), new in sorted(replacements, reverse=True):
        lines[begin:end] = new
    return "\n".join([*lines, *added]) + "\n"
