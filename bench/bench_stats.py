"""What the statistics cost a call, and how long the report over a year takes.

Run: .venv/bin/python bench/bench_stats.py [--requests 3000] [--calls 100000] [--html FILE]

1. The recorder's cost per step (its memo hit, the counts added under the lock), against
   a bare dict increment and against a whole signed webhook step, in the same run.
2. The signed read-out step through the real webhook with statistics off and on (a SQLite
   file), each as a throughput ratio against a bare Flask endpoint serving the same TwiML,
   in-process. Under gunicorn and wrk, bench/bench_webhook.py runs both beside the floor.
3. A synthetic year of --calls calls (random walks through the real engine, counted as the
   webhook counts them), stored in SQLite, then `report_data` and the HTML report timed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import timeit
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_webhook import FORM  # noqa: E402
from bench_webhook import PUBLIC  # noqa: E402
from bench_webhook import STEP  # noqa: E402
from bench_webhook import TOKEN  # noqa: E402
from bench_webhook import bare_app  # noqa: E402
from bench_webhook import settings  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from ivr.app import create_app  # noqa: E402
from ivr.core import callstate  # noqa: E402
from ivr.core import flow  # noqa: E402
from ivr.core import turns  # noqa: E402
from ivr.core.callstate import CallState  # noqa: E402
from ivr.core.model import Menus  # noqa: E402
from ivr.menus.loader import load_menus  # noqa: E402
from ivr.stats import events  # noqa: E402
from ivr.stats import html  # noqa: E402
from ivr.stats import recorder  # noqa: E402
from ivr.stats import store  # noqa: E402
from ivr.stats.events import Count  # noqa: E402
from ivr.stats.report import report_data  # noqa: E402

ROUNDS = 10
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
OUTCOMES = (["completed"] * 70 + ["busy"] * 12 + ["no-answer"] * 12 + ["failed"] * 6)


def per_call(call: Callable[[], object], n: int) -> float:
    """The best over ROUNDS of the mean seconds per call (as timeit: load only adds)."""
    return min(timeit.repeat(call, number=n, repeat=ROUNDS)) / n


def recorder_cost(menus: Menus, n: int, folder: Path) -> float:
    rec = recorder.Recorder(f"sqlite:///{folder / 'micro.sqlite3'}")
    query = STEP.split("?", 1)[1].encode()
    event = turns.Press("1")
    before = callstate.decode(dict(urllib.parse.parse_qsl(query.decode())), menus)
    turn = flow.next_turn(menus, before, event)
    counts = events.derive(menus, before, event, turn)
    pending: dict[Count, int] = {}
    key = Count("option", "region", "1", lang="fi")

    def bare_increment() -> None:
        pending[key] = pending.get(key, 0) + 1

    step = per_call(lambda: rec.add(counts), n * 20)
    base = per_call(bare_increment, n * 20)
    print(f"recorder.add (read-out step, {len(counts)} counts): {step * 1e6:6.2f} us per step")
    print(f"  a bare dict increment:               {base * 1e6:6.2f} us "
          f"(recorder = {step / base:.1f}x)")
    derive = per_call(lambda: events.derive(menus, before, event, turn), max(n // 5, 50))
    print(f"  deriving a step's counts:            {derive * 1e6:6.1f} us (with its answer, "
          "once per distinct step and menus version)")
    return step


def webhook_ratios(n: int, folder: Path, recorder_step: float) -> None:
    """Print the signed step with statistics off and on against bare Flask."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    headers = {"X-Twilio-Signature": signature}
    on = dataclasses.replace(settings(signed=True), stats_url=f"sqlite:///{folder / 'on.sqlite3'}")
    clients: dict[str, FlaskClient] = {"bare Flask": bare_app().test_client(),
               "ivr, statistics off": create_app(settings(signed=True)).test_client(),
               "ivr, statistics on": create_app(on).test_client()}
    times: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(ROUNDS):  # alternate, so load from elsewhere falls on all alike
        for name, client in clients.items():
            def post(client: FlaskClient = client) -> int:
                return int(client.post(STEP, data=FORM, headers=headers).status_code)
            assert post() == 200
            start = time.perf_counter()
            for _ in range(n // ROUNDS):
                post()
            times[name].append((time.perf_counter() - start) / (n // ROUNDS))
    medians = {name: statistics.median(t) for name, t in times.items()}
    print("\nsigned read-out step, in-process (Flask test client), requests per second:")
    for name, t in medians.items():
        print(f"  {name:22} {1 / t:7.0f} req/s  ({t * 1e6:5.0f} us)  "
              f"throughput vs bare Flask {medians['bare Flask'] / t:.2f}x")
    on_off = medians["ivr, statistics on"] / medians["ivr, statistics off"]
    print(f"  statistics on / off: {on_off:.3f}x the time per step (noise on a shared "
          "machine is larger than the difference)")
    share = recorder_step / medians["ivr, statistics off"]
    print(f"  the recorder's own cost is {100 * share:.2f} % of a signed step")


def synthetic_year(menus: Menus, calls: int, seed: int = 11) -> dict[datetime.date, Counter[Count]]:
    """Counts of `calls` random calls through the engine, spread over YEAR."""
    rng = random.Random(seed)
    memo: dict[tuple[CallState, turns.Event], tuple[turns.Turn, tuple[Count, ...]]] = {}
    days = [YEAR[0] + datetime.timedelta(days=d) for d in range(365)]
    weights = [1.3 if day.weekday() < 5 else 0.7 for day in days]
    per_day: dict[datetime.date, Counter[Count]] = {day: Counter() for day in days}
    for day in rng.choices(days, weights, k=calls):
        counted = per_day[day]
        state: CallState = CallState.start()
        event: turns.Event = turns.Arrive()
        for _ in range(25):
            key = (state, event)
            if key not in memo:
                turn = flow.next_turn(menus, state, event)
                memo[key] = (turn, events.derive(menus, state, event, turn))
            turn, found = memo[key]
            counted.update(found)
            if isinstance(turn.then, turns.Hangup):
                break
            if isinstance(turn.then, turns.Transfer):
                state, event = turn.then.state, turns.DialEnded(rng.choice(OUTCOMES))
                continue
            state = turn.then.state
            next_event = _caller(menus, state, rng)
            if next_event is None:
                break
            event = next_event
    return per_day


def _caller(menus: Menus, state: CallState, rng: random.Random) -> turns.Event | None:
    """What a random caller does next (None: hangs up); the capital region is likeliest."""
    roll = rng.random()
    if state.menu == "language":
        return turns.Silence() if roll < 0.03 else turns.Press(rng.choices("123", [55, 15, 30])[0])
    menu = menus.menus[state.menu]
    if menu.readout:
        return None if roll < 0.6 else turns.Press(rng.choice("12012*"))
    if roll < 0.05:
        return None
    if roll < 0.12:
        return turns.Silence()
    if roll < 0.17:
        return turns.Press(rng.choice("88#0*9"))
    keys = [option.key for option in menu.options]
    return turns.Press(rng.choices(keys, [1 / (i + 1) for i in range(len(keys))])[0])


def report_timing(menus: Menus, calls: int, folder: Path, html_out: Path | None) -> None:
    start = time.perf_counter()
    per_day = synthetic_year(menus, calls)
    made = time.perf_counter() - start
    url = f"sqlite:///{folder / 'year.sqlite3'}"
    engine = store.create_store_engine(url)
    store.migrate(engine)
    for day, counted in per_day.items():
        store.add(engine, day, counted)
    with engine.connect() as conn:
        rows = conn.execute(store.counts.select()).fetchall()
    engine.dispose()
    print(f"\nsynthetic year: {calls} calls through the engine in {made:.1f} s, "
          f"{len(rows)} stored rows (day x what)")
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        data = report_data(url, *YEAR, 5)
        figures = time.perf_counter() - wall
        page = html.render_report(data)
        runs.append((figures, time.perf_counter() - wall, time.process_time() - cpu))
    assert data["calls"] == calls, data["calls"]
    print(f"  report_data (the JSON figures): first {runs[0][0]:.2f} s, best of 3 "
          f"{min(r[0] for r in runs):.2f} s")
    print(f"  report_data + HTML with 5 charts (must be < 2 s): first {runs[0][1]:.2f} s "
          f"(matplotlib's first figure included), best of 3 {min(r[1] for r in runs):.2f} s; "
          f"{len(page) / 1024:.0f} KiB")
    print(f"  the same in CPU time of this process: first {runs[0][2]:.2f} s, best of 3 "
          f"{min(r[2] for r in runs):.2f} s (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    if html_out is not None:
        html_out.write_text(page, encoding="utf-8")
        print(f"  wrote {html_out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per webhook run")
    parser.add_argument("--calls", type=int, default=100_000, help="calls in the synthetic year")
    parser.add_argument("--html", type=Path, help="also write the synthetic year's HTML report")
    args = parser.parse_args()
    menus = load_menus(ROOT / "menus.yaml")
    with tempfile.TemporaryDirectory(prefix="bench-stats-") as tmp:
        folder = Path(tmp)
        step = recorder_cost(menus, args.requests, folder)
        webhook_ratios(args.requests, folder, step)
        report_timing(menus, args.calls, folder, args.html)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
