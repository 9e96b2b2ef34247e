"""The webhook reads the form fields its docstrings say, and no caller field (issue 8 item 22)."""

import dataclasses

from ivr.app import create_app
from ivr.core import flow
from ivr.web import privacy
from ivr.web import step
from ivr.web import webhook
from tests.conftest import CALL_FIELDS

READ = set()


def recording(first_values):
    def read(pairs, names=step.FIELDS):
        READ.update(names)
        return first_values(pairs, names)

    return read


def test_only_digits_dial_status_and_our_own_number_are_read(settings, monkeypatch):
    # Unsigned: the signature check hashes every field, as Twilio signed them.
    app = create_app(dataclasses.replace(settings, auth_token=None, allow_unsigned=True))
    monkeypatch.setattr(webhook, "first_values", recording(step.first_values))
    client = app.test_client()
    READ.clear()
    for path, extra in [
        ("/voice", {}), ("/voice/step?m=language", {"Digits": "3"}),
        ("/voice/step?m=main&l=en", {}), ("/voice/step?m=main&l=en", {"Digits": "0"}),
        ("/voice/dial-done?m=main&l=en", {"DialCallStatus": "busy"}),
        ("/voice/whisper?l=en", {}),
    ]:
        assert client.post(path, data={**CALL_FIELDS, **extra}).status_code == 200
    monkeypatch.setattr(flow, "next_turn", lambda *a: 1 / 0)  # the apology's path too
    assert client.post("/voice/step?m=main&l=en", data=CALL_FIELDS).status_code == 200
    # SpeechResult is read (and never logged) for speech input; From only to send a text
    # message a caller confirmed (tests/test_sms.py), which none of these requests is.
    assert READ == {"Digits", "DialCallStatus", "To", "SpeechResult"}
    for doc in (step.__doc__, privacy.__doc__):
        assert all(field in doc for field in READ)
    assert "It reads From only to send" in " ".join(privacy.__doc__.split())
    assert "never Caller" in privacy.__doc__
