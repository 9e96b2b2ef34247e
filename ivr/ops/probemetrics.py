"""The line probe's result as a Prometheus textfile, for node_exporter's textfile collector.

A timer job has no server to be scraped, so it leaves a `*.prom` file where node_exporter
reads it (--collector.textfile.directory; Debian: /var/lib/prometheus/node-exporter). Each
run replaces the whole file; a failed run carries over the time of the last success from
the file the previous run left.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from prometheus_client import Gauge
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

LAST_SUCCESS = "ivr_probe_last_success_timestamp_seconds"


@dataclass(frozen=True)
class ProbeRun:
    success: bool
    finished: float
    """Unix time the run ended."""
    seconds: float
    """How long the call took."""


def last_success(previous: str) -> float:
    """The last success in a file an earlier run left; 0 (never) when there is none."""
    try:
        for family in text_string_to_metric_families(previous):
            for sample in family.samples:
                if sample.name == LAST_SUCCESS:
                    return float(sample.value)
    except ValueError:
        pass  # a file someone cut or edited: start again, as if no run had succeeded
    return 0.0


def render(run: ProbeRun, previous: str = "") -> bytes:
    """The textfile for this run, given the text of the one before it."""
    registry = CollectorRegistry()
    gauges = {
        "ivr_probe_success": ("1 if the last probe call was answered as expected, else 0",
                              1.0 if run.success else 0.0),
        "ivr_probe_duration_seconds": ("How long the last probe call took", run.seconds),
        "ivr_probe_last_run_timestamp_seconds": ("When the last probe call ended (Unix time)",
                                                 run.finished),
        LAST_SUCCESS: ("When a probe call was last answered as expected (Unix time; 0: never)",
                       run.finished if run.success else last_success(previous)),
    }
    for name, (documentation, value) in gauges.items():
        Gauge(name, documentation, registry=registry).set(value)
    return generate_latest(registry)
