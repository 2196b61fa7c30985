"""Apply a tutorial's fragment of a Python file the reader already has (``mysite/settings.py``).

A Python fence titled with an existing file, whose body is only top-level assignments to plain
names (``INSTALLED_APPS = [...]``), is an edit: each assignment replaces the file's top-level
assignment of the same name, whole, in place. A name the file does not assign is an error: the
reader would not find the line to change. Any other body replaces the whole file.
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
        name = _assigned_name(statement)
        if name is None:
            return None
        names.append(name)
    return names or None


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
    previous_end = 0
    for statement in tree.body:
        name = _assigned_name(statement)
        assert name is not None and statement.end_lineno is not None
        if name not in spans:
            known = ", ".join(sorted(spans)) or "nothing"
            raise EditError(
                f"{file} has no top-level {name} = ... to change (it assigns {known}): show "
                "an assignment the file already has, or the whole file"
            )
        # Comment lines just above an assignment in the fragment go in with it.
        start = statement.lineno - 1
        while start > previous_end and fragment_lines[start - 1].lstrip().startswith("#"):
            start -= 1
        replacements.append((spans[name], fragment_lines[start : statement.end_lineno]))
        previous_end = statement.end_lineno
    for (begin, end), new in sorted(replacements, reverse=True):
        lines[begin:end] = new
    return "\n".join(lines) + "\n"
