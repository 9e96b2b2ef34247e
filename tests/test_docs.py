"""docs/menus.md explains every key of the menus.yaml schema (datasette's test_docs idea)."""

import re
from pathlib import Path

import pytest

from ivr.menus import schema
from ivr.menus import voices
from ivr.menus.textchecks import PLACEHOLDERS

GUIDE = (Path(__file__).resolve().parent.parent / "docs" / "menus.md").read_text(encoding="utf-8")
KEYS = [dotted for dotted, _ in schema.iter_keys(schema.MENUS)]
PROSE = re.sub(r"^```.*?^```", "", GUIDE, flags=re.MULTILINE | re.DOTALL)
DOCUMENTED = set(re.findall(r"`([^`\n]+)`", PROSE))


def test_the_schema_walk_finds_every_section_and_nested_key():
    assert len(KEYS) == 105  # texts.readout_keys, readout_last, speech.words.repeat (19)
    assert "menus.<id>.options[].action" in KEYS
    assert "services[].contact.phone" in KEYS


@pytest.mark.parametrize("key", KEYS)
def test_every_schema_key_is_in_the_guide(key):
    assert key in DOCUMENTED, f"docs/menus.md does not mention `{key}`"


def test_every_key_in_the_guide_tables_exists_in_the_schema():
    rows = re.findall(r"^\| `([a-z_]+(?:[.\[][^`]*)?)` \|", GUIDE, re.MULTILINE)
    assert rows and sorted(set(rows) - set(KEYS)) == []


@pytest.mark.parametrize("text_id", sorted(PLACEHOLDERS))
def test_every_placeholder_is_in_the_guide(text_id):
    row = next(line for line in GUIDE.splitlines() if line.startswith(f"| `texts.{text_id}` |"))
    assert all(f"`{{{name}}}`" in row for name in PLACEHOLDERS[text_id]), row


def test_the_voices_the_guide_names_speak_the_languages_it_names_them_for():
    named = re.findall(r"`(Polly\.[\w-]+)` for `([\w-]+)`", GUIDE)
    assert len(named) == 3
    for voice, language in named:
        assert voice in voices.polly_voices_for(language), (voice, language)
