"""The reader's autoreloader, as the check runs ``runserver``: a look when asked, each noted.

This folder is put first on ``PYTHONPATH`` of the reader's ``runserver`` only (and so of the
autoreloader's child, which inherits it), with ``SNIPPETCHECK_RELOADER_LOOKS`` naming a file and
``SNIPPETCHECK_RELOADER_ASK`` a named pipe. Python imports ``sitecustomize`` at start-up; when
Django's ``django.utils.autoreload`` is then imported (or at once, where a warm start imported it
already), its ``StatReloader`` is changed in two ways, and nothing else is:

* between two looks it waits its usual second, or until the check writes a byte to the pipe,
  so a look comes as soon as the check needs one and costs nothing while it does not;
* each look that ends without a restart appends ``<pid>\\n`` to the file, so the check waits for
  the look it needs (one that began after a write) instead of for a guessed time, which a busy
  machine would outrun.

Which files are watched, what a change does (restart for a Python module, template loaders
reset for a template, nothing for a file first seen already changed) stays Django's own. The
reloader is always the ``StatReloader``: with watchman installed, Django would pick it instead,
and the check could not see its looks.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import select
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

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

    reloader.snapshot_files = snapshot_files
    ask = os.environ.get("SNIPPETCHECK_RELOADER_ASK")
    if ask:
        # StatReloader.tick's `time.sleep(self.SLEEP_TIME)` is the only sleep of the module that
        # the StatReloader reaches; the rest of `time` is the real one.
        setattr(module, "time", _Clock(ask))  # noqa: B010 - a module attribute mypy cannot see
    # Calling the class is what get_reloader() does when watchman is not there.
    setattr(module, "get_reloader", reloader)  # noqa: B010 - a module attribute mypy cannot see


class _Clock(ModuleType):
    """``time``, whose ``sleep`` also ends when the check writes to the pipe ``ask``."""

    def __init__(self, ask: str) -> None:
        super().__init__("time")
        self._ask = ask
        self._fd: int | None = None
        self._pid = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        if self._pid != os.getpid():  # opened by each looking process (a fork shares none)
            # Read and write: a pipe with no writer left would read as ready for ever.
            self._fd = os.open(self._ask, os.O_RDWR | os.O_NONBLOCK)
            self._pid = os.getpid()
        assert self._fd is not None
        if select.select([self._fd], [], [], seconds)[0]:
            with contextlib.suppress(BlockingIOError):
                os.read(self._fd, 4096)  # every ask so far: one look answers them all


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
