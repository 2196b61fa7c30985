"""Which Django project the pages run in: the folder put on ``sys.path`` and its settings module.

Each value comes from the first place that gives it: the command line (``--settings``,
``--project``), the environment (``SNIPPETCHECK_PROJECT``), ``[tool.snippetcheck]`` in the working
folder's ``pyproject.toml``, then the defaults: this repository's ``testproject/`` when there is
one, else the copy built into the package. Nothing here imports the user's code: a settings
module is looked for as a file, so that checking the configuration writes nothing (no ``.pyc``)
into the user's project; importing it is the worker's job (docs/adr/0022).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from snippetcheck.errors import BadUsage

DEFAULT_SETTINGS = "testproject.settings"
DEFAULT_PROJECT = Path("testproject")
PYPROJECT = Path("pyproject.toml")
# The keys of [tool.snippetcheck]; any other is a typo worth one clear line.
KEYS = ("settings", "project")
_EXAMPLES = {"settings": 'settings = "mysite.settings"', "project": 'project = "."'}
_MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


@dataclass(frozen=True)
class Project:
    """The Django project to run pages in: ``settings`` is importable with ``root`` on sys.path."""

    root: Path
    settings: str


@dataclass(frozen=True)
class _Choice:
    value: str
    origin: str  # where the value came from, for the error message


def read_table(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """The ``[tool.snippetcheck]`` table of ``pyproject``; empty when there is no file or table."""
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadUsage(
            f"{pyproject} is not valid TOML ({error}); fix it so [tool.snippetcheck] can be read"
        ) from None
    table = data.get("tool", {}).get("snippetcheck", {})
    if not isinstance(table, dict):
        raise BadUsage(f"{pyproject}: tool.snippetcheck must be a table ([tool.snippetcheck])")
    for key, value in table.items():
        if key not in KEYS:
            raise BadUsage(
                f"{pyproject}: unknown key {key!r} in [tool.snippetcheck]; "
                f"the keys are {', '.join(KEYS)}"
            )
        if not isinstance(value, str) or not value:
            raise BadUsage(
                f"{pyproject}: [tool.snippetcheck] {key} must be a non-empty string, "
                f"such as {_EXAMPLES[key]}"
            )
    return dict(table)


def find_project(
    settings: str | None,
    project: Path | None,
    environ: Mapping[str, str],
    built_in: Path,
    pyproject: Path = PYPROJECT,
) -> Project:
    """The project the options, the environment and ``pyproject`` name; raises BadUsage."""
    table = read_table(pyproject)
    settings_choice = _first(
        (settings, "--settings"), (table.get("settings"), f"settings in {pyproject}")
    )
    root_choice = _first(
        (None if project is None else str(project), "--project"),
        (environ.get("SNIPPETCHECK_PROJECT"), "SNIPPETCHECK_PROJECT"),
        (
            None if "project" not in table else str(pyproject.parent / table["project"]),
            f"project in {pyproject}",
        ),
    )
    if settings_choice is not None and not _MODULE.match(settings_choice.value):
        raise BadUsage(
            f"{settings_choice.origin} needs a dotted module name such as mysite.settings, "
            f"not {settings_choice.value!r}"
        )
    if settings_choice is None and root_choice is None:
        # Neither named: our own layout, else the project built into the package.
        if _module_file(DEFAULT_PROJECT, DEFAULT_SETTINGS) is not None:
            return Project(DEFAULT_PROJECT.resolve(), DEFAULT_SETTINGS)
        if _module_file(built_in, DEFAULT_SETTINGS) is not None:
            return Project(built_in, DEFAULT_SETTINGS)
        raise BadUsage(
            "no Django project to run pages in: pass --settings MODULE "
            "(your project's settings, such as mysite.settings)"
        )
    root = Path(root_choice.value) if root_choice is not None else Path()
    module = settings_choice.value if settings_choice is not None else DEFAULT_SETTINGS
    if root_choice is not None and not root.is_dir():
        raise BadUsage(
            f"no such folder: {root} ({root_choice.origin}); "
            "name the folder that holds your project's manage.py"
        )
    if _module_file(root, module) is None:
        expected = root / Path(*module.split(".")).with_suffix(".py")
        where = "the working folder" if root_choice is None else f"{root}/"
        if settings_choice is None:
            fix = "pass --settings MODULE, your project's settings module"
        else:
            fix = f"fix {settings_choice.origin}, or pass --project FOLDER (the folder on sys.path)"
        raise BadUsage(f"no settings module {module} in {where} (expected {expected}); {fix}")
    return Project(root.resolve(), module)


def _first(*choices: tuple[str | None, str]) -> _Choice | None:
    for value, origin in choices:
        if value is not None:
            return _Choice(value, origin)
    return None


def _module_file(root: Path, module: str) -> Path | None:
    """The file of ``module`` under ``root`` (a module or a package), without importing it."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None
