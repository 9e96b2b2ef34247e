"""Latency and throughput of the read-out step against a bare Flask endpoint with fixed TwiML.

Run: .venv/bin/python bench/bench_webhook.py [--seconds 30] [--rounds 6] [--stats-url URL]

Both apps answer the same bytes (the bare one serves the read-out TwiML rendered once), so
the difference is what the IVR does per request: signature check, state decoding, reload
check, engine and rendering (or the render cache). Measured in-process (Flask test client)
and under gunicorn with the shipped gunicorn.conf.py, loaded by wrk (needs Debian's wrk),
in rounds that alternate between the servers. "twilio decorator" is the floor plus the
signature check Twilio documents for Flask (validate over request.url and request.form).
"ivr" counts statistics as shipped (a SQLite file, or --stats-url); "ivr, stats off" does not.
"ivr, metrics on" also keeps the Prometheus metrics (IVR_METRICS_ADDRESS), each value
written to a file as under gunicorn (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
METRICS = "PROMETHEUS_MULTIPROC_DIR"
if __name__ == "__main__":
    # Before prometheus-client is imported, which decides then: as gunicorn.conf.py does.
    os.environ[METRICS] = tempfile.mkdtemp(prefix="bench-metrics-")

from flask import Flask  # noqa: E402
from flask import Response  # noqa: E402
from flask import request  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from ivr.app import create_app  # noqa: E402
from ivr.core import speech  # noqa: E402
from ivr.settings import Settings  # noqa: E402

TOKEN = "bench-token"
PUBLIC = "https://ivr.example.org"
# The typical step: in the region menu, the caller presses 1 and hears the read-out.
STEP = "/voice/step?m=region&l=fi&n=safe_housing&b=main.needs_safety"
FORM = {
    "AccountSid": "AC" + "0" * 32,
    "CallSid": "CA" + "1" * 32,
    "CallStatus": "in-progress",
    "Digits": "1",
    "Direction": "inbound",
    "From": "+15005550006",  # Twilio's test number: no real caller
    "To": "+358931585000",
}
BODY = urllib.parse.urlencode(FORM)
ROUNDS = 5


def settings(signed: bool, metrics: bool = False) -> Settings:
    return Settings(menus_path=ROOT / "menus.yaml", auth_token=TOKEN if signed else None,
                    public_base_url=PUBLIC, allow_unsigned=not signed,
                    metrics_address=("127.0.0.1", 9) if metrics else None)


def readout_twiml() -> bytes:
    """The read-out document the IVR answers, to be served verbatim by the bare app."""
    client = create_app(settings(signed=False)).test_client()
    return client.post(STEP, data=FORM).get_data()


def bare_app(check_signature: bool = False) -> Flask:
    """A Flask app with one endpoint returning fixed TwiML: the floor to compare with.

    With check_signature it also reads the form and checks Twilio's signature, the part of
    the work every Twilio webhook must do, to show what the IVR itself adds.
    """
    app = Flask("bare")
    body = readout_twiml()
    validator = RequestValidator(TOKEN)

    @app.post("/voice/step")
    def step() -> Response:
        if check_signature:
            signature = request.headers.get("X-Twilio-Signature", "")
            if not validator.validate(PUBLIC + request.full_path, request.form, signature):
                return Response(b"", status=403)
        return Response(body, mimetype="text/xml")

    return app


def ivr_app() -> Flask:
    """The real webhook as gunicorn runs it: settings from the environment, signatures on."""
    return create_app()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def time_calls(call: Callable[[], int], n: int) -> list[float]:
    for _ in range(min(n // 10, 200)):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        status = call()
        samples.append(time.perf_counter() - start)
        assert status == 200, status
    return samples


def in_process(n: int) -> dict[str, tuple[float, float, float]]:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    headers = {"X-Twilio-Signature": signature}
    ivr = create_app(settings(signed=True))
    clients = {
        "bare": bare_app().test_client(),
        "bare + signature": bare_app(check_signature=True).test_client(),
        "ivr": ivr.test_client(),
    }
    context = ivr.extensions["ivr"]

    def uncached() -> int:
        # A step not answered before in this menus version: the engine, TwiML and counts.
        context.cache.clear()
        return clients["ivr"].post(STEP, data=FORM, headers=headers).status_code

    def cold() -> int:
        # The first step after a new menus version went live: no sentence kept either.
        menus = context.store.current()
        for kept in (menus, context.offered(menus)):
            kept.memo.clear()
        speech.clear_kept()
        return uncached()

    def post(client: FlaskClient) -> Callable[[], int]:
        return lambda: client.post(STEP, data=FORM, headers=headers).status_code

    calls = {name: post(client) for name, client in clients.items()}
    calls["ivr (no cache)"] = uncached
    calls["ivr (cold)"] = cold
    results = {}
    for name, call in calls.items():
        p50, p95 = percentiles(time_calls(call, n))
        # Memory is traced in a separate run: tracing slows every allocation down.
        tracemalloc.start()
        time_calls(call, max(n // 10, 50))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[name] = (p50, p95, peak / 1024)
    return results


def _poster(client: FlaskClient, headers: dict[str, str]) -> Callable[[], int]:
    return lambda: client.post(STEP, data=FORM, headers=headers).status_code


def metrics_cost(n: int, rounds: int = 10) -> tuple[float, float, float]:
    """(p50 of a signed step with metrics off, with them on, seconds the metrics of one step
    cost by themselves). The two apps are timed in alternating rounds, so that load from
    elsewhere on the machine falls on both alike; by themselves: a cache hit counted and the
    request observed, as the webhook does for a step answered from the cache."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    headers = {"X-Twilio-Signature": signature}
    # Under gunicorn the master serves the metrics; here nothing listens on the address.
    metered = create_app(settings(signed=True, metrics=True))
    clients = [create_app(settings(signed=True)).test_client(), metered.test_client()]
    calls = [_poster(client, headers) for client in clients]
    samples: list[list[float]] = [[], []]
    for _ in range(rounds):
        for call, kept in zip(calls, samples, strict=True):
            kept += time_calls(call, n // rounds)
    metrics = metered.extensions["ivr"].metrics
    start = time.perf_counter()
    for _ in range(n * 10):
        metrics.looked_up(True)
        metrics.answered("step", "200 OK", 0.0003)
    alone = (time.perf_counter() - start) / (n * 10)
    return statistics.median(samples[0]), statistics.median(samples[1]), alone


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    target: str, workers: int, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """`target` under gunicorn with the shipped gunicorn.conf.py (gthread), `workers` of them."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
        "-w", str(workers), "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT / "bench"),
        "--pythonpath", str(ROOT), target,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {target} did not start")


def worker_peak_rss_kib(process: subprocess.Popen[bytes]) -> int:
    """The highest resident set of any one worker (VmHWM, Linux)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    peaks = []
    for pid in children.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return max(peaks)


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
{signature}
"""


def wrk(port: int, script: Path, seconds: float, connections: int) -> tuple[float, float, float]:
    """(requests/s, p50 s, p99 s) from one wrk run; a non-2xx answer fails the bench."""
    whole = max(1, round(seconds))  # wrk takes whole seconds only ("-d2.7s" is a usage error)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{whole}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}{STEP}"],
        capture_output=True, text=True, timeout=seconds + 60)
    out = result.stdout
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr.strip() or out}")
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rate, _latency(out, "50%"), _latency(out, "99%")


def _latency(out: str, which: str) -> float:
    value, unit = re.search(rf"{which}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


Served = tuple[float, float, float, int]
"""Requests per second, p50 and p99 latency (s) (medians over the rounds), worker peak RSS."""


def under_gunicorn(seconds: float, workers: int, rounds: int, connections: int,
                   stats_url: str | None) -> dict[str, Served]:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ivr-"))
    shutil.copyfile(ROOT / "menus.yaml", tmp / "menus.yaml")
    env = {
        **{name: value for name, value in os.environ.items() if name != METRICS},
        "TWILIO_AUTH_TOKEN": TOKEN,
        "IVR_PUBLIC_URL": PUBLIC,
        "IVR_MENUS": str(tmp / "menus.yaml"),
        "IVR_PROMPTS_DIR": str(tmp / "prompts"),
    }
    # Statistics on, as shipped: stats.sqlite3 beside the menus, or the given store.
    counting = {**env, "IVR_STATS_URL": stats_url or f"sqlite:///{tmp / 'stats.sqlite3'}"}
    signed = f'wrk.headers["X-Twilio-Signature"] = "{signature}"'
    targets = {
        "floor": ("bench_webhook:bare_app()", "", env),
        "twilio decorator": ("bench_webhook:bare_app(True)", signed, env),
        "ivr": ("bench_webhook:ivr_app()", signed, counting),
        "ivr, stats off": ("bench_webhook:ivr_app()", signed, {**env, "IVR_STATS_URL": "off"}),
        "ivr, metrics on": ("bench_webhook:ivr_app()", signed,
                            {**counting, "IVR_METRICS_ADDRESS": f"127.0.0.1:{free_port()}"}),
    }
    scripts = {}
    for name, (_, header, _) in targets.items():
        scripts[name] = tmp / f"{name.replace(' ', '-').replace(',', '')}.lua"
        scripts[name].write_text(WRK_SCRIPT.format(body=BODY, signature=header))
    servers = {name: start_gunicorn(target, workers, server_env)
               for name, (target, _, server_env) in targets.items()}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in targets}
    try:
        for name in targets:  # warm up: imports, caches, first connections
            wrk(servers[name][1], scripts[name], 1, connections)
        # Rounds alternate between the servers so that load from elsewhere on the machine
        # falls on all of them alike.
        for _ in range(rounds):
            for name in targets:
                runs[name].append(wrk(servers[name][1], scripts[name], seconds / rounds,
                                      connections))
        return {
            name: (statistics.median(r[0] for r in runs[name]),
                   statistics.median(r[1] for r in runs[name]),
                   statistics.median(r[2] for r in runs[name]),
                   worker_peak_rss_kib(servers[name][0]))
            for name in targets
        }  # fmt: skip
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    try:
        return run()
    finally:
        shutil.rmtree(os.environ.get(METRICS, ""), ignore_errors=True)


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per in-process run")
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="wrk time per server, split over the rounds")
    parser.add_argument("--rounds", type=int, default=6, help="alternating wrk rounds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--stats-url", help="the store ivr counts into (IVR_STATS_URL; "
                        "default: a SQLite file beside the menus, as shipped)")
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument("--skip-gunicorn", action="store_true")
    args = parser.parse_args()

    print(f"read-out step: POST {STEP} (Digits=1), {len(readout_twiml())} bytes of TwiML")
    if not args.skip_in_process:
        print("\nin-process (Flask test client, one thread)")
        local = in_process(args.requests)
        for name, (p50, p95, peak) in local.items():
            print(f"  {name:16} p50 {p50 * 1e6:7.0f} us  p95 {p95 * 1e6:7.0f} us  "
                  f"peak traced memory {peak:7.0f} KiB")
        for name in ("ivr", "ivr (no cache)", "ivr (cold)"):
            print(f"  p50 ratio {name} / bare: {local[name][0] / local['bare'][0]:.2f}x")
        print("  (no cache: a step first answered in this menus version; cold: the first "
              "step after a new version went live, nothing kept)")
        off, on, alone = metrics_cost(args.requests * 2)
        print(f"  metrics (prometheus-client, multiprocess files as under gunicorn), "
              f"alternating rounds: p50 {off * 1e6:.0f} us off, {on * 1e6:.0f} us on "
              f"({on / off:.2f}x); by themselves {alone * 1e6:.1f} us a step, "
              f"{alone / off:.1%} of a signed step answered from the cache")

    if args.skip_gunicorn:
        return 0
    store = args.stats_url or "stats.sqlite3 beside the menus"
    print(f"\ngunicorn -w {args.workers} (gunicorn.conf.py: gthread), wrk -c{args.connections}, "
          f"{args.rounds} alternating rounds; ivr counts into {store}")
    served = under_gunicorn(args.seconds, args.workers, args.rounds, args.connections,
                            args.stats_url)
    for name, (rate, p50, p99, rss) in served.items():
        print(f"  {name:16} {rate:7.0f} req/s  p50 {p50 * 1e3:6.2f} ms  p99 {p99 * 1e3:6.2f} ms"
              f"  worker peak RSS {rss / 1024:5.1f} MiB")
    floor = served["floor"]
    for name in ("ivr", "ivr, stats off", "ivr, metrics on", "twilio decorator"):
        rate, p50, p99, rss = served[name]
        print(f"  {name} / floor: throughput {rate / floor[0]:.2f}x (aim >= 0.80x), "
              f"p50 {p50 / floor[1]:.2f}x (aim <= 1.25x), p99 {p99 / floor[2]:.2f}x, "
              f"worker RSS {rss / floor[3]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
