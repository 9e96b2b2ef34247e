"""`ivr menus history|diff|rollback`: the versions of menus.yaml that went live here, what
changed between two, and putting one back (docs/deploy.md, "Menu history and rollback").

A rollback is a publish: the version is checked exactly as `ivr validate` and the live
server check a file (against today's seeds/ beside it), then written whole over menus.yaml
(temp file, read back, rename), and the running server takes it like any edit.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import click

from ivr.atomicfile import write_atomic
from ivr.cli import shell
from ivr.menus.loader import InvalidMenus
from ivr.menus.problems import count
from ivr.menus.problems import errors_first
from ivr.web.history import Entry
from ivr.web.history import History
from ivr.web.history import HistoryError
from ivr.web.history import diff_lines
from ivr.web.history import version_of
from ivr.web.menufile import check_version

KEPT_SUFFIX = ".before-rollback"
"""Where a rollback keeps what it replaced, if that never went live (an edit not yet live,
or refused): beside the file, so nothing typed is lost."""


@click.group(short_help="The versions that went live: history, diff, rollback.")
def menus() -> None:
    """The versions of menus.yaml that went live here: list, compare, put one back."""


def _history(path: Path) -> History:
    history = History(path)
    if not history.folder.is_dir():
        raise click.ClickException(
            f"{history.folder}: no history there (the server keeps it beside the menus file "
            "it serves, from the first version that goes live; give that file with --menus "
            "or IVR_MENUS)")
    return history


def _entries(history: History) -> list[Entry]:
    try:
        return history.entries()
    except OSError as error:
        raise click.ClickException(f"{history.folder}: cannot read it ({error.strerror})"
                                   ) from None


def _resolve(history: History, given: str) -> tuple[Entry, bytes]:
    try:
        entry = history.resolve(given)
        return entry, history.read(entry.version)
    except HistoryError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"{history.folder}: cannot read it ({error.strerror})"
                                   ) from None


def _on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@menus.command(short_help="List the versions that went live here, newest first.")
@shell.menus_option
@shell.format_option
def history(menus_path: Path | None, fmt: str) -> None:
    """List the versions that went live here, newest first: version, when (UTC), and how
    (start: a server started with it; reload: a running server took the edit)."""
    path = shell.menus_path(menus_path)
    kept = _history(path)
    entries = list(reversed(_entries(kept)))
    raw = _on_disk(path)
    now = version_of(raw) if raw is not None else None
    marked = next((entry for entry in entries if entry.version == now), None)
    if fmt == "json":
        click.echo(json.dumps([
            {"version": e.version, "went_live": e.went_live, "how": e.how,
             "kept": kept.file(e.version).is_file(), "in_file_now": e is marked}
            for e in entries], indent=2))
        return
    for entry in entries:
        notes = [] if kept.file(entry.version).is_file() else ["copy gone"]
        notes += [f"{path.name} now"] if entry is marked else []
        click.echo(f"{entry.version}  {entry.went_live}  {entry.how:<6}  {', '.join(notes)}"
                   .rstrip())
    if now is not None and marked is None:
        click.echo(f"{path}: holds version {now}, which has not gone live here", err=True)


_COLOURS = {"+": "green", "-": "red", "@": "cyan"}


@menus.command(short_help="Show what changed between two versions.")
@click.argument("old")
@click.argument("new", required=False)
@shell.menus_option
def diff(old: str, new: str | None, menus_path: Path | None) -> None:
    """What changed from version OLD to version NEW (default: menus.yaml as it is now), as a
    unified diff of the YAML; nothing when they are the same. A version may be given by its
    first 4 or more hex digits."""
    path = shell.menus_path(menus_path)
    kept = _history(path)
    before, old_raw = _resolve(kept, old)
    if new is None:
        try:
            new_raw = kept.current()
        except HistoryError as error:
            raise click.ClickException(str(error)) from None
        new_label = f"{path.name} now ({version_of(new_raw)})"
    else:
        after, new_raw = _resolve(kept, new)
        new_label = f"{after.version} (went live {after.went_live})"
    for line in diff_lines(old_raw, new_raw, f"{before.version} (went live {before.went_live})",
                           new_label):
        head = line[:3] in ("---", "+++")
        click.secho(line, fg=None if head else _COLOURS.get(line[:1]), bold=head)


@menus.command(short_help="Put a version that went live here back into menus.yaml.")
@click.argument("version")
@shell.menus_option
def rollback(version: str, menus_path: Path | None) -> None:
    """Put VERSION, one that went live here, back into menus.yaml.

    It is checked as `ivr validate` checks a file, against today's seeds/ (refused in one
    line if it no longer passes), then written whole: menus.yaml is the old file or the new
    one, never a mix. The running server takes it like any edit, within a few seconds.
    """
    path = shell.menus_path(menus_path)
    kept = _history(path)
    entry, raw = _resolve(kept, version)
    current = _on_disk(path)
    if current == raw:
        click.echo(f"{path}: already version {entry.version}; nothing written")
        return
    warnings = _check(path, raw, entry.version)
    went_live = {e.version for e in _entries(kept)}
    if current is not None and version_of(current) not in went_live:
        spare = path.with_name(path.name + KEPT_SUFFIX)
        _write(spare, current, version_of(current))
        click.echo(f"{path}: it held version {version_of(current)}, which never went live "
                   f"here; kept as {spare}", err=True)
    _write(path, raw, entry.version)
    was = f"was {version_of(current)}" if current is not None else "it was missing"
    click.echo(f"{path}: now version {entry.version} (went live here {entry.went_live}; {was});"
               f" a running server serves it within a few seconds (/healthz menus_version)")
    if warnings:  # as when it went live before; the server logs each one again
        click.echo(f"{path}: {len(warnings)} warning(s), as `ivr validate {path}` shows",
                   err=True)


def _check(path: Path, raw: bytes, version: str) -> list[str]:
    """The version's warnings, or one line saying why it cannot go live today."""
    try:
        return check_version(path, raw)[1]
    except InvalidMenus as error:
        problems = errors_first(error.problems)
        errors = count(problems, "error")
        raise click.ClickException(
            f"version {version} no longer passes `ivr validate` with today's "
            f"{path.parent / 'seeds'}: {errors} error(s), first {problems[0].format()}; "
            f"{path.name} is as it was") from None


def _write(path: Path, raw: bytes, version: str) -> None:
    def whole(temp: Path) -> None:
        # Read back before the rename: a short write on a full disk is caught here, not by
        # a server that reads the cut file.
        if version_of(temp.read_bytes()) != version:
            raise OSError(errno.EIO, "the copy written did not read back whole")

    try:
        write_atomic(path, raw, check=whole)
    except OSError as error:
        raise click.ClickException(
            f"{path}: cannot write it ({error.strerror or error}; run as the user the server "
            "runs as, in a folder it may write); it is as it was") from None
