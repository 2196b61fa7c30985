"""Refuse hidden code in a tutorial that would change what the reader meets.

In a tutorial, hidden code may only observe: assert, read, query, fetch a page as the reader.
Anything that changes environment variables, settings, files, caches, the process or the
database would make the page pass where the reader fails. This module refuses what it can see
in the code (the AST); the session checks the rest when the block has run (environment, files,
database rows).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

# Calls that change state the reader's project depends on, whatever they are called on.
_CHANGING_CALLS = {
    "cache_clear": "clears a cache",
    "setup_test_environment": "switches Django to its test environment",
    "teardown_test_environment": "switches Django out of its test environment",
    "call_command": "runs a management command",
    "override_settings": "overrides settings",
    "modify_settings": "modifies settings",
    "clear_url_caches": "clears the URL caches",
    "set_urlconf": "changes the URLconf",
    "invalidate_caches": "clears the import caches",
    "reload": "reloads a module",
    "putenv": "sets an environment variable",
    "unsetenv": "removes an environment variable",
    "chdir": "changes the working folder",
    "system": "runs a program",
    "popen": "runs a program",
    "write_text": "writes a file",
    "write_bytes": "writes a file",
    "touch": "writes a file",
    "unlink": "removes a file",
    "rmtree": "removes files",
    "rmdir": "removes a folder",
    "makedirs": "makes folders",
    "mkdir": "makes a folder",
    "symlink_to": "makes a link",
    "hardlink_to": "makes a link",
    "copyfile": "writes a file",
    "copytree": "writes files",
}
# Calls refused only on these modules (``os.remove``; ``list.remove`` is fine).
_MODULE_CALLS = {
    ("os", "remove"): "removes a file",
    ("os", "rename"): "renames a file",
    ("os", "replace"): "replaces a file",
    ("os", "truncate"): "truncates a file",
    ("os", "utime"): "changes a file's times",
    ("shutil", "copy"): "writes a file",
    ("shutil", "copy2"): "writes a file",
    ("shutil", "move"): "moves a file",
}
_ENVIRON_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__"})
_MODULES = {
    "subprocess": "runs programs",
    "multiprocessing": "starts processes",
    "shutil": "copies and removes files",
}
# What caches Django's template engine keeps: dropping them hides a needed server restart.
_CACHE_ATTRIBUTES = frozenset({"template_loaders", "_registry", "_urlconf_module"})


@dataclass(frozen=True)
class Refusal:
    line: int
    what: str

    def message(self) -> str:
        return (
            f"hidden code {self.what}: in a tutorial it may only observe (assert, read, query, "
            "fetch with reader); show the reader the step that does this instead"
        )


def refusals(source: str, first_line: int) -> list[Refusal]:
    """What a hidden block would change, each at its page line; empty when it only observes."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # reported when it runs, at its line, as any snippet's syntax error
    found: list[Refusal] = []

    def refuse(node: ast.AST, what: str) -> None:
        found.append(Refusal(first_line + getattr(node, "lineno", 1) - 1, what))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                what = _changed_target(target)
                if what is not None:
                    refuse(node, what)
        elif isinstance(node, ast.Call):
            what = _changing_call(node)
            if what is not None:
                refuse(node, what)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
            )
            for name in names:
                top = name.split(".")[0]
                if top in _MODULES:
                    refuse(node, f"imports {top}, which {_MODULES[top]}")
    return sorted(found, key=lambda refusal: refusal.line)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    if isinstance(node, ast.Subscript):
        return _dotted(node.value) + "[]"
    return "?"


def _changed_target(target: ast.AST) -> str | None:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            what = _changed_target(element)
            if what is not None:
                return what
        return None
    if isinstance(target, ast.Subscript):
        owner = _dotted(target.value)
        if owner.split(".")[-1] == "environ":
            return f"writes {owner}[...], an environment variable the reader does not have"
        if owner.endswith("__dict__"):
            return f"changes {owner}, an object's cached state"
        return None
    if isinstance(target, ast.Attribute):
        owner = _dotted(target.value)
        if owner.split(".")[-1] == "settings":
            return f"assigns {owner}.{target.attr}, a setting the reader's project does not have"
        if owner == "os" and target.attr == "environ":
            return "replaces os.environ"
        if target.attr in _CACHE_ATTRIBUTES:
            return f"resets {owner}.{target.attr}, one of Django's caches"
    return None


def _changing_call(call: ast.Call) -> str | None:
    func = call.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )
    owner = _dotted(func.value) if isinstance(func, ast.Attribute) else ""
    if owner.split(".")[-1] == "environ" and name in _ENVIRON_METHODS:
        return f"calls {owner}.{name}(), changing the environment the reader does not have"
    if owner.endswith("__dict__") and name in ("pop", "clear", "update"):
        return f"calls {owner}.{name}(), resetting an object's cached state"
    if (owner, name) in _MODULE_CALLS:
        return f"calls {owner}.{name}(), which {_MODULE_CALLS[(owner, name)]}"
    if name in _CHANGING_CALLS:
        shown = f"{owner}.{name}" if owner else name
        return f"calls {shown}(), which {_CHANGING_CALLS[name]}"
    if name == "reset" and owner:
        return f"calls {owner}.reset(), which resets a cache"
    if name == "open" and owner in ("", "io", "builtins") and _writes(call):
        return "opens a file for writing"
    if name == "open" and owner and _writes(call, position=0):
        return f"opens {owner} for writing"
    return None


def _writes(call: ast.Call, position: int = 1) -> bool:
    mode: ast.AST | None = call.args[position] if len(call.args) > position else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(flag in mode.value for flag in "wax+")
    return True  # a mode the check cannot read is not assumed harmless


# Names a block can reach the project through without an import statement.
_BACKDOORS = frozenset({"__import__", "exec", "eval", "compile", "globals", "vars", "open"})


def needs_django(source: str) -> bool:
    """Whether a hidden block may use the project: it imports, or uses a name it did not make.

    A block that only asserts on ``reader``'s answers runs without Django set up, so the
    session the project's changes made stale can serve it without a restart.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True
    made = {"reader"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            made.add(node.id)
        elif isinstance(node, ast.arg):
            made.add(node.arg)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    plain = {name for name in dir(builtins) if name not in _BACKDOORS}
    return bool(used - made - plain)
