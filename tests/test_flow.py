"""The call engine on the shipped menus: whole turns, every global key in every language."""

import dataclasses

import pytest

from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.flow import next_turn
from ivr.core.model import Option
from ivr.core.script import Line
from ivr.core.turns import Arrive
from ivr.core.turns import DialEnded
from ivr.core.turns import Hangup
from ivr.core.turns import Listen
from ivr.core.turns import Press
from ivr.core.turns import Silence
from ivr.core.turns import Transfer
from ivr.core.turns import Turn
from ivr.menus.loader import load_menus
from tests.conftest import MAIN_EN as FIRST_OPTION_EN
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
# Data-driven (issue 10): the offered languages, whatever menus.yaml has; before a choice
# the greeting languages speak.
LANGS = [language.code for language in MENUS.offered()]
GREETING = list(MENUS.greeting())
INFO = "+358295463177"
START = CallState.start()
WIDE = CallState("services", "en", "work", "whole_country", ("main", "needs_exploitation"))
"""Work exploitation's read-out for the whole country, where choosing the need leads."""
REGION = CallState("region", "en", need="work", back=("main", "needs_exploitation", "services"))
"""The region menu, asked after that read-out (its key works though a region changes
nothing for work exploitation)."""


def listen(state, *lines):
    return Turn(tuple(lines), Listen(state, 6))


def menu(state):
    return tuple(script.menu_prompt(MENUS, state.menu, state.lang, state.need, state.region,
                                    state.item))


def test_a_call_starts_with_the_112_notice_and_the_language_choice_in_every_language():
    turn = next_turn(MENUS, START, Arrive())
    assert turn.lines[:6] == (
        Line("Hätätilanteessa soita 1 1 2.", "fi"),
        Line("Suomeksi, paina 1.", "fi"),
        Line("I nödfall, ring 1 1 2.", "sv"),
        Line("På svenska, tryck 2.", "sv"),
        Line("In an emergency, call 1 1 2.", "en"),
        Line("For English, press 3.", "en"),
    )
    options = [script.language_option(MENUS, lang, MENUS.languages[lang].keys[0])[0]
               for lang in LANGS]
    assert [line for line in turn.lines if line in options] == options
    assert turn.lines[-len(script.language_other(MENUS)):] == tuple(script.language_other(MENUS))
    assert turn.then == Listen(START, 6)


def test_the_language_menu_says_what_to_do_when_your_language_is_not_offered():
    assert script.language_other(MENUS) == [
        Line("Jos kieltäsi ei mainittu, pysy linjalla.", "fi"),
        Line("Sinut yhdistetään infopuhelimeen.", "fi"),
        Line("Auttamisjärjestelmä tarjoaa tulkkausapua.", "fi"),
        Line("Om ditt språk inte nämndes, stanna kvar i linjen.", "sv"),
        Line("Du kopplas till infotelefonen.", "sv"),
        Line("Hjälpsystemet erbjuder tolkningshjälp.", "sv"),
        Line("If your language was not mentioned, stay on the line.", "en"),
        Line("You will be put through to the info line.", "en"),
        Line("The assistance system offers interpreting help.", "en"),
    ]


def test_silence_in_the_language_menu_puts_the_caller_through_telling_the_agent():
    every = tuple(line for lang in GREETING for line in script.text(MENUS, "transferring", lang))
    # One silent round counted: a line nobody is on ends after the next (issue 8 item 2).
    after = dataclasses.replace(START, silent_rounds=1)
    assert next_turn(MENUS, START, Silence()) == Turn(every, Transfer(INFO, after, 30, ""))
    assert script.whisper(MENUS, None) == [
        Line("Puhelu ihmiskaupan uhrien puhelinvalikosta.", "fi"),
        Line("Soittaja ei valinnut kieltä.", "fi"),
    ]


def test_choosing_english_leads_to_the_main_menu_in_english():
    main = CallState("main", "en")
    turn = next_turn(MENUS, START, Press("3"))
    assert turn == listen(main, *menu(main))
    assert turn.lines[:3] == (
        Line("For the 24-hour info line, press 0.", "en"),
        Line("In an emergency, call 1 1 2.", "en"),
        Line(FIRST_OPTION_EN, "en"),
    )


