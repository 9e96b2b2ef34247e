"""Every reachable state of the shipped menus, in every language, with every key, silence
and junk, walked through the real webhook with signed requests (as Twilio would drive it).

Proves: every <Gather> is followed by a Redirect whose step keeps the call alive; no <Dial>
ever targets 112 or any emergency number; the info line and the emergency instruction are
one key away from every menu; every read-out page names exactly one of the directory's
services for its need and region, in order, and every one of them is on a page a caller reaches.
"""

import collections
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from phonenumbers import shortnumberinfo

from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.callstate import decode
from ivr.core.callstate import encode
from ivr.core.flow import next_turn
from ivr.core.turns import DialEnded
from ivr.core.turns import Hangup
from ivr.core.turns import Listen
from ivr.core.turns import Press
from ivr.core.turns import Silence
from ivr.core.turns import Transfer
from ivr.menus.loader import load_menus
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
# Whatever languages menus.yaml has (issue 10): the offered ones, and the greeting ones that
# speak before a language is chosen.
LANGS = [language.code for language in MENUS.offered()]
GREETING = list(MENUS.greeting())
PAGES = {"language-" + key for key in script.language_pages(MENUS)}
KEYS = list("0123456789*#")
JUNK = ["12", "x", "1#"]
DIAL_STATUSES = ["completed", "answered", "busy", "no-answer", "failed", "canceled"]
INFO = MENUS.numbers.info_line


def said(root):
    return " ".join((e.text or "") for e in root.iter() if e.tag in ("Say", "Play"))


def query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


LANGUAGE_PART = "language menu"
PARTS = [LANGUAGE_PART, *LANGS]
"""The walk in parts that share nothing, so they can run side by side: the language menu
(every key, up to a language's main menu), then each language from its choice on."""
QUICK = (LANGUAGE_PART, MENUS.call.default_language)
"""The parts `make check` walks; `make test` walks every language."""
WITH_RETRIES = QUICK
"""The parts walked through every count of silences and wrong keys too. In the other
languages the web walk stops at a retry (its answer checked, not walked on): what a retry
does is the same in every language, the engine walk below goes through every retry state
of every language, and the scenarios hear the retry sentences of each."""


class Walk:
    """Breadth-first over every (URL, input) Twilio could send in one part of the menus
    (`part`: the language menu, or a language code); results kept for checks."""

    def __init__(self, post, part):
        self.post = post
        self.part = part
        self.lang = None if part == LANGUAGE_PART else part
        self.retries = part in WITH_RETRIES
        self.results = {}  # (url, input) -> parsed <Response>
        self.gathers = set()  # step URLs a Gather listens on, in this part
        self.whispers = set()

    def run(self):
        queue = collections.deque([(PUBLIC_URL + "/voice", None)])
        while queue:
            url, given = queue.popleft()
            if (url, given) in self.results:
                continue
            form = dict([given]) if given else {}
            response = self.post(url, form)
            assert response.status_code == 200, (url, given, response.data)
            root = ET.fromstring(response.data)
            self.results[(url, given)] = root
            queue.extend(self._next(root, url, given))

    def _next(self, root, url, given):
        assert root.tag == "Response"
        verbs = list(root)
        assert verbs, (url, given)
        gathers = root.findall("Gather")
        if gathers:
            return self._gather(verbs, url, given)
        dials = root.findall("Dial")
        if dials:
            return self._dial(verbs, url, given)
        assert [v.tag for v in verbs][-1] == "Hangup", (url, given)
        return []

    def _gather(self, verbs, url, given):
        assert [v.tag for v in verbs] == ["Gather", "Redirect"], (url, given)
        gather, redirect = verbs
        action = gather.get("action")
        assert gather.attrib == {
            "action": action, "method": "POST", "numDigits": "1", "timeout": "6",
            "finishOnKey": "",
        }
        assert redirect.text == action and redirect.get("method") == "POST"
        assert action.startswith(PUBLIC_URL + "/voice/step?")
        assert {child.tag for child in gather} <= {"Say", "Play"} and len(gather)
        state = query(action)
        if self.lang is not None and "l" not in state:
            # The language menu, in a language's part: it only chooses that language.
            path = MENUS.languages[self.lang].keys
            return [(action, ("Digits", path[0] if state["m"] == "language" else path[-1]))]
        if state.get("l") != self.lang:
            return []  # another part's menu: this answer is checked, the walk goes no further
        if not self.retries and (state.get("s") or state.get("w") or state.get("q")):
            return []  # a retry: checked above, walked in the default language (WITH_RETRIES)
        self.gathers.add(action)
        if state.get("s") or state.get("w"):
            # With retries counted only silence, junk and wrong keys behave differently
            # (the engine-level walk below presses every key in every such state too).
            keys = [MENUS.call.keys.info_line, MENUS.call.keys.emergency, "*", "5"] + JUNK[:1]
        else:
            keys = KEYS + JUNK
        return [(action, given) for given in [("Digits", key) for key in keys] + [None]]

    def _dial(self, verbs, url, given):
        assert [v.tag for v in verbs][-1] == "Dial", (url, given)
        dial = verbs[-1]
        numbers = dial.findall("Number")
        assert len(numbers) == 1 and not (dial.text or "").strip()
        number = numbers[0].text
        assert number == INFO
        assert not shortnumberinfo.is_emergency_number(number, "FI")
        assert number.lstrip("+") not in ("112", "911", "999")
        self.whispers.add(numbers[0].get("url"))
        action = dial.get("action")
        assert action.startswith(PUBLIC_URL + "/voice/dial-done?")
        return [(action, ("DialCallStatus", status)) for status in DIAL_STATUSES]


