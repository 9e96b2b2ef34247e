"""The webhook reads the form fields its docstrings say, and no caller field (issue 8 item 22)."""

import dataclasses

import flask
from werkzeug.datastructures import ImmutableMultiDict

from ivr.core import flow
from ivr.web import create_app
from ivr.web import privacy
from ivr.web import webhook
from tests.conftest import CALL_FIELDS

READ = set()


class RecordingForm(ImmutableMultiDict):
    def get(self, key, *args, **kwargs):
        READ.add(key)
        return super().get(key, *args, **kwargs)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def getlist(self, key, *args, **kwargs):
        READ.add(key)
        return super().getlist(key, *args, **kwargs)


class RecordingRequest(flask.Request):
    def _load_form_data(self):
        super()._load_form_data()
        self.__dict__["form"] = RecordingForm(self.__dict__["form"])


def test_only_digits_dial_status_and_our_own_number_are_read(settings, monkeypatch):
    # Unsigned: the signature check hashes every field, as Twilio signed them.
    app = create_app(dataclasses.replace(settings, auth_token=None, allow_unsigned=True))
    app.request_class = RecordingRequest
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
    for doc in (webhook.__doc__, privacy.__doc__):
        assert all(field in doc for field in READ)
    assert "It reads From only to send" in " ".join(privacy.__doc__.split())
    assert "never Caller" in privacy.__doc__
