"""Latency and throughput of the read-out step against a bare Flask endpoint with fixed TwiML.

Run: .venv/bin/python bench/bench_webhook.py [--requests 2000] [--seconds 5] [--workers 4]

Both apps answer the same bytes (the bare one serves the read-out TwiML rendered once), so
the difference is what the IVR does per request: signature check, state decoding, reload
check, engine and rendering (or the render cache). Measured in-process (Flask test client)
and under gunicorn on localhost (one new HTTP connection per request, as Twilio makes).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask import Response  # noqa: E402
from flask import request  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from ivr.settings import Settings  # noqa: E402
from ivr.web import create_app  # noqa: E402

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


def settings(signed: bool) -> Settings:
    return Settings(auth_token=TOKEN if signed else None, public_base_url=PUBLIC)


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
    """The real webhook as gunicorn runs it (signatures on)."""
    return create_app(settings(signed=True))


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


def throughput(call: Callable[[], int], seconds: float, threads: int) -> float:
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        while time.perf_counter() < stop:
            assert call() == 200
            done[i] += 1

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / seconds


def in_process(n: int) -> dict[str, tuple[float, float, float]]:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    headers = {"X-Twilio-Signature": signature}
    ivr = ivr_app()
    clients = {
        "bare": bare_app().test_client(),
        "bare + signature": bare_app(check_signature=True).test_client(),
        "ivr": ivr.test_client(),
    }
    cache = ivr.extensions["ivr"].cache

    def uncached() -> int:
        cache.clear()
        return clients["ivr"].post(STEP, data=FORM, headers=headers).status_code

    def post(client: FlaskClient) -> Callable[[], int]:
        return lambda: client.post(STEP, data=FORM, headers=headers).status_code

    calls = {name: post(client) for name, client in clients.items()}
    calls["ivr (no cache)"] = uncached
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    target: str, workers: int, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w", str(workers), "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT / "bench"),
        "--pythonpath", str(ROOT), target,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {target} did not start")


def http_call(port: int, headers: dict[str, str]) -> Callable[[], int]:
    def call() -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", STEP, BODY, headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    return call


def peak_rss_kib(process: subprocess.Popen[bytes]) -> int:
    """Highest resident set of the gunicorn master and its workers (VmHWM, Linux)."""
    pids = [process.pid]
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    peaks = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return max(peaks)


Served = tuple[float, float, float, int]
"""p50 and p95 latency (s), requests per second, peak RSS (KiB)."""


def under_gunicorn(n: int, seconds: float, workers: int) -> dict[str, Served]:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STEP, FORM)
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-ivr-"))
    shutil.copyfile(ROOT / "menus.yaml", tmp / "menus.yaml")
    env = {
        **os.environ,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "IVR_PUBLIC_URL": PUBLIC,
        "IVR_MENUS": str(tmp / "menus.yaml"),
    }
    signed = {**form_type, "X-Twilio-Signature": signature}
    targets = {
        "bare": ("bench_webhook:bare_app()", form_type),
        "bare + signature": ("bench_webhook:bare_app(True)", signed),
        "ivr": ("bench_webhook:ivr_app()", signed),
    }
    servers = {name: start_gunicorn(target, workers, env) for name, (target, _) in targets.items()}
    samples: dict[str, list[float]] = {name: [] for name in targets}
    rates: dict[str, list[float]] = {name: [] for name in targets}
    try:
        # Rounds alternate between the servers so that load from elsewhere on the machine
        # falls on all of them alike.
        for _ in range(ROUNDS):
            for name, (_, headers) in targets.items():
                call = http_call(servers[name][1], headers)
                samples[name] += time_calls(call, n // ROUNDS)
                rates[name].append(throughput(call, seconds / ROUNDS, threads=workers * 2))
        results = {
            name: (*percentiles(samples[name]), statistics.median(rates[name]),
                   peak_rss_kib(servers[name][0]))
            for name in targets
        }  # fmt: skip
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per latency run")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of throughput runs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    print(f"read-out step: POST {STEP} (Digits=1), {len(readout_twiml())} bytes of TwiML")
    print("\nin-process (Flask test client, one thread)")
    local = in_process(args.requests)
    for name, (p50, p95, peak) in local.items():
        print(f"  {name:15} p50 {p50 * 1e6:7.0f} us  p95 {p95 * 1e6:7.0f} us  "
              f"peak traced memory {peak:7.0f} KiB")
    for name in ("ivr", "ivr (no cache)"):
        for base in ("bare", "bare + signature"):
            print(f"  p50 ratio {name} / {base}: {local[name][0] / local[base][0]:.2f}x")

    print(f"\ngunicorn on localhost ({args.workers} sync workers, new connection per request)")
    served = under_gunicorn(args.requests, args.seconds, args.workers)
    for name, (p50, p95, rate, rss) in served.items():
        print(f"  {name:15} p50 {p50 * 1e6:7.0f} us  p95 {p95 * 1e6:7.0f} us  "
              f"{rate:7.0f} req/s  peak RSS {rss / 1024:5.1f} MiB")
    for base in ("bare", "bare + signature"):
        p50_ratio = served["ivr"][0] / served[base][0]
        rate_ratio = served["ivr"][2] / served[base][2]
        print(f"  p50 ratio ivr / {base}: {p50_ratio:.2f}x (aim <= 1.15x)")
        print(f"  throughput ratio ivr / {base}: {rate_ratio:.2f}x (aim >= 0.85x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