def _part(part):
    marks = [pytest.mark.xdist_group(f"walk {part}")]  # a part's checks share one walk
    if part not in QUICK:
        marks.append(pytest.mark.slow)
    return pytest.param(part, marks=marks, id=part.replace(" ", "-"))


@pytest.fixture(scope="module", params=[_part(part) for part in PARTS])
def walk(request, tmp_path_factory):
    # Module scope: one walk per part, many checks. Built here rather than from the
    # function-scoped fixtures in conftest.
    import shutil

    from ivr.app import create_app
    from ivr.settings import Settings
    from tests.conftest import AUTH_TOKEN
    from tests.conftest import CALL_FIELDS
    from tests.wsgicall import poster

    tmp = tmp_path_factory.mktemp("walk")
    shutil.copyfile(ROOT / "menus.yaml", tmp / "menus.yaml")
    settings = Settings(
        menus_path=tmp / "menus.yaml", prompts_dir=tmp / "prompts", auth_token=AUTH_TOKEN,
        public_base_url=PUBLIC_URL, reload_interval=3600,
    )
    signed = poster(create_app(settings), PUBLIC_URL, AUTH_TOKEN)

    def post(url, data):
        return signed(url, {**CALL_FIELDS, **data})

    walk = Walk(post, request.param)
    walk.run()
    walk.post = post
    return walk


def test_the_walk_reaches_every_menu_in_every_language_with_retries(walk):
    states = [query(url) for url in walk.gathers]
    reached = {(s.get("l"), s["m"]) for s in states}
    if walk.lang is None:
        assert reached == {(None, "language")} | {(None, page) for page in PAGES}
    else:
        assert reached == {(walk.lang, m) for m in MENUS.menus}
        pairs = {(s["n"], s["r"]) for s in states if s["m"] == "services"}
        assert pairs == set(script.offered_pairs(MENUS))
        assert len(walk.results) > (5_000 if walk.retries else 1_000)
    # In the language menu a silence is the answer of a caller whose language is not
    # offered (they are put through): only wrong keys are counted there.
    silences = range(1) if walk.lang is None and "language_other" in MENUS.texts else range(3)
    counts = range(3) if walk.retries else range(1)
    assert {(s.get("s", "0"), s.get("w", "0")) for s in states} == {
        (str(a), str(b)) for a in silences if a in counts for b in counts
    }


def test_the_parts_of_the_walk_cover_every_offered_language():
    assert set(PARTS) == {LANGUAGE_PART} | {language.code for language in MENUS.offered()}


def last_silence(state):
    """The silence that ends a call nobody is on: the last of the last silent round."""
    call = MENUS.call
    last_round = int(state.get("q", 0)) == call.max_silent_rounds - 1
    if state.get("m", "language").startswith("language") and "language_other" in MENUS.texts:
        return last_round  # the language menu said "stay on the line": one silence is a round
    return int(state.get("s", 0)) == call.max_silences - 1 and last_round


def test_silence_after_every_gather_keeps_the_call_alive_until_the_silent_goodbye(walk):
    for url in walk.gathers:
        root = walk.results[(url, None)]
        if last_silence(query(url)):
            assert [v.tag for v in root][-1] == "Hangup", url
            assert "0 2 9, 5 4 6, 3 1 7 7" in said(root), url
        else:
            assert [v.tag for v in root][-1] in ("Redirect", "Dial"), url


