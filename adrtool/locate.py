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
    pyproject = folder / "pyproject.toml"
    text = _read(pyproject)
    # Parse only files that can hold our table: tomllib costs more to import than the rest of
    # `adrtool new` takes to run.
    if text is not None and "adrtool" in text:
        import tomllib  # noqa: PLC0415 - only when needed, see above

        try:
            config = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise NoAdrDirectory(
                f"{pyproject} cannot be read ({error}); fix it or pass --dir"
            ) from None
        value = config.get("tool", {}).get("adrtool", {}).get("dir")
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise NoAdrDirectory(
                    f'{pyproject}: [tool.adrtool] dir must be a folder path such as "docs/adr"'
                )
            return folder / value
    adr_dir_file = folder / ".adr-dir"
    if adr_dir_file.is_file():
        value = adr_dir_file.read_text(encoding="utf-8").strip()
        if value:
            return folder / value
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise NoAdrDirectory(f"{path} cannot be read ({error}); fix it or pass --dir") from None


def _search_path(start: Path) -> list[Path]:
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
    for folder in _search_path(start):
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
    for folder in _search_path(start):
        configured = configured_dir(folder)
        if configured is not None:
            return configured
    return start / DEFAULT_DIR
