"""The emergency number as callers say it (issue 21 item 4): digit by digit, "1 1 2", where
the language's callers say it so, the cardinal where they say that; in everything a voice
is given (prompts, Twilio <Say>), never in what is written (the menus file, the SMS).

The espeak-ng tests listen to what a voice really makes of the line: given "112" it says
"sata kaksitoista", which is the bug.
"""

import subprocess
from pathlib import Path

import pytest

from ivr.core import script
from ivr.core.speech import CARDINAL_SHORT_NUMBERS
from ivr.core.speech import is_short_number
from ivr.core.speech import spoken
from ivr.menus.loader import load_menus
from ivr.web.twiml import render_fallback

ROOT = Path(__file__).resolve().parent.parent
MENUS = load_menus(ROOT / "menus.yaml")
DIGITS = ("fi", "sv", "en", "ar", "th", "vi")
CARDINAL = ("ru", "uk", "fr")

NOTICE = {
    "fi": "Hätätilanteessa soita 1 1 2.",
    "sv": "I nödfall, ring 1 1 2.",
    "en": "In an emergency, call 1 1 2.",
    "ar": "في حالة الطوارئ، اتصل بالرقم 1 1 2.",
    "th": "ในกรณีฉุกเฉิน โทร 1 1 2",
    "vi": "Trong trường hợp khẩn cấp, hãy gọi 1 1 2.",
    "ru": "В экстренной ситуации звоните 112.",
    "uk": "У надзвичайній ситуації телефонуйте 112.",
    "fr": "En cas d'urgence, appelez le 112.",
}
# What espeak-ng says for the spoken line, in its phoneme notation (espeak-ng -x): the three
# digits one by one, or the cardinal number where that is how callers say it.
ONE_ONE_TWO = {
    "fi": "'yksi; 'yksi k'aksi",
    "sv": "'Et 'Et tv'o:",
    "en": "w'0n w'0n t'u:",
    "ar": "w'a:Hid w'a:Hid ?iTn'a:n",
    "th": "n'u5eng n'u5eng s'o5ng",
    "vi": "m'o6t[_| m'o6t[_| h'a:I7",
    "ru": "st'o dv;In'AttsVt;",
    "uk": "st'o dv;'janadtsjat;",
    "fr": "sA~ d'uz",
}


def espeak_phonemes(text, lang):
    voice = MENUS.languages[lang].espeak_voice
    done = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice], input=text.encode(),
                          capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


@pytest.mark.parametrize("lang", NOTICE)
def test_the_112_notice_is_given_to_the_voice_as_the_languages_callers_say_it(lang):
    assert [line.text for line in script.text(MENUS, "emergency_notice", lang)] == [NOTICE[lang]]


@pytest.mark.parametrize("lang", NOTICE)
def test_espeak_says_112_digit_by_digit_or_as_the_cardinal_per_language(lang):
    said = espeak_phonemes(script.text(MENUS, "emergency_notice", lang)[0].text, lang)
    assert ONE_ONE_TWO[lang] in said, said


def test_the_languages_that_say_the_cardinal_are_russian_ukrainian_and_french():
    assert CARDINAL_SHORT_NUMBERS == frozenset(CARDINAL)


@pytest.mark.parametrize("lang", DIGITS)
def test_no_sentence_a_voice_is_given_says_112_as_a_number_in_a_digit_language(lang):
    lines = [line.text for line in script.every_line(MENUS) if line.lang == lang]
    assert [text for text in lines if "112" in text] == []
    assert any("1 1 2" in text for text in lines)


def test_the_written_texts_keep_112_and_so_does_the_diagram_line():
    notice = script.text(MENUS, "emergency_notice", "fi")[0]
    assert MENUS.texts["emergency_notice"]["fi"] == "Hätätilanteessa soita 112."
    assert (notice.text, notice.written) == ("Hätätilanteessa soita 1 1 2.",
                                             "Hätätilanteessa soita 112.")


def test_twilio_say_gets_the_digits_too():
    xml = render_fallback(MENUS).to_xml()
    assert "Hätätilanteessa soita 1 1 2.</Say>" in xml
    assert "In an emergency, call 1 1 2.</Say>" in xml
    assert "112" not in xml  # nothing in this document dials it either


@pytest.mark.parametrize("sentence, lang, expected", [
    ("Soita 112.", "fi", "Soita 1 1 2."),
    ("Soita 112.", "fr", "Soita 112."),
    ("Appelez le 112.", "fr-CA", "Appelez le 112."),     # a region of a cardinal language
    ("Ligue 112.", "pt-BR", "Ligue 1 1 2."),             # a language not listed: digits
    ("Soita 116117 tai 112!", "fi", "Soita 1 1 6 1 1 7 tai 1 1 2!"),
    # Counts, hours and keys stay numbers: only Finnish short numbers are spaced out.
    ("31 palvelupistettä, 24 tuntia, paina 1, 2021.", "fi",
     "31 palvelupistettä, 24 tuntia, paina 1, 2021."),
    ("0 2 9, 5 4 6, 3 1 7 7", "fi", "0 2 9, 5 4 6, 3 1 7 7"),
    ("11200 euroa", "fi", "11200 euroa"),
])
def test_short_numbers_are_spaced_out_and_counts_are_not(sentence, lang, expected):
    assert spoken(sentence, lang, {}) == expected


def test_a_pronunciation_of_the_number_overrides_the_rule_and_is_not_spaced_out_again():
    assert spoken("Soita 112.", "fi", {"112": "yksi yksi kaksi"}) == "Soita yksi yksi kaksi."
    assert spoken("Звоните 112.", "ru", {"112": "112"}) == "Звоните 112."
    assert spoken("Soita 112.", "fi", {"112": "112"}) == "Soita 112."


@pytest.mark.parametrize("digits, short", [("112", True), ("116117", True), ("24", False),
                                           ("31", False), ("1", False), ("", False)])
def test_short_numbers_are_the_ones_phonenumbers_knows_for_finland(digits, short):
    assert is_short_number(digits) is short
