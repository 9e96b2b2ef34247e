"""The console's history page: the versions of menus.yaml that went live on this server,
and a readable diff of any two, escaped, under the console's strict CSP (issue 20 item 5)."""

import re
from dataclasses import replace

import pytest

from ivr.app import create_app
from tests.browser import PHONE
from tests.browser import chromium
from tests.browser import fits
from tests.browser import live_server
from tests.browser import shot
from tests.conftest import saved
from tests.test_console import OPERATOR
from tests.test_console import PASSWORD
from tests.test_console import page
from tests.test_console_browser import OPERATOR as BROWSER_OPERATOR
from tests.test_console_browser import PASSWORD as BROWSER_PASSWORD

# Graphviz HTML with a javascript: link, and a script: both pass validate as texts.
SLY = ('<<TABLE><TR><TD HREF="javascript:document.title=1">Turvakoti</TD></TR></TABLE>> '
       "<script>document.title=2</script>")
LINE = "    fi: turvallinen asuminen\n"


@pytest.fixture
def console(settings):
    return create_app(replace(settings, console_password=PASSWORD)).test_client()


def version(client):
    return client.get("/healthz").get_json()["menus_version"]


@pytest.fixture
def edited(console, settings):
    """The shipped menus, then an edit whose text is shaped like markup: both went live."""
    first = version(console)
    text = settings.menus_path.read_text(encoding="utf-8")
    assert text.count(LINE) == 1
    saved(settings.menus_path, text.replace(LINE, f"    fi: '{SLY}'\n"))
    second = version(console)
    assert second != first
    return first, second


def test_the_page_lists_each_version_newest_first_with_the_live_one_marked(console, edited):
    first, second = edited
    html = page(console, "/console/history")
    rows = re.findall(r"<tr><td><code>(\w+)</code>(.*?)</tr>", html, flags=re.S)
    assert [v for v, _ in rows] == [second, first]
    assert '<span class="badge live">live</span>' in rows[0][1]
    assert "edit reloaded" in rows[0][1] and "server started" in rows[1][1]
    assert (f'<a href="/console/history?a={first}&amp;b={second}">from {first}</a>'
            in rows[0][1])
    assert "the oldest kept" in rows[1][1]
    assert '<a href="/console/history" aria-current="page">History</a>' in html


def test_a_change_is_an_escaped_unified_diff_and_runs_nothing(console, edited):
    first, second = edited
    response = console.get(f"/console/history?a={first}&b={second[:4]}", headers=OPERATOR)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert f"<h2>From <code>{first}</code> to <code>{second}</code></h2>" in html
    assert '<span class="del">-    fi: turvallinen asuminen</span>' in html
    assert ('<span class="add">+    fi: &#39;&lt;&lt;TABLE&gt;&lt;TR&gt;&lt;TD HREF=&#34;'
            'javascript:document.title=1&#34;&gt;Turvakoti&lt;/TD&gt;&lt;/TR&gt;&lt;/TABLE&gt;'
            '&gt; &lt;script&gt;document.title=2&lt;/script&gt;&#39;</span>') in html
    # The console's own file is the only script, and no element carries a handler.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/console/static/console.js">']
    assert not re.search(r"<[^>]+\son\w+=", html)


def test_a_version_against_the_file_as_it_is_now(console, edited, settings):
    first, second = edited
    html = page(console, f"/console/history?a={second}")
    assert f"<h2>From <code>{second}</code> to <code>menus.yaml now ({second})</code></h2>" in html
    assert '<p id="same">The two are the same.</p>' in html
    assert '<option value="" selected' not in html  # "as it is now" is the empty choice


@pytest.mark.parametrize(("given", "said"), [
    ("fff", "&#39;fff&#39; is not a version: give 4 to 12 of its hex digits"),
    ("ffff", "no version ffff went live here"),
])
def test_a_version_that_is_not_there_is_said_on_the_page(console, given, said):
    html = page(console, f"/console/history?a={given}")
    assert re.search(r'<p class="error" id="error">([^<]*)</p>', html).group(1).startswith(said)
    assert 'id="diff"' not in html


@pytest.mark.browser
def test_in_the_browser_the_diff_is_shown_as_text_and_runs_nothing(settings):
    app = create_app(replace(settings, console_password=BROWSER_PASSWORD, public_base_url=None,
                             auth_token=None, allow_unsigned=True))
    client = app.test_client()
    first = version(client)
    text = settings.menus_path.read_text(encoding="utf-8")
    saved(settings.menus_path, text.replace(LINE, f"    fi: '{SLY}'\n"))
    second = version(client)
    with live_server(app) as url, chromium(viewport={"width": 1280, "height": 900},
                                           **BROWSER_OPERATOR) as browser:
        browser.goto(f"{url}/console/history")
        browser.click(f"text=from {first}")
        assert browser.url.endswith(f"/console/history?a={first}&b={second}")
        diff = browser.inner_text("pre.diff")
        assert f"+    fi: '{SLY}'" in diff
        assert browser.locator("pre.diff a, svg a").count() == 0
        assert browser.title() not in ("1", "2")
        shot(browser, "console-history")
        browser.set_viewport_size(PHONE)  # the long diff lines scroll inside their card
        assert fits(browser, PHONE["width"])
        shot(browser, "console-390px-history")
