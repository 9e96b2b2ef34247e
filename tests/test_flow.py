"""The call engine on the shipped menus: whole turns, every global key in every language."""

import dataclasses

import pytest

from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.flow import Arrive
from ivr.core.flow import DialEnded
from ivr.core.flow import Hangup
from ivr.core.flow import Listen
from ivr.core.flow import Press
from ivr.core.flow import Silence
from ivr.core.flow import Transfer
from ivr.core.flow import Turn
from ivr.core.flow import next_turn
from ivr.core.script import Line
from ivr.menus.loader import load_menus
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
LANGS = list(MENUS.languages)
INFO = "+358295463177"
START = CallState.start()
REGION = CallState("region", "en", need="work", back=("main", "needs_exploitation"))


def listen(state, *lines):
    return Turn(tuple(lines), Listen(state, 6))


def menu(state):
    return tuple(script.menu_prompt(MENUS, state.menu, state.lang, state.need, state.region))


def test_a_call_starts_with_the_112_notice_and_the_language_choice_in_every_language():
    assert next_turn(MENUS, START, Arrive()) == listen(
        START,
        Line("Hätätilanteessa soita 112.", "fi"),
        Line("Suomeksi, paina 1.", "fi"),
        Line("I nödfall, ring 112.", "sv"),
        Line("På svenska, tryck 2.", "sv"),
        Line("In an emergency, call 112.", "en"),
        Line("For English, press 3.", "en"),
    )


def test_choosing_english_leads_to_the_main_menu_in_english():
    main = CallState("main", "en")
    turn = next_turn(MENUS, START, Press("3"))
    assert turn == listen(main, *menu(main))
    assert turn.lines[:4] == (
        Line("For the 24-hour info line, press 0.", "en"),
        Line("In an emergency, call 112.", "en"),
        Line("Main menu.", "en"),
        Line("Choose the help you need.", "en"),
    )


def test_need_then_region_then_the_read_out_of_that_need_and_region():
    needs = next_turn(MENUS, CallState("main", "en"), Press("3")).then.state
    assert needs == CallState("needs_exploitation", "en", back=("main",))
    region = next_turn(MENUS, needs, Press("1")).then.state
    assert region == REGION
    turn = next_turn(MENUS, region, Press("6"))
    readout = CallState("services", "en", "work", "oulu", ("main", "needs_exploitation", "region"))
    assert turn == listen(readout, *menu(readout))
    assert turn.lines[0] == Line("Topic: exploitation at work.", "en")
    names = [s.name["en"] + "." for s in MENUS.services_for("work", "oulu")]
    assert [line.text for line in turn.lines if line.text in names] == names


def test_the_main_menu_option_of_the_read_out_clears_the_way_back_and_the_choices():
    readout = CallState("services", "fi", "work", "oulu", ("main", "needs_exploitation", "region"))
    assert next_turn(MENUS, readout, Press("2")).then.state == CallState("main", "fi")


def test_going_back_to_a_menu_drops_the_choice_it_asks_again():
    readout = CallState("services", "fi", "work", "oulu", ("main", "needs_exploitation", "region"))
    region = next_turn(MENUS, readout, Press("#")).then.state
    assert region == CallState("region", "fi", "work", None, ("main", "needs_exploitation"))
    needs = next_turn(MENUS, region, Press("#")).then.state
    assert needs == CallState("needs_exploitation", "fi", None, None, ("main",))


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_key_says_the_instruction_twice_and_hangs_up(lang):
    emergency = script.text(MENUS, "emergency", lang)
    turn = next_turn(MENUS, CallState("region", lang, need="work"), Press("9"))
    assert turn == Turn(tuple(emergency + emergency), Hangup())


def test_emergency_key_in_the_language_menu_says_every_language_then_all_again():
    once = [line for lang in LANGS for line in script.text(MENUS, "emergency", lang)]
    assert next_turn(MENUS, START, Press("9")) == Turn(tuple(once + once), Hangup())


