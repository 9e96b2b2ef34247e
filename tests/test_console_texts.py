"""The console's Texts page (issue 23 item 9): a text that validate does not ask of a
language is "not needed" there, never red "missing"; a right-to-left language's cells run
right to left, with their numbers, keys and placeholders kept left to right.
(The browser checks the layout itself in tests/test_pages_browser.py.)"""

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from ivr.app import create_app
from ivr.core.model import PARTIAL_TEXTS
from ivr.menus.loader import load_menus
from tests.test_console import OPERATOR
from tests.test_console import PASSWORD


class Table(HTMLParser):
    """The #texts table: per row, per cell, its attributes, its text, and the pieces of
    its text inside <bdi dir="ltr"> ("ltr") and inside any other <bdi> ("isolated")."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[dict]] = []
        self.headers: list[dict] = []
        self._in_table = False
        self._cell: dict | None = None
        self._bdi: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "texts":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = {"tag": tag, **attrs, "text": "", "ltr": [], "isolated": []}
        elif self._cell is not None and tag == "bdi":
            self._bdi = "ltr" if attrs.get("dir") == "ltr" else "isolated"
            self._cell[self._bdi].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            (self.headers if self._cell["tag"] == "th" else self.rows[-1]).append(self._cell)
            self._cell = None
        elif tag == "bdi":
            self._bdi = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
            if self._bdi:
                self._cell[self._bdi][-1] += data


@pytest.fixture
def console(settings):
    app = create_app(replace(settings, console_password=PASSWORD))
    return app.test_client()


def texts_table(console, query=""):
    response = console.get("/console/texts" + query, headers=OPERATOR)
    assert response.status_code == 200
    table = Table()
    table.feed(response.get_data(as_text=True))
    codes = [h["text"].rsplit("(", 1)[1].rstrip(")") for h in table.headers[1:]]
    rows = {row[0]["text"]: dict(zip(codes, row[1:], strict=True)) for row in table.rows
            if row and row[0].get("class") == "path"}
    return table, rows


def status(cell):
    return cell["class"].split()[0]


def test_a_text_said_only_in_some_languages_is_not_needed_where_it_is_absent(console, settings):
    menus = load_menus(settings.menus_path)
    _, rows = texts_table(console)
    for text_id in PARTIAL_TEXTS:
        row = rows[f"texts.{text_id}"]
        written = set(menus.texts[text_id])
        assert {code for code, cell in row.items() if status(cell) == "not-needed"} == (
            set(menus.languages) - written), text_id
        assert "(not needed)" in row["ar"]["text"]
    # validate calls the shipped file valid: no language it offers lacks a text it needs,
    # so nothing is red there; only languages still waiting for their texts (so, prs,
    # ckb: recorded only, not offered until written) have missing texts.
    missing = {code for row in rows.values() for code, cell in row.items()
               if status(cell) == "missing"}
    assert missing == {code for code in menus.languages if not menus.complete(code)}
    assert missing == {"so", "prs", "ckb"}
    assert status(rows["texts.no_input"]["so"]) == "missing"
    assert status(rows["texts.language_other"]["so"]) == "not-needed"


def test_the_summary_and_the_filter_know_not_needed(console):
    response = console.get("/console/texts?lang=ar", headers=OPERATOR)
    page = response.get_data(as_text=True)
    summary = page[page.index('<p id="summary">'):page.index("</p>", page.index('id="summary"'))]
    assert '<span class="badge not-needed">2 not needed</span>' in summary
    assert "missing" not in summary
    assert '"not needed": said only in the languages that have it' in page
    _, rows = texts_table(console, "?lang=ar&only=not+needed")
    assert sorted(rows) == sorted(f"texts.{text_id}" for text_id in PARTIAL_TEXTS)


def test_the_whisper_without_a_language_is_needed_in_the_agents_language(console, settings):
    # validate asks for texts.whisper_no_language in call.agent_language (and only there).
    menus = load_menus(settings.menus_path)
    assert menus.call.agent_language == "fi"
    _, rows = texts_table(console)
    assert status(rows["texts.whisper_no_language"]["fi"]) == "source"


def test_right_to_left_cells_run_right_to_left_with_numbers_left_to_right(console):
    table, rows = texts_table(console)
    # The page runs left to right: a left-to-right language's cells inherit that.
    for code, want in (("ar", "rtl"), ("prs", "rtl"), ("ckb", "rtl"), ("fi", None),
                       ("th", None), ("so", None)):
        assert {cell.get("dir") for cell in (row[code] for row in rows.values())} == {want}, code
        assert all(row[code]["lang"] == code for row in rows.values())
    notice = rows["texts.emergency_notice"]["ar"]
    assert notice["text"].startswith("في حالة الطوارئ، اتصل بالرقم 112.")
    assert notice["ltr"] == ["112"]
    assert rows["texts.option"]["ar"]["ltr"] == ["{label}", "{key}"]
    assert rows["texts.emergency_notice"]["fi"]["ltr"] == ["112"]
    # The language names in the headers are isolated from the code beside them.
    names = {h["text"].rsplit("(", 1)[1].rstrip(")"): h["isolated"] for h in table.headers[1:]}
    assert names["prs"] == ["دری"] and names["ar"] == ["العربية"]
