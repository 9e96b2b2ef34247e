"""Debian's headless Chromium for the browser tests, through Playwright: one driver and one
browser per test process, a fresh context (cookies, viewport, credentials) per test; the app
served on a free port; screenshots for a reviewer.

Its own module, not a test module: pytest imports a test module under another name than
other modules' `from tests....` imports, and the shared browser must be one object.
"""

import contextlib
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parent / "output"
PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def live_server(app):
    """The app on 127.0.0.1 on a free port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


_SHARED: dict[str, object] = {}
"""One Playwright driver and one Chromium per test process, each test in its own context
(its own cookies, viewport and credentials): a launch per test cost 1-2 s of CPU, x 25."""


def _browser():
    if "browser" not in _SHARED:
        if not Path(CHROMIUM).exists():
            found = shutil.which("chromium")
            pytest.fail(f"no Chromium at {CHROMIUM} (found: {found}); install Debian's "
                        "chromium: apt-get install chromium (make test does it)")
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM,
                                                        args=CHROMIUM_ARGS)
    return _SHARED["browser"]


def close_shared_browser():
    """At the end of the session (tests/conftest.py): the browser, then the driver."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@contextlib.contextmanager
def chromium(**context_options):
    """A page in Debian's headless Chromium (never a downloaded browser), in a fresh
    context of the process's one browser."""
    context = _browser().new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


def shot(page, name):
    """Save a full-page screenshot in tests/output/ and say where."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def fits(page, width):
    """Nothing sticks out sideways: no horizontal scrolling at this width."""
    return page.evaluate("() => document.documentElement.scrollWidth") <= width
