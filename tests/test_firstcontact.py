"""Help within half a minute (issue 19): how long a caller waits for the first contact, on
every need and region, and how long the read-out talks before it says the keys."""

import pytest

from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.prompts.build import load_manifest
from ivr.prompts.build import present_files
from ivr.prompts.firstcontact import first_contact
from ivr.prompts.firstcontact import longest_stretch
from ivr.prompts.firstcontact import paths
from ivr.prompts.firstcontact import table
from ivr.prompts.timing import file_seconds
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
LANGS = [language.code for language in MENUS.offered()]
MEDIAN, WORST, STRETCH = 35.0, 50.0, 30.0
"""The bars of issue 19, in seconds of audio."""


def one_second(line):
    return 1.0, "test"


def test_every_need_and_region_has_a_path_in_every_language():
    pairs = set(script.told_pairs(MENUS))
    for lang in LANGS:
        assert {(p.need, p.region) for p in paths(MENUS, lang)} == pairs


def test_the_first_contact_comes_before_the_region_is_asked():
    # The whole country's services first, the assistance system's 24/7 phone first of all:
    # a caller hears a contact after choosing a need, whatever region they are in.
    for path in paths(MENUS, "en"):
        alone = [p for p in paths(MENUS, "en") if p.need == path.need]
        heard = {first_contact(MENUS, "en", p, one_second) for p in alone}
        assert len(heard) == 1, path.need


def test_the_first_contact_counts_every_sentence_up_to_it():
    # Language option, then: main menu up to the need's group, the topic menu up to the
    # need, then the first service's name and its phone (one second a sentence here).
    path = next(p for p in paths(MENUS, "en") if (p.need, p.region) == ("return", "whole_country"))
    main = script.menu_prompt(MENUS, "main", "en")
    group = next(i for i, line in enumerate(main) if "returning home" in line.text)
    topic = script.menu_prompt(MENUS, "needs_legal", "en")
    need = next(i for i, line in enumerate(topic) if "returning home" in line.text)
    assert first_contact(MENUS, "en", path, one_second) == (group + 1) + (need + 1) + 2


def test_a_page_says_its_keys_after_the_contacts_and_before_what_the_service_offers():
    page = script.menu_prompt(MENUS, "services", "en", "health", "capital_region", 0)
    texts = [line.text for line in page]
    keys = texts.index("For the next service, press 1.")
    assert texts[0] == "Health care, the capital region."
    assert texts[keys - 1].startswith("Website:")  # its contacts, then its keys
    assert texts[keys + 1] == "For services in your region, press 2."
    assert texts[keys + 2:keys + 4] == ["To hear it again, press star.",
                                        "For the info line, press 0."]
    assert len(texts) > keys + 4  # what it offers comes last


def test_the_region_key_is_said_only_where_a_region_changes_who_helps():
    # Legal advice is the same everywhere: its read-out offers no choice of region.
    legal = [line.text for line in script.readout(MENUS, "en", "legal", "whole_country")]
    assert "For services in your region, press 2." not in legal
    health = [line.text for line in script.readout(MENUS, "en", "health", "whole_country")]
    assert "For services in your region, press 2." in health


def test_the_last_page_says_how_to_start_again():
    services = MENUS.services_for("return", "whole_country")
    last = script.menu_prompt(MENUS, "services", "en", "return", "whole_country",
                              len(services) - 1)
    texts = [line.text for line in last]
    assert "That was the last service." in texts and "To start again, press 1." in texts
    assert "For the next service, press 1." not in texts


def test_the_longest_stretch_is_the_sentences_before_a_pages_first_key():
    path = next(p for p in paths(MENUS, "en") if (p.need, p.region) == ("work", "whole_country"))
    pages = [script.menu_prompt(MENUS, "services", "en", "work", "whole_country", item)
             for item in range(len(MENUS.services_for("work", "whole_country")))]
    before = [next(i for i, line in enumerate(page) if "press" in line.text) for page in pages]
    assert longest_stretch(MENUS, "en", path, one_second) == max(before) + 1


@pytest.mark.xdist_group("espeak")
def test_every_language_gives_help_within_half_a_minute_with_the_shipped_voices(
        espeak_catalogue):
    seconds = file_seconds(load_manifest(espeak_catalogue), present_files(espeak_catalogue),
                           espeak_catalogue)
    rows = table(MENUS, seconds)
    assert list(rows) == LANGS
    for lang, row in rows.items():
        assert row["median"] is not None and row["median"] <= MEDIAN, (lang, row)
        assert row["worst"] is not None and row["worst"] <= WORST, (lang, row)
        assert row["longest_stretch"] is not None and row["longest_stretch"] <= STRETCH, (
            lang, row)
