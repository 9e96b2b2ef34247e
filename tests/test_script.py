"""What a caller hears, sentence by sentence, from the shipped menus."""

from pathlib import Path

import pytest

from ivr.core import script
from ivr.core.script import Line
from ivr.menus.loader import load_menus

MENUS = load_menus(Path(__file__).resolve().parent.parent / "menus.yaml")


def test_the_language_menu_gives_each_language_its_112_notice_and_key_in_that_language():
    assert script.language_menu(MENUS) == [
        Line("Hätätilanteessa soita 112.", "fi"),
        Line("Suomeksi, paina 1.", "fi"),
        Line("I nödfall, ring 112.", "sv"),
        Line("På svenska, tryck 2.", "sv"),
        Line("In an emergency, call 112.", "en"),
        Line("For English, press 3.", "en"),
    ]


def test_the_main_menu_names_each_option_before_its_key_and_says_the_global_keys():
    assert [line.text for line in script.menu_prompt(MENUS, "main", "en")] == [
        "For the 24-hour info line, press 0.",
        "In an emergency, call 112.",
        "Main menu.",
        "Choose the help you need.",
        "For safe housing, crisis support, or help for women and children, press 1.",
        "For legal advice, residence, undocumented people or returning home, press 2.",
        "For exploitation at work, sexual exploitation or health care, press 3.",
        "To repeat, press star.",
        "To go back, press hash.",
        "For the 24-hour info line, press 0.",
        "In an emergency, press 9.",
    ]


def test_need_options_take_their_label_from_the_needs_catalogue():
    assert [line.text for line in script.menu_prompt(MENUS, "needs_legal", "sv")] == [
        "Välj ämne.",
        "Juridisk rådgivning och uppehållstillstånd: tryck 1.",
        "Hjälp för papperslösa: tryck 2.",
        "Återresa: tryck 3.",
    ]


def test_a_read_out_names_the_choice_then_local_then_nationwide_services():
    lines = script.readout(MENUS, "en", "return", "oulu")
    assert [line.text for line in lines] == [
        "Topic: returning home.",
        "Region: Oulu.",
        "This is where you can get help.",
        "The assistance system for victims of human trafficking.",
        "A public authority that helps victims of trafficking across Finland, even without a "
        "police report.",
        "It offers safe accommodation, health care services and legal help.",
        "Also interpretation, and support for returning home voluntarily.",
        "You get help even if you are in Finland illegally.",
        "Phone: 0 2 9, 5 4 6, 3 1 7 7.",
        "E-mail: ihmiskauppa dot auttamisjarjestelma at migri dot fi.",
        "Website: ihmiskauppa dot fi.",
        "The International Organization for Migration, IOM, Finland office.",
        "For victims of trafficking and other migrants who return voluntarily.",
        "Advice on returning and reintegration.",
        "Prepares and organises a safe return with the office in the destination country.",
        "Office in Helsinki, serving the whole country.",
        "Website: iom dot fi.",
    ]


def test_the_info_line_agent_hears_the_callers_language_in_the_agents_language():
    assert script.whisper(MENUS, "sv") == [
        Line("Puhelu ihmiskaupan uhrien puhelinvalikosta.", "fi"),
        Line("Soittajan kieli: ruotsi.", "fi"),
    ]


def test_the_catalogue_has_no_duplicates_and_every_line_fits_one_gtts_request():
    lines = script.every_line(MENUS)
    assert len(lines) == len(set(lines))
    assert max(len(line.text) for line in lines) <= 100


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_catalogue_holds_every_read_out_a_caller_can_reach(lang):
    catalogue = set(script.every_line(MENUS))
    for need, region in script.offered_pairs(MENUS):
        assert set(script.readout(MENUS, lang, need, region)) <= catalogue


def test_offered_pairs_are_every_need_in_a_menu_times_every_region_in_a_menu():
    pairs = script.offered_pairs(MENUS)
    assert len(pairs) == 9 * 7
    assert ("health", "joensuu") in pairs and ("return", "elsewhere") in pairs


def test_without_an_agent_name_the_agent_hears_the_languages_own_name():
    small = load_menus(Path(__file__).resolve().parent / "data" / "menus_ok" / "menus.yaml")
    assert [line.text for line in script.whisper(small, "en")] == [
        "Soittajan kieli: English."]