def test_a_need_leads_straight_to_the_whole_countrys_read_out_its_first_service_first():
    needs = next_turn(MENUS, CallState("main", "en"), Press("3")).then.state
    assert needs == CallState("needs_exploitation", "en", back=("main",))
    turn = next_turn(MENUS, needs, Press("1"))
    assert turn == listen(WIDE, *menu(WIDE))
    # Nothing before the first service's name and contact: help comes soonest (issue 19).
    assert turn.lines[:2] == (
        Line("The assistance system for victims of human trafficking.", "en"),
        Line("Phone: 0 2 9, 5 4 6, 3 1 7 7.", "en"),
    )


def test_the_region_asked_after_gives_its_read_out_naming_the_choice_its_own_services_first():
    wide = CallState("services", "en", "health", "whole_country", ("main", "needs_exploitation"))
    region = next_turn(MENUS, wide, Press("2")).then.state
    assert region == CallState("region", "en", "health", None,
                               ("main", "needs_exploitation", "services"))
    turn = next_turn(MENUS, region, Press("5"))
    readout = CallState("services", "en", "health", "joensuu", ("main", "needs_exploitation"))
    assert turn == listen(readout, *menu(readout))
    assert turn.lines[:2] == (Line("Health care, Joensuu.", "en"), Line("Global Clinic.", "en"))
    names = [s.name["en"] + "." for s in MENUS.services_for("health", "joensuu")]
    assert names[0] == "Global Clinic."  # the region's own, then the nationwide one
    assert [line.text for line in turn.lines if line.text in names] == names[:1]


def test_the_next_key_turns_the_page_and_after_the_last_page_starts_again():
    state = CallState("services", "fi", "health", "joensuu", ("main", "needs_exploitation"),
                      silences=2)
    pages = []
    for _ in range(3):
        turn = next_turn(MENUS, state, Press("1"))
        state = turn.then.state
        pages.append(state.item)
        assert turn == listen(state, *menu(state))
        assert state.silences == 0
    assert pages == [1, 0, 1]
    assert turn.lines[0] == Line("Ihmiskaupan uhrien auttamisjärjestelmä.", "fi")


def test_going_back_to_a_menu_drops_the_choice_it_asks_again():
    # From a region's read-out back is the topic menu; from the region menu, the whole
    # country's read-out (the region it asks is dropped, the need kept).
    joensuu = CallState("services", "fi", "health", "joensuu", ("main", "needs_exploitation"),
                        item=1)
    needs = next_turn(MENUS, joensuu, Press("#")).then.state
    assert needs == CallState("needs_exploitation", "fi", None, None, ("main",))
    region = CallState("region", "fi", "health", None, ("main", "needs_exploitation", "services"))
    turn = next_turn(MENUS, region, Press("#"))
    wide = CallState("services", "fi", "health", "whole_country", ("main", "needs_exploitation"))
    assert turn == listen(wide, *menu(wide))


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_key_says_the_instruction_twice_and_hangs_up(lang):
    emergency = script.text(MENUS, "emergency", lang)
    turn = next_turn(MENUS, CallState("region", lang, need="work"), Press("9"))
    assert turn == Turn(tuple(emergency + emergency), Hangup())


def test_emergency_key_in_the_language_menu_says_every_language_then_all_again():
    once = [line for lang in GREETING for line in script.text(MENUS, "emergency", lang)]
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


def test_info_line_key_in_the_language_menu_speaks_the_greeting_languages_and_whispers_so():
    every = tuple(line for lang in GREETING for line in script.text(MENUS, "transferring", lang))
    assert next_turn(MENUS, START, Press("0")) == Turn(every, Transfer(INFO, START, 30, ""))


@pytest.mark.parametrize("lang", LANGS)
def test_repeat_key_replays_the_menu_and_resets_the_counters(lang):
    state = CallState("region", lang, need="work", back=("main",), wrong_keys=2)
    again = dataclasses.replace(state, wrong_keys=0)
    assert next_turn(MENUS, state, Press("*")) == listen(again, *menu(again))


def test_back_key_walks_back_to_the_language_menu_which_repeats():
    state = REGION
    menus_seen = []
    for _ in range(5):
        state = next_turn(MENUS, state, Press("#")).then.state
        menus_seen.append(state.menu)
    assert menus_seen == ["services", "needs_exploitation", "main", "language", "language"]


