"""What each step counts, derived from the engine alone (ivr/stats/events.py)."""

import dataclasses

import pytest

from ivr.core.callstate import CallState
from ivr.core.flow import next_turn
from ivr.core.turns import Arrive
from ivr.core.turns import DialEnded
from ivr.core.turns import Press
from ivr.core.turns import Silence
from ivr.menus.loader import load_menus
from ivr.stats.events import Count
from ivr.stats.events import derive
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
MAIN = CallState(menu="main", lang="fi")
REGION = CallState(menu="region", lang="en", need="safe_housing", back=("main", "needs_safety"))
SERVICES = CallState(menu="services", lang="sv", need="sexual", region="joensuu",
                     back=("main", "needs_exploitation", "region"))


def counts(state, event, menus=MENUS):
    return derive(menus, state, event, next_turn(menus, state, event))


def test_a_call_starts_in_the_language_menu():
    assert counts(CallState.start(), Arrive()) == (Count("call"), Count("arrive", "language"))


def test_choosing_a_language_counts_the_language_and_the_way_to_the_main_menu():
    assert counts(CallState.start(), Press("2")) == (
        Count("option", "language", "2"),
        Count("depart", "language", "main"),
        Count("arrive", "main", lang="sv"),
        Count("language", lang="sv"),
    )


@pytest.mark.parametrize("code", [language.code for language in MENUS.offered()])
def test_every_offered_language_is_counted_whatever_its_key_path(code):
    # A language under a second language menu ("8 1") was once never counted (issue 23.2).
    state = CallState.start()
    found = []
    for key in MENUS.languages[code].keys:
        turn = next_turn(MENUS, state, Press(key))
        found += derive(MENUS, state, Press(key), turn)
        state = turn.then.state
    assert [c for c in found if c.kind == "language"] == [Count("language", lang=code)]
    assert state.lang == code


def test_choosing_a_region_counts_the_read_out_of_need_region_and_language():
    assert counts(REGION, Press("1")) == (
        Count("option", "region", "1", lang="en"),
        Count("depart", "region", "services", lang="en"),
        Count("arrive", "services", lang="en"),
        Count("readout", "services", need="safe_housing", region="capital_region", lang="en"),
    )


@pytest.mark.parametrize("digits", ["8", "12", "x"])
def test_a_wrong_key_is_counted_in_its_menu(digits):
    assert counts(MAIN, Press(digits)) == (Count("wrong_key", "main", lang="fi"),)


def test_the_last_wrong_key_counts_a_transfer_because_retries_ran_out():
    state = dataclasses.replace(MAIN, wrong_keys=2)
    assert counts(state, Press("8")) == (
        Count("wrong_key", "main", lang="fi"),
        Count("transfer", "main", "retries_ran_out", lang="fi"),
        Count("depart", "main", "info_line", lang="fi"),
    )


def test_silences_are_counted_and_the_last_one_transfers():
    assert counts(MAIN, Silence()) == (Count("silence", "main", lang="fi"),)
    assert counts(dataclasses.replace(MAIN, silences=2), Silence())[1:] == (
        Count("transfer", "main", "retries_ran_out", lang="fi"),
        Count("depart", "main", "info_line", lang="fi"),
    )


def test_the_info_line_key_is_a_transfer_the_caller_asked_for():
    assert counts(SERVICES, Press("0")) == (
        Count("option", "services", "0", lang="sv"),
        Count("transfer", "services", "caller_asked", lang="sv"),
        Count("depart", "services", "info_line", lang="sv"),
    )


def test_the_emergency_key_is_counted_where_it_was_pressed():
    assert counts(REGION, Press("9")) == (
        Count("option", "region", "9", lang="en"),
        Count("emergency", "region", lang="en"),
        Count("depart", "region", "emergency", lang="en"),
    )


def test_repeating_a_menu_is_an_option_not_a_new_arrival():
    assert counts(MAIN, Press("*")) == (Count("option", "main", "*", lang="fi"),)


def test_back_from_the_main_menu_leaves_it_for_the_language_menu():
    assert counts(MAIN, Press("#")) == (
        Count("option", "main", "#", lang="fi"),
        Count("depart", "main", "language", lang="fi"),
        Count("arrive", "language"),
    )


@pytest.mark.parametrize(("status", "outcome"), [
    ("busy", "busy"), ("no-answer", "no-answer"), ("failed", "failed"), ("canceled", "failed"),
    ("junk", "failed"),
])
def test_a_failed_transfer_counts_its_outcome_and_the_caller_back_in_the_menu(status, outcome):
    assert counts(SERVICES, DialEnded(status)) == (
        Count("outcome", "services", outcome, lang="sv"),
        Count("arrive", "services", lang="sv"),
    )


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_a_completed_transfer_counts_only_its_outcome(status):
    assert counts(SERVICES, DialEnded(status)) == (
        Count("outcome", "services", "completed", lang="sv"),)


def test_no_count_holds_anything_but_menu_words():
    # Every field of every count is a menu id, key, need, region, language or a fixed word.
    words = ({"", "info_line", "emergency", "caller_asked", "retries_ran_out", "completed",
              "busy", "no-answer", "failed", "language"} | set(MENUS.menus) | set(MENUS.needs)
             | set(MENUS.regions) | set(MENUS.languages) | set("0123456789*#"))
    steps = [(CallState.start(), Arrive()), (CallState.start(), Press("1")), (MAIN, Press("1")),
             (REGION, Press("7")), (SERVICES, Press("0")), (SERVICES, DialEnded("busy"))]
    for state, event in steps:
        for count in counts(state, event):
            assert set(count[1:]) <= words, count
