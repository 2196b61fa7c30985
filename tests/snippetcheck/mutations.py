"""Mistakes a writer really makes, planted in a page: each operator edits one snippet.

An operator takes the page's text, its extracted ``Page`` and the index of a runnable snippet,
and returns a ``Mutation`` (the edited page text and the page lines, in the edited text, that a
report must fall in) or None when it does not apply to that snippet. Choices inside an
operator (which number, which letter) come from the ``random.Random`` it is given, so a seed
replays a run.

Faults go where a reader would meet them: in the visible snippets, and in hidden test code only
as a changed number in an assertion (the claim the page makes). Any other edit of hidden code
changes the check, not what the reader is shown.

Some edits cannot change what runs: they are *equivalent*, and counted apart instead of being
called caught or missed. An edit is called equivalent only on a rule that proves it, checked on
the snippet's syntax tree, never because the check missed it:

- a number that is itself an argument of ``print`` (the output is never compared);
- a number or a name in the message of an ``assert``, evaluated only when the assertion fails;
- a number made one more on the greater side of an assertion's ``<`` or ``<=`` (``n < 5``
  becomes ``n < 6``, or unittest's ``assertLess(n, 5)``): the assertion only gets weaker, so
  a page that passed still passes;
- two consecutive file snippets of different files swapped: both are written before anything
  reads them, and each is checked on its own;
- a file snippet swapped with the Python snippet right before or after it when that snippet
  only binds literals (``MIDDLEWARE = [...]``, which cannot raise): writing a file reads
  nothing of the page's namespace, and binding literals touches no file;
- a number made one more that is the ``timeout=`` of a call that waits for something and
  raises when the time runs out (``receive_from`` of channels' test communicators,
  ``asyncio.wait_for``, ``subprocess.run``; never ``receive_nothing``, which a longer wait can
  fail): what a passing page waited for came before the shorter limit, so before the longer;
- a deleted statement that is a call to ``print``, ``pass``, ``...`` or a lone string literal
  (a docstring): none of them binds a name, writes a file or raises for a correct page;
- a deleted import in a plain fence or hidden code when an earlier one of those made the same
  import, with no file written since: the page's snippets share one namespace, so the name is
  already bound to that very object.

- a deleted class attribute of a ``Migration`` that sets the value ``migrations.Migration``
  already has (``dependencies = []``): the class reads the same attribute from its base;
- a deleted ``initial = True`` of a migration that depends on no migration of its own app, on
  a page that never runs ``makemigrations --update``: Django's executor treats ``initial =
  None`` (the base class's) as initial exactly when no dependency is in the same app, and only
  ``--update`` names a migration from the attribute.

A deleted ``assert`` (or unittest's ``self.assertEqual(...)``) is not planted at all: it takes a
check away, and a passing page still passes without it.

Any other misspelt name, swap or wrong command-line flag is never called equivalent: each is a
use the snippet makes, so a reader following the page would hit it.
"""

from __future__ import annotations

import ast
import keyword
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from snippetcheck.extract import Kind, Page, Snippet
from snippetcheck.filecheck import FileKind
from snippetcheck.fragments import literal_bindings


@dataclass(frozen=True)
class Mutation:
    """A page with one planted mistake, and where the check must report it."""

    operator: str
    text: str
    # Page lines of the edited text (1-based, inclusive) a report must fall in: the edited
    # snippet's code lines, or both snippets' when two were swapped.
    first_line: int
    last_line: int
    what: str  # the edit, for the test's report: "line 42: 3 -> 4"
    equivalent: str | None = None  # why the edit cannot change what runs, when it cannot


Operator = Callable[[str, Page, int, random.Random], Mutation | None]


def is_python(snippet: Snippet) -> bool:
    """Whether the snippet is Python the check runs or imports."""
    if snippet.kind in (Kind.RUN, Kind.TEST):
        return True
    return snippet.kind is Kind.FILE and snippet.checked_as is FileKind.PYTHON


_MESSAGE = "in an assertion's message, evaluated only when it fails"


def visible(snippet: Snippet) -> bool:
    return snippet.kind is not Kind.TEST