@pytest.mark.parametrize("lang", LANGS)
def test_silence_says_so_and_repeats_until_the_limit_then_transfers(lang):
    state = CallState("main", lang)
    first = next_turn(MENUS, state, Silence())
    once = dataclasses.replace(state, silences=1)
    assert first == listen(once, *script.text(MENUS, "no_input", lang), *menu(state))
    second = next_turn(MENUS, once, Silence())
    assert second.then.state == dataclasses.replace(state, silences=2)
    third = next_turn(MENUS, second.then.state, Silence())
    counted = dataclasses.replace(state, silent_rounds=1)
    assert third == Turn(
        tuple(script.text(MENUS, "too_many_tries", lang)), Transfer(INFO, counted, 30, lang)
    )


@pytest.mark.parametrize("digits", ["5", "12", "", "x", "١", "* ", "##"])
def test_wrong_keys_and_junk_are_counted_apart_from_silences(digits):
    state = CallState("needs_legal", "sv", back=("main",), silences=2)
    counted = dataclasses.replace(state, wrong_keys=1)
    wrong = listen(counted, Line("Det valet finns inte.", "sv"), *menu(state))
    # The engine says it heard a wrong key: the statistics count it so without asking again.
    assert next_turn(MENUS, state, Press(digits)) == dataclasses.replace(wrong, wrong_key=True)


def test_wrong_key_limit_transfers_to_the_info_line():
    state = CallState("main", "en", wrong_keys=2)
    assert next_turn(MENUS, state, Press("7")) == Turn(
        (Line("I will now put you through to the info line.", "en"),),
        Transfer(INFO, dataclasses.replace(state, wrong_keys=0), 30, "en"), wrong_key=True,
    )


def test_wrong_key_in_the_language_menu_is_said_in_the_greeting_languages():
    # Every key of the first language menu chooses something today: only junk is wrong.
    turn = next_turn(MENUS, START, Press("x"))
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
        Line("To hear how to call 1 1 2, press 9.", "en"),
        *menu(REGION),
    )


def test_a_failed_transfer_from_the_main_menu_does_not_say_the_global_keys_twice():
    main = CallState("main", "en")
    turn = next_turn(MENUS, main, DialEnded("busy"))
    texts = [line.text for line in turn.lines]
    assert texts.count("To repeat, press star.") == 1


def test_a_read_out_without_a_need_goes_to_the_main_menu():
    state = CallState("services", "fi", region="oulu")
    main = CallState("main", "fi")
    assert next_turn(MENUS, state, Press("*")) == listen(main, *menu(main))


def test_a_read_out_with_a_need_and_no_region_is_the_whole_countrys():
    state = CallState("services", "fi", need="work")
    wide = CallState("services", "fi", "work", "whole_country")
    assert next_turn(MENUS, state, Press("*")) == listen(wide, *menu(wide))


def test_the_repeat_key_says_the_read_outs_page_again():
    state = CallState("services", "sv", "legal", "whole_country", ("main", "needs_legal"),
                      wrong_keys=1, item=2)
    again = dataclasses.replace(state, wrong_keys=0)
    turn = next_turn(MENUS, state, Press("*"))
    assert turn == listen(again, *menu(again))
    assert Line("Det var den sista tjänsten.", "sv") in turn.lines


def test_the_info_line_key_in_the_read_out_transfers_from_its_page():
    state = CallState("services", "sv", "legal", "whole_country", ("main", "needs_legal"), item=1)
    turn = next_turn(MENUS, state, Press("0"))
    assert turn.then == Transfer(INFO, state, 30, "sv")


RETURN = CallState("services", "en", "return", "whole_country", ("main", "needs_legal"))
"""The first page of the whole country's read-out for returning home (two services; every
region gives the same, so the region's key is not said)."""
RETURN_KEYS = ["For the next service, press 1.", "To hear it again, press star.",
               "For the info line, press 0."]


def test_a_silence_in_the_read_out_says_the_pages_keys_not_its_service():
    turn = next_turn(MENUS, RETURN, Silence())
    assert [line.text for line in turn.lines] == ["I did not hear a choice.", *RETURN_KEYS]
    assert turn.then == Listen(dataclasses.replace(RETURN, silences=1), 6)


@pytest.mark.parametrize("key", ["3", "4", "5"])
def test_a_key_the_read_out_no_longer_has_says_the_pages_keys(key):
    # The old read-out's 3 (the info line) is a wrong key now: the page says which are right.
    turn = next_turn(MENUS, RETURN, Press(key))
    assert [line.text for line in turn.lines] == ["That is not one of the choices.",
                                                  *RETURN_KEYS]
    assert turn.then == Listen(dataclasses.replace(RETURN, wrong_keys=1), 6)


