"""The simulator against hand-written TwiML: each verb and edge case, as Twilio behaves."""

import json

import pytest
from flask import Flask
from flask import Response
from flask import abort
from flask import request
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from ivr.qa.listener import Listener
from ivr.qa.simulator import DEFAULT_CALLER
from ivr.qa.simulator import Call
from ivr.qa.transcript import render_transcript

BASE = "https://ivr.example.org"
TOKEN = "12345"


def twiml_app(docs, token=None):
    """A tiny app serving fixed TwiML per path; records every request it gets."""
    app = Flask(__name__)
    app.config["requests"] = seen = []

    def serve(path):
        url = request.url
        if path.startswith("audio/"):
            # Twilio fetches <Play> audio with a plain, unsigned GET.
            if path[len("audio/"):] not in AUDIO:
                abort(404)
            return Response(b"ID3 fake mp3", mimetype="audio/mpeg")
        if token is not None:
            signature = request.headers.get("X-Twilio-Signature", "")
            params = request.form if request.method == "POST" else {}
            if not RequestValidator(token).validate(url, params, signature):
                abort(403)
        seen.append((request.method, url, dict(request.form)))
        key = request.full_path.rstrip("?")
        body = docs.get(key, docs.get("/" + path))
        if body is None:
            abort(404)
        return Response(f"<?xml version='1.0' encoding='UTF-8'?><Response>{body}</Response>",
                        mimetype="text/xml")

    app.add_url_rule("/<path:path>", view_func=serve, methods=["GET", "POST"])
    return app


AUDIO = {"abc123.mp3", "unlisted.mp3"}
LISTENER = Listener(
    manifest={"abc123.mp3": ("Tervetuloa.", "fi")},
    locales={"fi-FI": "fi", "en-GB": "en"},
    emergency_texts=frozenset({"Hang up and dial 112."}),
)


def call(docs, token=None, **kw):
    app = twiml_app(docs, token)
    c = Call(app, LISTENER, auth_token=token, base_url=BASE, **kw)
    c.start()
    return c, app.config["requests"]


def heard(events):
    return [(e.text, e.lang) for e in events if e.kind == "heard"]


MENU = (
    f'<Gather action="{BASE}/step?m=main" numDigits="1" timeout="6" finishOnKey="">'
    '<Say language="en-GB">Press 1.</Say></Gather>'
    f'<Redirect>{BASE}/voice?retry=1</Redirect>'
)


def test_gather_posts_the_digit_to_its_action_with_twilios_parameters():
    c, seen = call({"/voice": MENU, "/step?m=main": '<Say language="fi-FI">Hei.</Say><Hangup/>'})
    assert c.waiting and heard(c.transcript.events) == [("Press 1.", "en")]
    events = c.press("1")
    assert heard(events) == [("Hei.", "fi")]
    assert c.transcript.ending.kind == "hangup"
    method, url, form = seen[-1]
    assert (method, url, form["Digits"]) == ("POST", f"{BASE}/step?m=main", "1")
    assert set(form) == {"CallSid", "AccountSid", "From", "To", "CallStatus", "Direction",
                         "ApiVersion", "Digits"}
    assert form["CallSid"].startswith("CA") and len(form["CallSid"]) == 34
    assert (seen[0][2]["CallStatus"], form["CallStatus"]) == ("ringing", "in-progress")


def test_every_request_is_signed_as_twilio_signs_it():
    docs = {"/voice": MENU, "/step?m=main": "<Hangup/>"}
    c, seen = call(docs, token=TOKEN)
    c.press("1")
    assert c.transcript.ending.kind == "hangup" and len(seen) == 2


def test_a_wrong_auth_token_is_refused_and_reported():
    app = twiml_app({"/voice": MENU}, token=TOKEN)
    c = Call(app, LISTENER, auth_token="not-the-token", base_url=BASE)
    c.start()
    assert c.transcript.ending.kind == "error"
    assert c.transcript.ending.detail == f"HTTP 403 from POST {BASE}/voice"


