"""Speech can ask for a read-out page again (issue 19): `*` has no option to match, so
languages.<id>.speech.words.repeat gives the words for it."""

from ivr.core import speechmatch
from ivr.core.callstate import CallState
from ivr.menus.loader import check_menus_text
from tests.speechmenus import speech_menus_text


def test_the_repeat_words_stand_for_the_repeat_key():
    text = speech_menus_text().replace(
        "        emergency: [hätä, hätätilanne, vaara, vaarassa]\n",
        "        emergency: [hätä, hätätilanne, vaara, vaarassa]\n"
        "        repeat: [uudelleen, toista]\n", 1)
    menus, problems = check_menus_text(text)
    assert menus is not None, [p.format() for p in problems if p.severity == "error"]
    page = CallState("services", "fi", "safe_housing", "whole_country", back=("main",))
    assert speechmatch.key_for(menus, page, "kuuntele uudelleen") == menus.call.keys.repeat
    assert "uudelleen" in speechmatch.listening(menus, page).hints
    without, _ = check_menus_text(speech_menus_text())
    assert speechmatch.key_for(without, page, "kuuntele uudelleen") is None
