"""Benchmark loading and validating menus.yaml (issue 2).

Times `check_menus_text` (parse with marks, schema, checks, model) on the shipped file and on
a generated file with 100 times as many services, against plain `yaml.safe_load` of the same
text in the same run, and the peak memory of each (tracemalloc).
Aim: shipped file under 100 ms, the large one under 2 s.

    .venv/bin/python bench/bench_load.py [--runs 5] [--factor 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.menus.loader import check_menus_text  # noqa: E402

MENUS = ROOT / "menus.yaml"


def large_text(text: str, factor: int) -> str:
    """The shipped menus with every service repeated `factor` times under new ids."""
    data = yaml.safe_load(text)
    data["services"] = [
        {**service, "id": f"{service['id']}_{n}"}
        for n in range(factor)
        for service in data["services"]
    ]
    # Written out in full, as an operator would: no YAML anchors for the repeated texts.
    dumper = type("NoAliases", (yaml.SafeDumper,), {"ignore_aliases": lambda *_: True})
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(name: str, text: str, runs: int, aim: float) -> None:
    def validate() -> None:
        menus, problems = check_menus_text(text, name)
        assert menus is not None and not [p for p in problems if p.severity == "error"]

    def plain() -> None:
        yaml.safe_load(text)

    def plain_c() -> None:
        yaml.load(text, Loader=yaml.CSafeLoader)

    ours, base = median_seconds(validate, runs), median_seconds(plain, runs)
    base_c = median_seconds(plain_c, runs)
    mine, theirs = peak_bytes(validate), peak_bytes(plain)
    verdict = "ok" if ours < aim else "OVER AIM"
    print(
        f"{name}: {len(text) / 1024:.0f} KiB\n"
        f"  load+validate   {ours * 1000:8.1f} ms  (aim < {aim * 1000:.0f} ms: {verdict})\n"
        f"  yaml.safe_load  {base * 1000:8.1f} ms  -> ratio {ours / base:.2f}x\n"
        f"  CSafeLoader     {base_c * 1000:8.1f} ms  -> ratio {ours / base_c:.2f}x\n"
        f"  peak memory     {mine / 2**20:8.1f} MiB (yaml.safe_load {theirs / 2**20:.1f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    text = MENUS.read_text(encoding="utf-8")
    big = large_text(text, args.factor)
    print(f"PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}, runs: {args.runs}")
    measure("menus.yaml", text, args.runs, 0.1)
    measure(f"menus x{args.factor} services", big, args.runs, 2.0)


if __name__ == "__main__":
    main()
