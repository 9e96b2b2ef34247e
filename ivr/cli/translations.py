"""`ivr translations export|import`: one language's texts as a PO file and back."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.atomicfile import write_atomic
from ivr.cli import shell
from ivr.cli.shell import read_menus_file
from ivr.menus.problems import plural
from ivr.menus.translations import TranslationError
from ivr.menus.translations import apply_changes
from ivr.menus.translations import export_po
from ivr.menus.translations import plan_import


@click.group(cls=shell.HelpGroup)
def translations() -> None:
    """PO files for translators (Poedit, Weblate): export one language, import it back."""


@translations.command()
@click.option("--lang", required=True, metavar="CODE", help="The language to translate.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The PO file to write (default: print it).")
@shell.menus_option
def export(lang: str, output: Path | None, menus_path: Path | None) -> None:
    """Write a language's texts as a PO file: msgid the source text, msgctxt its place,
    fuzzy where no fluent speaker has reviewed the translation."""
    menus_path = shell.menus_path(menus_path)
    try:
        po = export_po(read_menus_file(menus_path), lang, str(menus_path))
    except TranslationError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(po, nl=False)
        return
    shell.write_output(output, po.encode("utf-8"))
    click.echo(f"wrote {output} ({lang}); open it in Poedit or upload it to Weblate", err=True)


@translations.command(name="import")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", metavar="CODE", help="The language the file is for; its Language "
              "header must say the same (default: the language its name gives, as in ru.po).")
@shell.menus_option
def import_(po_file: Path, lang: str | None, menus_path: Path | None) -> None:
    """Put a translated PO file's texts into the menus file, changing nothing else.

    An entry that is not fuzzy counts as reviewed by a fluent speaker. A file whose
    Language header names another language than --lang, or than its name (uk.po), is
    refused.
    """
    menus_path = shell.menus_path(menus_path)
    text = read_menus_file(menus_path)
    try:
        po_text = po_file.read_text(encoding="utf-8")
        lang, changes = plan_import(text, po_text, str(menus_path), str(po_file), lang)
        new = apply_changes(text, changes, str(menus_path)) if changes else text
    except UnicodeDecodeError:
        raise click.ClickException(f"{po_file}: not UTF-8 (save the PO file as UTF-8)") from None
    except TranslationError as error:
        for line in error.lines[:-1]:
            click.echo(line, err=True)
        raise click.ClickException(error.lines[-1]) from None
    if new != text:
        try:
            write_atomic(menus_path, new.encode("utf-8"))
        except OSError as error:
            raise click.ClickException(
                f"{menus_path}: cannot write it ({error.strerror}); nothing was changed") from None
    reviewed = sum(1 for change in changes if change.reviewed)
    click.echo(f"{menus_path}: {plural(len(changes), 'text')} in {lang} changed "
               f"({reviewed} reviewed); run `ivr validate`")