def _within(node: ast.AST, row: int, col: int) -> bool:
    if node.end_lineno is None or node.end_col_offset is None:  # type: ignore[attr-defined]
        return False
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    return start <= (row, col) < (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _in_assert_message(tree: ast.Module, row: int, col: int) -> bool:
    return any(
        isinstance(node, ast.Assert) and node.msg is not None and _within(node.msg, row, col)
        for node in ast.walk(tree)
    )


def _in_assert_test(tree: ast.Module, row: int, col: int) -> bool:
    return any(
        isinstance(node, ast.Assert) and _within(node.test, row, col) for node in ast.walk(tree)
    )


# unittest's ordering assertions, by the position of their greater side: assertLess(a, b)
# asserts a < b, so b is the greater side, as in ``assert a < b``.
_GREATER_SIDE = {"assertLess": 1, "assertLessEqual": 1, "assertGreater": 0, "assertGreaterEqual": 0}


def _weakened(tree: ast.Module, number: ast.Constant) -> bool:
    """Whether one more for the number only weakens an assertion: ``x < 5``, ``5 > x``,
    ``self.assertLess(x, 5)``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _GREATER_SIDE
            and len(node.args) >= 2
            and node.args[_GREATER_SIDE[node.func.attr]] is number
        ):
            return True
        if not isinstance(node, ast.Assert):
            continue
        for compare in ast.walk(node.test):
            if not isinstance(compare, ast.Compare):
                continue
            sides = [compare.left, *compare.comparators]
            for position, operator in enumerate(compare.ops):
                if isinstance(operator, ast.Lt | ast.LtE) and sides[position + 1] is number:
                    return True
                if isinstance(operator, ast.Gt | ast.GtE) and sides[position] is number:
                    return True
    return False


def _only_literals(snippet: Snippet) -> bool:
    if snippet.kind is not Kind.RUN:
        return False
    tree = _tree(snippet)
    return tree is not None and literal_bindings(tree.body) is not None


def _tree(snippet: Snippet) -> ast.Module | None:
    try:
        return ast.parse(snippet.source)
    except SyntaxError:
        return None


def _indent(lines: list[str], snippet: Snippet, offset: int) -> int:
    """How many columns the page adds before line ``offset`` of the snippet's source."""
    page_line = lines[snippet.start_line - 1 + offset]
    source_line = snippet.source.splitlines()[offset]
    return len(page_line) - len(source_line)


def _replace(
    text: str, snippet: Snippet, row: int, col: int, old: str, new: str
) -> tuple[str, int]:
    """The page with ``old`` at the snippet's ``row`` (1-based) and ``col`` made ``new``."""
    lines = text.splitlines()
    offset = row - 1
    column = col + _indent(lines, snippet, offset)
    number = snippet.start_line + offset
    line = lines[number - 1]
    assert line[column : column + len(old)] == old, (line, column, old)
    lines[number - 1] = line[:column] + new + line[column + len(old) :]
    return "\n".join(lines) + "\n", number


def _print_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    )


def _printed(tree: ast.Module, number: ast.Constant) -> bool:
    """Whether the number is itself an argument of ``print``: ``print(3)``, not
    ``print(Book.objects.get(pk=3))``, whose number decides what runs."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _print_call(node):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if any(argument is number for argument in arguments):
                return True
    return False


# Calls whose ``timeout=`` only bounds a wait that raises when it runs out: asgiref's and
# channels' test communicators (``connect`` and ``get_response`` go through
# ``receive_output``), asyncio's ``wait_for``. ``receive_nothing`` is not one: it returns
# whether anything came, so a longer wait can change its answer.
_RAISING_WAITS = frozenset(
    {"receive_from", "receive_json_from", "receive_output", "get_response", "connect", "wait_for"}
)


def _longer_wait(tree: ast.Module, number: ast.Constant) -> bool:
    """Whether the number is the ``timeout=`` of a wait that raises when the time runs out."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        # asyncio.wait_for(awaitable, timeout) takes it by position too.
        positional = (
            len(node.args) == 2
            and node.args[1] is number
            and getattr(function, "attr", getattr(function, "id", None)) == "wait_for"
        )
        if not positional and not any(
            k.arg == "timeout" and k.value is number for k in node.keywords
        ):
            continue
        if isinstance(function, ast.Attribute):
            if function.attr in _RAISING_WAITS:
                return True
            # subprocess.run raises TimeoutExpired: the process finished before either limit.
            owner = function.value
            return (
                function.attr == "run" and isinstance(owner, ast.Name) and owner.id == "subprocess"
            )
        return isinstance(function, ast.Name) and function.id in _RAISING_WAITS
    return False


