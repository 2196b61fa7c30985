"""Every command documents itself; the reference page is generated from this help."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from adrtool.cli import cli

COMMANDS = [
    "check",
    "graph",
    "index",
    "init",
    "link",
    "list",
    "new",
    "renumber",
    "status",
    "supersede",
]


def test_the_interface_other_checks_rely_on() -> None:
    assert sorted(cli.commands) == COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_a_short_first_line(name: str) -> None:
    command = cli.commands[name]
    assert command.help, f"{name} has no help text"
    first = command.help.strip().splitlines()[0]
    assert 10 < len(first) <= 72 and first.endswith(".")
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert first in result.output
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, f"{name} {param.opts} has no help"


def test_short_help_flag() -> None:
    assert CliRunner().invoke(cli, ["-h"]).exit_code == 0


def test_bare_command_shows_help() -> None:
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ")
    assert "Commands:" in result.stderr and "Error" not in result.stderr
