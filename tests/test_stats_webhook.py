"""Calls through the real webhook (signed, and through the simulator) show up in the report
with the right counts; the store and the logs hold no caller number or call id; a store
that is down never reaches a call."""

import dataclasses
import datetime
import logging
import sqlite3
import time

import pytest

from ivr.app import create_app
from ivr.core import flow
from ivr.qa.simulator import place_call
from ivr.settings import Settings
from ivr.stats import recorder
from ivr.stats.report import report_data
from tests.conftest import CALL_FIELDS
from tests.conftest import CALLER

TODAY = datetime.datetime.now(datetime.UTC).date()
SECRETS = [CALLER, CALLER.lstrip("+"), CALL_FIELDS["CallSid"], CALL_FIELDS["AccountSid"]]


def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'stats.sqlite3'}"


@pytest.fixture
def app(settings, tmp_path):
    """conftest's app (so signed_post reaches it) with statistics in a SQLite file."""
    app = create_app(dataclasses.replace(settings, stats_url=sqlite_url(tmp_path)))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def stats_app(app):
    return app


def report(app, min_count=1):
    assert app.extensions["ivr"].stats.flush()
    return report_data(app.config["IVR_SETTINGS"].stats_url, TODAY, TODAY, min_count)


def three_calls(app):
    """Fixed calls whose counts the tests know (docs/statistics.md explains each figure)."""
    # Finnish, safe housing: the whole country's read-out, then the capital region's.
    first = place_call(app, caller=CALLER)
    first.start()
    for key in "11121":
        first.press(key)
    second = place_call(app, caller=CALLER)  # English, sexual exploitation, then Joensuu's
    second.start()
    for key in "33225":
        second.press(key)
    second.outcomes.append("busy")
    second.press("0")  # the info line is busy: back in the read-out's menu
    second.press("9")  # the emergency instructions end the call
    third = place_call(app, caller=CALLER)  # Swedish: a wrong key, then silence until put through
    third.start()
    third.press("2")
    third.press("8")
    for _ in range(3):
        third.silence()
    assert third.ended and second.ended and not first.ended


def test_simulated_calls_show_up_in_the_report_with_the_right_counts(stats_app):
    three_calls(stats_app)
    data = report(stats_app)
    assert data["calls"] == 3
    assert data["languages"] == {"en": 1, "fi": 1, "sv": 1}
    assert data["readouts"] == [
        {"need": "safe_housing", "region": "capital_region", "language": "fi", "count": 1},
        {"need": "safe_housing", "region": "whole_country", "language": "fi", "count": 1},
        {"need": "sexual", "region": "joensuu", "language": "en", "count": 1},
        {"need": "sexual", "region": "whole_country", "language": "en", "count": 1},
    ]
    assert data["emergency"] == 1
    assert data["transfers"] == {"caller_asked": 1, "retries_ran_out": 1, "error": 0}
    assert data["transfer_outcomes"] == {"completed": 1, "busy": 1, "no-answer": 0, "failed": 0}
    menus = {m["menu"]: m for m in data["menus"]}
    assert menus["main"] == {"menu": "main", "arrivals": 3, "left": 0, "left_percent": 0.0,
                             "silences": 3, "wrong_keys": 1}
    # Two read-outs each (the whole country's, a region's); the first caller hung up after
    # hearing the services; the second was back there once.
    assert menus["services"] == {"menu": "services", "arrivals": 5, "left": 1,
                                 "left_percent": 20.0, "silences": 0, "wrong_keys": 0}
    assert [m["menu"] for m in data["menus"]][0] == "language"
    assert data["calls_by_month"] == {TODAY.strftime("%Y-%m"): 3}


def test_small_counts_are_hidden_in_the_report(stats_app):
    three_calls(stats_app)
    data = report(stats_app, min_count=4)
    assert data["calls"] is None  # 3 < 4
    assert data["transfers"] == {"caller_asked": None, "retries_ran_out": None, "error": 0}
    assert report(stats_app, min_count=3)["calls"] == 3


