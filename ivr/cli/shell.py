"""What every command shares: settings, the menus file, the common options, one-line errors.

Every command finds its files the same way: the option if given, else the environment
(IVR_MENUS, IVR_PROMPTS_DIR), else the current folder (./menus.yaml, prompts/ and flows/
beside it). Each mistake is one line naming the file or variable and the fix (exit 1).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterator
from pathlib import Path

import click
from flask import Flask

from ivr.atomicfile import write_atomic
from ivr.core.model import Menus
from ivr.menus import limits
from ivr.menus import loader
from ivr.menus.problems import Problem
from ivr.settings import Settings
from ivr.settings import SettingsError

PROG = "ivr"
"""How the command is called in every hint it prints (`python -m ivr` runs the same)."""

menus_option = click.option(
    "--menus", "menus_path", type=click.Path(path_type=Path), default=None,
    help="The menus file (default: $IVR_MENUS, else ./menus.yaml).",
)
prompts_dir_option = click.option(
    "--dir", "prompts_dir", type=click.Path(path_type=Path), default=None,
    help="The prompts folder (default: $IVR_PROMPTS_DIR, else prompts/ beside the menus).",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="json prints only JSON.",
)


class HelpGroup(click.Group):
    """A command group whose list says each command's first sentence whole.

    click cuts a command's line in the list to what fits beside the longest name and ends
    it with '...' (issue 23 item 11: `ivr --help` read "Place a simulated call through the
    webhook (no network,..."); here a long sentence wraps onto the next line instead.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=WHOLE_SENTENCE)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


WHOLE_SENTENCE = 400
"""More than any command's first sentence: click stops at the sentence's full stop."""


def write_output(path: Path, data: bytes) -> None:
    """Write a command's output file whole (temp file, then rename), or one line saying why
    it cannot be written; an existing file is left as it was."""
    try:
        write_atomic(path, data)
    except OSError as error:
        raise click.ClickException(
            f"{path}: cannot write it ({error.strerror}; check the folder exists and is "
            "writable)") from None


def settings() -> Settings:
    """The environment's settings, or one line naming the variable to fix."""
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def menus_path(given: Path | None) -> Path:
    return given if given is not None else settings().menus_path


def prompts_dir(given: Path | None, menus: Path) -> Path:
    if given is not None:
        return given
    configured = settings()
    if configured.menus_path == menus:
        return configured.prompts_dir
    return menus.parent / "prompts"


def read_menus_file(path: Path) -> str:
    """The file's text, or one ClickException line naming the file and the fix."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.ClickException(
            f"{name}: no such file (run {PROG} in the folder that holds menus.yaml, "
            "or give its path with --menus or IVR_MENUS)"
        ) from None
    except IsADirectoryError:
        raise click.ClickException(
            f"{name}: is a folder, not a file (give the menus file)") from None
    except PermissionError:
        raise click.ClickException(
            f"{name}: not allowed to read it (check its permissions)") from None
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name}: not UTF-8 text at byte {error.start} (save the file as UTF-8)"
        ) from None
    except OSError as error:
        raise click.ClickException(f"{name}: cannot read it ({error.strerror})") from None
    if not text.strip():
        raise click.ClickException(
            f"{name}: the file is empty (start from a copy of the shipped menus.yaml)"
        )
    return text


def check_menus_file(path: Path, today: datetime.date | None = None
                     ) -> tuple[Menus | None, list[Problem]]:
    """Every problem in the file, with exactly the checks the live server applies."""
    try:
        over = limits.too_big(path.stat().st_size)
    except OSError:
        over = None  # read_menus_file says why in one line
    if over is not None:
        # Refused before it is read: a 50 MB file would cost its size in memory first.
        return None, [Problem(str(path), 1, 1, "error", "", *over)]
    return loader.check_menus_file(path, read_menus_file(path), today)


def load_menus_file(path: Path) -> Menus:
    """The valid menus in the file, or one line saying how many problems and what to run."""
    menus, problems = check_menus_file(path)
    if menus is None:
        errors = sum(1 for p in problems if p.severity == "error")
        raise click.ClickException(
            f"{path}: {errors} error(s); run `{PROG} validate {path}` to see them"
        )
    return menus


def open_simulation(menus: Path | None) -> Flask:
    """The real webhook app on these menus for a simulated call, or one clear error."""
    from ivr.qa.scenarios import simulation_app
    from ivr.web.menustore import MenusUnavailable

    path = menus_path(menus)
    load_menus_file(path)
    try:
        with _errors_only():
            return simulation_app(path, prompts_dir(None, path))
    except MenusUnavailable as error:
        raise click.ClickException(str(error)) from None


@contextlib.contextmanager
def _errors_only() -> Iterator[None]:
    # The app logs a menus version's warnings (seven languages "not reviewed") as it goes
    # live: right for the server's log, noise before every simulated call or scenario run
    # (issue 23 item 11). `ivr validate` says them; errors still reach stderr.
    log = logging.getLogger("ivr")
    level = log.level
    log.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        log.setLevel(level)
