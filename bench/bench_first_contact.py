"""Seconds before help, per language (issue 19), with the shipped espeak-ng voices at their
shipped rate: when each language's option is heard, how long after choosing it the first
service's contact is said (median and worst over every need x region path), and the longest
stretch of audio before a read-out tells the caller their keys.

Run: .venv/bin/python bench/bench_first_contact.py [--prompts DIR] [--save FILE]

Renders the whole catalogue with espeak-ng into a temporary folder (a few minutes), unless
--prompts names a folder already rendered (`ivr prompts build --engine espeak --dir DIR`,
which renders only what changed). The figures measured before the read-out was paged are
in bench/first_contact_before.json and printed beside today's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.menus.loader import load_menus  # noqa: E402
from ivr.prompts.build import build  # noqa: E402
from ivr.prompts.build import load_manifest  # noqa: E402
from ivr.prompts.build import present_files  # noqa: E402
from ivr.prompts.firstcontact import table  # noqa: E402
from ivr.prompts.timing import file_seconds  # noqa: E402
from ivr.prompts.tts import EspeakEngine  # noqa: E402

BEFORE = Path(__file__).with_name("first_contact_before.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=Path, help="a folder rendered with espeak-ng")
    parser.add_argument("--save", type=Path, help="write the table as JSON here")
    args = parser.parse_args()
    menus = load_menus(ROOT / "menus.yaml")
    folder = args.prompts or Path(tempfile.mkdtemp(prefix="bench-first-contact-"))
    result = build(menus, folder, EspeakEngine())
    if result.failed:
        print(f"espeak-ng could not render {len(result.failed)} sentences", file=sys.stderr)
        return 1
    seconds = file_seconds(load_manifest(folder), present_files(folder), folder)
    rows = table(menus, seconds)
    before = json.loads(BEFORE.read_text()) if BEFORE.exists() else {}
    print("seconds of espeak-ng audio; a caller presses each key the moment its option is said;")
    print("first contact: median / worst over every need and region, from the language option;")
    print("longest stretch: the most read-out a caller hears before a page says its keys")
    print(f"{'lang':5} {'option at':>9}  {'first contact after it':>22}  "
          f"{'longest stretch':>15}  {'before: first contact':>21}  {'longest':>7}")
    for lang, row in rows.items():
        was = before.get(lang)
        then = f"{was['median']:.0f} / {was['worst']:.0f}" if was else "-"
        stretch = f"{was['longest_stretch']:.0f}" if was else "-"
        print(f"{lang:5} {row['option']:9.1f}  {row['median']:>11.1f} / {row['worst']:<8.1f}  "
              f"{row['longest_stretch']:15.1f}  {then:>21}  {stretch:>7}")
    if args.save:
        args.save.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
