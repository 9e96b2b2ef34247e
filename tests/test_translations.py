"""`ivr translations export|import`: PO files for translators (issue 10, item 4)."""

import difflib
import re
import shutil
import subprocess
import textwrap

import polib
import pytest
import yaml
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.langkinds import source_hash
from ivr.menus.loader import check_menus_text
from ivr.menus.loader import load_menus
from ivr.menus.poheader import plural_forms
from ivr.menus.translations import read_po
from tests.addedlanguage import GERMAN
from tests.addedlanguage import free_key_path
from tests.addedlanguage import without_language
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
    label = po.find("seuraava palvelu", msgctxt="menus.services.options[0].label")
    assert label.msgstr == "the next service"
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


# --- texts not written yet (issue 23 item 4) ----------------------------------------------------

def with_german(tmp_path):
    """The shipped menus with German declared as docs/translations.md says, no text yet, on
    a key path after every other (a helpline's own German is taken out first)."""
    path = shipped(tmp_path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if "de" in data["languages"]:
        without_language(data, "de")
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    entry = {"de": {"key": free_key_path(data), **GERMAN}}
    block = textwrap.indent(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), "  ")
    path.write_text(re.sub(r"^languages:\n", lambda m: m[0] + block, text, count=1,
                           flags=re.MULTILINE), encoding="utf-8")
    return path


def test_a_language_without_its_texts_is_a_warning_and_not_offered(tmp_path):
    menus = with_german(tmp_path)
    line = menus.read_text(encoding="utf-8").splitlines().index("  de:") + 1
    result = CliRunner().invoke(cli, ["validate", str(menus)])
    assert result.exit_code == 0, result.output
    warning = next(w for w in result.output.splitlines() if "languages.de" in w)
    assert re.fullmatch(
        rf"{menus}:{line}:3: warning: languages.de: (\d+) of \1 texts not written yet; callers "
        r"are not offered de until every text is \(ivr translations export --lang de -o de.po, "
        r"have it translated, then ivr translations import de.po\)", warning), warning
    assert "de" not in [language.code for language in load_menus(menus).offered()]


def test_export_carries_missing_texts_as_untranslated_and_import_fills_them(tmp_path):
    menus = with_german(tmp_path)
    po_path = tmp_path / "de.po"
    result = run("export", "--lang", "de", "-o", str(po_path), "--menus", str(menus))
    assert result.exit_code == 0, result.stderr
    po = polib.pofile(str(po_path))
    entry = po.find("texts.no_input", by="msgctxt")
    assert (entry.msgstr, entry.fuzzy, entry.translated()) == ("", False, False)
    assert len(po.untranslated_entries()) == len(po) > 75
    for entry in po:
        entry.msgstr = "Deutsch: " + entry.msgid  # a translator's text, not reviewed
        entry.flags.append("fuzzy")
    po.save(str(po_path))
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 0, result.stderr
    assert result.output == f"{menus}: {len(po)} texts in de changed (0 reviewed); run " \
        "`ivr validate`\n"
    offered = load_menus(menus).offered()
    assert [language.code for language in offered][-1] == "de"


