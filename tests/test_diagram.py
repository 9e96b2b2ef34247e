"""`python -m ivr diagram`: an operator sees every menu and where each key leads."""

from pathlib import Path

from click.testing import CliRunner

from ivr.cli import cli

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
services + read-out of the services for the need and region
  1 the main menu -> main
  2 the info line -> info_line
info_line: transfer to the 24/7 info line +358295463177
emergency: tell the caller to hang up and dial 112
in every menu: * repeat, # back, 0 info line, 9 emergency
""")


def test_mermaid_draws_the_same_graph_with_quoted_labels():
    result = run(SMALL, "--format", "mermaid")
    assert (result.exit_code, result.output) == (0, """\
flowchart TD
    language["language choice"]
    main["main: Päävalikko."]
    region["region: Valitse alue."]
    services["services + read-out of the services for the need and region"]
    info_line[["transfer to the 24/7 info line +358295463177"]]
    emergency[["tell the caller to hang up and dial 112"]]
    language -->|"1 suomi"| main
    language -->|"2 English"| main
    main -->|"1 turvallinen asuminen"| region
    main -->|"2 terveydenhuolto"| region
    main -->|"3 kotiinpaluu"| region
    region -->|"1 pääkaupunkiseutu"| services
    region -->|"2 muu Suomi"| services
    services -->|"1 päävalikko"| main
    services -->|"2 infopuhelin"| info_line
    %% in every menu: * repeat, # back, 0 info line, 9 emergency
""")


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
    result = run(SMALL, "--lang", "de")
    assert result.exit_code == 2
    assert "Invalid value for --lang: 'de' (choose from fi, en)" in result.output
