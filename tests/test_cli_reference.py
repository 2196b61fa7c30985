"""The generated adrtool reference: up to date, true to each command's --help, never a sentinel."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from adrtool.cli import cli
from tools.cli_reference import (
    END,
    START,
    click_reference,
    main,
)

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "adrtool-cli.md"
ADRTOOL_SOURCES = sorted((ROOT / "adrtool").glob("*.py"))


def test_the_page_is_what_the_commands_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", "--page", str(PAGE)]) == 0, capsys.readouterr().err


def test_a_stale_page_fails_the_check_and_is_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "cli.md"
    stale = f"# CLI\n\n{START}\n\nold text\n{END}\n"
    page.write_text(stale, encoding="utf-8")
    assert main(["--check", "--page", str(page)]) == 1
    err = capsys.readouterr().err
    assert "is stale: run `python -m tools.cli_reference`" in err
    assert page.read_text(encoding="utf-8") == stale


def test_updating_rewrites_only_the_part_between_the_markers(tmp_path: Path) -> None:
    page = tmp_path / "cli.md"
    page.write_text(f"# CLI\n\nKept.\n\n{START}\n\nold text\n{END}\n\nAfter.\n", encoding="utf-8")
    assert main(["--page", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# CLI\n\nKept.\n\n") and text.endswith(f"{END}\n\nAfter.\n")
    assert "old text" not in text and "### `adrtool new`" in text
    assert main(["--check", "--page", str(page)]) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("# CLI without markers\n", "has no"), (None, "No such file")],
)
def test_a_page_without_markers_or_missing_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    page = tmp_path / "cli.md"
    if content is not None:
        page.write_text(content, encoding="utf-8")
    assert main(["--page", str(page)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert page.read_text(encoding="utf-8") == content if content else not page.exists()


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="adrtool", terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


# An option line of click's help: "  -s, --supersedes N   Number of ...".
_HELP_OPTION = re.compile(r"^  (?P<flags>(?:-\w, )?--[\w-]+)(?: (?P<value>\S+))?\s{2,}", re.M)


def _section(page: str, command: str) -> str:
    start = page.index(f"`{command}`\n")
    following = re.search(r"^#{2,3} ", page[start:], re.M)
    end = start + following.start() if following else len(page)
    return page[start:end]


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_each_commands_usage_options_and_placeholders_are_on_the_page(command: str) -> None:
    page = PAGE.read_text(encoding="utf-8")
    help_text = _help(*([command] if command else []))
    section = _section(page, f"adrtool {command}".strip())
    usage = help_text.splitlines()[0].removeprefix("Usage: ")
    assert f"```text\n{usage}\n```" in section
    options = list(_HELP_OPTION.finditer(help_text))
    assert options, help_text
    for option in options:
        flags = ", ".join(f"`{flag}`" for flag in option["flags"].split(", "))
        row = next((line for line in section.splitlines() if line.startswith(f"| {flags} |")), "")
        assert row, f"{flags} of `adrtool {command} --help` is not on the page"
        value = option["value"]
        if value is None:
            assert "none (a flag)" in row
        elif value.startswith("["):
            assert all(f"`{choice}`" in row for choice in value.strip("[]").split("|"))
        else:
            assert f"`{value}`" in row


def test_the_page_has_no_sentinel_and_no_placeholder_click_made_up() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert "Sentinel" not in page and "UNSET" not in page
    # click's placeholders for an option without a metavar: the page would say nothing.
    assert not re.search(r"\| `(TEXT|INTEGER|BOOLEAN|FLOAT)` \|", page, re.I)


def test_an_option_without_a_metavar_shows_clicks_placeholder_for_the_test_to_catch() -> None:
    @click.command()
    @click.option("--name", help="A name.")
    @click.option("--count", type=int, default=3, show_default=True, help="How many.")
    def tool(name: str | None, count: int) -> None:
        """Do it."""

    reference = click_reference(tool, "tool")
    assert "| `--name` | `TEXT` | none | A name. |" in reference
    assert "| `--count` | `INTEGER` | `3` | How many. |" in reference


def test_a_default_computed_at_run_time_is_the_help_sentence_in_the_default_column() -> None:
    @click.command()
    @click.option("--date", metavar="YYYY-MM-DD", help="The date. Default: $WHEN or today.")
    def tool(date: str | None) -> None:
        """Do it."""

    reference = click_reference(tool, "tool")
    assert "| `--date` | `YYYY-MM-DD` | `$WHEN` or today | The date. |" in reference
    assert "Environment: `WHEN`." in reference


def _variables_read_by_adrtool() -> set[str]:
    names: set[str] = set()
    for source in ADRTOOL_SOURCES:
        text = source.read_text(encoding="utf-8")
        constants = dict(re.findall(r'^([A-Z_]+) = "([A-Z_]+)"$', text, re.M))
        for name in re.findall(r"environ\.get\(\s*([\"A-Z_]+)", text):
            names.add(name.strip('"') if name.startswith('"') else constants[name])
    return names


def test_every_environment_variable_adrtool_reads_is_in_the_environment_table() -> None:
    page = PAGE.read_text(encoding="utf-8")
    table = page[page.index("## Environment") : page.index("## Commands")]
    names = _variables_read_by_adrtool()
    assert {"ADR_DATE", "VISUAL", "EDITOR"} <= names
    assert [name for name in sorted(names) if f"`{name}`" not in table] == []
