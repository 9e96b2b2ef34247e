"""`python -m ivr serve` and `python -m ivr fallback` as an operator runs them."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.loader import load_menus
from ivr.web.twiml import render_fallback
from tests.conftest import ROOT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_without_a_token_refuses_to_listen_beyond_localhost(monkeypatch):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: refusing to listen on 0.0.0.0 without TWILIO_AUTH_TOKEN: "
        "unsigned requests would be accepted from anywhere\n"
    )


def test_serve_with_broken_menus_is_a_one_line_cause_and_exit_1(monkeypatch, tmp_path):
    bad = tmp_path / "menus.yaml"
    bad.write_text("languages: [", encoding="utf-8")
    monkeypatch.setenv("IVR_MENUS", str(bad))
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.output == f"Error: {bad}: 1 error(s); run `ivr validate {bad}` to see them\n"


@pytest.mark.slow
def test_serve_starts_on_localhost_with_no_token_and_warns(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "IVR_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "ivr", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/voice", method="POST")
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Gather')
        assert headers["Content-Length"] == str(len(body.encode()))
        assert headers["Transfer-Encoding"] is None
        assert f'action="http://127.0.0.1:{port}/voice/step?m=language"' in body
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked." in err.decode()


def test_fallback_writes_the_static_document(tmp_path):
    out = tmp_path / "fallback.xml"
    args = ["fallback", "--menus", str(ROOT / "menus.yaml"), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    expected = render_fallback(load_menus(ROOT / "menus.yaml")).to_xml() + "\n"
    assert out.read_text(encoding="utf-8") == expected


def test_fallback_with_a_missing_menus_file_is_exit_1(tmp_path):
    result = CliRunner().invoke(cli, ["fallback", "--menus", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'nope.yaml'}: no such file (run ivr in the "
                             "folder that holds menus.yaml, or give its path with --menus or "
                             "IVR_MENUS)\n")


def test_fallback_shows_the_info_line_the_helpline_number_not_the_callers():
    args = ["fallback", "--menus", str(ROOT / "menus.yaml"), "--caller-id", "+358931585000"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert '<Dial callerId="+358931585000" timeout="30">+358295463177</Dial>' in result.output


def test_fallback_into_a_missing_folder_is_one_line_and_exit_1(tmp_path):
    out = tmp_path / "no" / "such" / "fallback.xml"
    args = ["fallback", "--menus", str(ROOT / "menus.yaml"), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.output) == (
        1, f"Error: {out}: cannot write it (No such file or directory; check the folder "
           "exists and is writable)\n")


def test_serve_with_a_token_but_no_public_url_beyond_localhost_is_refused(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: IVR_PUBLIC_URL is not set: signatures must be checked against the URL Twilio "
        "calls, not one a client names; set it, e.g. IVR_PUBLIC_URL=https://ivr.example.org\n"
    )
