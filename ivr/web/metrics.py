"""The webhook's Prometheus metrics (issue 20 item 1), anonymous by construction.

Every label value is one of a fixed set written here (an endpoint, a status code, a
result) or the live menus version: none is read from a request, so no metric names a call
or a caller (no number, no CallSid, no query string, no state), as the statistics do not.

Under gunicorn each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR
(prometheus-client's multiprocess mode) and gunicorn's master serves their sum
(gunicorn.conf.py, ivr/web/metricsserver.py); in one process the app serves its own
registry (ivr/app.py). Keeping them must never cost a call: a failure is logged once and
the call goes on.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Gauge
from prometheus_client import Histogram

from ivr.prompts.index import PromptIndex
from ivr.web import sms
from ivr.web.answercache import AnswerCache
from ivr.web.menustore import MenuStore
from ivr.web.step import PATHS

log = logging.getLogger(__name__)
SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""A step answered from the cache takes about 0.3 ms in-process, a first render a few ms,
one that sends a text message up to the API's 10 s timeout (Twilio waits 15 s in all)."""
TEXT_RESULTS = (sms.SENT, sms.NO_NUMBER, sms.REFUSED, sms.UNREACHABLE)
MIN_REFRESH = 0.5
"""Seconds between two settings of the gauges at the least (IVR_RELOAD_INTERVAL may be 0)."""


Cache = AnswerCache[Any, Any]


class Metrics:
    """The webhook's metrics for one process, registered in `registry`."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        # One histogram for the count and the time of every request: its _count by code is
        # the requests counter, so a step costs one observation, not an observation and an
        # increment (each a write to a file under gunicorn, about 2.5 us).
        self._duration = Histogram("ivr_webhook_request_duration_seconds", "Time to answer "
                                   "a request to a voice endpoint, by endpoint and HTTP status",
                                   ["endpoint", "code"], buckets=SECONDS, registry=r)
        self._requests = {(e, "200"): self._duration.labels(e, "200") for e in PATHS}
        cache = Counter("ivr_answer_cache_lookups", "Steps looked up in the answer cache, "
                        "by result (hit: answered without running the engine)", ["result"],
                        registry=r)
        self._hit, self._miss = cache.labels("hit"), cache.labels("miss")
        self._apologies = Counter("ivr_apologies", "Steps answered with the apology and a "
                                  "transfer to the info line after an internal error",
                                  registry=r)
        flushes = Counter("ivr_stats_flushes", "Writes of the anonymous statistics to "
                          "their store, by result (ok, failed)", ["result"], registry=r)
        self._flushed = {True: flushes.labels("ok"), False: flushes.labels("failed")}
        texts = Counter("ivr_text_messages", "Read-outs a caller asked to be sent by text "
                        "message, by result", ["result"], registry=r)
        # Each series made now, at 0, so that increase() sees the first event too.
        self._texts = {result: texts.labels(result) for result in TEXT_RESULTS}
        self._version = Gauge("ivr_menus_version_info", "1 for the menus version this "
                              "process serves, 0 for one it served before", ["version"],
                              multiprocess_mode="livemax", registry=r)
        self._refused = Gauge("ivr_menus_edit_refused", "1 while an edit of menus.yaml is "
                              "refused and the last valid version goes on serving",
                              multiprocess_mode="livemax", registry=r)
        self._seeds = Gauge("ivr_menus_seeds_missing", "1 while a seed document the live "
                            "menus name is gone from seeds/ (the next edit naming it will be "
                            "refused)", multiprocess_mode="livemax", registry=r)
        self._missing = Gauge("ivr_prompt_files_missing", "Files prompts/manifest.json lists "
                              "that are missing or cannot be played (said with <Say>)",
                              multiprocess_mode="livemax", registry=r)
        self._cache_bytes = Gauge("ivr_answer_cache_bytes", "Bytes held by the answer "
                                  "caches", multiprocess_mode="livesum", registry=r)
        self._shown: tuple[str, PromptIndex | None] = ("", None)
        self._failed = False
        self._stop = threading.Event()

    def answered(self, endpoint: str, status: str, seconds: float) -> None:
        """A request to a voice endpoint answered with `status` ("200 OK") in `seconds`."""
        try:
            key = (endpoint, status[:3])
            requests = self._requests.get(key)
            if requests is None:  # a refusal: the first of its kind makes its series
                requests = self._requests[key] = self._duration.labels(*key)
            requests.observe(seconds)
        except Exception:  # noqa: BLE001 - a metrics problem must never reach a call
            self._fail()

    def looked_up(self, hit: bool) -> None:
        """A step's answer was (hit) or was not (miss) in the cache."""
        try:
            (self._hit if hit else self._miss).inc()
        except Exception:  # noqa: BLE001
            self._fail()

    def apologised(self) -> None:
        """A step was answered with the apology after an internal error."""
        try:
            self._apologies.inc()
        except Exception:  # noqa: BLE001
            self._fail()

    def stats_flushed(self, ok: bool) -> None:
        """The statistics recorder wrote its counts to the store, or failed to."""
        try:
            self._flushed[ok].inc()
        except Exception:  # noqa: BLE001
            self._fail()

    def text_message(self, result: str) -> None:
        """One of TEXT_RESULTS for a text message the caller confirmed."""
        try:
            self._texts[result].inc()
        except Exception:  # noqa: BLE001
            self._fail()

    def observe(self, store: MenuStore, cache: Cache) -> None:
        """Set the gauges from the live store (after its reload check) and the cache."""
        try:
            menus, prompts = store.snapshot()
            version, indexed = self._shown
            if menus.version != version:
                if version:
                    self._version.labels(version).set(0)
                self._version.labels(menus.version).set(1)
            if prompts is not indexed:
                self._missing.set(_missing(prompts))
            self._shown = (menus.version, prompts)
            self._refused.set(1 if store.rejected else 0)
            self._seeds.set(1 if store.seeds.problems() else 0)
            self._cache_bytes.set(cache.size)
        except Exception:  # noqa: BLE001
            self._fail()

    def watch(self, store: MenuStore, cache: Cache, interval: float) -> None:
        """Observe now, then every `interval` s in a daemon thread while the store lives
        (or until `close`), so the gauges follow an edit even while no call comes in."""
        self.observe(store, cache)
        stores, caches = weakref.ref(store), weakref.ref(cache)

        def loop() -> None:
            while not self._stop.wait(max(interval, MIN_REFRESH)):
                watched, kept = stores(), caches()
                if watched is None or kept is None:
                    return
                self.observe(watched, kept)
                del watched, kept  # no strong reference while waiting

        threading.Thread(target=loop, name="ivr-metrics", daemon=True).start()

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()

    def _fail(self) -> None:
        if not self._failed:
            self._failed = True
            log.exception("metrics could not be kept; the calls go on, the metrics may be "
                          "short from now on")


class NoMetrics:
    """IVR_METRICS_ADDRESS unset: nothing is kept."""

    registry = None

    def answered(self, endpoint: str, status: str, seconds: float) -> None:
        """Keep nothing."""

    def looked_up(self, hit: bool) -> None:
        """Keep nothing."""

    def apologised(self) -> None:
        """Keep nothing."""

    def stats_flushed(self, ok: bool) -> None:
        """Keep nothing."""

    def text_message(self, result: str) -> None:
        """Keep nothing."""


def _missing(prompts: PromptIndex) -> int:
    # on_disk is None when the audio is served from a CDN: nothing is looked for here.
    return 0 if prompts.on_disk is None else len(prompts.listed - prompts.on_disk)

