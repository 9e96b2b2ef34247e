"""Names and addresses inside foreign speech (issue 21): each language's pronunciation list
changes what its voice is given, never what is written, displayed or sent by text message,
and `validate` checks it like every other text, at its line and column.
"""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core import script
from ivr.core.speech import spoken
from ivr.core.textmessage import message
from ivr.core.textmessage import service_entry
from ivr.menus.loader import load_menus
from ivr.menus.loader import parse_menus

ROOT = Path(__file__).resolve().parent.parent
MENUS = load_menus(ROOT / "menus.yaml")
OK = ROOT / "tests" / "data" / "menus_ok" / "menus.yaml"
LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
REVIEWED_LANGUAGES = ("ru", "uk", "ar", "th")
"""Where the review heard names and addresses read with English or arbitrary rules."""


def service(service_id):
    return next(s for s in MENUS.services if s.id == service_id)


def heard(service_id, lang):
    return [line.text for line in script.service_lines(MENUS, service(service_id), lang)]


@pytest.mark.parametrize("lang", REVIEWED_LANGUAGES)
def test_no_latin_letters_reach_a_russian_ukrainian_arabic_or_thai_voice(lang):
    # A name or address added to these languages without a pronunciation fails here.
    latin = [line.text for line in script.every_line(MENUS)
             if line.lang == lang and LATIN.search(line.text)]
    assert latin == []


def test_a_finnish_name_is_said_as_the_list_says_and_written_as_the_text_writes_it():
    name = script.service_lines(MENUS, service("victim_support"), "ru")[0]
    assert name.text == "Служба помощи жертвам преступлений, Рикосухрипяйвюстюс."
    assert name.written == "Служба помощи жертвам преступлений, Rikosuhripäivystys."
    assert MENUS.services[3].name["ru"].endswith("Rikosuhripäivystys")


def test_the_longest_written_form_wins_and_names_are_matched_whole():
    lexicon = {"Monika": "Моника", "Monika-Naiset": "Моника-Найсет", "Mona": "Мона"}
    assert spoken("Monika-Naiset, Monika, Mona, Monaco.", "ru", lexicon) == (
        "Моника-Найсет, Моника, Мона, Monaco.")
    assert spoken("SuperMona, Mona_2, Mona.", "ru", lexicon) == "SuperMona, Mona_2, Мона."
    assert spoken("info@iom.fi", "en", {"@iom.fi": " at I O M"}) == "info at I O M"


@pytest.mark.parametrize("lang, said", [
    ("ru", "Сайт: про дефис тукиписте точка фи."),
    ("uk", "Вебсайт: про дефіс тукіпісте крапка фі."),
    ("ar", "الموقع الإلكتروني: بْرُو شَرْطَة تُوكِيبِيسْتِي نُقْطَة إِفْ آي."),
    ("th", "เว็บไซต์: โปร ขีดกลาง ตูกิปิสเต จุด เอฟไอ"),
    ("fi", "Verkkosivu: pro viiva tukipiste piste fi."),   # no list: spelt with the words
])
def test_a_web_address_is_said_by_its_host_name_as_the_list_says(lang, said):
    assert heard("pro_tukipiste", lang)[-1] == said


@pytest.mark.parametrize("lang, said", [
    ("ru", "Электронная почта: длинный адрес на финском языке, спросите его на информационной "
           "линии."),
    ("uk", "Електронна пошта: довга адреса фінською мовою, запитайте її на інформаційній лінії."),
    ("ar", "البريد الإلكتروني: عُنْوَانٌ طَوِيلٌ بِالْفِنْلَنْدِيَّة، اِسْأَلْ عَنْهُ خَطَّ "
           "الْمَعْلُومَات."),
    ("th", "อีเมล: เป็นที่อยู่ภาษาฟินแลนด์ที่ยาว ขอได้จากเจ้าหน้าที่สายด่วน"),
])
def test_an_address_nobody_can_write_down_from_its_sound_points_to_the_info_line(lang, said):
    assert heard("assistance_system", lang)[-2] == said


def test_the_text_message_keeps_the_written_names_and_addresses():
    body = message(MENUS, "ru", "crisis", "capital_region")
    assert body == ("Pro-tukipiste: pro-tukipiste.fi/yhteystiedot\n"
                    "Monika-Naiset, кризисный центр и центр интеграции Monika: "
                    "monikanaiset.fi/yhteystiedot")
    assert heard("pro_tukipiste", "ru")[0] == "Про-тукиписте."
    # Too long for two UCS-2 segments in Russian, but written as it is wherever it is sent.
    assert "ihmiskauppa.auttamisjarjestelma@migri.fi" in service_entry(
        service("assistance_system"), "ru")[0]


