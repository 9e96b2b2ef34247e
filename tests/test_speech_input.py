"""Speech input (issue 14): menus.yaml switches it on per language, the webhook listens for
keys and speech, what was said is matched to a key in the core, and never logged."""

import logging
from pathlib import Path

import pytest

from ivr.core import speechmatch
from ivr.core.callstate import CallState
from ivr.menus.loader import check_menus_text
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import load_scenarios
from ivr.qa.scenarios import render_failure
from ivr.qa.scenarios import run_scenario
from ivr.qa.scenarios import simulation_app
from tests.conftest import PUBLIC_URL
from tests.speechmenus import SHIPPED
from tests.speechmenus import speech_menus_text
from tests.speechmenus import write_speech_menus

FLOWS = Path(__file__).resolve().parent / "data" / "speech_flows"
SPEECH_MENUS, _ = check_menus_text(speech_menus_text())


@pytest.fixture
def speech_menus_file(menus_file):
    return write_speech_menus(menus_file.parent)


@pytest.fixture(scope="module")
def speech_app(tmp_path_factory):
    return simulation_app(write_speech_menus(tmp_path_factory.mktemp("speech")))


SCENARIOS = load_scenarios([FLOWS], SPEECH_MENUS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_speech_scenarios(speech_app, scenario):
    result = run_scenario(speech_app, app_menus(speech_app), scenario)
    assert result.passed, render_failure(result)


def test_the_shipped_menus_listen_for_keys_only(signed_post):
    text = signed_post("/voice/step?m=main&l=fi", {"Digits": "1"}).get_data(as_text=True)
    assert "input=" not in text and "hints=" not in text


def test_a_menu_in_a_language_with_speech_listens_for_keys_and_speech(speech_menus_file, app,
                                                                      signed_post):
    text = signed_post("/voice/step?m=language", {"Digits": "1"}).get_data(as_text=True)
    action = f"{PUBLIC_URL}/voice/step?m=main&amp;l=fi"
    assert (
        f'<Gather action="{action}" finishOnKey="" hints="turvallinen asuminen, kriisiapu, '
        "naiset ja lapset, oikeudellinen apu, oleskelu, paperittomat ja kotiinpaluu, "
        "hyväksikäyttö työssä, seksuaalinen hyväksikäyttö ja terveys, apua, ihminen, "
        'infopuhelin, päivystäjä, hätä, hätätilanne, vaara, vaarassa" input="dtmf speech" '
        'language="fi-FI" method="POST" numDigits="1" speechTimeout="auto" timeout="6">'
    ) in text
    # The language menu comes before any language is known: keys only.
    first = signed_post("/voice").get_data(as_text=True)
    assert "input=" not in first


def test_what_was_said_leads_where_its_key_does(speech_menus_file, app, signed_post):
    spoken = signed_post("/voice/step?m=main&l=fi", {"SpeechResult": "Turvakoti."})
    pressed = signed_post("/voice/step?m=main&l=fi", {"Digits": "1"})
    assert spoken.get_data() == pressed.get_data()


def test_keys_win_over_words_sent_with_them(speech_menus_file, app, signed_post):
    both = signed_post("/voice/step?m=main&l=fi", {"Digits": "2", "SpeechResult": "turvakoti"})
    pressed = signed_post("/voice/step?m=main&l=fi", {"Digits": "2"})
    assert both.get_data() == pressed.get_data()


@pytest.mark.parametrize(("said", "key"), [
    ("Turvakoti.", "1"),            # a stem shared with 'turvallinen'
    ("KRIISIAPU, kiitos", "1"),
    ("oikeudellinen apu", "2"),     # 'apu' is the help word's stem: left out of labels
    ("työ", "3"),
    ("yksi", "1"),
    ("3", "3"),
    ("nolla", "0"),                 # global keys by their number words too
    ("apua", "0"),
    ("hätä!", "9"),
    ("apua, olen vaarassa", "9"),   # danger wins over everything
    ("hyväksikäyttö", "3"),
    ("yksi tai kaksi", None),       # two keys: asked again
    ("en tiedä", None),
    ("", None),
])
def test_words_are_matched_to_keys_in_the_main_menu(said, key):
    assert speechmatch.key_for(SPEECH_MENUS, CallState("main", "fi"), said) == key


def test_a_word_in_two_labels_tells_no_option_apart():
    state = CallState("needs_exploitation", "fi", back=("main",))
    # 'hyväksikäyttö' is in the labels of both 1 and 2 here.
    assert speechmatch.key_for(SPEECH_MENUS, state, "hyväksikäyttö") is None
    assert speechmatch.key_for(SPEECH_MENUS, state, "seksuaalinen hyväksikäyttö") == "2"


def test_words_are_folded_case_punctuation_and_accents():
    assert speechmatch.words("Hätä! Åbo, NÖD.") == ["hata", "abo", "nod"]


def test_no_words_match_in_a_language_without_speech():
    assert speechmatch.key_for(SPEECH_MENUS, CallState("main", "en"), "safe housing") is None
    assert speechmatch.listening(SPEECH_MENUS, CallState("main", "en")) is None


def test_validate_checks_the_recognition_code_against_twilios_list():
    text = speech_menus_text().replace("language: fi-FI\n", "language: fi-fi\n")
    errors = [p for p in check_menus_text(text)[1] if p.severity == "error"]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "language: fi-fi" in t)
    assert errors[0].format() == (
        f"menus.yaml:{line}:17: error: languages.fi.speech.language: 'fi-fi' is not a language "
        "Twilio recognises speech in (did you mean 'fi-FI'?)")
    text = speech_menus_text(("fi",)).replace("language: fi-FI\n", "language: so-SO\n")
    errors = [p for p in check_menus_text(text)[1] if p.severity == "error"]
    assert "'so-SO' is not a language Twilio recognises speech in" in errors[0].format()


def test_validate_warns_where_speech_is_on_and_is_silent_where_it_is_off():
    text = speech_menus_text(("fi",))
    _, problems = check_menus_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == "    speech:")
    problems = [p for p in problems if "not reviewed by a fluent speaker" not in p.message]
    assert [p.format() for p in problems] == [
        f"menus.yaml:{line}:5: warning: languages.fi.speech: callers in this language are listened "
        "to for speech (Twilio charges for each recognition, and what callers say goes to its "
        "speech provider; see docs/menus.md)"]
    assert [p for p in check_menus_text(SHIPPED)[1]
            if "not reviewed by a fluent speaker" not in p.message] == []


def test_number_words_must_be_ten():
    text = speech_menus_text(("fi",)).replace("[nolla, yksi, ", "[yksi, ")
    errors = [p for p in check_menus_text(text)[1] if p.severity == "error"]
    assert errors[0].format().endswith(
        "languages.fi.speech.numbers: 9 words, not 10 (write the words for 0 to 9, in order)")


def test_what_was_said_is_never_logged(speech_menus_file, app, signed_post, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("werkzeug").info("POST form SpeechResult=olen+vaarassa&Digits=")
    logging.getLogger("ivr").info("form {'SpeechResult': 'olen vaarassa', 'Confidence': '0.9'}")
    signed_post("/voice/step?m=main&l=fi", {"SpeechResult": "olen vaarassa"})
    assert "vaarassa" not in caplog.text
    assert "SpeechResult=[redacted]&Digits=" in caplog.text
    assert "'SpeechResult': '[redacted]'" in caplog.text
