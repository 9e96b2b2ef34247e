"""Benchmark the prompts build (issue 4).

Prints: the time of a build with nothing to do against the time of loading the menus
(aim: under 0.5 s), and the audio time before the language choice and to the end of the
main menu, until each language's option is said, and to the info line's key, read from
espeak-ng renders of the shipped menus (aims: 12 s to the fi/sv/en options, 30 s to every
offered language's, 15 s after the language menu to the info line's key). Renders into a
temporary folder unless --dir names one already rendered.

    .venv/bin/python bench/bench_prompts.py [--dir prompts-espeak] [--runs 20]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.core import script  # noqa: E402
from ivr.menus.loader import load_menus  # noqa: E402
from ivr.prompts.audioformat import check_audio  # noqa: E402
from ivr.prompts.build import build  # noqa: E402
from ivr.prompts.build import load_manifest  # noqa: E402
from ivr.prompts.build import present_files  # noqa: E402
from ivr.prompts.catalogue import best_file  # noqa: E402
from ivr.prompts.timing import file_seconds  # noqa: E402
from ivr.prompts.timing import language_choice  # noqa: E402
from ivr.prompts.tts import EspeakEngine  # noqa: E402

MENUS = ROOT / "menus.yaml"


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def audio_seconds(folder: Path, lines: list[script.Line]) -> tuple[float, int]:
    """Playing time of the lines' best audio (offline allowed), and how many had none."""
    manifest, present = load_manifest(folder), present_files(folder)
    total, missing = 0.0, 0
    for line in lines:
        name = best_file(manifest, present, line.lang, line.text, allow_offline=True)
        if name is None:
            missing += 1
        else:
            total += check_audio((folder / name).read_bytes(), Path(name).suffix)
    return total, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="an espeak-rendered prompts folder to reuse")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    menus = load_menus(MENUS)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-prompts-")) / "prompts"

    started = time.perf_counter()
    first = build(menus, folder, EspeakEngine())
    print(f"espeak-ng render of the catalogue: {len(first.rendered)} sentences in "
          f"{time.perf_counter() - started:.1f} s ({len(first.plan.done)} already there)")

    load = median_seconds(lambda: load_menus(MENUS), args.runs)
    idle = median_seconds(lambda: build(load_menus(MENUS), folder, EspeakEngine()), args.runs)
    print(f"load menus.yaml:                      {load * 1000:7.1f} ms (median of {args.runs})")
    print(f"build with nothing to do (in-process): {idle * 1000:7.1f} ms "
          f"= {idle / load:.1f} x loading the menus (aim: under 500 ms)")
    command = [sys.executable, "-m", "ivr", "prompts", "build", "--engine", "espeak",
               "--dir", str(folder)]
    cli = median_seconds(lambda: subprocess.run(command, cwd=ROOT, check=True,
                                                capture_output=True), 5)
    print(f"`ivr prompts build` with nothing to do, whole process: {cli * 1000:.0f} ms")

    tracemalloc.start()
    build(load_menus(MENUS), folder, EspeakEngine())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak Python memory of a build with nothing to do: {peak / 1e6:.1f} MB; "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    to_choice, missing = audio_seconds(folder, script.language_menu(menus))
    print(f"audio of the whole language menu (espeak): {to_choice:.1f} s ({missing} without "
          "audio)")
    # Issue 10: the 112 notice and the fi/sv/en options within 12 s, every offered
    # language's option within 30 s (the same figures as `prompts status --format json`).
    timing = file_seconds(load_manifest(folder), present_files(folder), folder)
    for code, until in language_choice(menus, timing).items():
        aim = 12 if code in ("fi", "sv", "en") else 30
        said = "no audio" if until is None else f"{until:5.1f} s = {until / aim:.2f} x the aim"
        print(f"audio until the {code} option is said (espeak): {said} (aim: under {aim} s)")
    for lang in [language.code for language in menus.offered()]:
        lines = script.language_menu(menus) + script.menu_prompt(menus, menus.call.main_menu, lang)
        seconds, missing = audio_seconds(folder, lines)
        print(f"audio to the end of the main menu in {lang} (espeak): {seconds:.1f} s")
    for lang in menus.languages:
        # Issue 14: the info line's key within 15 s of audio after the language menu.
        key, _ = audio_seconds(folder, script.until_info_line_key(menus, lang))
        after = key - to_choice
        print(f"info_line_key {lang} (espeak): {key:.1f} s from the start, {after:.1f} s after "
              f"the language menu (aim: under 15 s; {after / 15:.2f} x the aim)")


if __name__ == "__main__":
    main()