def test_the_repeat_key_after_a_silence_still_reads_the_whole_page():
    state = dataclasses.replace(RETURN, item=1, silences=1)
    turn = next_turn(MENUS, state, Press("*"))
    assert turn.lines == tuple(script.menu_prompt(MENUS, "services", "en", "return",
                                                  "whole_country", 1))
    assert Line("Website: iom dot fi.", "en") in turn.lines


def test_a_failed_transfer_before_a_language_is_chosen_is_told_in_every_language():
    turn = next_turn(MENUS, START, DialEnded("busy"))
    expected = []
    for lang in GREETING:
        expected += script.text(MENUS, "dial_busy", lang)
    for lang in GREETING:
        expected += script.dial_retry(MENUS, lang)
    assert turn == Turn(tuple(expected + script.language_menu(MENUS)), Listen(START, 6))


def with_call(**settings):
    return dataclasses.replace(MENUS, call=dataclasses.replace(MENUS.call, **settings))


def with_option(menu_id, option):
    menu = MENUS.menus[menu_id]
    changed = dataclasses.replace(menu, options=menu.options + (option,))
    return dataclasses.replace(MENUS, menus={**MENUS.menus, menu_id: changed})


def silent_call(menus, state=START, limit=100):
    """A line nobody is on: silence after every menu, every transfer unanswered."""
    turns = []
    event = Arrive()
    for _ in range(limit):
        turn = next_turn(menus, state, event)
        turns.append(turn)
        if isinstance(turn.then, Hangup):
            return turns
        state = turn.then.state
        event = DialEnded("no-answer") if isinstance(turn.then, Transfer) else Silence()
    raise AssertionError(f"still on the line after {limit} turns")


GOODBYE_EN = (
    Line("I did not hear a choice, so I will end this call now.", "en"),
    Line("You can call the info line yourself on 0 2 9, 5 4 6, 3 1 7 7.", "en"),
)


@pytest.mark.parametrize(("rounds", "transfers"), [(2, 1), (3, 2)])
def test_a_line_nobody_is_on_rings_the_info_line_once_or_twice_then_says_goodbye(rounds, transfers):
    menus = with_call(max_silent_rounds=rounds)
    turns = silent_call(menus, CallState("main", "en"))
    assert sum(isinstance(turn.then, Transfer) for turn in turns) == transfers
    assert turns[-1] == Turn(GOODBYE_EN, Hangup())
    # The menu, then per round three silences; each transfer but the last round's.
    assert len(turns) == 1 + rounds * 3 + transfers


def test_a_silent_call_in_the_language_menu_says_goodbye_in_the_greeting_languages():
    turns = silent_call(MENUS)
    goodbye = tuple(line for lang in GREETING for line in script.goodbye(MENUS, lang))
    assert turns[-1] == Turn(goodbye, Hangup())
    assert [line.lang for line in goodbye] == [lang for lang in GREETING for _ in (1, 2)]


def test_the_shipped_menus_ring_the_info_line_once_for_a_silent_caller():
    assert MENUS.call.max_silent_rounds == 2
    assert sum(isinstance(turn.then, Transfer) for turn in silent_call(MENUS)) == 1


def test_a_count_of_silent_rounds_beyond_the_limit_still_ends_the_call():
    state = CallState("main", "en", silences=2, silent_rounds=99)
    assert next_turn(MENUS, state, Silence()) == Turn(GOODBYE_EN, Hangup())


def test_a_failed_transfer_keeps_the_count_of_silent_rounds():
    state = CallState("main", "en", silent_rounds=1)
    assert next_turn(MENUS, state, DialEnded("busy")).then.state == state


@pytest.mark.parametrize("digits", ["1", "7", "*", "x"])
def test_any_key_even_a_wrong_one_starts_the_silent_rounds_again(digits):
    state = CallState("main", "en", silences=2, silent_rounds=1)
    turn = next_turn(MENUS, state, Press(digits))
    assert turn.then.state.silent_rounds == 0
    while isinstance(turn.then, Listen):
        turn = next_turn(MENUS, turn.then.state, Silence())
    assert isinstance(turn.then, Transfer)


