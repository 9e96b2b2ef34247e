"""`ivr translations export|import`: PO files for translators (issue 10, item 4)."""

import difflib
import shutil

import polib
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.langkinds import source_hash
from tests.conftest import ROOT


def run(*args):
    return CliRunner(mix_stderr=False).invoke(cli, ["translations", *args])


def shipped(tmp_path):
    path = tmp_path / "menus.yaml"
    shutil.copyfile(ROOT / "menus.yaml", path)
    return path


def test_the_export_is_a_po_file_poedit_and_weblate_open(tmp_path):
    menus = shipped(tmp_path)
    po_path = tmp_path / "en.po"
    result = run("export", "--lang", "en", "-o", str(po_path), "--menus", str(menus))
    assert result.exit_code == 0, result.stderr
    po = polib.pofile(str(po_path))  # polib reads back what it wrote
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    entry = po.find("En kuullut valintaa.", msgctxt="texts.no_input")
    assert (entry.msgstr, entry.fuzzy, entry.comment) == (
        "I did not hear a choice.", True, "sv: Jag hörde inget val.")
    assert "python-brace-format" in po.find("{label}: paina {key}.", msgctxt="texts.option").flags
    label = po.find("kuuntele uudelleen", msgctxt="menus.services.options[0].label")
    assert label.msgstr == "a repeat of the list"
    assert str(polib.pofile(po_path.read_text(encoding="utf-8"))) == str(po)


def test_import_changes_only_the_reviewed_texts_keeping_comments_and_layout(tmp_path):
    menus = shipped(tmp_path)
    before = menus.read_text(encoding="utf-8")
    po_path = tmp_path / "en.po"
    run("export", "--lang", "en", "-o", str(po_path), "--menus", str(menus))
    po = polib.pofile(str(po_path))
    entry = po.find("En kuullut valintaa.", msgctxt="texts.no_input")
    entry.flags.remove("fuzzy")  # a fluent speaker reviewed it
    folded = po.find("Pahoittelemme, tapahtui virhe. Yhdistän sinut infopuhelimeen.",
                     msgctxt="texts.apology")
    folded.msgstr = "We are sorry, something went wrong. I will put you through to the info line."
    po.save(str(po_path))
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 0, result.stderr
    assert result.output == f"{menus}: 2 texts in en changed (1 reviewed); run `ivr validate`\n"
    diff = [line for line in difflib.unified_diff(before.splitlines(), menus.read_text(
        encoding="utf-8").splitlines(), lineterm="", n=0) if line[:1] in "+-"][2:]
    reviewed = source_hash("En kuullut valintaa.")
    assert diff == [
        "-    en: I did not hear a choice.",
        "-    en: We are sorry, something went wrong. Putting you through to the info line.",
        f'+    en: {{text: "I did not hear a choice.", reviewed: "{reviewed}"}}',
        '+    en: "We are sorry, something went wrong. I will put you through to the info line."',
    ] or diff == [
        "-    en: I did not hear a choice.",
        f'+    en: {{text: "I did not hear a choice.", reviewed: "{reviewed}"}}',
        "-    en: We are sorry, something went wrong. Putting you through to the info line.",
        '+    en: "We are sorry, something went wrong. I will put you through to the info line."',
    ]
    again = run("export", "--lang", "en", "--menus", str(menus)).output
    assert not polib.pofile(again).find("En kuullut valintaa.", msgctxt="texts.no_input").fuzzy


def test_a_bad_po_file_gives_its_line_and_nothing_is_written(tmp_path):
    menus = shipped(tmp_path)
    before = menus.read_bytes()
    po_path = tmp_path / "en.po"
    po_path.write_text('msgid ""\nmsgstr "Language: en\\n"\n\nnot po at all\n', encoding="utf-8")
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {po_path}:4: not a PO file: Syntax error in po file\n"
    assert menus.read_bytes() == before


def test_an_entry_whose_source_changed_since_the_export_is_refused_with_its_line(tmp_path):
    menus = shipped(tmp_path)
    po_path = tmp_path / "en.po"
    run("export", "--lang", "en", "-o", str(po_path), "--menus", str(menus))
    before = menus.read_text(encoding="utf-8").replace("fi: En kuullut valintaa.",
                                                       "fi: En kuullut valintaasi.")
    menus.write_text(before, encoding="utf-8")
    # polib numbers an entry by its first line: the translator comments above msgctxt.
    line = po_path.read_text(encoding="utf-8").splitlines().index(
        'msgctxt "texts.no_input"') + 1 - 3
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {po_path}:{line}: the fi text of 'texts.no_input' changed "
                             "since the export (export again and translate the new text)\n")
    assert menus.read_text(encoding="utf-8") == before


def test_an_original_language_is_not_exported(tmp_path):
    result = run("export", "--lang", "sv", "--menus", str(shipped(tmp_path)))
    assert result.exit_code == 1
    assert "languages.sv is written from the seeds, not translated" in result.stderr
