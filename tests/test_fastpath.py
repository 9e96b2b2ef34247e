"""The hot path (ivr/web/fastpath.py) sends exactly what Flask's view would, or lets Flask."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.web import fastpath
from ivr.web import signature
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import sign

VECTOR = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
          "From": "+14158675309", "To": "+18005551212"}


def test_the_signature_is_twilios_on_its_published_test_vector():
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    computed = signature.compute(b"12345", url, VECTOR.items())
    assert computed == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert computed == RequestValidator("12345").compute_signature(url, VECTOR)


names = st.sampled_from(["Digits", "To", "From", "CallSid", "a", "A", "Ä", "", "x y"])
values = st.text(max_size=12)


@hsettings(max_examples=3000, deadline=None)
@given(url=st.text(max_size=40), pairs=st.lists(st.tuples(names | st.text(max_size=6), values),
                                               max_size=12))
def test_the_signature_equals_the_twilio_librarys_for_any_form(url, pairs):
    expected = RequestValidator(AUTH_TOKEN).compute_signature(url, MultiDict(pairs))
    assert signature.compute(AUTH_TOKEN.encode(), url, pairs) == expected


STEP = "/voice/step?m=region&l=fi&n=safe_housing&b=main.needs_safety"


def counting(app):
    """Counts the requests that reach Flask (below the fast path)."""
    fast = app.wsgi_app
    flask_app = fast.app
    seen = []

    def below(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return flask_app(environ, start_response)

    fast.app = below
    return seen


def signed(client, path, form):
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + path, form)}
    return client.post(path, data=form, headers=headers)


def test_a_repeated_step_skips_flask_and_gets_the_same_bytes(app, client):
    seen = counting(app)
    cases = [("/voice", {}), (STEP, {"Digits": "1"}), (STEP, {}), (STEP, {"Digits": "12#"}),
             ("/voice/dial-done?m=main&l=en", {"DialCallStatus": "busy"})]
    for path, extra in cases:
        form = {**CALL_FIELDS, **extra}
        first, second = signed(client, path, form), signed(client, path, form)
        assert second.status_code == first.status_code == 200
        assert second.data == first.data
        assert second.headers["Content-Type"] == first.headers["Content-Type"]
        assert second.headers["Content-Length"] == first.headers["Content-Length"]
    # Each first request went to Flask, which rendered and cached it; no second did.
    assert seen == [path.split("?")[0] for path, _ in cases]


def test_a_forged_or_odd_request_for_a_cached_answer_still_goes_to_flask(app, client):
    form = {**CALL_FIELDS, "Digits": "1"}
    assert signed(client, STEP, form).status_code == 200
    seen = counting(app)
    wrong = {"X-Twilio-Signature": sign(PUBLIC_URL + STEP, {})}
    forged = client.post(STEP, data=form, headers=wrong)
    assert forged.status_code == 403 and forged.data == b""
    other_number = signed(client, STEP, {**form, "To": "+358931585001"})  # another callerId
    assert other_number.status_code == 200
    body = urlencode(form) + "&Junk=" + "x" * 70000
    huge = client.post(STEP, data=body, content_type="application/x-www-form-urlencoded",
                       headers={"X-Twilio-Signature": sign(PUBLIC_URL + STEP, form)})
    assert huge.status_code == 413
    assert seen == ["/voice/step"] * 3


def test_a_failure_in_the_fast_path_is_answered_by_flask(app, client, monkeypatch, caplog):
    form = {**CALL_FIELDS, "Digits": "1"}
    expected = signed(client, STEP, form).data

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(fastpath, "_first_values", broken)
    response = signed(client, STEP, form)
    assert response.status_code == 200 and response.data == expected
    assert "the fast path failed; passing the request to Flask" in caplog.text
