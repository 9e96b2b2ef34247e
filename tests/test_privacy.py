"""No caller number or caller field reaches any output, even at DEBUG, even on errors."""

import logging
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from ivr.core import flow
from ivr.web.privacy import CallerPrivacyFilter
from ivr.web.privacy import mask
from tests.conftest import CALLER

NATIONAL = "040 123 4567"
ACCESS = '"POST /voice/step?m=main&l=fi HTTP/1.1" 200 -'
LOADED = "loaded 2026-11-25T19:15:43+00:00 on port 5000"
READOUT = "m=services&l=fi&n=undocumented&r=capital_region&b=main.needs_legal.region"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("From=+358401234567&To=+358931585000", "From=[redacted]&To=[redacted]"),
        ("call +358 40 123 4567 now", "call [redacted] now"),
        ("call 040-123 4567 or (09) 1234 567", "call [redacted] or [redacted]"),
        ("{'Caller': '0401234567'}", "{'Caller': '[redacted]'}"),
        ("url ?n=%2B358401234567", "url ?n=[redacted]"),
        ("bare 358401234567", "bare [redacted]"),
        ("CallerName=Jane+Doe&x=1", "CallerName=[redacted]&x=1"),
        (ACCESS, ACCESS),
        (LOADED, LOADED),
    ],
)
def test_phone_numbers_and_caller_fields_are_masked(text, masked):
    assert mask(text) == masked


def test_the_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError(f"bad caller {CALLER}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "from %s", (CALLER,), None)
        import sys

        record.exc_info = sys.exc_info()
    CallerPrivacyFilter().filter(record)
    assert record.getMessage() == "from [redacted]"
    assert CALLER not in logging.Formatter().format(record)


def test_a_full_call_at_debug_leaves_no_caller_number_anywhere(
    signed_post, caplog, capsys, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    steps = [
        ("/voice", {}),
        ("/voice/step?m=language", {"Digits": "1"}),
        ("/voice/step?m=main&l=fi", {"Digits": "2"}),
        ("/voice/step?m=needs_legal&l=fi&b=main", {"Digits": "2"}),
        ("/voice/step?m=region&l=fi&n=undocumented&b=main.needs_legal", {"Digits": "1"}),
        (f"/voice/step?{READOUT}", {"Digits": "3"}),
        ("/voice/whisper?l=fi", {}),
        (f"/voice/dial-done?{READOUT}", {"DialCallStatus": "busy"}),
        ("/voice/step?m=main&l=fi", {"Digits": "x"}),
        ("/voice/step?m=main&l=fi", {"Digits": "9"}),
    ]
    bodies = [signed_post(path, {**data, "CallerName": "Jane Doe", "FromCity": NATIONAL})
              for path, data in steps]
    # An internal error whose message carries the number is logged with its traceback.
    def broken(*args):
        raise RuntimeError(f"engine saw {CALLER} / {NATIONAL}")

    monkeypatch.setattr(flow, "next_turn", broken)
    bodies.append(signed_post("/voice/step?m=main&l=fi", {"Digits": "1"}))
    assert all(b.status_code == 200 for b in bodies)
    assert any("apologising" in r.getMessage() for r in caplog.records)
    captured = capsys.readouterr()
    everything = caplog.text + captured.out + captured.err + "".join(
        b.get_data(as_text=True) for b in bodies
    )
    for secret in (CALLER, CALLER[1:], NATIONAL, "401234567", "Jane Doe"):
        assert secret not in everything


def test_werkzeugs_access_log_never_shows_a_number(app, caplog, capfd):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/healthz?From=%2B358401234567&x={CALLER}"
    with urllib.request.urlopen(url) as response:
        assert response.status == 200
    thread.join()
    server.server_close()
    out = capfd.readouterr()
    assert "GET /healthz?From=[redacted]&x=[redacted] HTTP/1.1" in caplog.text
    assert "358401234567" not in caplog.text + out.err + out.out
