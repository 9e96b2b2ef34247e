"""A text shaped like markup is drawn as text, never as a link (issue 22 item 5).

The console puts the SVG of `ivr diagram --format svg` into its page as it is: a text
written like a Graphviz HTML label (`<<TABLE HREF="javascript:...">`) once became a
clickable `javascript:` link there, and broken markup of that shape stopped dot (a 500).
"""

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.console.graph import to_dot
from ivr.menus.diagram import build_graph
from ivr.menus.loader import load_menus
from tests.test_validate import OK

SVG = "{http://www.w3.org/2000/svg}"
LINK = '<<TABLE HREF="javascript:alert(document.cookie)"><TR><TD>Dial 112</TD></TR></TABLE>>'
BROKEN = "<<TABLE><TR><TD>Dial 112</TD>>"
ENTITIES = "Dial 112 &lt;now&gt; &amp; &#65; #quot; \"here\""
# texts.emergency is a node's whole label; texts.dial_busy starts an edge's label.
EMERGENCY = "  emergency: {fi: Lopeta puhelu ja soita 112., en: End this call and dial 112.}\n"
BUSY = "  dial_busy: {fi: Infopuhelin on varattu., en: The info line is busy.}\n"


def menus_saying(tmp_path, text, line=EMERGENCY):
    source = (OK / "menus.yaml").read_text(encoding="utf-8")
    english = line.split("en: ")[1].rstrip("}\n")
    path = tmp_path / "menus.yaml"
    path.write_text(source.replace(line, line.replace(english, json.dumps(text))),
                    encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(path)]).exit_code == 0
    return path


def svg_of(path):
    result = CliRunner().invoke(cli, ["diagram", str(path), "--format", "svg", "--lang", "en"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ET.fromstring(result.stdout_bytes)


def shown(root):
    return ["".join(t.text.split()) for t in root.iter(f"{SVG}text") if t.text]


@pytest.mark.parametrize("line", [EMERGENCY, BUSY], ids=["node", "edge"])
@pytest.mark.parametrize("text", [LINK, BROKEN, ENTITIES], ids=["link", "broken", "entities"])
def test_a_text_shaped_like_markup_is_drawn_as_that_text_with_no_link(tmp_path, text, line):
    root = svg_of(menus_saying(tmp_path, text, line))
    assert [e.tag for e in root.iter() if e.tag.endswith("}a")] == []
    values = [v for e in root.iter() for v in e.attrib.values()]
    assert not any("javascript" in v.lower() for v in values)
    # dot draws a label wrapped over several <text> lines (a long word is cut): they hold
    # the text, in order.
    assert "".join(text.split()) in "".join(shown(root))


def test_the_dot_source_quotes_every_label_as_plain_text(tmp_path):
    menus = load_menus(menus_saying(tmp_path, LINK))
    source = to_dot(build_graph(menus, "en")).source
    assert "label=<" not in source
    assert '\temergency [label="<<TABLE HREF=\\"javascript:alert(document.cook\\nie)\\"><TR>' \
        in source


def test_the_mermaid_chart_writes_markup_and_entities_as_entities(tmp_path):
    path = menus_saying(tmp_path, LINK + " " + ENTITIES)
    result = CliRunner().invoke(cli, ["diagram", str(path), "--format", "mermaid", "--lang",
                                      "en"])
    [emergency] = [line for line in result.output.splitlines()
                   if line.startswith("    emergency[[")]
    assert "<" not in emergency.replace("<br>", "") and ">" not in emergency
    assert emergency == (
        '    emergency[["#lt;#lt;TABLE HREF=#quot;javascript:alert(document.cookie)#quot;#gt;'
        '#lt;TR#gt;#lt;TD#gt;Dial 112#lt;/TD#gt;#lt;/TR#gt;#lt;/TABLE#gt;#gt; Dial 112 '
        '#amp;lt;now#amp;gt; #amp;amp; #amp;#35;65; #35;quot; #quot;here#quot;"]]')
