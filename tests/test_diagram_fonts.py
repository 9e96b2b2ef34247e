"""The diagram's labels have fonts (issue 23 item 9): Graphviz draws the PNG with the
server's fonts (cairo and pango, through fontconfig) and the browser shows the SVG with the
reader's, so every letter of every offered language's labels must be in some installed font:
Thai and Arabic were boxes without fonts-noto-core (the Makefile's DEBS, docs/deploy.md).
"""

import shutil
import subprocess
import unicodedata
from collections import defaultdict

import pytest

from ivr.menus.diagram import build_graph
from ivr.menus.loader import load_menus
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")


def letters_by_script(lang):
    """The characters of the diagram's labels in `lang`, by script ("THAI", "ARABIC"...)."""
    graph = build_graph(MENUS, lang)
    scripts = defaultdict(set)
    for label in [node.label for node in graph.nodes] + [edge.label for edge in graph.edges]:
        for char in label:
            if unicodedata.category(char)[0] in "LMN":    # letters, marks, digits
                scripts[unicodedata.name(char).split()[0]].add(char)
    return scripts


def fonts_with(chars):
    """The installed fonts that have every one of these characters (fontconfig)."""
    if shutil.which("fc-list") is None:
        pytest.fail("no fc-list: install Debian's fontconfig (make test installs the DEBS)")
    charset = " ".join(f"{ord(char):x}" for char in sorted(chars))
    listed = subprocess.run(["fc-list", f":charset={charset}", "family"], capture_output=True,
                            text=True, check=True, timeout=30)
    return listed.stdout.split("\n")[:-1]


@pytest.mark.parametrize("lang", [language.code for language in MENUS.offered()])
def test_every_letter_of_the_diagram_has_a_font(lang):
    scripts = letters_by_script(lang)
    assert scripts["THAI"] and scripts["ARABIC"]   # the language menu names them all
    for script, chars in scripts.items():
        assert fonts_with(chars), (
            f"no installed font has the {script.lower()} letters {''.join(sorted(chars))} of "
            f"the {lang} diagram: apt-get install fonts-noto-core (make test does)")


def test_the_makefile_installs_the_fonts_and_the_deploy_guide_names_them():
    debs = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if line.startswith("DEBS :="))
    assert "fonts-noto-core" in debs.split()
    deploy = " ".join((ROOT / "docs" / "deploy.md").read_text().split())
    assert "apt-get install -y graphviz fonts-noto-core" in deploy
