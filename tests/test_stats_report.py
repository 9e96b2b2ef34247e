"""The report's figures from stored totals: small cells hidden, and no published total that
gives a hidden cell away (ivr/stats/report.py, ivr/stats/cells.py)."""

import datetime

from ivr.stats.events import Count
from ivr.stats.html import render_report
from ivr.stats.html import render_sections
from ivr.stats.report import figures
from ivr.stats.report import render_csv

DAY = datetime.date(2026, 3, 2)
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def readout(need, region, lang):
    return Count("readout", "services", need=need, region=region, lang=lang)


def report(counted, by_day=None, k=5):
    return figures(counted, by_day or {DAY: 50}, *PERIOD, k)


def test_a_lone_hidden_language_cell_takes_the_next_smallest_with_it():
    data = report({readout("health", "lahti", "fi"): 20, readout("health", "lahti", "en"): 7,
                   readout("health", "lahti", "sv"): 2})
    assert data["needs_by_region"] == [{"need": "health", "region": "lahti", "count": 29}]
    # 29 - 20 would be the Swedish cell if English were shown: both are hidden, and
    # English (7) is "hidden", not a count under 5.
    assert data["readouts"] == [
        {"need": "health", "region": "lahti", "language": "fi", "count": 20},
        {"need": "health", "region": "lahti", "language": "en", "count": "hidden"},
        {"need": "health", "region": "lahti", "language": "sv", "count": None},
    ]


def test_totals_per_need_are_hidden_when_a_region_of_theirs_is():
    data = report({readout("health", "lahti", "fi"): 20, readout("health", "oulu", "fi"): 3,
                   readout("work", "oulu", "fi"): 9})
    assert data["needs"] == {"work": 9, "health": "hidden"}
    assert data["needs_by_language"] == [
        {"need": "work", "language": "fi", "count": 9},
        {"need": "health", "language": "fi", "count": "hidden"},
    ]


def test_the_calls_total_is_hidden_when_a_month_is():
    by_day = {datetime.date(2026, 1, 5): 40, datetime.date(2026, 2, 5): 2}
    data = report({Count("call"): 42}, by_day)
    assert data["calls_by_month"] == {"2026-01": 40, "2026-02": None}
    assert data["calls"] == "hidden"
    assert report({Count("call"): 42}, by_day, k=2)["calls"] == 42


def test_zero_is_shown_as_zero_and_hidden_cells_are_listed_last_by_name():
    data = report({readout("work", "oulu", "sv"): 1, readout("legal", "oulu", "sv"): 3,
                   readout("crisis", "oulu", "sv"): 6})
    assert [r["need"] for r in data["readouts"]] == ["crisis", "legal", "work"]
    assert data["emergency"] == 0 and data["transfers"]["error"] == 0


def test_where_callers_leave_is_arrivals_minus_departures():
    data = report({Count("arrive", "region", lang="fi"): 40,
                   Count("depart", "region", "services", lang="fi"): 30,
                   Count("depart", "region", "info_line", lang="fi"): 4,
                   Count("wrong_key", "region", lang="fi"): 7})
    assert data["menus"] == [{"menu": "region", "arrivals": 40, "left": 6, "left_percent": 15.0,
                              "silences": 0, "wrong_keys": 7}]



def test_a_total_hidden_to_protect_a_small_count_is_not_printed_as_below_k():
    # Issue 23 item 3: health is 3 in Oulu and 9 in Lahti; its total, 12, is hidden (12 - 9
    # would be the Oulu count), and must not read "<5".
    data = report({readout("health", "lahti", "fi"): 9, readout("health", "oulu", "fi"): 3})
    html = render_sections(data)
    assert ("<tr><td>health</td><td class=\"n\">9</td><td class=\"n\">&lt;5</td>"
            "<td class=\"n\">hidden</td></tr>") in html  # Lahti, Oulu, all regions
    assert "A figure shown as \"hidden\" is hidden so that it cannot give" in render_report(
        data)


def test_the_csv_tells_a_small_count_from_a_cell_hidden_to_protect_it():
    data = report({readout("health", "lahti", "fi"): 20, readout("health", "lahti", "en"): 7,
                   readout("health", "lahti", "sv"): 2})
    rows = [row.split(",") for row in render_csv(data).splitlines()]
    assert [row for row in rows if row[0] == "readouts"] == [
        ["readouts", "", "health", "lahti", "fi", "20"],
        ["readouts", "", "health", "lahti", "en", "hidden"],
        ["readouts", "", "health", "lahti", "sv", "<5"],
    ]
