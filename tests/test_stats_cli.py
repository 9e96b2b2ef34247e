"""`ivr stats report` through click's CliRunner: formats, the default period, hidden cells,
one-line errors."""

import csv
import datetime
import io
import json
import re

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.stats import store
from ivr.stats.events import Count
from ivr.stats.report import last_half_year

H1 = ("2026-01-01", "2026-06-30")
COUNTS = {
    Count("call"): 40,
    Count("language", lang="fi"): 30, Count("language", lang="sv"): 8,
    Count("language", lang="en"): 2,
    Count("readout", "services", need="safe_housing", region="capital_region", lang="fi"): 12,
    Count("readout", "services", need="work", region="joensuu", lang="en"): 1,
    Count("arrive", "language"): 40, Count("depart", "language", "main"): 38,
    Count("arrive", "main", lang="fi"): 38, Count("depart", "main", "needs_safety", lang="fi"): 20,
    Count("silence", "main", lang="fi"): 6,
    Count("emergency", "main", lang="fi"): 5,
    Count("transfer", "main", "caller_asked", lang="fi"): 9,
    Count("transfer", "main", "retries_ran_out", lang="fi"): 3,
    Count("outcome", "main", "completed", lang="fi"): 10,
    Count("outcome", "main", "busy", lang="fi"): 2,
}


@pytest.fixture
def url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    engine = store.create_store_engine(url)
    store.migrate(engine)
    store.add(engine, datetime.date(2026, 2, 10), COUNTS)
    store.add(engine, datetime.date(2026, 7, 1), {Count("call"): 99})  # the next half-year
    engine.dispose()
    monkeypatch.setenv("IVR_STATS_URL", url)
    return url


def run(*args):
    return CliRunner().invoke(cli, ["stats", "report", *args])


def test_json_has_every_figure_with_small_counts_hidden(url):
    result = run("--from", H1[0], "--to", H1[1])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert data["min_count"] == 5
    assert data["calls"] == 40
    assert data["languages"] == {"fi": 30, "sv": 8, "en": None}
    assert data["readouts"] == [
        {"need": "safe_housing", "region": "capital_region", "language": "fi", "count": 12},
        {"need": "work", "region": "joensuu", "language": "en", "count": None},
    ]
    assert data["emergency"] == 5
    assert data["transfers"] == {"caller_asked": 9, "retries_ran_out": None, "error": 0}
    assert data["transfer_outcomes"] == {"completed": 10, "busy": None, "no-answer": 0,
                                         "failed": 0}
    assert data["menus"][:2] == [
        {"menu": "language", "arrivals": 40, "left": None, "left_percent": None,
         "silences": 0, "wrong_keys": 0},
        {"menu": "main", "arrivals": 38, "left": 18, "left_percent": 47.4, "silences": 6,
         "wrong_keys": 0},
    ]


def test_min_count_one_shows_every_count(url):
    data = json.loads(run("--from", H1[0], "--to", H1[1], "--min-count", "1").output)
    assert data["languages"]["en"] == 2 and data["menus"][0]["left"] == 2


@pytest.mark.parametrize(("today", "period"), [
    (datetime.date(2026, 12, 1), (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))),
    (datetime.date(2026, 7, 1), (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))),
    (datetime.date(2026, 6, 30), (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))),
    (datetime.date(2027, 1, 1), (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))),
])
def test_the_default_period_is_the_last_full_half_year(today, period):
    assert last_half_year(today) == period


def test_without_dates_the_report_covers_the_last_full_half_year(url):
    data = json.loads(run().output)
    first, last = last_half_year(datetime.date.today())
    assert data["period"] == {"from": first.isoformat(), "to": last.isoformat()}


def test_csv_shows_hidden_cells_as_below_k(url):
    result = run("--from", H1[0], "--to", H1[1], "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["figure", "name", "need", "region", "language", "count"]
    assert ["calls", "calls", "", "", "", "40"] in rows
    assert ["languages", "en", "", "", "en", "<5"] in rows
    assert ["readouts", "", "work", "joensuu", "en", "<5"] in rows


def test_html_is_one_self_contained_file_with_a_chart_and_table_per_figure(url, tmp_path):
    out = tmp_path / "report.html"
    result = run("--from", H1[0], "--to", H1[1], "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (2026-01-01 to 2026-06-30)\n"
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # nothing to fetch
    assert "<script" not in page
    assert page.count("<svg") == 5 and page.count("<table>") == 7
    assert "<td>sexual</td>" not in page and "&lt;5" in page
    assert 'Counts from 1 to 4 are shown as "&lt;5"' in page


def test_the_sections_alone_are_a_fragment_for_the_console(url):
    from ivr.stats.html import render_sections
    from ivr.stats.report import report_data

    fragment = render_sections(report_data(url, datetime.date(2026, 1, 1),
                                           datetime.date(2026, 6, 30), 5))
    assert fragment.startswith('<section class="stats-figure">')
    assert "<html" not in fragment and "<body" not in fragment


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-01-01"], "give both --from and --to, or neither (the last full half-year)"),
    (["--from", "2026-06-30", "--to", "2026-01-01"], "--from 2026-06-30 is after --to 2026-01-01"),
])
def test_a_bad_period_is_a_usage_error(url, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_a_missing_store_is_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("IVR_STATS_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    result = run()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'none.sqlite3'}: no statistics store there (the webhook creates "
        "it on start; check IVR_STATS_URL)\n")


def test_an_unreachable_postgresql_is_one_line_without_the_password(monkeypatch):
    monkeypatch.setenv("IVR_STATS_URL", "postgresql+psycopg://ivr:secret@127.0.0.1:1/ivr")
    result = run()
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: postgresql+psycopg://ivr:***@127.0.0.1:1/ivr: "
                                    "cannot read the statistics (")
    assert "secret" not in result.output


def test_statistics_off_says_how_to_name_the_store(monkeypatch):
    monkeypatch.setenv("IVR_STATS_URL", "off")
    result = run()
    assert (result.exit_code, result.output) == (1, (
        "Error: statistics are off (IVR_STATS_URL=off); give the store with --store URL or "
        "set IVR_STATS_URL\n"))


def test_an_unwritable_output_leaves_nothing_half_written(url, tmp_path):
    out = tmp_path / "missing" / "report.json"
    result = run("-o", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {out}: cannot write it (")
    assert not out.parent.exists()
