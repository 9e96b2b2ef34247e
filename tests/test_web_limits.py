"""What a caller or an attacker can make the webhook keep or read (issue 8 item 8).

Junk Digits and DialCallStatus values are one event to the engine and one cache entry; the
answer cache is bounded in bytes; a chunked body over 64 KiB is refused, not cut short.
"""

import dataclasses
import http.client
import io
import threading

import pytest
from werkzeug.serving import make_server

from ivr.app import create_app
from ivr.web.answercache import ENTRY_OVERHEAD
from ivr.web.answercache import AnswerCache
from tests.conftest import CALL_FIELDS
from tests.conftest import MAIN_EN

JUNK_DIGITS = ["12", "11", "x", " 1", "1 ", "١", "**", "1#", "a" * 1000, "9" * 60_000]


def cache(app):
    return app.extensions["ivr"].cache


def test_junk_digits_are_one_wrong_key_and_one_cache_entry(app, signed_post):
    answers = {
        signed_post("/voice/step?m=main&l=en", {"Digits": digits}).get_data()
        for digits in JUNK_DIGITS
    }
    assert len(answers) == 1
    assert b"That is not one of the choices." in answers.pop()
    assert len(cache(app)) == 1


def test_junk_dial_statuses_are_one_cache_entry(app, signed_post):
    answers = {
        signed_post("/voice/dial-done?m=main&l=en", {"DialCallStatus": status}).get_data()
        for status in ["", "weird", "FAILED", "x" * 50_000, "no-answer "]
    }
    assert len(answers) == 1 and len(cache(app)) == 1
    failed = signed_post("/voice/dial-done?m=main&l=en", {"DialCallStatus": "failed"})
    assert failed.get_data() in answers


def test_the_cache_is_bounded_in_bytes(app, signed_post):
    small = app.extensions["ivr"].cache = AnswerCache(max_bytes=20_000)
    for number in range(200):
        # Each helpline number a request claims is another cache key (its callerId).
        signed_post("/voice/step?m=main&l=en", {"To": f"+35840{number:07d}"})
    assert 0 < len(small) < 200
    assert small.size <= 20_000


def test_the_cache_counts_keys_and_answers_and_drops_the_oldest_first():
    small = AnswerCache(max_bytes=1_500)
    small.put(("a",), b"x" * 300, 300)
    small.put(("b",), b"y" * 300, 300)
    assert (small.get(("a",)), small.get(("b",))) == (b"x" * 300, b"y" * 300)
    small.put(("c",), b"z" * 300, 300)
    assert (small.get(("a",)), small.get(("c",))) == (None, b"z" * 300)
    small.put(("k" * 2_000,), b"", 0)
    assert small.get(("k" * 2_000,)) is None, "a key alone over the bound is not kept"
    assert small.size == 2 * (300 + len(repr(("b",))) + ENTRY_OVERHEAD)


def chunked_form(digits, size):
    return f"Digits={digits}&Padding=".encode() + b"p" * size


@pytest.fixture
def unsigned_app(settings):
    return create_app(dataclasses.replace(settings, auth_token=None, allow_unsigned=True))


def post_chunked(client, body):
    # As gunicorn and werkzeug's server hand a de-chunked body to the app: no
    # Content-Length, and the server ends the stream (wsgi.input_terminated).
    return client.post(
        "/voice/step?m=language", input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_64_kib_is_413(unsigned_app):
    client = unsigned_app.test_client()
    assert post_chunked(client, chunked_form("3", 70 * 1024)).status_code == 413
    assert post_chunked(client, chunked_form("3", 64 * 1024 - 20)).status_code == 200


def test_a_chunked_body_within_the_limit_is_read_whole(unsigned_app):
    body = b"Padding=" + b"p" * 60_000 + b"&Digits=3"
    answer = post_chunked(unsigned_app.test_client(), body)
    assert MAIN_EN in answer.get_data(as_text=True)


def test_a_real_server_refuses_a_chunked_body_over_64_kib(unsigned_app):
    server = make_server("127.0.0.1", 0, unsigned_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        def post(body):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            pieces = (body[i:i + 4096] for i in range(0, len(body), 4096))
            connection.request("POST", "/voice/step?m=language", body=pieces,
                               headers={"Content-Type": "application/x-www-form-urlencoded"},
                               encode_chunked=True)
            response = connection.getresponse()
            status, text = response.status, response.read().decode()
            connection.close()
            return status, text

        form = "&".join(f"{k}={v}" for k, v in CALL_FIELDS.items() if k != "From")
        assert post(chunked_form("3", 70 * 1024))[0] == 413
        status, text = post(f"{form}&Digits=3".encode())
        assert status == 200 and MAIN_EN in text
    finally:
        server.shutdown()
        thread.join(timeout=10)
