"""What every `ivr` command shares, as a user meets it (issue 23 item 11): the version, help
lists that say each command whole, and the menus' warnings only where they are asked for."""

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ivr.cli import cli
from tests.conftest import ROOT


def invoke(*args, cwd=None, columns="80"):
    runner = CliRunner(mix_stderr=False, env={"COLUMNS": columns})
    if cwd is None:
        return runner.invoke(cli, list(args))
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, list(args))


def groups(group=cli, path=()):
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from groups(command, (*path, name))


def test_version_says_the_installed_version():
    result = invoke("--version")
    assert (result.exit_code, result.output) == (0, f"ivr {metadata.version('helpline-ivr')}\n")


@pytest.mark.parametrize("path", list(groups()), ids=lambda p: " ".join(("ivr", *p)))
def test_every_command_list_says_each_command_whole_at_80_columns(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.stderr
    listed = result.output.split("Commands:\n")[1]
    assert "..." not in listed
    assert all(len(line) <= 80 for line in listed.splitlines())
    # Each command's first sentence is there to its full stop, wrapped onto more lines.
    assert all(line.rstrip().endswith(".") for line in _entries(listed)), listed


def _entries(listed):
    """The command list's entries, each with its wrapped lines joined."""
    entries = []
    for line in listed.splitlines():
        if line.startswith("  ") and not line.startswith("   ") or not entries:
            entries.append(line)
        else:
            entries[-1] += " " + line.strip()
    return entries


@pytest.fixture
def shipped(tmp_path):
    shutil.copyfile(ROOT / "menus.yaml", tmp_path / "menus.yaml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_a_simulated_call_does_not_repeat_the_menus_warnings(shipped):
    # A real process: under pytest, logging's records go to pytest's handler, not stderr.
    ivr = Path(sys.executable).parent / "ivr"
    result = subprocess.run([str(ivr), "call", "--keys", "3"], cwd=shipped,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert "To repeat, press" in result.stdout


def test_validate_still_says_every_warning(shipped):
    result = invoke("validate", str(shipped / "menus.yaml"))
    assert result.exit_code == 0, result.output
    assert "not reviewed by a fluent speaker" in result.output