def test_emergency_forwarding_dials_the_emergency_number_only_when_switched_on():
    call = dataclasses.replace(MENUS.call, emergency_forwarding=True)
    forwarding = dataclasses.replace(MENUS, call=call)
    state = CallState("main", "en")
    assert next_turn(forwarding, state, Press("9")) == Turn(
        tuple(script.text(MENUS, "emergency", "en")), Transfer("112", state, 30, None)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_info_line_key_transfers_with_the_agent_told_the_language(lang):
    state = CallState("region", lang, need="work", back=("main",), silences=1)
    assert next_turn(MENUS, state, Press("0")) == Turn(
        tuple(script.text(MENUS, "transferring", lang)),
        Transfer(INFO, dataclasses.replace(state, silences=0), 30, lang),
    )


def test_info_line_key_in_the_language_menu_speaks_every_language_and_whispers_nothing():
    every = tuple(line for lang in LANGS for line in script.text(MENUS, "transferring", lang))
    assert next_turn(MENUS, START, Press("0")) == Turn(every, Transfer(INFO, START, 30, None))


@pytest.mark.parametrize("lang", LANGS)
def test_repeat_key_replays_the_menu_and_resets_the_counters(lang):
    state = CallState("region", lang, need="work", back=("main",), wrong_keys=2)
    again = dataclasses.replace(state, wrong_keys=0)
    assert next_turn(MENUS, state, Press("*")) == listen(again, *menu(again))


def test_back_key_walks_back_to_the_language_menu_which_repeats():
    state = REGION
    menus_seen = []
    for _ in range(4):
        state = next_turn(MENUS, state, Press("#")).then.state
        menus_seen.append(state.menu)
    assert menus_seen == ["needs_exploitation", "main", "language", "language"]


@pytest.mark.parametrize("lang", LANGS)
def test_silence_says_so_and_repeats_until_the_limit_then_transfers(lang):
    state = CallState("main", lang)
    first = next_turn(MENUS, state, Silence())
    once = dataclasses.replace(state, silences=1)
    assert first == listen(once, *script.text(MENUS, "no_input", lang), *menu(state))
    second = next_turn(MENUS, once, Silence())
    assert second.then.state == dataclasses.replace(state, silences=2)
    third = next_turn(MENUS, second.then.state, Silence())
    assert third == Turn(
        tuple(script.text(MENUS, "too_many_tries", lang)), Transfer(INFO, state, 30, lang)
    )


@pytest.mark.parametrize("digits", ["5", "12", "", "x", "١", "* ", "##"])
def test_wrong_keys_and_junk_are_counted_apart_from_silences(digits):
    state = CallState("needs_legal", "sv", back=("main",), silences=2)
    counted = dataclasses.replace(state, wrong_keys=1)
    assert next_turn(MENUS, state, Press(digits)) == listen(
        counted, Line("Det valet finns inte.", "sv"), *menu(state)
    )


def test_wrong_key_limit_transfers_to_the_info_line():
    state = CallState("main", "en", wrong_keys=2)
    assert next_turn(MENUS, state, Press("7")) == Turn(
        (Line("I will now put you through to the info line.", "en"),),
        Transfer(INFO, dataclasses.replace(state, wrong_keys=0), 30, "en"),
    )


def test_wrong_key_in_the_language_menu_is_said_in_every_language():
    turn = next_turn(MENUS, START, Press("7"))
    assert turn.lines[:3] == (
        Line("Tätä valintaa ei ole.", "fi"),
        Line("Det valet finns inte.", "sv"),
        Line("That is not one of the choices.", "en"),
    )
    assert turn.then == Listen(CallState(wrong_keys=1), 6)


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_an_answered_transfer_ends_the_call(status):
    assert next_turn(MENUS, REGION, DialEnded(status)) == Turn((), Hangup())


@pytest.mark.parametrize(
    ("status", "told"),
    [
        ("busy", "The info line is busy right now."),
        ("no-answer", "There was no answer from the info line."),
        ("failed", "The call to the info line could not be connected."),
        ("canceled", "The call to the info line could not be connected."),
        ("", "The call to the info line could not be connected."),
    ],
)
def test_a_failed_transfer_says_why_and_the_menu_comes_back(status, told):
    assert next_turn(MENUS, REGION, DialEnded(status)) == listen(
        REGION,
        Line(told, "en"),
        Line("You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.", "en"),
        Line("To repeat, press star.", "en"),
        Line("To go back, press hash.", "en"),
        Line("For the 24-hour info line, press 0.", "en"),
        Line("In an emergency, press 9.", "en"),
        *menu(REGION),
    )


def test_a_failed_transfer_from_the_main_menu_does_not_say_the_global_keys_twice():
    main = CallState("main", "en")
    turn = next_turn(MENUS, main, DialEnded("busy"))
    texts = [line.text for line in turn.lines]
    assert texts.count("To repeat, press star.") == 1


def test_a_read_out_without_need_or_region_goes_to_the_main_menu():
    state = CallState("services", "fi", need="work")
    main = CallState("main", "fi")
    assert next_turn(MENUS, state, Press("*")) == listen(main, *menu(main))


def test_the_read_out_repeat_option_reads_it_again():
    state = CallState("services", "sv", "legal", "lahti", ("main", "needs_legal", "region"))
    assert next_turn(MENUS, state, Press("1")) == listen(state, *menu(state))


def test_the_read_out_info_line_option_transfers():
    state = CallState("services", "sv", "legal", "lahti", ("main", "needs_legal", "region"))
    turn = next_turn(MENUS, state, Press("3"))
    assert turn.then == Transfer(INFO, state, 30, "sv")


def test_a_silence_after_a_read_out_repeats_the_options_not_the_services():
    state = CallState("services", "en", need="return", region="oulu", back=("main", "region"))
    turn = next_turn(MENUS, state, Silence())
    assert [line.text for line in turn.lines] == [
        "I did not hear a choice.",
        "For a repeat of the list, press 1.",
        "For the main menu, press 2.",
        "For the 24-hour info line, press 3.",
    ]
    assert turn.then == Listen(dataclasses.replace(state, silences=1), 6)


def test_the_list_again_key_still_reads_the_services_out():
    state = CallState("services", "en", need="return", region="oulu", back=("main", "region"))
    turn = next_turn(MENUS, state, Press("1"))
    assert turn.lines == tuple(script.menu_prompt(MENUS, "services", "en", "return", "oulu"))


def test_a_failed_transfer_before_a_language_is_chosen_is_told_in_every_language():
    turn = next_turn(MENUS, START, DialEnded("busy"))
    expected = []
    for lang in LANGS:
        expected += script.text(MENUS, "dial_busy", lang)
    for lang in LANGS:
        expected += script.dial_retry(MENUS, lang)
    assert turn == Turn(tuple(expected + script.language_menu(MENUS)), Listen(START, 6))