def test_a_gather_with_nothing_after_it_ends_the_call_on_silence():
    c, _ = call({"/voice": '<Gather numDigits="1"><Say>Press 1.</Say></Gather>'})
    events = c.silence()
    assert [e.kind for e in events] == ["silence"]
    assert events[0].seconds == 5  # Twilio's default timeout
    ending = c.transcript.ending
    assert (ending.kind, ending.detail) == (
        "dead_end", "the TwiML ran out of verbs, so the call ended")


def test_silence_falls_through_to_the_next_verb():
    docs = {"/voice": MENU, "/voice?retry=1": '<Say language="en-GB">Again.</Say>' + MENU}
    c, seen = call(docs)
    events = c.silence()
    assert heard(events) == [("Again.", "en"), ("Press 1.", "en")]
    assert seen[-1][1] == f"{BASE}/voice?retry=1" and "Digits" not in seen[-1][2]
    assert c.waiting


def test_relative_action_and_redirect_resolve_against_the_document_url():
    docs = {
        "/ivr/menu": '<Gather action="step?m=2" numDigits="1"/><Redirect>../voice</Redirect>',
        "/ivr/step?m=2": "<Hangup/>",
        "/voice": "<Hangup/>",
    }
    c, seen = call({**docs, "/voice": '<Redirect method="POST">/ivr/menu</Redirect>'})
    c.press("4")
    assert [u for _, u, _ in seen] == [f"{BASE}/voice", f"{BASE}/ivr/menu", f"{BASE}/ivr/step?m=2"]


def test_gather_without_action_posts_back_to_the_current_document():
    c, seen = call({"/voice": '<Gather numDigits="1"/>'})
    c.press("3")
    assert seen[-1][1:] == (f"{BASE}/voice", seen[-1][2]) and seen[-1][2]["Digits"] == "3"


def test_gather_get_method_sends_the_parameters_in_the_query_string():
    c, seen = call({"/voice": '<Gather action="/step" method="GET" numDigits="1"/>',
                    "/step": "<Hangup/>"}, token=TOKEN)
    c.press("2")
    method, url, _ = seen[-1]
    assert method == "GET" and "Digits=2" in url and c.transcript.ending.kind == "hangup"


def test_finish_on_key_hash_by_default_ends_input_without_the_hash():
    docs = {"/voice": '<Gather action="/step"/><Say>Nothing.</Say>', "/step": "<Hangup/>"}
    c, seen = call(docs)
    c.press("12#")
    assert seen[-1][2]["Digits"] == "12"


def test_hash_alone_with_the_default_finish_on_key_is_no_input():
    docs = {"/voice": '<Gather action="/step" numDigits="1"/><Say>Nothing.</Say><Hangup/>'}
    c, _ = call(docs)
    events = c.press("#")
    assert heard(events) == [("Nothing.", None)]
    assert c.transcript.ending.kind == "hangup"


def test_an_empty_finish_on_key_makes_hash_a_digit():
    c, seen = call({"/voice": '<Gather action="/step" numDigits="1" finishOnKey=""/>',
                    "/step": "<Hangup/>"})
    c.press("#")
    assert seen[-1][2]["Digits"] == "#"


def test_keys_beyond_num_digits_are_reported_as_not_collected():
    c, seen = call({"/voice": MENU, "/step?m=main": "<Hangup/>"})
    events = c.press("12")
    assert seen[-1][2]["Digits"] == "1"
    assert [e.text for e in events if e.kind == "note"] == ["keys '2' were not collected"]


def test_action_on_empty_result_posts_empty_digits():
    c, seen = call({"/voice": '<Gather action="/step" actionOnEmptyResult="true"/>',
                    "/step": "<Hangup/>"})
    c.silence()
    assert seen[-1][2]["Digits"] == ""


def test_a_redirect_loop_is_reported_not_followed_forever():
    c, seen = call({"/voice": "<Redirect>/voice</Redirect>"})
    ending = c.transcript.ending
    assert ending.kind == "loop"
    assert ending.detail == f"25 requests without waiting for the caller, last {BASE}/voice"
    assert len(seen) == 25


