"""The call state survives the round trip through a URL, and junk always means the start."""

import pytest

from ivr.core.callstate import CallState
from ivr.core.callstate import decode
from ivr.core.callstate import encode
from ivr.menus.loader import load_menus
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")


def test_the_start_is_the_language_menu_and_encodes_to_one_parameter():
    assert CallState.start() == CallState(menu="language")
    assert encode(CallState.start()) == {"m": "language"}


def test_a_full_state_round_trips():
    state = CallState(
        menu="services",
        lang="sv",
        need="work",
        region="oulu",
        back=("main", "needs_exploitation", "region"),
        silences=2,
        wrong_keys=1,
    )
    assert encode(state) == {
        "m": "services",
        "l": "sv",
        "n": "work",
        "r": "oulu",
        "b": "main.needs_exploitation.region",
        "s": "2",
        "w": "1",
    }
    assert decode(encode(state), MENUS) == state


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"m": "nope", "l": "fi"},
        {"m": "main"},
        {"m": "main", "l": "de"},
        {"m": "main", "l": "fi", "n": "pizza"},
        {"m": "main", "l": "fi", "r": "mars"},
        {"m": "main", "l": "fi", "b": "main.nope"},
        {"m": "main", "l": "fi", "b": "region.region"},
        {"m": "main", "l": "fi", "s": "-1"},
        {"m": "main", "l": "fi", "s": "x"},
        {"m": "main", "l": "fi", "w": "100"},
        {"m": "main", "l": "fi", "w": "١"},
        {"m": "language", "l": "fi"},
        {"m": "language", "b": "main"},
    ],
)
def test_junk_or_tampered_parameters_decode_to_the_start(params):
    assert decode(params, MENUS) == CallState.start()


def test_the_state_never_carries_caller_data():
    assert set(CallState.__dataclass_fields__) == {
        "menu", "lang", "need", "region", "back", "silences", "wrong_keys", "texting"
    }


def test_asking_to_confirm_a_text_message_round_trips_only_where_one_is_offered():
    from ivr.menus.loader import parse_menus
    from tests.speechmenus import sms_menus_text

    sms = parse_menus(sms_menus_text())
    state = CallState("services", "fi", "work", "oulu", ("main", "needs_exploitation", "region"),
                      texting=True)
    assert encode(state)["t"] == "1"
    assert decode(encode(state), sms) == state
    # The shipped menus offer no text message: such a URL is tampering, so the start.
    assert decode(encode(state), MENUS) == CallState.start()
    assert decode({**encode(state), "t": "yes"}, sms) == CallState.start()
    assert state.entering("main").texting is False
