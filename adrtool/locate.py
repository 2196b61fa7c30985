"""Finding the ADR folder the way adr-tools users and Python projects expect."""

from __future__ import annotations

import os
from pathlib import Path

from adrtool.errors import NoAdrDirectory

CONVENTIONAL_DIRS = ("docs/adr", "docs/decisions", "doc/adr")
# Like git's GIT_CEILING_DIRECTORIES: the upward search never enters these folders. Tests and
# scripts that work in a temp folder use it so that an ADR folder above them is never picked up.
CEILING_VARIABLE = "ADRTOOL_CEILING_DIRECTORIES"
DEFAULT_DIR = "docs/adr"


def configured_dir(folder: Path) -> Path | None:
    """The folder one directory's configuration names, existing or not.

    ``[tool.adrtool] dir`` in pyproject.toml comes first, then adr-tools' ``.adr-dir`` file.
    """
    return _pyproject_dir(folder) or _adr_dir_file(folder)


def _pyproject_dir(folder: Path) -> Path | None:
    pyproject = folder / "pyproject.toml"
    text = _read(pyproject)
    # Parse only files that can hold our table: tomllib costs more to import than the rest of
    # `adrtool new` takes to run.
    if text is None or "adrtool" not in text:
        return None
    import tomllib  # noqa: PLC0415 - only when needed, see above

    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NoAdrDirectory(
            f"{pyproject} cannot be read ({error}); fix it or pass --dir"
        ) from None
    value = config.get("tool", {}).get("adrtool", {}).get("dir")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise NoAdrDirectory(
            f'{pyproject}: [tool.adrtool] dir must be a folder path such as "docs/adr"'
        )
    return folder / value


def _adr_dir_file(folder: Path) -> Path | None:
    adr_dir_file = folder / ".adr-dir"
    if not adr_dir_file.is_file():
        return None
    value = (_read(adr_dir_file) or "").strip()
    return folder / value if value else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise NoAdrDirectory(
            f"{path} is not valid UTF-8 (byte {error.start}); re-save it as UTF-8 or pass --dir"
        ) from None
    except OSError as error:
        raise NoAdrDirectory(
            f"{path} cannot be read ({error.strerror}); fix it or pass --dir"
        ) from None


def search_path(start: Path) -> list[Path]:
    """``start`` and its parents, up to but not into a ceiling directory."""
    raw = os.environ.get(CEILING_VARIABLE, "")
    ceilings = {Path(p).resolve() for p in raw.split(os.pathsep) if p.strip()}
    folders: list[Path] = []
    for folder in (start, *start.parents):
        if folder.resolve() in ceilings:
            break
        folders.append(folder)
    return folders


def find_adr_dir(start: Path, explicit: Path | None = None) -> Path:
    """The ADR folder for a command run in ``start``; NoAdrDirectory if there is none."""
    if explicit is not None:
        if not explicit.is_dir():
            raise NoAdrDirectory(
                f"the ADR folder {explicit} does not exist; "
                f"create it with 'adrtool init {explicit}'"
            )
        return explicit
    for folder in search_path(start):
        configured = configured_dir(folder)
        if configured is not None:
            if not configured.is_dir():
                raise NoAdrDirectory(
                    f"the ADR folder {configured} (configured in {folder}) does not exist; "
                    "create it with 'adrtool init'"
                )
            return configured
        for name in CONVENTIONAL_DIRS:
            if (folder / name).is_dir():
                return folder / name
    raise NoAdrDirectory(
        "no ADR folder found here or above (looked for [tool.adrtool] dir, .adr-dir, "
        f"{', '.join(CONVENTIONAL_DIRS)}); create one with 'adrtool init'"
    )


def dir_for_init(start: Path, explicit: Path | None) -> Path:
    """Where ``adrtool init`` makes the folder: the one named, the configured one, or docs/adr."""
    if explicit is not None:
        return explicit
    for folder in search_path(start):
        configured = configured_dir(folder)
        if configured is not None:
            return configured
    return start / DEFAULT_DIR


def remember_dir(start: Path, target: Path) -> str | None:
    """After ``adrtool init``, make sure that commands run in ``start`` find ``target``.

    As adr-tools' ``adr init DIR`` does, an ``.adr-dir`` file in ``start`` names the folder (a
    relative path, so the project can move) when the search would find another folder or none.
    ``[tool.adrtool] dir`` in ``start``'s pyproject.toml wins over ``.adr-dir`` and is the
    user's to change: then nothing is written and a note saying so is returned.
    """
    try:
        found: Path | None = find_adr_dir(start)
    except NoAdrDirectory:
        found = None
    if found is not None and found.resolve() == target.resolve():
        return None
    relative = Path(os.path.relpath(target, start)).as_posix()
    configured = _pyproject_dir(start)
    if configured is not None:
        named = Path(os.path.relpath(configured, start)).as_posix()
        return (
            f"pyproject.toml here names the ADR folder {named}; to use {relative}, "
            f'set [tool.adrtool] dir = "{relative}" there or pass --dir {relative}'
        )
    from adrtool._files import write_atomic  # noqa: PLC0415 - init only

    write_atomic(start / ".adr-dir", relative + "\n")
    return None


ADR_TOOLS_DEFAULT = "doc/adr"


def adr_tools_dir(start: Path) -> Path:
    """The folder adr-tools' ``adr`` would use from ``start``, existing or not.

    Its own search: in ``start`` and each parent, an ``.adr-dir`` file names the folder (relative
    to the file's folder), else a ``doc/adr`` folder is it; with neither anywhere, ``doc/adr`` in
    ``start``. ``[tool.adrtool] dir`` and adrtool's other conventional folders are not looked for,
    so ``adr`` finds what adr-tools finds. The ceiling variable is honoured as by adrtool.
    """
    for folder in search_path(start):
        named = _adr_dir_file(folder)
        if named is not None:
            return named
        if (folder / ADR_TOOLS_DEFAULT).is_dir():
            return folder / ADR_TOOLS_DEFAULT
    return start / ADR_TOOLS_DEFAULT