def test_the_step_limit_stops_a_call_that_never_ends():
    c, _ = call({"/voice": MENU, "/step?m=main": MENU}, max_steps=5)
    for _ in range(5):
        c.press("1")
    assert c.transcript.ending.kind == "loop"
    assert c.transcript.ending.detail == "more than 5 requests in one call"


def test_play_is_heard_as_the_manifest_text_and_unknown_audio_as_its_url():
    docs = {"/voice": f"<Play>{BASE}/audio/abc123.mp3</Play><Play>audio/unlisted.mp3</Play>"}
    c, _ = call(docs, token=TOKEN)
    assert heard(c.transcript.events) == [
        ("Tervetuloa.", "fi"), ("[audio audio/unlisted.mp3]", None)]
    assert c.transcript.events[0].audio == f"{BASE}/audio/abc123.mp3"
    assert c.transcript.ending.kind == "dead_end"


def test_play_of_a_missing_file_is_an_error_as_it_would_be_on_twilio():
    c, _ = call({"/voice": "<Play>/audio/gone.mp3</Play><Hangup/>"})
    assert (c.transcript.ending.kind, c.transcript.ending.detail) == (
        "error", f"<Play> {BASE}/audio/gone.mp3 answered HTTP 404 text/html")
    c, _ = call({"/voice": "<Play>/voice</Play><Hangup/>"})
    assert c.transcript.ending.detail == f"<Play> {BASE}/voice answered HTTP 200 text/xml"


def test_play_from_another_host_is_not_fetched():
    c, seen = call({"/voice": "<Play>https://cdn.example.net/x.mp3</Play><Hangup/>"})
    assert c.transcript.ending.kind == "hangup" and len(seen) == 1


def test_say_loop_is_heard_as_many_times_and_pause_is_recorded():
    c, _ = call({"/voice": '<Say loop="2">Twice.</Say><Pause length="2"/><Hangup/>'})
    assert [(e.kind, e.text, e.seconds) for e in c.transcript.events] == [
        ("heard", "Twice.", None), ("heard", "Twice.", None), ("pause", None, 2)]


DIAL = (
    f'<Say>Putting you through.</Say><Dial action="{BASE}/dial-done" timeout="30">'
    f'<Number url="/whisper?l=fi">+358295463177</Number></Dial>'
)
DIAL_DOCS = {
    "/voice": MENU,
    "/step?m=main": DIAL,
    "/whisper?l=fi": '<Say language="fi-FI">Soittajan kieli: suomi.</Say>',
    "/dial-done": '<Say language="en-GB">The line is busy.</Say>' + MENU,
}


@pytest.mark.parametrize("outcome", ["busy", "no-answer", "failed"])
def test_a_failed_transfer_posts_the_dial_action_and_the_call_goes_on(outcome):
    c, seen = call(DIAL_DOCS, token=TOKEN, outcome=outcome)
    events = c.press("1")
    transfer = [e for e in events if e.kind == "transfer"]
    assert [(t.number, t.outcome, t.agent_heard) for t in transfer] == [
        ("+358295463177", outcome, [])]
    assert heard(events)[-2:] == [("The line is busy.", "en"), ("Press 1.", "en")]
    assert c.waiting and not c.ended
    form = seen[-1][2]
    assert (form["DialCallStatus"], form["DialBridged"], form["DialCallDuration"]) == (
        outcome, "false", "0")


def test_an_answered_transfer_plays_the_whisper_to_the_agent_and_ends_transferred():
    c, seen = call(DIAL_DOCS, token=TOKEN)
    c.press("1")
    transfer = [e for e in c.transcript.events if e.kind == "transfer"][0]
    assert transfer.agent_heard == [{"text": "Soittajan kieli: suomi.", "lang": "fi"}]
    ending = c.transcript.ending
    assert (ending.kind, ending.number, ending.outcome) == ("transferred", "+358295463177",
                                                           "completed")
    whisper_form = seen[2][2]
    assert whisper_form["Direction"] == "outbound-dial"
    assert whisper_form["ParentCallSid"] == seen[0][2]["CallSid"]
    assert [u for _, u, _ in seen][-1] == f"{BASE}/dial-done"
    assert seen[-1][2]["DialCallStatus"] == "completed"