def edited(tmp_path, change):
    """The shipped menus with `change(data)` made to their data."""
    data = yaml.safe_load(shipped(tmp_path).read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def findings(text, severity):
    return [(p.path, p.message, p.hint) for p in check_menus_text(text, "menus.yaml")[1]
            if p.severity == severity]


def test_the_languages_heard_before_a_choice_still_need_every_text(tmp_path):
    text = edited(tmp_path, lambda data: data["texts"]["no_input"].pop("fi"))
    assert findings(text, "error") == [("texts.no_input", "no text in 'fi'", "add fi: ...")]


def test_a_text_pasted_from_another_language_is_a_warning(tmp_path):
    def paste(data):
        texts = data["texts"]["no_input"]
        texts["ar"] = texts["fr"] = texts["en"]
        texts["ru"] = "I heard no choice at all."

    warnings = [w for w in findings(edited(tmp_path, paste), "warning")
                if w[0].startswith("texts.")]
    assert warnings == [
        ("texts.no_input.ar", "the same as the en text", "translate it into ar, or leave it "
         "out until it is: callers who choose ar would hear en"),
        ("texts.no_input.ru", "written in Latin letters, not Cyrillic as ru's name 'русский' "
         "is", "is it another language's text? translate it into ru, or fix "
         "languages.ru.name"),
        ("texts.no_input.fr", "the same as the en text", "translate it into fr, or leave it "
         "out until it is: callers who choose fr would hear en"),
    ]


def test_names_and_short_phrases_may_be_the_same_in_two_languages(tmp_path):
    def same(data):
        data["texts"]["contact_phone"]["uk"] = data["texts"]["contact_phone"]["ru"]
        data["regions"]["oulu"]["name"]["fr"] = data["regions"]["oulu"]["name"]["fi"]

    assert [w for w in findings(edited(tmp_path, same), "warning")
            if not w[1].endswith("not reviewed by a fluent speaker")] == []


# --- characters PO and YAML treat as line breaks (issue 22 item 11) -------------------------------

BREAKS = ["\u0085", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_a_po_file_is_read_to_the_character(char):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Language": "en"}
    po.append(polib.POEntry(msgctxt="texts.no_input", msgid=f"Ei{char}valintaa.",
                            msgstr=f"No{char}choice{char}"))
    entry = read_po(str(po), "en.po").find("texts.no_input", by="msgctxt")
    assert (entry.msgid, entry.msgstr) == (f"Ei{char}valintaa.", f"No{char}choice{char}")


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_an_imported_text_is_the_translators_to_the_character_or_refused(tmp_path, char):
    menus = shipped(tmp_path)
    po_path = tmp_path / "en.po"
    run("export", "--lang", "en", "-o", str(po_path), "--menus", str(menus))
    po = polib.pofile(str(po_path))
    entry = po.find("texts.no_input", by="msgctxt")
    entry.msgstr = f"I did not{char}hear a choice.{char}"
    po.save(str(po_path))
    before = menus.read_bytes()
    result = run("import", str(po_path), "--menus", str(menus))
    if result.exit_code == 0:  # written exactly as translated
        assert load_menus(menus).texts["no_input"]["en"] == entry.msgstr
    else:  # or, if menus.yaml may not hold it, refused in one line with nothing written
        assert (result.exit_code, len(result.stderr.splitlines())) == (1, 1), result.stderr
        assert menus.read_bytes() == before


# --- the PO header (issue 23 item 5) ------------------------------------------------------------

TRANSLATED = [code for code, language in load_menus(ROOT / "menus.yaml").languages.items()
              if language.translated_from]
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
          "n%100>=0 && n%100<=2 ? 4 : 5);",
    "th": "nplurals=1; plural=0;",
    "vi": "nplurals=1; plural=0;",
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_export_passes_msgfmt_check_with_the_languages_plural_forms(tmp_path, lang):
    po_path = tmp_path / f"{lang}.po"
    result = run("export", "--lang", lang, "-o", str(po_path), "--menus", str(shipped(tmp_path)))
    assert result.exit_code == 0, result.stderr
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path)],
                             capture_output=True, text=True, timeout=60)
    assert (checked.returncode, checked.stderr) == (0, "")
    plural = polib.pofile(str(po_path)).metadata["Plural-Forms"]
    assert plural == PLURAL_FORMS.get(lang, plural)
    # Where GNU gettext's msginit knows the language, it writes the same.
    template = tmp_path / "t.pot"
    template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    gnu = subprocess.run(["msginit", "--no-translator", "-l", lang, "-i", str(template), "-o",
                          "-"], capture_output=True, text=True, timeout=60).stdout
    found = re.search(r'"Plural-Forms: (.*)\\n"', gnu.replace('"\n"', ""))
    if found:
        assert found.group(1) == plural


def test_an_export_for_a_language_babel_knows_only_by_its_alias_gets_its_plural_forms():
    assert plural_forms("prs") == plural_forms("fa") == "nplurals=1; plural=0;"  # Dari: fa_AF
    assert plural_forms("xx") == "nplurals=2; plural=(n != 1);"  # gettext's own default


def _exported(tmp_path, lang, header=None, name=None):
    menus = shipped(tmp_path)
    po_path = tmp_path / (name or f"{lang}.po")
    run("export", "--lang", lang, "-o", str(po_path), "--menus", str(menus))
    po = polib.pofile(str(po_path))
    if header:
        po.metadata["Language"] = header
    for entry in po:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]  # all reviewed
    po.save(str(po_path))
    return menus, po_path


def language_line(po_path):
    return po_path.read_text(encoding="utf-8").splitlines().index('"Language: ru\\n"') + 1


def test_a_file_whose_header_names_another_language_than_its_name_is_refused(tmp_path):
    menus, po_path = _exported(tmp_path, "ru", name="uk.po")  # the ru file, saved as uk.po
    before = menus.read_bytes()
    result = run("import", str(po_path), "--menus", str(menus))
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {po_path}:{language_line(po_path)}: the header says Language: ru, the file is "
        "named for uk (if its "
        "texts are uk, write Language: uk in the header; if they are ru, name the file "
        "ru.po)\n"))
    assert menus.read_bytes() == before


def test_a_file_whose_header_names_another_language_than_asked_is_refused(tmp_path):
    menus, po_path = _exported(tmp_path, "ru", name="translation.po")
    result = run("import", str(po_path), "--lang", "uk", "--menus", str(menus))
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {po_path}:{language_line(po_path)}: the header says Language: ru, you asked "
        "for uk (if its texts "
        "are uk, write Language: uk in the header; if they are ru, import it with --lang "
        "ru)\n"))


def test_another_languages_texts_under_this_languages_header_are_refused(tmp_path):
    # The ru texts with the header (and the name) of uk: 75 Ukrainian texts overwritten.
    menus, po_path = _exported(tmp_path, "ru", header="uk", name="uk.po")
    before = menus.read_bytes()
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {po_path}: (\d+) of \1 translations are word for word the ru texts of "
        rf"{menus}; nothing was changed \(if it is the ru file, its header must say Language: "
        r"ru; else translate it into uk\)\n", result.stderr), result.stderr
    assert menus.read_bytes() == before


def test_poedits_language_with_a_region_is_the_menus_language(tmp_path):
    menus, po_path = _exported(tmp_path, "uk", header="uk_UA", name="menus-uk_UA.po")
    result = run("import", str(po_path), "--menus", str(menus))
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith(f"{menus}: ") and " in uk changed " in result.output
