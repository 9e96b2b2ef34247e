"""docs/languages.md states how many texts and spoken sentences each translated language has;
the numbers are counted from the shipped menus.yaml here, so the page cannot go stale again
(issue 21: it said 71 texts when there were 79)."""

import re
from collections import Counter
from pathlib import Path

import yaml

from ivr.core import script
from ivr.menus.languagechecks import review_counts
from ivr.menus.loader import load_menus
from ivr.menus.schema import MENUS as SCHEMA
from ivr.menus.schema import check_shape

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "languages.md").read_text(encoding="utf-8")
MENUS = load_menus(ROOT / "menus.yaml")
DATA, _ = check_shape(SCHEMA, yaml.safe_load((ROOT / "menus.yaml").read_text(encoding="utf-8")))


def table():
    rows = re.findall(r"^\| (\w+) \| (\d+) \| (\d+) \|$", PAGE, re.MULTILINE)
    return {code: (int(texts), int(sentences)) for code, texts, sentences in rows}


def test_the_page_gives_the_texts_and_sentences_of_each_translated_language():
    sentences = Counter(line.lang for line in script.every_line(MENUS))
    counted = {code: (review_counts(DATA, code, "fi")[0], sentences[code])
               for code in ("ar", "ru", "th", "vi", "uk", "fr")}
    assert table() == counted


def test_every_translated_language_has_every_text_finnish_has_that_its_callers_hear():
    finnish = review_counts(DATA, "fi", "fi")[0]
    partial = sum(1 for text_id in ("language_other", "whisper_no_language")
                  if "fi" in DATA["texts"].get(text_id, {}))
    assert {total for total, _ in table().values()} == {finnish - partial}