def test_queued_outcomes_are_used_in_order_before_the_default():
    c, _ = call(DIAL_DOCS)
    c.outcomes.extend(["busy", "failed"])
    c.press("1")
    c.press("1")
    c.press("1")
    outcomes = [e.outcome for e in c.transcript.events if e.kind == "transfer"]
    assert outcomes == ["busy", "failed", "completed"]


def test_a_dial_without_action_moves_on_to_the_next_verb():
    c, _ = call({"/voice": "<Dial>+358295463177</Dial><Say>After.</Say>"}, outcome="busy")
    assert heard(c.transcript.events) == [("After.", None)]
    assert c.transcript.ending.kind == "dead_end"


def test_the_emergency_text_then_hangup_is_an_emergency_ending():
    c, _ = call({"/voice": MENU, "/step?m=main": "<Say>Hang up and dial 112.</Say><Hangup/>"})
    c.press("1")
    assert c.transcript.ending.kind == "emergency"


def test_an_unsupported_verb_or_bad_document_is_an_error_not_a_crash():
    c, _ = call({"/voice": "<Record/>"})
    assert (c.transcript.ending.kind, c.transcript.ending.detail) == (
        "error", "<Record> is not simulated")
    c, _ = call({"/voice": '<Gather><Dial>1</Dial></Gather>'})
    assert c.transcript.ending.detail == "<Dial> cannot be nested in <Gather>"


def test_pressing_after_the_call_ended_is_refused():
    c, _ = call({"/voice": "<Hangup/>"})
    with pytest.raises(RuntimeError, match="has ended"):
        c.press("1")


def test_the_caller_number_is_only_in_the_posted_form():
    c, seen = call(DIAL_DOCS)
    c.press("1")
    assert seen[0][2]["From"] == DEFAULT_CALLER
    assert DEFAULT_CALLER not in json.dumps(c.transcript.as_dict())
    assert DEFAULT_CALLER not in render_transcript(c.transcript)


def test_the_transcript_renders_for_a_terminal():
    c, _ = call(DIAL_DOCS, outcome="busy")
    c.press("1")
    assert render_transcript(c.transcript) == (
        "  [/step] (en) Press 1.\n"
        "> press 1\n"
        "  [/dial-done] (?) Putting you through.\n"
        "== transfer to +358295463177: busy\n"
        "  [/step] (en) The line is busy.\n"
        "  [/step] (en) Press 1.\n"
        "== still on the line, waiting for a key\n"
    )


REAL_APP = {}


def real_app():
    # Built once: hypothesis runs the test body many times.
    if not REAL_APP:
        from ivr.qa.scenarios import simulation_app
        REAL_APP["app"] = simulation_app()
    return REAL_APP["app"]


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.sampled_from(list("0123456789*#") + ["-", "12", "#9"]), max_size=14),
    outcomes=st.lists(st.sampled_from(["completed", "busy", "no-answer", "failed"]), max_size=4),
)
def test_random_calls_through_the_real_webhook_never_dead_end(keys, outcomes):
    from ivr.qa.simulator import place_call

    phone = place_call(real_app(), outcome="busy")
    phone.outcomes.extend(outcomes)
    phone.start()
    for key in keys:
        if not phone.waiting:
            break
        phone.silence() if key == "-" else phone.press(key)
    ending = phone.transcript.ending
    # A hang-up only for a line nobody is on: the goodbye with the info line's number first.
    heard = " ".join(e.text or "" for e in phone.transcript.events if e.kind == "heard")
    goodbye = ending is not None and ending.kind == "hangup" and "0 2 9, 5 4 6, 3 1 7 7" in heard
    assert ending is None or ending.kind in ("transferred", "emergency") or goodbye, ending
    assert DEFAULT_CALLER not in json.dumps(phone.transcript.as_dict())
