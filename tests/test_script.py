"""What a caller hears, sentence by sentence, from the shipped menus."""

from pathlib import Path

import pytest

from ivr.core import script
from ivr.core.script import Line
from ivr.menus.loader import load_menus

MENUS = load_menus(Path(__file__).resolve().parent.parent / "menus.yaml")

ASSISTANCE_SYSTEM_EN = [
    "A public authority that helps victims of trafficking across Finland, even without a "
    "police report.",
    "It offers safe accommodation, health care services and legal help.",
    "Also interpretation, and support for returning home voluntarily.",
    "You get help even if you are in Finland illegally.",
]
"""What the assistance system's page says it offers, in English (after its keys)."""


def test_the_language_menu_gives_each_language_its_112_notice_and_key_in_that_language():
    assert script.language_menu(MENUS)[:6] == [
        Line("Hätätilanteessa soita 1 1 2.", "fi"),
        Line("Suomeksi, paina 1.", "fi"),
        Line("I nödfall, ring 1 1 2.", "sv"),
        Line("På svenska, tryck 2.", "sv"),
        Line("In an emergency, call 1 1 2.", "en"),
        Line("For English, press 3.", "en"),
    ]


def test_the_main_menu_names_each_option_before_its_key_and_says_the_global_keys():
    assert [line.text for line in script.menu_prompt(MENUS, "main", "en")] == [
        "For the 24-hour info line, press 0.",
        "In an emergency, call 1 1 2.",
        "For safe housing, crisis support, or help for women and children, press 1.",
        "For legal advice, residence, undocumented people or returning home, press 2.",
        "For exploitation at work, sexual exploitation or health care, press 3.",
        "To repeat, press star.",
        "To go back, press hash.",
        "For the 24-hour info line, press 0.",
        "To hear how to call 1 1 2, press 9.",
    ]


def test_need_options_take_their_label_from_the_needs_catalogue():
    assert [line.text for line in script.menu_prompt(MENUS, "needs_legal", "sv")] == [
        "Juridisk rådgivning och uppehållstillstånd: tryck 1.",
        "Hjälp för papperslösa: tryck 2.",
        "Återresa: tryck 3.",
    ]


def test_a_regions_read_out_names_the_choice_then_one_service_a_page_its_own_first():
    # A page: the service's name, how to reach it, the keys, then what it offers (issue 19).
    lines = script.readout(MENUS, "en", "health", "joensuu")
    assert [line.text for line in lines] == [
        "Health care, Joensuu.",
        "Global Clinic.",
        "Website: globalclinic dot fi.",
        "For the next service, press 1.",
        "For services in your region, press 2.",
        "To hear it again, press star.",
        "For the info line, press 0.",
        "For undocumented people.",
        "Multi-professional help from volunteers with health problems that are not urgent.",
        "Works in Helsinki, Turku, Lahti, Tampere, Joensuu and Oulu.",
        "The assistance system for victims of human trafficking.",
        "Phone: 0 2 9, 5 4 6, 3 1 7 7.",
        "E-mail: ihmiskauppa dot auttamisjarjestelma at migri dot fi.",
        "Website: ihmiskauppa dot fi.",
        "That was the last service.",
        "To start again, press 1.",
        "For services in your region, press 2.",
        "To hear it again, press star.",
        "For the info line, press 0.",
        *ASSISTANCE_SYSTEM_EN,
    ]


def test_the_whole_countrys_read_out_starts_with_a_service_and_offers_no_region_in_vain():
    # Every region gives the same services for returning home: its key is not said.
    lines = script.readout(MENUS, "en", "return", "whole_country")
    assert [line.text for line in lines] == [
        "The assistance system for victims of human trafficking.",
        "Phone: 0 2 9, 5 4 6, 3 1 7 7.",
        "E-mail: ihmiskauppa dot auttamisjarjestelma at migri dot fi.",
        "Website: ihmiskauppa dot fi.",
        "For the next service, press 1.",
        "To hear it again, press star.",
        "For the info line, press 0.",
        *ASSISTANCE_SYSTEM_EN,
        "The International Organization for Migration, IOM, Finland office.",
        "Website: iom dot fi.",
        "That was the last service.",
        "To start again, press 1.",
        "To hear it again, press star.",
        "For the info line, press 0.",
        "For victims of trafficking and other migrants who return voluntarily.",
        "Advice on returning and reintegration.",
        "Prepares and organises a safe return with the office in the country of return.",
        "Office in Helsinki, serving the whole country.",
    ]


def test_a_read_out_page_without_the_whole_of_it_says_only_its_keys():
    # As after a silence or a wrong key; the whole country has one health service.
    assert [line.text for line in script.menu_prompt(
        MENUS, "services", "sv", "health", "whole_country", 0, whole=False)] == [
        "Det var den sista tjänsten.",
        "Från början: tryck 1.",
        "Tjänsterna i ditt område: tryck 2.",
        "Lyssna igen: tryck stjärna.",
        "Infotelefonen: tryck 0.",
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
    assert len(pairs) == 9 * 8  # seven regions and the whole country
    assert ("health", "joensuu") in pairs and ("return", "elsewhere") in pairs
    assert ("legal", "whole_country") in pairs


def test_without_an_agent_name_the_agent_hears_the_languages_own_name():
    small = load_menus(Path(__file__).resolve().parent / "data" / "menus_ok" / "menus.yaml")
    assert [line.text for line in script.whisper(small, "en")] == [
        "Soittajan kieli: English."]


SMALL = Path(__file__).resolve().parent / "data" / "menus_ok" / "menus.yaml"
ABBREVIATED = "Majoitusta esim. Helsingissä, puh. 029 546 3177."


def _with_abbreviations():
    from ivr.menus.loader import parse_menus

    text = SMALL.read_text(encoding="utf-8").replace(
        "fi: Turvallinen majoitus ja terveyspalvelut.", f"fi: \"{ABBREVIATED}\"")
    assert ABBREVIATED in text
    return parse_menus(text)


def test_a_service_text_with_abbreviations_is_read_as_one_sentence():
    menus = _with_abbreviations()
    lines = script.service_lines(menus, menus.services[0], "fi")
    assert lines[1] == Line(ABBREVIATED, "fi")
    assert Line("Helsingissä, puh.", "fi") not in script.every_line(menus)


def test_the_offline_build_renders_an_abbreviated_text_as_one_prompt(tmp_path):
    from ivr.prompts.build import build
    from ivr.prompts.build import load_manifest
    from ivr.prompts.tts import EspeakEngine

    result = build(_with_abbreviations(), tmp_path, EspeakEngine(), langs=["fi"])
    assert result.failed == []
    texts = {entry.text for entry in load_manifest(tmp_path).files.values()}
    assert ABBREVIATED in texts
    assert not [t for t in texts if t.startswith(("Helsingissä", "Puh. "))]


def test_a_foreign_service_number_and_a_web_address_with_a_port_are_read_as_dialled():
    from ivr.menus.loader import parse_menus

    text = SMALL.read_text(encoding="utf-8").replace(
        "contact: {web: http://www.iom.fi}",
        'contact: {phone: "+46812345678", web: "http://www.iom.fi:8080/fi/"}')
    menus = parse_menus(text)
    lines = script.service_lines(menus, menus.services[2], "en")
    assert [line.text for line in lines[2:]] == [
        "Phone: +4 6, 8, 1 2 3, 4 5 6, 7 8.", "Website: iom dot fi."]