def test_info_line_and_emergency_are_one_key_away_from_every_menu(walk):
    keys = MENUS.call.keys
    for url in walk.gathers:
        state = query(url)
        lang = state.get("l")
        transfer = walk.results[(url, ("Digits", keys.info_line))]
        # Before a language is chosen: told in the greeting languages, and the agent is
        # told that no language was chosen.
        says = 1 if lang else len(GREETING)
        assert [v.tag for v in transfer] == ["Say"] * says + ["Dial"], url
        assert transfer.find("Dial/Number").text == INFO
        whisper = f"{PUBLIC_URL}/voice/whisper?l={lang or ''}"
        assert transfer.find("Dial/Number").get("url") == whisper
        # The info line sees the number called (CALL_FIELDS["To"]), never the caller's.
        assert transfer.find("Dial").get("callerId") == "+358931585000"
        emergency = walk.results[(url, ("Digits", keys.emergency))]
        langs = [lang] if lang else GREETING
        # As the voice says it: 112 digit by digit where callers say it so (issue 21).
        instruction = [" ".join(line.text for line in script.text(MENUS, "emergency", code))
                       for code in langs]
        assert said(emergency) == " ".join(instruction + instruction), url
        assert [v.tag for v in emergency][-1] == "Hangup"
        assert emergency.find(".//Dial") is None


def test_every_read_out_names_exactly_the_services_for_its_need_and_region(walk):
    if walk.lang is None:
        return  # no read-out before a language is chosen
    checked = 0
    pages = collections.defaultdict(set)  # (need, region) -> the pages reached
    for url in walk.gathers:
        state = query(url)
        if state["m"] != "services":
            continue
        root = walk.results[(url, ("Digits", "*"))]
        heard = said(root)
        lang = state["l"]
        names = {s.id: script.service_lines(MENUS, s, lang)[0].text for s in MENUS.services}
        found = sorted((heard.index(name), sid) for sid, name in names.items() if name in heard)
        expected = [s.id for s in MENUS.services_for(state["n"], state["r"])]
        page = int(state.get("i", "0"))
        # One service a page (issue 19), in the directory's order, the region's own first.
        assert [sid for _, sid in found] == [expected[page]], url
        pages[(state["n"], state["r"])].add(page)
        checked += 1
    # Every service of every read-out is on a page a caller reaches.
    assert {pair: sorted(reached) for pair, reached in pages.items()} == {
        pair: list(range(len(MENUS.services_for(*pair)))) for pair in script.offered_pairs(MENUS)}
    # Per page: 3 silences x 3 wrong keys, and 3 silences in each later silent round (a wrong
    # key ends the silent rounds).
    states = 9 + 3 * (MENUS.call.max_silent_rounds - 1) if walk.retries else 1
    every_page = sum(len(MENUS.services_for(*pair)) for pair in script.offered_pairs(MENUS))
    assert checked == every_page * states


def test_the_whisper_tells_the_agent_the_callers_language(walk):
    assert walk.whispers == {f"{PUBLIC_URL}/voice/whisper?l={walk.lang or ''}"}
    for url in sorted(walk.whispers):
        root = ET.fromstring(walk.post(url, {}).data)
        code = query(url).get("l")
        if code is None:
            assert said(root) == MENUS.texts["whisper_no_language"][MENUS.call.agent_language]
        else:
            assert said(root).endswith(f": {MENUS.languages[code].agent_name}.")
        assert [v.tag for v in root] == ["Say"]


def _engine_part(lang):
    marks = [] if lang in QUICK else [pytest.mark.slow]
    return pytest.param(lang, marks=marks, id=lang)


@pytest.mark.parametrize("lang", [_engine_part(lang) for lang in LANGS])
def test_engine_walk_every_key_in_every_state_keeps_the_call_alive(lang):
    """Without the web layer: every key, silence and junk in every state reachable in the
    language menu and this language (the parts share nothing; `make check` walks the
    default language, `make test` every one)."""
    states = engine_walk(MENUS, lang)
    assert {state.lang for state in states} == {None, lang} and len(states) > 200


def engine_walk(menus, lang=None):
    """Every reachable state, or with `lang` those of the language menu and that language
    only; asserts the invariants of each turn (tests/test_languages.py walks a language added
    to a copy of the shipped file)."""
    info = menus.numbers.info_line
    seen = {CallState.start()}
    queue = collections.deque(seen)
    events = [Press(key) for key in KEYS + JUNK] + [Silence()]
    events += [DialEnded(status) for status in DIAL_STATUSES]
    while queue:
        state = queue.popleft()
        for event in events:
            turn = next_turn(menus, state, event)
            then = turn.then
            if isinstance(then, Hangup):
                ended = (Press("9"), DialEnded("completed"), DialEnded("answered"))
                silent = event == Silence() and last_silence(encode(state))
                assert event in ended or silent, (state, event)
                continue
            if isinstance(then, Transfer):
                assert then.number == info
                assert not shortnumberinfo.is_emergency_number(then.number, "FI")
            else:
                assert isinstance(then, Listen) and turn.lines
            assert decode(encode(then.state), menus) == then.state
            if then.state not in seen and (lang is None or then.state.lang in (None, lang)):
                seen.add(then.state)
                queue.append(then.state)
    return seen
