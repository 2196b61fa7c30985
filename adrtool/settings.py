"""Settings of ``[tool.adrtool]`` in pyproject.toml beyond the folder: the statuses records use."""

from __future__ import annotations

from pathlib import Path

from adrtool.errors import AdrError
from adrtool.locate import search_path


def configured_statuses(adr_dir: Path) -> tuple[str, ...] | None:
    """``[tool.adrtool] statuses`` of the nearest pyproject.toml above the ADR folder that has
    an ``[tool.adrtool]`` table, lower-cased; None when none sets it.

    "superseded" is always one: `supersede` writes it, whatever the folder's own list says.
    """
    for folder in search_path(adr_dir.resolve()):
        table = _adrtool_table(folder / "pyproject.toml")
        if table is None:
            continue
        value = table.get("statuses")
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            raise AdrError(
                f"{folder / 'pyproject.toml'}: [tool.adrtool] statuses must be a list of "
                'words, such as ["proposed", "accepted", "on hold"]'
            )
        words = [" ".join(item.lower().split()) for item in value]
        return tuple(dict.fromkeys([*words, "superseded"]))
    return None


def _adrtool_table(path: Path) -> dict[str, object] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        # locate.py names an unreadable pyproject.toml when it looks for the folder.
        return None
    if "adrtool" not in text:
        return None
    import tomllib  # noqa: PLC0415 - costs more to import than the rest of `adrtool new`

    try:
        table = tomllib.loads(text).get("tool", {}).get("adrtool")
    except tomllib.TOMLDecodeError as error:
        raise AdrError(f"{path} cannot be read ({error}); fix it") from None
    return table if isinstance(table, dict) else None