def change_number(text: str, page: Page, index: int, rng: random.Random) -> Mutation | None:
    """A number in the snippet's code (an assertion, a call's argument, a quantity) made one more."""
    snippet = page.snippets[index]
    if not is_python(snippet):
        return None
    tree = _tree(snippet)
    if tree is None:
        return None
    numbers = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and node.end_col_offset is not None
        and (visible(snippet) or _in_assert_test(tree, node.lineno, node.col_offset))
    ]
    if not numbers:
        return None
    node = rng.choice(numbers)
    source_line = snippet.source.splitlines()[node.lineno - 1]
    old = source_line[node.col_offset : node.end_col_offset]
    if not re.fullmatch(r"[0-9][0-9_]*(\.[0-9_]*)?", old):
        return None  # 1e3, 0x10, 1j: rare, and "one more" has no obvious spelling
    assert isinstance(node.value, int | float)
    new = str(node.value + 1)
    mutated, line = _replace(text, snippet, node.lineno, node.col_offset, old, new)
    if _printed(tree, node):
        equivalent: str | None = "a number printed, and printed output is not compared"
    elif _in_assert_message(tree, node.lineno, node.col_offset):
        equivalent = _MESSAGE
    elif _weakened(tree, node):
        equivalent = "one more on the greater side of an assertion only weakens it"
    elif _longer_wait(tree, node):
        equivalent = "a longer timeout of a wait that raises when it runs out"
    else:
        equivalent = None
    return Mutation(
        "number",
        mutated,
        snippet.start_line,
        snippet.end_line,
        f"line {line}: {old} -> {new}",
        equivalent,
    )


def _uses(tree: ast.Module, source: str) -> list[tuple[int, int, str]]:
    """(row, column, name) of every name the code reads: a variable, an attribute, a keyword
    argument, an imported name. Never a name it binds, whose misspelling would only show where
    it is read, possibly far from this snippet."""
    lines = source.splitlines()
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, node.col_offset, node.id))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            col = node.end_col_offset - len(node.attr)
            found.append((node.end_lineno, col, node.attr))
        elif isinstance(node, ast.keyword) and node.arg is not None:
            found.append((node.lineno, node.col_offset, node.arg))
        elif isinstance(node, ast.alias) and node.name != "*":
            first = node.name.split(".")[0]
            found.append((node.lineno, node.col_offset, first))
    # Positions the AST gives must hold the name (a multi-line attribute chain may not).
    return [
        (row, col, name)
        for row, col, name in found
        if lines[row - 1][col : col + len(name)] == name and not keyword.iskeyword(name)
    ]


def _misspelt(name: str, taken: set[str], rng: random.Random) -> str | None:
    """``name`` with one letter changed, into a name the page never uses."""
    positions = [i for i, c in enumerate(name) if c.isalpha() and (i > 0 or len(name) == 1)]
    rng.shuffle(positions)
    for position in positions:
        letter = name[position]
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        shifted = alphabet[(alphabet.index(letter.lower()) + 1) % 26]
        shifted = shifted.upper() if letter.isupper() else shifted
        candidate = name[:position] + shifted + name[position + 1 :]
        if candidate not in taken and not keyword.iskeyword(candidate):
            return candidate
    return None


def misspell_name(text: str, page: Page, index: int, rng: random.Random) -> Mutation | None:
    """One use of a name in the snippet changed by one letter (``Car`` -> ``Cas``)."""
    snippet = page.snippets[index]
    if not is_python(snippet) or not visible(snippet):
        return None
    tree = _tree(snippet)
    if tree is None:
        return None
    uses = _uses(tree, snippet.source)
    if not uses:
        return None
    row, col, name = rng.choice(sorted(uses))
    taken = set(re.findall(r"[A-Za-z_]\w*", text))
    new = _misspelt(name, taken, rng)
    if new is None:
        return None
    mutated, line = _replace(text, snippet, row, col, name, new)
    return Mutation(
        "misspelt name",
        mutated,
        snippet.start_line,
        snippet.end_line,
        f"line {line}: {name} -> {new}",
        _MESSAGE if _in_assert_message(tree, row, col) else None,
    )


def _deletable(tree: ast.Module) -> list[ast.stmt]:
    """Statements on one line each whose removal leaves every block with a statement."""
    found: list[ast.stmt] = []
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            for statement in block:
                if statement.end_lineno != statement.lineno:
                    continue
                if len(block) == 1 and not isinstance(node, ast.Module):
                    continue  # an empty block is a SyntaxError, not the mistake meant here
                found.append(statement)
    return found


