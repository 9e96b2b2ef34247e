"""One step, one pass (issue 18): a request is read, checked and worked out once, and what a
caller said or a junk URL is never kept."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.core import callstate
from ivr.core import flow
from ivr.web import signature
from ivr.web import webhook
from ivr.web.step import Step
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import sign
from tests.speechmenus import write_speech_menus

VECTOR = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
          "From": "+14158675309", "To": "+18005551212"}
STEP = "/voice/step?m=region&l=fi&n=safe_housing&b=main.needs_safety"


def test_the_signature_is_twilios_on_its_published_test_vector():
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    computed = signature.compute(b"12345", url, VECTOR.items())
    assert computed == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert computed == RequestValidator("12345").compute_signature(url, VECTOR)


names = st.sampled_from(["Digits", "To", "From", "CallSid", "a", "A", "Ä", "", "x y"])
values = st.text(max_size=12)


@hsettings(max_examples=500, deadline=None)
@given(url=st.text(max_size=40), pairs=st.lists(st.tuples(names | st.text(max_size=6), values),
                                               max_size=12))
def test_the_signature_equals_the_twilio_librarys_for_any_form(url, pairs):
    expected = RequestValidator(AUTH_TOKEN).compute_signature(url, MultiDict(pairs))
    assert signature.compute(AUTH_TOKEN.encode(), url, pairs) == expected


class Counted:
    """Wraps a function and counts its calls."""

    def __init__(self, function):
        self.function = function
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch):
    """The engine, the signature check and the state decoding, counted; and Flask below."""
    calls = {
        "engine": Counted(flow.next_turn),
        "signature": Counted(signature.compute),
        "decode": Counted(callstate.decode),
    }
    monkeypatch.setattr(flow, "next_turn", calls["engine"])
    monkeypatch.setattr(signature, "compute", calls["signature"])
    monkeypatch.setattr(callstate, "decode", calls["decode"])
    return calls


def signed(client, path, form):
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + path, form)}
    return client.post(path, data=form, headers=headers)


def test_a_step_is_checked_decoded_and_worked_out_once_and_then_answered_from_memory(
        app, client, counted):
    flask_below = []
    webhook_app = app.wsgi_app.app  # BodyLimit around the Webhook
    inner = webhook_app.app
    webhook_app.app = lambda environ, start: flask_below.append(environ) or inner(environ, start)
    form = {**CALL_FIELDS, "Digits": "1"}
    first = signed(client, STEP, form)
    assert first.status_code == 200 and b"<Gather" in first.data
    assert {name: c.calls for name, c in counted.items()} == {
        "engine": 1, "signature": 1, "decode": 1}
    again = signed(client, STEP, form)
    assert again.data == first.data
    assert {name: c.calls for name, c in counted.items()} == {
        "engine": 1, "signature": 2, "decode": 1}
    assert flask_below == [], "no voice request goes through Flask's machinery"
    assert client.get("/healthz").status_code == 200 and len(flask_below) == 1


def test_a_forged_request_is_refused_before_the_engine_runs(client, counted):
    form = {**CALL_FIELDS, "Digits": "1"}
    wrong = {"X-Twilio-Signature": sign(PUBLIC_URL + STEP, {})}
    forged = client.post(STEP, data=form, headers=wrong)
    assert forged.status_code == 403 and forged.data == b""
    assert counted["engine"].calls == counted["decode"].calls == 0


def test_the_answer_and_its_counts_are_kept_together_under_the_step(app, signed_post):
    signed_post(STEP, {"Digits": "1"})
    cache = app.extensions["ivr"].cache
    [(step, (answer, _))] = list(cache._entries.items())
    assert isinstance(step, Step) and step.query == STEP.split("?")[1].encode()
    assert answer.body.startswith(b"<?xml") and answer.counts, "what the step counts"


CONTAINERS = (dict, list, tuple, set, frozenset)


def strings_held(*roots):
    """Every str and bytes these objects hold: in containers, and in the attributes of the
    project's own objects (not in modules, classes or functions they point to)."""
    seen, found, todo = set(), [], list(roots)
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, str | bytes):
            found.append(item if isinstance(item, str) else item.decode("utf-8", "replace"))
        elif isinstance(item, CONTAINERS) or type(item).__module__.startswith("ivr."):
            todo.extend(r for r in gc.get_referents(item) if not isinstance(r, type))
    return found


@pytest.fixture
def speech_menus_file(menus_file):
    return write_speech_menus(menus_file.parent)


def test_what_a_caller_said_is_kept_nowhere_not_even_as_a_key(speech_menus_file, app,
                                                              signed_post):
    said = "tarvitsen turvallinen asuminen zyxwv"
    for _ in range(2):
        answer = signed_post("/voice/step?m=main&l=fi", {"SpeechResult": said,
                                                          "Confidence": "0.9"})
        assert answer.status_code == 200
    context = app.extensions["ivr"]
    held = strings_held(context.cache, context.stats)
    assert not [text for text in held if "zyxwv" in text]
    [step] = [s for s in context.cache._entries if s.endpoint == "step"]
    assert repr(step.event) == "Spoke(key='1')"


def test_a_junk_url_is_kept_nowhere(app, signed_post):
    junk = "zq" + "x" * 300
    for query in (f"m={junk}", f"m=main&l=fi&{junk}=1", "b=" + "y" * 250 + "zq"):
        assert signed_post(f"/voice/step?{query}", {"Digits": "1"}).status_code == 200
    context = app.extensions["ivr"]
    kept = [text for text in strings_held(context.cache, context.stats) if "zq" in text]
    assert kept == [] or all(len(text) <= webhook.MAX_CACHED_QUERY for text in kept)
    assert not [text for text in strings_held(context.stats) if "zq" in text]
