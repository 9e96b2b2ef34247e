"""Soak: steady signed calls through nginx to two webhook hosts, with menus.yaml edits.

Run (root, Debian's nginx; the test suite does not run it):
    .venv/bin/python bench/bench_soak.py [--seconds 600] [--callers 8] [--edit-every 20]

Two gunicorn hosts (the shipped gunicorn.conf.py), each in its own network namespace
(else on 127.0.0.2 and .3), behind the shipped nginx site with a certificate made for the
run, serve one menus.yaml. Callers place whole calls (signed, as Twilio would) for the
whole time; meanwhile the file is edited in turn validly (a text changes) and brokenly (a
YAML error, put right again after a while). Both hosts count statistics into one
PostgreSQL database started for the run (Debian's postgresql), as production does, unless
--stats-url names another store. Prints the errors (must be 0: any non-200, any answer that
is not TwiML, any call that does not end as its keys say), p50/p99 of the requests, the
resident memory of every worker at the start and the end, and whether the statistics
counted every call once (after both hosts stop, which stores their last counts). Nothing
leaves this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.qa.httpclient import HttpCallClient  # noqa: E402
from ivr.qa.listener import listener_for  # noqa: E402
from ivr.qa.scenarios import app_menus  # noqa: E402
from ivr.qa.scenarios import simulation_app  # noqa: E402
from ivr.qa.simulator import DEFAULT_CALLED  # noqa: E402
from ivr.qa.simulator import DEFAULT_CALLER  # noqa: E402
from ivr.qa.simulator import Call  # noqa: E402
from ivr.stats.report import report_data  # noqa: E402
from tests import gunicornproc  # noqa: E402
from tests import multihost  # noqa: E402
from tests import pgserver  # noqa: E402

TOKEN = "soak-token-0123456789"
# (keys, how the call must end): the read-out then the info line; the emergency key.
PATHS = [(["3", "1", "1", "1", "3"], "transferred"), (["3", "9"], "emergency"),
         (["1", "2", "1", "4", "3"], "transferred")]
VALID = ("Main menu. Choose", "Main menu, edit {n}. Choose")


class Timed(HttpCallClient):
    """Records the time of every request it sends."""

    def __init__(self, samples: list[float]) -> None:
        super().__init__(TOKEN, DEFAULT_CALLER, DEFAULT_CALLED)
        self.samples = samples

    def request(self, url: str, method: str, params: dict[str, str]) -> tuple[int, str]:
        start = time.perf_counter()
        try:
            return super().request(url, method, params)
        finally:
            self.samples.append(time.perf_counter() - start)


class Soak:
    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        self.stop_at = time.monotonic() + seconds
        self.listener = listener_for(app_menus(simulation_app(ROOT / "menus.yaml")))
        self.samples: list[float] = []
        self.calls = 0
        self.errors: list[str] = []
        self.late: list[str] = []
        """Edits after which a host's /healthz did not say what it should within 10 s."""
        self.lock = threading.Lock()

    def caller(self, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < self.stop_at:
            keys, ending = rng.choice(PATHS)
            samples: list[float] = []
            phone = Call(None, self.listener, client=Timed(samples), base_url=self.url)
            try:
                phone.start(self.url + "/voice")
                for key in keys:
                    phone.press(key)
                got = phone.transcript.ending
                problem = None if got is not None and got.kind == ending else f"ended {got}"
            except Exception as error:  # a refused connection, a timeout: count, go on
                problem = f"{type(error).__name__}: {error}"
            with self.lock:
                self.calls += 1
                self.samples += samples
                if problem:
                    self.errors.append(f"{keys}: {problem}")


def rss_kib(pids: list[int]) -> list[int]:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sizes


def health(url: str) -> list[str]:
    """/healthz of both hosts (round robin: two requests, one each)."""
    return [str(requests.get(url + "/healthz", timeout=10).json()["status"]) for _ in range(2)]


def edit_menus(path: Path, original: str, stop_at: float, every: float, log: list[str],
               url: str) -> None:
    """Valid and broken edits in turn, each written whole (os.replace) as docs advise; after
    each, both hosts' /healthz must say ok (valid) or stale (broken) within 10 s."""
    n = 0
    while time.monotonic() + every < stop_at:
        time.sleep(every)
        n += 1
        if n % 2:
            text, what = original.replace(VALID[0], VALID[1].format(n=n)), "valid"
        else:
            text, what = original + "\nlanguages: [\n", "broken"
        temp = path.with_suffix(".tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
        want, edited = ("ok" if what == "valid" else "stale"), time.monotonic()
        while (got := health(url) + health(url)) != [want] * 4 and time.monotonic() < edited + 10:
            time.sleep(0.2)
        seconds = time.monotonic() - edited
        log.append(f"{what} {seconds:.1f}" if got == [want] * 4 else f"{what} (healthz {got})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--callers", type=int, default=8, help="calls in progress at once")
    parser.add_argument("--edit-every", type=float, default=20.0, help="seconds between edits")
    parser.add_argument("--stats-url", help="the statistics store of both hosts (default: a "
                        "PostgreSQL started for the run; off: no counting)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="soak-ivr-"))
    hosts, spaces = multihost.make_hosts(2)
    balancer = multihost.Balancer(hosts, folder)
    os.environ["REQUESTS_CA_BUNDLE"] = str(balancer.cert)
    env = gunicornproc.webhook_env(folder, TOKEN, balancer.url, IVR_RELOAD_INTERVAL="1")
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        if spaces is not None:
            stack.callback(spaces.close)
        store = args.stats_url
        if store is None:
            server = stack.enter_context(multihost.statistics_server(hosts))
            store = pgserver.new_database(server, "ivr_stats")
        for host in hosts:
            stack.callback(host.stop)
        stack.callback(balancer.stop)
        for host in hosts:
            reach = multihost.url_for(host, store) if store.startswith("postgresql") else store
            host.start({**env, "IVR_STATS_URL": reach}, folder / f"{host.name}.log")
        for host in hosts:
            host.wait()
        balancer.start()
        where = "namespaces" if spaces else "loopback"
        failed = run(args, hosts, balancer, folder / "menus.yaml", where)
        for host in hosts:
            host.stop()  # a normal stop: every worker stores what it counted
        if store != "off":
            counted = counted_calls(store)
            print(f"statistics ({'PostgreSQL' if args.stats_url is None else store}): "
                  f"{counted} calls counted, {failed.calls} placed")
            failed.errors += [] if counted == failed.calls else ["statistics miscounted"]
        return 1 if failed.errors or failed.late else 0
    raise AssertionError("unreachable")  # for mypy: an ExitStack may swallow exceptions


def counted_calls(url: str) -> int:
    today = datetime.datetime.now(datetime.UTC).date()
    # A soak across midnight (UTC) counts into two days.
    return int(report_data(url, today - datetime.timedelta(days=1), today, 1)["calls"])


def run(args: argparse.Namespace, hosts: list[multihost.Host], balancer: multihost.Balancer,
        menus: Path, where: str) -> Soak:
    """The soak itself; prints what it saw and returns it (errors, late edits)."""
    original = menus.read_text(encoding="utf-8")
    soak = Soak(balancer.url, args.seconds)
    pids = {host.name: host.worker_pids() for host in hosts}
    start_rss = {name: rss_kib(p) for name, p in pids.items()}
    edits: list[str] = []
    threads = [threading.Thread(target=soak.caller, args=(i,)) for i in range(args.callers)]
    editor = threading.Thread(target=edit_menus,
                              args=(menus, original, soak.stop_at, args.edit_every, edits,
                                    balancer.url))
    for thread in [*threads, editor]:
        thread.start()
    # The largest worker's RSS at each tenth of the run: growth that levels off is a cache
    # filling; growth that keeps on is a leak.
    timeline = []
    for tenth in range(1, 11):
        time.sleep(max(0.0, soak.stop_at - args.seconds * (1 - tenth / 10) - time.monotonic()))
        timeline.append(max(size for p in pids.values() for size in rss_kib(p)))
    for thread in [*threads, editor]:
        thread.join()
    end_rss = {name: rss_kib(p) for name, p in pids.items()}
    samples = sorted(soak.samples)
    print(f"soak: {len(hosts)} hosts ({where}) behind nginx, {args.callers} callers, "
          f"{args.seconds:g} s; menus edits: {sum(e.startswith('valid') for e in edits)} valid, "
          f"{sum(e.startswith('broken') for e in edits)} broken")
    print(f"calls {soak.calls}, requests {len(samples)} ({len(samples) / args.seconds:.0f}/s), "
          f"errors {len(soak.errors)}")
    soak.late = [edit for edit in edits if "healthz" in edit]
    took = [float(edit.split()[1]) for edit in edits if edit not in soak.late]
    print(f"healthz after each edit: {len(took)} of {len(edits)} as expected on both hosts, "
          f"within {max(took, default=0):.1f} s")
    for edit in soak.late:
        print(f"  edit: {edit}")
    for error in soak.errors[:10]:
        print(f"  error: {error}")
    if samples:
        p99 = samples[int(len(samples) * 0.99) - 1]
        print(f"request latency p50 {statistics.median(samples) * 1e3:.1f} ms, "
              f"p99 {p99 * 1e3:.1f} ms")
    for name in pids:
        mib = [f"{a / 1024:.1f} -> {b / 1024:.1f}" for a, b in
               zip(start_rss[name], end_rss[name], strict=False)]
        print(f"{name} worker RSS MiB (start -> end): {', '.join(mib)}")
    print("largest worker RSS MiB at each tenth of the run: "
          + " ".join(f"{size / 1024:.1f}" for size in timeline))
    return soak


if __name__ == "__main__":
    raise SystemExit(main())
