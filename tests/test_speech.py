"""Written forms become what a caller can understand when spoken."""

import pytest

from ivr.core.speech import capitalise
from ivr.core.speech import sentences
from ivr.core.speech import spoken_email
from ivr.core.speech import spoken_key
from ivr.core.speech import spoken_phone
from ivr.core.speech import spoken_web

FI = {"dot": "piste", "at": "ät", "dash": "viiva", "star": "tähti", "hash": "risuaita"}
SV = {"dot": "punkt", "at": "snabel-a", "dash": "streck", "star": "stjärna", "hash": "fyrkant"}
EN = {"dot": "dot", "at": "at", "dash": "dash", "star": "star", "hash": "hash"}


@pytest.mark.parametrize("written", ["+358295463177", "029 546 3177", "029 54 63 177",
                                     "+358 2954 63177"])
def test_every_published_form_of_the_info_line_is_read_the_same(written):
    assert spoken_phone(written) == "0 2 9, 5 4 6, 3 1 7 7"


@pytest.mark.parametrize("url, words, spoken", [
    ("www.pakolaisneuvonta.fi", FI, "pakolaisneuvonta piste fi"),
    ("http://pro-tukipiste.fi/yhteystiedot/", FI, "pro viiva tukipiste piste fi"),
    ("http://www.iom.fi", SV, "iom punkt fi"),
    ("http://www.samaria.fi/rose/", EN, "samaria dot fi"),
])
def test_web_addresses_lose_scheme_www_and_path(url, words, spoken):
    assert spoken_web(url, words) == spoken


@pytest.mark.parametrize("words, spoken", [
    (FI, "ihmiskauppa ät poliisi piste fi"),
    (SV, "ihmiskauppa snabel-a poliisi punkt fi"),
    (EN, "ihmiskauppa at poliisi dot fi"),
])
def test_email_addresses_are_read_with_the_languages_words(words, spoken):
    assert spoken_email("ihmiskauppa@poliisi.fi", words) == spoken


def test_star_and_hash_are_named_digits_are_not():
    assert [spoken_key(k, FI) for k in "1*#0"] == ["1", "tähti", "risuaita", "0"]


def test_sentences_split_after_full_stops_but_not_inside_addresses():
    text = "Verkkosivu: www.iom.fi.  Toimisto\n Helsingissä! Soita 112? Kyllä"
    assert sentences(text) == [
        "Verkkosivu: www.iom.fi.", "Toimisto Helsingissä!", "Soita 112?", "Kyllä"]


def test_capitalise_touches_only_the_first_letter():
    assert capitalise("pääkaupunkiseutu: paina 1.") == "Pääkaupunkiseutu: paina 1."
    assert capitalise("") == ""


@pytest.mark.parametrize("text, lang, expected", [
    ("Majoitusta esim. Helsingissä. Soita.", "fi", ["Majoitusta esim. Helsingissä.", "Soita."]),
    ("Puh. 029 546 3177. Soita.", "fi", ["Puh. 029 546 3177.", "Soita."]),
    ("Эл. почта: info@example.ru. Звоните.", "ru", ["Эл. почта: info@example.ru.", "Звоните."]),
    ("Offices in e.g. Turku. Call.", "en", ["Offices in e.g. Turku.", "Call."]),
    ("The St. Petersburg office helps.", "en", ["The St. Petersburg office helps."]),
    ("Hjälp t.ex. Stockholm. Ring.", "sv", ["Hjälp t.ex. Stockholm.", "Ring."]),
    # A full stop before a lower-case letter never ends a sentence, whatever the language.
    ("Tel. numero on 029 546 3177.", "xx", ["Tel. numero on 029 546 3177."]),
    ("Soita 112. Sitten odota.", "fi", ["Soita 112.", "Sitten odota."]),
])
def test_abbreviations_do_not_end_a_sentence(text, lang, expected):
    assert sentences(text, lang) == expected


def test_an_abbreviation_of_another_language_still_ends_a_sentence():
    assert sentences("Ring esim. Nu.", "sv") == ["Ring esim.", "Nu."]


@pytest.mark.parametrize("written, spoken", [
    ("+46812345678", "+4 6, 8, 1 2 3, 4 5 6, 7 8"),
    ("+46 8 123 456 78", "+4 6, 8, 1 2 3, 4 5 6, 7 8"),
    ("+442079460958", "+4 4, 2 0, 7 9 4 6, 0 9 5 8"),
    ("+37052123456", "+3 7 0, 5, 2 1 2, 3 4 5 6"),
])
def test_a_foreign_number_is_read_in_international_form(written, spoken):
    assert spoken_phone(written) == spoken


@pytest.mark.parametrize("url", ["https://www.iom.fi:8443/fi/", "iom.fi:80", "http://iom.fi:443"])
def test_a_web_address_is_read_without_its_port(url):
    assert spoken_web(url, FI) == "iom piste fi"