def test_a_spoken_form_is_used_as_written_and_not_looked_up_again():
    lexicon = {"IOM": "МОМ", "МОМ": "never"}
    assert spoken("IOM, офис", "ru", lexicon) == "МОМ, офис"


# --- validate --------------------------------------------------------------------------------

def validate(tmp_path, pronunciations):
    base = OK.read_text(encoding="utf-8")
    (tmp_path / "menus.yaml").write_text(base + pronunciations, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["validate", "--today", "2026-11-25", "menus.yaml"],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.output.splitlines(), len(base.splitlines())


def test_a_list_for_an_unknown_language_is_an_error_at_its_key(tmp_path):
    code, output, n = validate(tmp_path, "pronunciations:\n  fr:\n    IOM: I O M\n")
    assert code == 1
    assert output[0] == (f"menus.yaml:{n + 2}:3: error: pronunciations.fr: unknown language "
                         "'fr' (languages are: fi, en)")


def test_a_close_language_code_is_suggested(tmp_path):
    _, output, n = validate(tmp_path, "pronunciations:\n  eng:\n    IOM: I O M\n")
    assert output[0] == (f"menus.yaml:{n + 2}:3: error: pronunciations.eng: unknown language "
                         "'eng' (did you mean 'en'?)")


def test_empty_entries_are_errors_with_their_place(tmp_path):
    entries = ('pronunciations:\n  en:\n    IOM: ""\n    Global Clinic:\n    "": nothing\n'
               '    112: one one two\n')
    code, output, n = validate(tmp_path, entries)
    assert code == 1
    assert output[:4] == [
        f"menus.yaml:{n + 3}:10: error: pronunciations.en.IOM: empty text (write the text, or "
        "remove the key)",
        f"menus.yaml:{n + 4}:19: error: pronunciations.en.'Global Clinic': expected text, got "
        "nothing (fill in a value, or remove the key)",
        f"menus.yaml:{n + 5}:5: error: pronunciations.en.'': an empty written form (write the "
        "name or address as the texts write it)",
        f"menus.yaml:{n + 6}:5: error: pronunciations.en: key 112 is not text (write it in "
        'quotes: "112")',
    ]


def test_an_entry_no_caller_hears_is_a_warning_with_the_fix(tmp_path):
    entries = ("pronunciations:\n  en:\n    Global clinic: Global Clinic\n"
               "    www.iom.fi: eye oh em dot eff eye\n    IOM: I O M\n"
               "    iom.fi: eye oh em dot eff eye\n    ihmiskauppa: ihmis kauppa\n"
               '    "112": one one two\n')
    code, output, n = validate(tmp_path, entries)
    assert code == 0
    assert output[:2] == [
        f"menus.yaml:{n + 3}:5: warning: pronunciations.en.'Global clinic': 'Global clinic' is "
        "in nothing a caller hears in 'en' (did you mean 'Global Clinic'?)",
        f"menus.yaml:{n + 4}:5: warning: pronunciations.en.'www.iom.fi': 'www.iom.fi' is in "
        "nothing a caller hears in 'en' (write a web address as it is read out, without "
        "http://, www. and the path: iom.fi)",
    ]
    assert output[2] == "menus.yaml: ok (2 languages, 3 menus, 3 services; transfers to info " \
        "line +358295463177), 2 warnings"


def test_the_list_reaches_what_the_caller_hears_in_the_language_only(tmp_path):
    entries = ("pronunciations:\n  en:\n    IOM: I O M\n    iom.fi: eye oh em dot eff eye\n"
               "    ihmiskauppa: ihmis kauppa\n")
    menus = parse_menus(OK.read_text(encoding="utf-8") + entries)
    iom = next(s for s in menus.services if s.id == "iom")
    assert [line.text for line in script.service_lines(menus, iom, "en")] == [
        "I O M.", "Advice on returning home.", "Website: eye oh em dot eff eye."]
    assert [line.text for line in script.service_lines(menus, iom, "fi")] == [
        "IOM.", "Neuvontaa paluuseen.", "Verkkosivu: iom piste fi."]
    first = menus.services[0]
    assert script.service_lines(menus, first, "en")[-2].text == (
        "E-mail: ihmis kauppa dot auttamisjarjestelma at migri dot fi.")
