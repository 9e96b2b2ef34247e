"""`python -m ivr diagram`: an operator sees every menu and where each key leads."""

from pathlib import Path

from click.testing import CliRunner

from ivr.cli import cli
from tests.addedlanguage import NO_SUCH_LANGUAGE

DATA = Path(__file__).resolve().parent / "data"
SMALL = str(DATA / "menus_ok" / "menus.yaml")


def run(*args):
    return CliRunner().invoke(cli, ["diagram", *args], catch_exceptions=False)


def test_the_outline_lists_every_menu_option_and_target_in_the_chosen_language():
    result = run(SMALL, "--lang", "en")
    assert (result.exit_code, result.output) == (0, """\
language choice
  1 suomi -> main
  2 English -> main
main: Main menu.
  1 safe housing -> region
  2 health care -> region
  3 returning home -> region
region: Choose your region.
  1 the capital region -> services
  2 elsewhere in Finland -> services
services + read-out, one service a page, for the need and region
  1 the main menu -> main
  2 the info line -> info_line
  3 the next one -> services
info_line: transfer to the 24/7 info line +358295463177
emergency: tell the caller to hang up and dial 112
in every menu: * repeat, # back, 0 info line, 9 emergency
""")


def test_mermaid_draws_the_call_flow_graph_with_built_in_nodes_in_the_language():
    # The same graph as the SVG: the 112 box is connected, and nothing is in English.
    result = run(SMALL, "--format", "mermaid")
    expected = (DATA / "diagram_mermaid.txt").read_text(encoding="utf-8")
    assert (result.exit_code, result.output) == (0, expected)
    assert "    emergency -->|" in expected and "language choice" not in expected


def test_a_broken_menus_file_is_one_line_pointing_at_validate():
    broken = DATA / "menus_bad" / "goto_unknown_menu.yaml"
    result = run(str(broken))
    assert result.exit_code == 1
    assert result.output == (f"Error: {broken}: 1 error(s); run `ivr validate {broken}` "
                             "to see them\n")


def test_a_missing_file_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = run(str(missing))
    assert (result.exit_code, result.output) == (
        1, f"Error: {missing}: no such file (run ivr in the folder that holds menus.yaml, "
           "or give its path with --menus or IVR_MENUS)\n")


def test_an_unknown_language_is_a_usage_error():
    result = run(SMALL, "--lang", NO_SUCH_LANGUAGE)
    assert result.exit_code == 2
    assert f"Invalid value for --lang: '{NO_SUCH_LANGUAGE}' (choose from fi, en)" in result.output


def svg_text(output_bytes):
    """The SVG parsed as XML (a parse error fails the test) and all its text joined."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(output_bytes)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    # Graphviz breaks a long label over several <text> lines; join them as one reads them.
    return " ".join(" ".join(texts).split())


def test_svg_is_valid_and_shows_silence_and_wrong_key_edges_and_their_limits():
    result = CliRunner().invoke(cli, ["diagram", SMALL, "--format", "svg"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = svg_text(result.stdout_bytes)
    for seen in ("hiljaisuus 6 s: En kuullut valintaa.", "väärä näppäin: Tätä valintaa ei ole.",
                 "sama valikko uudelleen", "hiljaisuus 6 s, 3. kerta:",
                 "väärä näppäin, 3. kerta:"):
        assert seen in text


def test_svg_labels_built_in_nodes_in_the_chosen_language_and_connects_the_112_box(tmp_path):
    out = tmp_path / "flow.svg"
    result = run(SMALL, "--format", "svg", "--lang", "en", "--output", str(out))
    assert (result.exit_code, result.output) == (0, "")
    text = svg_text(out.read_bytes())
    assert "In any menu: Repeat: star. Back: hash. Info line: 0. Emergency: 9." in text
    assert "End this call and dial 112." in text
    assert "said twice, then the line hangs up" in text   # the 112 box leads somewhere
    assert "The call ends" in text and "answered" in text
    assert "Jos olet vaarassa, soita 112. Suomeksi, paina 1." in text  # as the caller hears
    assert "hiljaisuus" not in text                         # no Finnish in an English picture
    import xml.etree.ElementTree as ET

    titles = [t.text for t in ET.fromstring(out.read_bytes()).iter(
        "{http://www.w3.org/2000/svg}title")]
    assert "emergency->call_ends" in titles


def test_png_is_a_png_file_and_refuses_the_terminal(tmp_path):
    out = tmp_path / "flow.png"
    result = run(SMALL, "--format", "png", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_language_is_one_line_naming_the_choices():
    result = run(SMALL, "--format", "svg", "--lang", NO_SUCH_LANGUAGE)
    assert result.exit_code == 2
    assert f"Invalid value for --lang: '{NO_SUCH_LANGUAGE}' (choose from fi, en)" in result.output


def test_the_graph_of_the_shipped_menus_has_every_option_and_no_loose_node():
    from ivr.menus.diagram import build_graph
    from ivr.menus.loader import load_menus

    menus = load_menus(DATA.parent.parent / "menus.yaml")
    for lang in (language.code for language in menus.offered()):
        graph = build_graph(menus, lang)
        ids = {node.id for node in graph.nodes}
        assert all(e.source in ids and e.target in ids for e in graph.edges)
        # Every node but the ends leads somewhere, and every node but the first is led to.
        sources = {e.source for e in graph.edges}
        targets = {e.target for e in graph.edges}
        assert ids - sources == {"connected", "call_ends", "same_menu_again"}
        assert ids - targets == {"language"}
        options = [(m.id, o.key) for m in menus.menus.values() for o in m.options]
        drawn = [(e.source, e.label.split()[0]) for e in graph.edges if e.kind == "option"]
        assert drawn[len(menus.offered()):] == options
        kinds = [e.kind for e in graph.edges]
        assert kinds.count("silence") == kinds.count("wrong_key") == 1
        assert kinds.count("limit") == 2 and kinds.count("outcome") == 4


def test_a_picture_into_a_missing_folder_is_one_line_and_exit_1(tmp_path):
    out = tmp_path / "no" / "such" / "flow.svg"
    result = run(SMALL, "--format", "svg", "-o", str(out))
    assert (result.exit_code, result.output) == (
        1, f"Error: {out}: cannot write it (No such file or directory; check the folder "
           "exists and is writable)\n")
