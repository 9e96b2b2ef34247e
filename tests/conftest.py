"""Shared fixtures: an app on a temporary copy of the shipped menus, and Twilio-signed requests.

Fixture names other test modules rely on: menus_file, settings, app, client, signed_post,
post_unsigned. Constants: AUTH_TOKEN, PUBLIC_URL, CALLER, CALL_FIELDS, and the anchor tests
edit the shipped menus at: MAIN_LABEL_EN, MAIN_EN, EDIT_EN, EDITED_EN.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from ivr.app import create_app
from ivr.settings import Settings

# Defined once for every module here: a session fixture imported into two test modules is
# two fixtures, and the catalogue was rendered twice.
from tests.espeakcatalogue import espeak_catalogue  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://ivr.example.org"
CALLER = "+358401234567"
"""A caller's number as Twilio sends it; it must never show up in any output."""
CALL_FIELDS = {
    "AccountSid": "AC00000000000000000000000000000000",
    "ApiVersion": "2010-04-01",
    "CallSid": "CA11111111111111111111111111111111",
    "CallStatus": "in-progress",
    "Direction": "inbound",
    "From": CALLER,
    "Caller": CALLER,
    "CallerCountry": "FI",
    "FromCountry": "FI",
    "To": "+358931585000",
    "Called": "+358931585000",
}
"""The standard fields Twilio posts with every voice webhook request."""

MAIN_LABEL_EN = "safe housing, crisis support, or help for women and children"
"""The English label of the shipped main menu's first option: the text tests change to make a
valid edit of menus.yaml. Defined here only, so a new wording touches one place."""
MAIN_EN = f"For {MAIN_LABEL_EN}, press 1."
"""What a caller who chose English hears of it in the main menu."""
EDIT_EN = (f"en: {MAIN_LABEL_EN}", "en: safe housing or crisis support")
"""(old, new) in menus.yaml: an edit every check passes (once in the file, either way)."""
EDITED_EN = "For safe housing or crisis support, press 1."
"""What the main menu says after EDIT_EN."""


def saved(path: Path, text: str | None = None, ago: float = 5.0) -> None:
    """Write `text` (if given) and make the file look saved `ago` seconds ago: it has stood
    still, so the next reload check reads it (the store waits out a file still moving)."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    then = time.time() - ago
    os.utime(path, (then, then))


def sign(url: str, data: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for this URL and form."""
    return RequestValidator(token).compute_signature(url, data)


@pytest.fixture
def menus_file(tmp_path: Path) -> Path:
    """A temporary copy of the shipped menus.yaml (tests may rewrite it)."""
    path = tmp_path / "menus.yaml"
    shutil.copyfile(ROOT / "menus.yaml", path)
    return path


@pytest.fixture
def settings(menus_file: Path, tmp_path: Path) -> Settings:
    """Signatures on, a public URL, no rendered prompts, reload checks on every request."""
    return Settings(
        menus_path=menus_file,
        prompts_dir=tmp_path / "prompts",
        auth_token=AUTH_TOKEN,
        public_base_url=PUBLIC_URL,
        reload_interval=0.0,
    )


@pytest.fixture
def app(settings: Settings):
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def signed_post(client):
    """post(path, data=None, fields=True): a POST signed exactly as Twilio signs it.

    `path` includes the query string ("/voice/step?m=main&l=fi") or is an absolute URL of
    PUBLIC_URL (as found in TwiML). With fields=True the standard call fields are added.
    """

    def post(path: str, data: dict[str, str] | None = None, fields: bool = True):
        if path.startswith(PUBLIC_URL):
            path = path[len(PUBLIC_URL):]
        form = {**(CALL_FIELDS if fields else {}), **(data or {})}
        headers = {"X-Twilio-Signature": sign(PUBLIC_URL + path, form)}
        return client.post(path, data=form, headers=headers)

    return post


@pytest.fixture
def post_unsigned(client):
    """post(path, data=None, headers=None): a POST with no signature unless given."""

    def post(path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        return client.post(path, data={**CALL_FIELDS, **(data or {})}, headers=headers or {})

    return post


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    """No test hears the working tree's prompts/ or the tester's own IVR_* / Twilio settings."""
    for name in ("TWILIO_AUTH_TOKEN", "IVR_MENUS", "IVR_PUBLIC_URL", "IVR_PROXY_HOPS",
                 "IVR_PROMPTS_URL", "IVR_ALLOW_OFFLINE_PROMPTS", "IVR_PLAYGROUND",
                 "IVR_PLAYGROUND_PASSWORD", "IVR_CALLER_ID", "IVR_RELOAD_INTERVAL",
                 "IVR_STATS_URL", "IVR_ALLOW_UNSIGNED"):
        monkeypatch.delenv(name, raising=False)
    # A fresh empty folder per test, numbered here: tmp_path_factory.mktemp lists every
    # folder made so far to number the next, quadratic over ~1,000 tests a worker.
    folder = tmp_path_factory.getbasetemp() / "no-prompts" / str(next(_NO_PROMPTS))
    folder.mkdir(parents=True)
    monkeypatch.setenv("IVR_PROMPTS_DIR", str(folder))


_NO_PROMPTS = itertools.count()


SLOW_FIXTURES = {"postgres_server", "espeak_catalogue"}
"""Fixtures that start a real server (PostgreSQL) or render the whole catalogue with
espeak-ng: a test using one is `slow`, which `make check` leaves out."""


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        # Under pytest-xdist (--dist loadgroup, as make test runs it) a module's tests stay
        # in one worker, so a fixture the module shares is built once; a module splits
        # itself with xdist_group marks of its own (test_walk: one group per language).
        if item.get_closest_marker("xdist_group") is None:
            module = getattr(item, "module", None)
            item.add_marker(pytest.mark.xdist_group(module.__name__ if module else
                                                    str(item.path)))


def pytest_sessionfinish(session):
    browsers = sys.modules.get("tests.browser")
    if browsers is not None:
        browsers.close_shared_browser()
