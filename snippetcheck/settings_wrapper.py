"""The settings pages run with: the project's own, with the check's databases and folders.

The worker writes a small module into its temporary folder and points ``DJANGO_SETTINGS_MODULE``
at it. That module copies the project's settings, then replaces what would make the check write
into the user's project or reach the user's database: ``DATABASES`` (the worker's own SQLite
file or PostgreSQL database), the media and static folders. So a stock ``startproject`` project,
whose ``DATABASES`` names ``BASE_DIR / "db.sqlite3"``, keeps its folder as it was
(docs/adr/0022). Apps a page defines are added while the page runs (django_project.py).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The module the worker writes; its folder goes first on sys.path.
WRAPPER_MODULE = "snippetcheck_settings"
# The variables the worker sets from the PostgreSQL server it was given (postgres.Server).
_POSTGRES = {
    "HOST": "SNIPPETCHECK_POSTGRES_HOST",
    "PORT": "SNIPPETCHECK_POSTGRES_PORT",
    "USER": "SNIPPETCHECK_POSTGRES_USER",
    "PASSWORD": "SNIPPETCHECK_POSTGRES_PASSWORD",
}


def write_wrapper(folder: Path, settings_module: str, database: str, name: str) -> str:
    """Write the wrapper module into ``folder``; its module name, for DJANGO_SETTINGS_MODULE."""
    source = (
        "# Written by snippetcheck for one run, and removed with its folder.\n"
        "from snippetcheck.settings_wrapper import wrap\n\n"
        f"wrap(globals(), {settings_module!r}, {database!r}, {name!r}, {str(folder)!r})\n"
    )
    target = folder / f"{WRAPPER_MODULE}.py"
    partial = folder / f".{WRAPPER_MODULE}.py.tmp"
    partial.write_text(source, encoding="utf-8")
    partial.replace(target)
    return WRAPPER_MODULE


def wrap(
    namespace: dict[str, Any], settings_module: str, database: str, name: str, folder: str
) -> None:
    """Fill the wrapper's ``namespace``: the project's settings, then the check's own."""
    project = importlib.import_module(settings_module)
    # Django reads upper-case names only; a star import would also obey a module's __all__.
    namespace.update({key: value for key, value in vars(project).items() if key.isupper()})
    namespace.update(overrides(namespace, database, name, Path(folder), os.environ))


def overrides(
    settings: Mapping[str, Any],
    database: str,
    name: str,
    folder: Path,
    environ: Mapping[str, str],
) -> dict[str, Any]:
    """The settings the check replaces in ``settings``, for a run on ``database``.

    ``name`` is the SQLite file or the PostgreSQL database; ``folder`` the worker's temporary
    folder, where media and collected static files go instead of the project's folders.
    """
    installed = list(settings.get("INSTALLED_APPS", []))
    if database == "postgres":
        default: dict[str, Any] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            **{key: environ.get(variable, "") for key, variable in _POSTGRES.items()},
        }
        # What PostgreSQL pages use (search, ranges, extensions in migrations).
        if "django.contrib.postgres" not in installed:
            installed.append("django.contrib.postgres")
    else:
        default = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # A throwaway database per page: durability only costs fsyncs.
            "OPTIONS": {"init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY"},
        }
    hosts = list(settings.get("ALLOWED_HOSTS", []))
    if "*" not in hosts and "testserver" not in hosts:
        # Django's test client's host, which the test runner allows too; a stock project's
        # empty list would refuse every page's Client().get() with DisallowedHost.
        hosts.append("testserver")
    return {
        # Only the check's database: another alias would be the user's real one, and a router
        # would send queries to an alias that is gone.
        "DATABASES": {"default": default},
        "DATABASE_ROUTERS": [],
        "INSTALLED_APPS": installed,
        "ALLOWED_HOSTS": hosts,
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "staticfiles"),
    }
