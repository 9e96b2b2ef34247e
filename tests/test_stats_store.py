"""The store on a real SQLite file and a real PostgreSQL server (tests/pgserver.py): the same
calls give the same report, several processes add to one store without losing a count, and
the database holds no caller number or call id."""

import dataclasses
import datetime
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from ivr.app import create_app
from ivr.stats import store
from ivr.stats.events import Count
from ivr.stats.report import report_data
from tests.conftest import ROOT
from tests.pgserver import postgres_server  # noqa: F401 - the fixtures, by name
from tests.pgserver import postgres_url  # noqa: F401
from tests.test_stats_webhook import SECRETS
from tests.test_stats_webhook import TODAY
from tests.test_stats_webhook import three_calls

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def calls_into(settings, url):
    app = create_app(dataclasses.replace(settings, stats_url=url))
    three_calls(app)
    assert app.extensions["ivr"].stats.flush()
    return app


@pytest.mark.parametrize("min_count", [1, 2, 5])
def test_postgresql_and_sqlite_give_the_same_report(settings, tmp_path, postgres_url,  # noqa: F811
                                                    min_count):
    sqlite_url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    calls_into(settings, sqlite_url)
    calls_into(settings, postgres_url)
    from_sqlite = report_data(sqlite_url, TODAY, TODAY, min_count)
    assert from_sqlite == report_data(postgres_url, TODAY, TODAY, min_count)
    assert from_sqlite["calls"] == (3 if min_count <= 3 else None)


def test_a_synthetic_year_reports_the_same_from_both_stores(tmp_path, postgres_url):  # noqa: F811
    sqlite_url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    for url in (sqlite_url, postgres_url):
        engine = store.create_store_engine(url)
        store.migrate(engine)
        for day in range(0, 365, 7):
            date = YEAR[0] + datetime.timedelta(days=day)
            store.add(engine, date, {Count("call"): 10 + day % 13,
                                     Count("language", lang="fi"): 1 + day % 5,
                                     Count("arrive", "main", lang="fi"): 9})
        engine.dispose()
    assert report_data(sqlite_url, *YEAR, 5) == report_data(postgres_url, *YEAR, 5)
    assert len(report_data(sqlite_url, *YEAR, 5)["calls_by_month"]) == 12


WORKER = """
import datetime, sys
from ivr.stats import store
from ivr.stats.events import Count
engine = store.create_store_engine(sys.argv[1])
store.migrate(engine)
for i in range(40):
    store.add(engine, datetime.date(2025, 3, 1 + i % 3), {Count("call"): 1,
              Count("option", "main", str(i % 4), lang="fi"): 2})
print("ok")
"""


def test_several_workers_add_to_one_store_without_losing_a_count(any_url):
    # Four processes start at once: they create the tables together, then add together.
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, any_url], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(4)]
    results = [worker.communicate(timeout=120) for worker in workers]
    assert [out for out, _ in results] == ["ok\n"] * 4, [err for _, err in results]
    engine = store.create_store_engine(any_url)
    totals = store.totals(engine, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    engine.dispose()
    assert totals[Count("call")] == 160
    assert sum(n for c, n in totals.items() if c.kind == "option") == 320


def test_flushes_that_meet_the_same_rows_in_any_order_never_deadlock(any_url):
    """Workers' counts come in the order their callers pressed keys. Two PostgreSQL
    upserts that lock the same rows in opposite orders deadlock, and one flush fails: at
    a worker's exit, that flush is lost. The store must lock rows in one order."""
    keys = [Count("option", "main", str(i % 10), lang=lang) for i, lang in
            enumerate(["fi", "sv", "en", "ar", "ru", "th"] * 10)]
    engine = store.create_store_engine(any_url)
    store.migrate(engine)
    failures: list[BaseException] = []

    def flushes(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(15):
            shuffled = rng.sample(keys, len(keys))
            try:
                store.add(engine, datetime.date(2025, 5, 1), dict.fromkeys(shuffled, 1))
            except sa.exc.SQLAlchemyError as error:
                failures.append(error)

    threads = [threading.Thread(target=flushes, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    totals = store.totals(engine, datetime.date(2025, 5, 1), datetime.date(2025, 5, 1))
    engine.dispose()
    assert failures == []
    assert set(totals.values()) == {6 * 15}


def test_a_store_from_a_newer_program_is_refused(any_url):
    engine = store.create_store_engine(any_url)
    store.migrate(engine)
    with engine.begin() as conn:
        conn.execute(store.schema.update().values(version=store.SCHEMA_VERSION + 1))
    with pytest.raises(store.StoreUnavailable) as error:
        store.migrate(engine)
    engine.dispose()
    assert str(error.value) == (
        f"the statistics store has schema version {store.SCHEMA_VERSION + 1}, newer than "
        f"this program's {store.SCHEMA_VERSION} (upgrade the program)")


def test_migrating_twice_keeps_the_counts(any_url):
    engine = store.create_store_engine(any_url)
    store.migrate(engine)
    store.add(engine, YEAR[0], {Count("call"): 7})
    store.migrate(engine)
    assert store.totals(engine, *YEAR) == {Count("call"): 7}
    engine.dispose()


def test_the_postgresql_database_holds_no_caller_number_or_call_id(settings, postgres_server,  # noqa: F811
                                                                   postgres_url):  # noqa: F811
    calls_into(settings, postgres_url)
    engine = store.create_store_engine(postgres_url)
    rows = repr(store.every_row(engine))
    with engine.connect() as conn:
        # Everything PostgreSQL itself recorded as text: statements, settings, the log.
        activity = repr(conn.execute(sa.text("SELECT query FROM pg_stat_activity")).all())
        data_dir = Path(conn.execute(sa.text("SHOW data_directory")).scalar())
    engine.dispose()
    assert "safe_housing" in rows
    on_disk = b"".join(p.read_bytes() for p in data_dir.parent.rglob("*") if p.is_file())
    for secret in SECRETS:
        assert secret not in rows and secret not in activity
        assert secret.encode() not in on_disk