def test_the_last_silent_round_ends_the_call_only_after_its_silences():
    state = CallState("main", "en", silences=1, silent_rounds=1)
    assert isinstance(next_turn(MENUS, state, Silence()).then, Listen)
    state = dataclasses.replace(state, silences=2)
    assert next_turn(MENUS, state, Silence()) == Turn(GOODBYE_EN, Hangup())


def test_without_a_goodbye_text_the_silent_call_ends_with_the_info_lines_number():
    texts = {k: v for k, v in MENUS.texts.items() if k != "goodbye"}
    menus = dataclasses.replace(MENUS, texts=texts)
    state = CallState("main", "en", silences=2, silent_rounds=1)
    assert next_turn(menus, state, Silence()) == Turn(
        (Line("You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.", "en"),), Hangup()
    )


CHANGED = CallState("main", "en", silent_rounds=1, changed=True)
MAIN_EN = CallState("main", "en")


@pytest.mark.parametrize("event", [Press("1"), Silence(), Arrive()])
def test_a_call_whose_menu_changed_is_told_so_and_hears_the_main_menu_in_its_language(event):
    turn = next_turn(MENUS, CHANGED, event)
    rounds = 0 if isinstance(event, Press) else 1
    state = dataclasses.replace(MAIN_EN, silent_rounds=rounds)
    told = listen(state, Line("The menu has changed.", "en"), *menu(MAIN_EN))
    # A key whose menu changed meant nothing here: counted as a wrong key.
    assert turn == dataclasses.replace(told, wrong_key=isinstance(event, Press))


def test_after_the_menu_changed_the_next_key_is_read_in_the_callers_menu_and_language():
    state = next_turn(MENUS, CHANGED, Press("1")).then.state
    assert next_turn(MENUS, state, Press("1")).then.state == CallState(
        "needs_safety", "en", back=("main",)
    )


def test_a_failed_transfer_whose_menu_changed_says_why_then_that_the_menu_changed():
    turn = next_turn(MENUS, CHANGED, DialEnded("busy"))
    assert turn == listen(
        dataclasses.replace(MAIN_EN, silent_rounds=1),
        Line("The info line is busy right now.", "en"),
        Line("You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.", "en"),
        Line("The menu has changed.", "en"),
        *menu(MAIN_EN),
    )


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_an_answered_transfer_whose_menu_changed_still_ends_the_call(status):
    assert next_turn(MENUS, CHANGED, DialEnded(status)) == Turn((), Hangup())


def test_without_a_menu_changed_text_the_main_menu_comes_back_alone():
    texts = {k: v for k, v in MENUS.texts.items() if k != "menu_changed"}
    menus = dataclasses.replace(MENUS, texts=texts)
    assert next_turn(menus, CHANGED, Press("1")) == dataclasses.replace(
        listen(MAIN_EN, *menu(MAIN_EN)), wrong_key=True)


def test_an_option_with_the_emergency_action_gives_the_emergency_instructions():
    menus = with_option("main", Option(key="8", action="emergency"))
    emergency = script.text(MENUS, "emergency", "fi")
    assert next_turn(menus, CallState("main", "fi"), Press("8")) == Turn(
        tuple(emergency + emergency), Hangup()
    )


def test_an_option_going_to_its_own_menu_keeps_the_way_back_and_resets_the_counters():
    menus = with_option("region", Option(key="8", goto="region"))
    state = dataclasses.replace(REGION, silences=2, wrong_keys=1)
    prompt = script.menu_prompt(menus, "region", "en")
    assert next_turn(menus, state, Press("8")) == listen(REGION, *prompt)


def test_back_from_a_menu_with_no_way_back_goes_to_the_main_menu():
    main = CallState("main", "fi")
    assert next_turn(MENUS, CallState("needs_legal", "fi"), Press("#")) == listen(main, *menu(main))


def test_back_from_the_main_menu_with_no_way_back_is_the_language_menu():
    assert next_turn(MENUS, CallState("main", "fi"), Press("#")) == listen(
        START, *script.language_menu(MENUS)
    )


def test_a_failed_transfer_from_the_read_out_brings_back_only_its_pages_keys():
    turn = next_turn(MENUS, RETURN, DialEnded("no-answer"))
    assert [line.text for line in turn.lines] == [
        "There was no answer from the info line.",
        "You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.",
        "To repeat, press star.",
        "To go back, press hash.",
        "For the 24-hour info line, press 0.",
        "To hear how to call 1 1 2, press 9.",
        *RETURN_KEYS,
    ]
    assert turn.then == Listen(RETURN, 6)