def _inert(statement: ast.stmt) -> bool:
    """Whether the statement only prints, does nothing or is a docstring."""
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr):
        value = statement.value
        if _print_call(value):
            return True
        if isinstance(value, ast.Constant) and (
            isinstance(value.value, str) or value.value is Ellipsis
        ):
            return True
    return False


def _asserts(statement: ast.stmt) -> bool:
    """Whether the statement is an assertion: ``assert``, or unittest's ``self.assertIn(...)``."""
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        function = statement.value.func
        return isinstance(function, ast.Attribute) and function.attr.startswith("assert")
    return False


def _migration_default(tree: ast.Module, statement: ast.stmt) -> bool:
    """Whether the statement sets an attribute of a ``Migration`` class to the value the base
    class already has (``dependencies = []``): deleting it leaves the same class attribute."""
    from django.db import migrations

    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return False
    name = statement.targets[0].id
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or statement not in node.body:
            continue
        bases = [
            b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases
        ]
        if "Migration" not in bases or not hasattr(migrations.Migration, name):
            return False
        try:
            value = ast.literal_eval(statement.value)
        except ValueError:
            return False
        default = getattr(migrations.Migration, name)
        return type(value) is type(default) and bool(value == default)
    return False


def _initial_by_default(tree: ast.Module, statement: ast.stmt, snippet: Snippet, text: str) -> bool:
    """Whether the statement is ``initial = True`` in a ``Migration`` of ``app/migrations/``
    whose literal dependencies name no migration of that app: ``MigrationExecutor`` decides
    ``--fake-initial`` from ``initial is None`` the same way then. ``makemigrations --update``
    reads the attribute to name the migration it rewrites, so a page running it is excluded."""
    if "--update" in text or snippet.file is None:
        return False
    parts = snippet.file.split("/")
    if len(parts) != 3 or parts[1] != "migrations":
        return False
    if not (
        isinstance(statement, ast.Assign)
        and [ast.dump(t) for t in statement.targets] == [ast.dump(ast.Name("initial", ast.Store()))]
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is True
    ):
        return False
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or statement not in node.body:
            continue
        for other in node.body:
            if (
                isinstance(other, ast.Assign)
                and len(other.targets) == 1
                and isinstance(other.targets[0], ast.Name)
                and other.targets[0].id == "dependencies"
            ):
                try:
                    dependencies = ast.literal_eval(other.value)
                except ValueError:
                    return False  # swappable_dependency(...) and such: cannot tell the app
                return isinstance(dependencies, list | tuple) and all(
                    isinstance(dependency, tuple) and dependency[0] != parts[0]
                    for dependency in dependencies
                )
        return True  # no dependencies at all: the base class's empty list
    return False


def _imported_before(page: Page, index: int, statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Import | ast.ImportFrom):
        return False
    if page.snippets[index].kind not in (Kind.RUN, Kind.TEST):
        return False
    wanted = ast.dump(statement)
    for earlier in reversed(page.snippets[:index]):
        if earlier.kind is Kind.FILE:
            return False  # a module written since may be imported anew: another object
        tree = _tree(earlier) if earlier.kind in (Kind.RUN, Kind.TEST) else None
        if tree is not None and any(ast.dump(node) == wanted for node in tree.body):
            return True
    return False


def delete_line(text: str, page: Page, index: int, rng: random.Random) -> Mutation | None:
    """A statement in the middle of the snippet (not its first or last line) deleted."""
    snippet = page.snippets[index]
    if not is_python(snippet) or not visible(snippet):
        return None
    tree = _tree(snippet)
    if tree is None:
        return None
    count = len(snippet.source.splitlines())
    # An assertion deleted is a check taken away, not a fault: a passing page still passes.
    candidates = [s for s in _deletable(tree) if 1 < s.lineno < count and not _asserts(s)]
    if not candidates:
        return None
    statement = rng.choice(candidates)
    lines = text.splitlines()
    number = snippet.start_line + statement.lineno - 1
    deleted = lines.pop(number - 1).strip()
    mutated = "\n".join(lines) + "\n"
    if _inert(statement):
        equivalent: str | None = "the deleted line only prints or does nothing"
    elif _imported_before(page, index, statement):
        equivalent = "an earlier snippet made the same import in the page's namespace"
    elif _migration_default(tree, statement):
        equivalent = "the migration class attribute deleted had its base class's value"
    elif _initial_by_default(tree, statement, snippet, text):
        equivalent = "initial = True deleted where Django infers it: no dependency in its app"
    else:
        equivalent = None
    return Mutation(
        "deleted line",
        mutated,
        snippet.start_line,
        snippet.end_line - 1,
        f"line {number} deleted: {deleted}",
        equivalent,
    )


