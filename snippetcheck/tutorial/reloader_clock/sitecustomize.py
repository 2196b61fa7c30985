"""The reader's autoreloader, as the check runs ``runserver``: ten looks a second, each noted.

This folder is put first on ``PYTHONPATH`` of the reader's ``runserver`` only (and so of the
autoreloader's child, which inherits it), with ``SNIPPETCHECK_RELOADER_LOOKS`` naming a file.
Python imports ``sitecustomize`` at start-up; when Django's ``django.utils.autoreload`` is then
imported, its ``StatReloader`` is changed in two ways, and nothing else is:

* it looks at the files every 0.1 s instead of every second, so a change is noticed sooner;
* each look that ends without a restart appends ``<pid>\\n`` to the file, so the check waits for
  the look it needs (one that began after a write) instead of for a guessed time, which a busy
  machine would outrun.

Which files are watched, what a change does (restart for a Python module, template loaders
reset for a template, nothing for a file first seen already changed) stays Django's own. The
reloader is always the ``StatReloader``: with watchman installed, Django would pick it instead,
and the check could not see its looks.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

LOOK_INTERVAL = 0.1
_MODULE = "django.utils.autoreload"


def _note_looks(module: ModuleType, looks: str) -> None:
    reloader = module.StatReloader
    snapshot = reloader.snapshot_files

    def snapshot_files(self: Any) -> Iterator[Any]:
        yield from snapshot(self)
        # The whole look is over: every change it saw was acted on (a restart never gets here).
        # The pid is read now: a server child forked from a warm runserver is not the process
        # that patched the module.
        fd = os.open(looks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
        finally:
            os.close(fd)

    reloader.SLEEP_TIME = LOOK_INTERVAL
    reloader.snapshot_files = snapshot_files
    # Calling the class is what get_reloader() does when watchman is not there.
    setattr(module, "get_reloader", reloader)  # noqa: B010 - a module attribute mypy cannot see


class _AutoreloadFinder(importlib.abc.MetaPathFinder):
    def __init__(self, looks: str) -> None:
        self.looks = looks

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        execute = loader.exec_module
        looks = self.looks

        def exec_module(module: ModuleType) -> None:
            execute(module)
            _note_looks(module, looks)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _install() -> None:
    looks = os.environ.get("SNIPPETCHECK_RELOADER_LOOKS")
    if not looks:
        return
    if _MODULE in sys.modules:  # a warm start (warm_start.py) imported it before this ran
        _note_looks(sys.modules[_MODULE], looks)
        warm = sys.modules.get("snippetcheck.tutorial.warm_start")
        if warm is not None and os.environ.get("RUN_MAIN") != "true":
            warm.serve_reloader_children(sys.modules[_MODULE])
    else:
        sys.meta_path.insert(0, _AutoreloadFinder(looks))


def _chain() -> None:
    """Run the ``sitecustomize`` this one shadows, if the reader's environment has one."""
    here = Path(__file__).resolve().parent
    ours = sys.modules.pop("sitecustomize", None)
    saved = list(sys.path)
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    try:
        __import__("sitecustomize")
    except ImportError as error:
        if error.name != "sitecustomize":
            raise
    finally:
        sys.path[:] = saved
        if ours is not None and "sitecustomize" not in sys.modules:
            sys.modules["sitecustomize"] = ours


_install()
_chain()
