"""The whole shipped catalogue rendered once with the real espeak-ng, for the tests that need
real audio of every sentence (test_promptbuild, test_firstcontact). conftest.py imports it,
so it is defined once; mark a test using it `xdist_group("espeak")` so one worker renders it
for all of them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ivr.menus.loader import load_menus
from ivr.prompts.build import build
from ivr.prompts.tts import EspeakEngine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def espeak_catalogue(tmp_path_factory) -> Path:
    """A prompts folder holding an espeak-ng render of every sentence of the shipped menus."""
    folder = tmp_path_factory.mktemp("espeak") / "prompts"
    started = time.perf_counter()
    result = build(load_menus(ROOT / "menus.yaml"), folder, EspeakEngine())
    elapsed = time.perf_counter() - started
    print(f"\nespeak-ng rendered {len(result.rendered)} sentences in {elapsed:.1f} s")
    assert result.failed == []
    return folder