def _block(lines: list[str], snippet: Snippet) -> list[str]:
    """The snippet with its fence (or marker) lines, without the page's indentation."""
    block = lines[snippet.start_line - 2 : snippet.end_line + 1]
    indent = min(len(line) - len(line.lstrip(" ")) for line in block if line.strip())
    return [line[indent:] for line in block]


def _indented(block: list[str], like: str) -> list[str]:
    indent = " " * (len(like) - len(like.lstrip(" ")))
    return [indent + line if line.strip() else line for line in block]


def swap_snippets(text: str, page: Page, index: int, rng: random.Random) -> Mutation | None:
    """The snippet and the next visible one swapped, each with its fence, all between them
    (prose, hidden test code) left in place."""
    later = [s for s in page.snippets[index + 1 :] if visible(s)]
    first = page.snippets[index]
    if not visible(first) or not later:
        return None
    second = later[0]
    if first.source == second.source or first.expect_exit is not None:
        return None
    if second.expect_exit is not None:
        return None  # its marker would be left before the other fence
    adjacent = page.snippets[index + 1] is second
    kinds = {first.kind, second.kind}
    if adjacent and first.kind is Kind.FILE and second.kind is Kind.FILE:
        commute = first.file != second.file
    else:
        commute = (
            adjacent and Kind.FILE in kinds and (_only_literals(first) or _only_literals(second))
        )
    lines = text.splitlines()
    first_block = _indented(_block(lines, second), lines[first.start_line - 2])
    second_block = _indented(_block(lines, first), lines[second.start_line - 2])
    before = lines[: first.start_line - 2]
    between = lines[first.end_line + 1 : second.start_line - 2]
    after = lines[second.end_line + 1 :]
    mutated = [*before, *first_block, *between, *second_block, *after]
    start = len(before) + 2
    end = len(before) + len(first_block) + len(between) + len(second_block) - 1
    return Mutation(
        "swapped snippets",
        "\n".join(mutated) + "\n",
        start,
        end,
        f"lines {first.start_line}-{first.end_line} swapped with "
        f"{second.start_line}-{second.end_line}",
        "the two commute: files written before anything reads them, or a file and literals"
        if commute
        else None,
    )


_FLAG = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def wrong_flag(text: str, page: Page, index: int, rng: random.Random) -> Mutation | None:
    """An option of a shell command misspelt by one letter (``--noinput`` -> ``--noinpuu``);
    a command without options gets its first word misspelt instead (``migrate`` -> ``migrbte``)."""
    snippet = page.snippets[index]
    if snippet.kind is not Kind.SHELL or not snippet.commands:
        return None
    command = rng.choice(snippet.commands)
    lines = text.splitlines()
    line = lines[command.line - 1]
    flags = [arg for arg in command.args if _FLAG.fullmatch(arg) and "=" not in arg]
    words = flags or [arg for arg in command.args[:1] if re.fullmatch(r"[a-z_]{3,}", arg)]
    if not words:
        return None
    word = rng.choice(words)
    matches = [m for m in re.finditer(re.escape(word), line) if m.group() == word]
    if not matches:
        return None  # spelt across a continuation line: rare, leave it
    name = word.lstrip("-")
    new_name = _misspelt(name, set(re.findall(r"[\w-]+", text)), rng)
    if new_name is None:
        return None
    new = word[: len(word) - len(name)] + new_name
    start = matches[-1].start()
    lines[command.line - 1] = line[:start] + new + line[start + len(word) :]
    return Mutation(
        "wrong flag",
        "\n".join(lines) + "\n",
        snippet.start_line,
        snippet.end_line,
        f"line {command.line}: {word} -> {new}",
    )


OPERATORS: tuple[Operator, ...] = (
    change_number,
    misspell_name,
    delete_line,
    swap_snippets,
    wrong_flag,
)