def test_signed_requests_count_the_same_as_the_simulator(stats_app, signed_post):
    signed_post("/voice")
    signed_post("/voice/step?m=language", {"Digits": "2"})
    signed_post("/voice/step?m=main&l=sv", {"Digits": "0"})
    signed_post("/voice/dial-done?m=main&l=sv", {"DialCallStatus": "no-answer"})
    signed_post("/voice/step?m=main&l=sv")  # silence
    data = report(stats_app)
    assert (data["calls"], data["languages"]) == (1, {"sv": 1})
    assert data["transfers"]["caller_asked"] == 1
    assert data["transfer_outcomes"]["no-answer"] == 1
    menus = {m["menu"]: m for m in data["menus"]}
    assert (menus["main"]["arrivals"], menus["main"]["silences"]) == (2, 1)


def test_a_repeated_step_is_counted_each_time_though_its_answer_is_cached(stats_app, signed_post):
    for _ in range(3):
        signed_post("/voice/step?m=main&l=fi", {"Digits": "8"})
    assert report(stats_app)["menus"][0]["wrong_keys"] == 3


def test_an_internal_error_counts_a_transfer_for_an_error(stats_app, signed_post, monkeypatch):
    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(flow, "next_turn", broken)
    response = signed_post("/voice/step?m=main&l=fi", {"Digits": "1"})
    assert response.status_code == 200 and b"<Dial" in response.data
    assert report(stats_app)["transfers"]["error"] == 1


def test_the_store_and_the_logs_hold_no_caller_number_or_call_id(stats_app, signed_post,
                                                                 tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    three_calls(stats_app)
    signed_post("/voice")
    signed_post("/voice/step?m=language", {"Digits": "1"})
    report(stats_app)
    files = list(tmp_path.glob("stats.sqlite3*"))
    assert tmp_path / "stats.sqlite3" in files
    stored = b"".join(path.read_bytes() for path in files)
    dumped = "\n".join(sqlite3.connect(tmp_path / "stats.sqlite3").iterdump())
    for secret in SECRETS:
        assert secret.encode() not in stored
        assert secret not in dumped
        assert secret not in caplog.text
    assert "safe_housing" in dumped  # the grep would have found what is there


def test_a_store_that_is_down_is_logged_once_and_the_calls_go_on(settings, tmp_path, caplog,
                                                                  monkeypatch):
    monkeypatch.setattr(recorder, "_start_flusher", lambda: None)  # this test flushes itself
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder / 'stats.sqlite3'}"
    with caplog.at_level(logging.WARNING, logger="ivr.stats"):
        app = create_app(dataclasses.replace(settings, stats_url=url))
        call = place_call(app)
        call.start()
        call.press("1")
        stats = app.extensions["ivr"].stats
        assert not stats.flush() and not stats.flush()
        assert call.waiting  # the caller is in the main menu, answered as ever
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1
        assert errors[0].getMessage().startswith(f"statistics store {url} is unavailable (")
        folder.mkdir()
        assert stats.flush()
    assert caplog.records[-1].getMessage() == f"statistics store {url} is available again"
    data = report_data(url, TODAY, TODAY, 1)
    assert (data["calls"], data["languages"]) == (1, {"fi": 1})  # nothing lost meanwhile


def test_at_exit_a_store_that_fails_gets_more_tries(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(recorder, "_start_flusher", lambda: None)
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder / 'stats.sqlite3'}"
    app = create_app(dataclasses.replace(settings, stats_url=url))
    place_call(app).start()
    # The store comes back while the exiting worker waits before its second try.
    monkeypatch.setattr(recorder.time, "sleep", lambda seconds: folder.mkdir(exist_ok=True))
    recorder._flush_at_exit()
    assert report_data(url, TODAY, TODAY, 1)["calls"] == 1


def test_an_unreachable_postgresql_does_not_stop_the_server_starting(settings, caplog):
    url = "postgresql+psycopg://ivr:secret@127.0.0.1:1/ivr"
    with caplog.at_level(logging.ERROR, logger="ivr.stats"):
        app = create_app(dataclasses.replace(settings, stats_url=url))
    assert app.test_client().get("/healthz").status_code == 200
    [error] = caplog.records
    assert "postgresql+psycopg://ivr:***@127.0.0.1:1/ivr is unavailable" in error.getMessage()
    assert "secret" not in caplog.text


def test_by_default_the_store_is_a_wal_sqlite_file_beside_the_menus(menus_file, monkeypatch):
    monkeypatch.setenv("IVR_MENUS", str(menus_file))
    monkeypatch.setenv("IVR_ALLOW_UNSIGNED", "1")
    settings = Settings.from_env()
    assert settings.stats_url == f"sqlite:///{menus_file.parent / 'stats.sqlite3'}"
    create_app(settings)  # the tables are created on start
    connection = sqlite3.connect(menus_file.parent / "stats.sqlite3")
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"ivr_stats_counts", "ivr_stats_schema"} <= tables


def test_off_switches_counting_off(menus_file, monkeypatch):
    monkeypatch.setenv("IVR_MENUS", str(menus_file))
    monkeypatch.setenv("IVR_ALLOW_UNSIGNED", "1")
    monkeypatch.setenv("IVR_STATS_URL", "off")
    app = create_app(Settings.from_env())
    place_call(app).start()
    assert isinstance(app.extensions["ivr"].stats, recorder.NoRecorder)
    assert not list(menus_file.parent.glob("stats.sqlite3*"))


def test_a_stats_url_that_is_no_url_is_refused_by_name(monkeypatch):
    from ivr.settings import SettingsError

    monkeypatch.setenv("IVR_STATS_URL", "stats.db")
    with pytest.raises(SettingsError) as error:
        Settings.from_env()
    assert str(error.value) == (
        "IVR_STATS_URL='stats.db' is not a SQLAlchemy URL such as "
        "postgresql+psycopg://host/ivr, or off (fix or unset IVR_STATS_URL)")


def test_calls_on_the_qa_playground_are_not_counted_but_real_calls_are(settings, tmp_path):
    app = create_app(dataclasses.replace(settings, playground=True,
                                         stats_url=sqlite_url(tmp_path)))
    client = app.test_client()
    played = client.post("/playground/api/call").get_json()
    for key in "1111":
        client.post(f"/playground/api/call/{played['id']}", json={"keys": key})
    assert report(app)["calls"] == 0, "the keypad's calls go to a twin that counts nothing"
    place_call(app).start()
    assert report(app)["calls"] == 1


def test_counts_reach_the_store_every_flush_interval_while_the_server_runs(menus_file,
                                                                          monkeypatch):
    monkeypatch.setenv("IVR_MENUS", str(menus_file))
    monkeypatch.setenv("IVR_ALLOW_UNSIGNED", "1")
    monkeypatch.setenv("IVR_STATS_FLUSH_SECONDS", "0.2")
    settings = Settings.from_env()
    assert settings.stats_flush_seconds == 0.2
    app = create_app(settings)
    call = place_call(app)
    call.start()
    call.press("2")
    # Nobody flushes by hand: the process's flusher thread does, well within 30 s.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        data = report_data(settings.stats_url, TODAY, TODAY, 1)
        # Both counts: a flush between the call's start and its key press brings the call
        # first and the language a flush later.
        if (data["calls"], data["languages"]) == (1, {"sv": 1}):
            break
        time.sleep(0.1)
    assert (data["calls"], data["languages"]) == (1, {"sv": 1})


@pytest.mark.parametrize("value", ["0", "0.05", "3601", "soon"])
def test_a_flush_interval_out_of_range_is_refused_by_name(monkeypatch, value):
    from ivr.settings import SettingsError

    monkeypatch.setenv("IVR_STATS_FLUSH_SECONDS", value)
    with pytest.raises(SettingsError) as error:
        Settings.from_env()
    assert str(error.value) == (
        f"IVR_STATS_FLUSH_SECONDS={value!r} is not seconds from 0.1 to 3600, such as 30 "
        "(fix or unset IVR_STATS_FLUSH_SECONDS)")


def test_a_probe_calling_twilios_test_number_is_not_counted(stats_app, signed_post):
    # `ivr probe` and `ivr call --url` say they called +15005550009: no caller can dial it.
    signed_post("/voice", {"To": "+15005550009"})
    signed_post("/voice/step?m=language", {"To": "+15005550009", "Digits": "1"})
    assert report(stats_app)["calls"] == 0
    signed_post("/voice", {})
    assert report(stats_app)["calls"] == 1
