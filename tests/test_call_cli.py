"""`python -m ivr call`: one-shot and interactive simulated calls through the real webhook."""

import json

from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.loader import load_menus
from tests.addedlanguage import NO_SUCH_LANGUAGE
from tests.conftest import CALLER
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")

EMERGENCY = [
    "  [language] (fi) Jos olet vaarassa, lopeta tämä puhelu nyt ja soita hätänumeroon 1 1 2"
    " omalla puhelimellasi.",
    "  [language] (sv) Om du är i fara, avsluta samtalet nu och ring nödnumret 1 1 2 från din"
    " egen telefon.",
    "  [language] (en) If you are in danger, end this call now and dial the emergency number"
    " 1 1 2 from your own phone.",
]
LANGUAGE_MENU = [
    "  [language] (fi) Hätätilanteessa soita 1 1 2. Suomeksi, paina 1.",
    "  [language] (sv) I nödfall, ring 1 1 2. På svenska, tryck 2.",
    "  [language] (en) In an emergency, call 1 1 2. For English, press 3.",
]
# Between these and the keys: the other offered languages, then what a caller whose language
# is not offered should do (issue 10); any set of languages.
LANGUAGE_OTHER = [
    "  [language] (fi) Jos kieltäsi ei mainittu, pysy linjalla. Sinut yhdistetään "
    "infopuhelimeen. Auttamisjärjestelmä tarjoaa tulkkausapua.",
    "  [language] (sv) Om ditt språk inte nämndes, stanna kvar i linjen. Du kopplas till "
    "infotelefonen. Hjälpsystemet erbjuder tolkningshjälp.",
    "  [language] (en) If your language was not mentioned, stay on the line. You will be put "
    "through to the info line. The assistance system offers interpreting help.",
]


def language_menu_then(output, rest):
    """The output starts with the language menu, then has `rest` right after it."""
    assert output.startswith("\n".join(LANGUAGE_MENU))
    assert "\n".join(LANGUAGE_OTHER + rest) in output


def call(*args, **kw):
    return CliRunner(mix_stderr=False).invoke(cli, ["call", *args], **kw)


def test_one_shot_keys_print_the_whole_transcript():
    result = call("--keys", "9")
    assert result.exit_code == 0
    language_menu_then(result.output, ["> press 9"] + EMERGENCY + EMERGENCY
        + ["== call ended: told to dial the emergency number, then hung up (in language)", ""])


def test_dash_dot_and_empty_items_are_silence_and_lang_preselects():
    result = call("--lang", "en", "--keys", "2,-,.,")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line for line in lines if line.startswith(">")] == [
        "> press 3", "> press 2", "> silence (6 s)", "> silence (6 s)", "> silence (6 s)"]
    assert lines[-4:] == [
        "  [needs_legal] (en) I will now put you through to the info line.",
        "== transfer to +358295463177: completed",
        "   agent hears (fi) Puhelu ihmiskaupan uhrien puhelinvalikosta."
        " Soittajan kieli: englanti.",
        "== call ended: transferred to +358295463177 (completed)",
    ]


def test_outcome_busy_brings_the_menu_back_and_the_call_waits():
    result = call("--lang", "sv", "--keys", "0", "--outcome", "busy")
    lines = result.output.splitlines()
    assert lines[-3].startswith("== transfer to +358295463177: busy")
    assert lines[-2].startswith("  [main] (sv) Infotelefonen är upptagen just nu.")
    assert lines[-1] == "== still on the line, waiting for a key in main"


def test_json_output_is_the_transcript_and_never_the_caller_number():
    result = call("--lang", "fi", "--keys", "0", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["ending"] == {"kind": "transferred", "number": "+358295463177",
                              "outcome": "completed", "detail": "", "menu": "main"}
    assert data["waiting_in"] is None
    transfer = [e for e in data["events"] if e["kind"] == "transfer"]
    assert transfer == [{
        "kind": "transfer", "menu": "main", "number": "+358295463177", "outcome": "completed",
        "agent_heard": [{
            "text": "Puhelu ihmiskaupan uhrien puhelinvalikosta. Soittajan kieli: suomi.",
            "lang": "fi",
        }],
    }]
    assert "+15005550006" not in result.output and CALLER not in result.output


def test_keys_after_the_end_are_reported_on_stderr():
    result = call("--keys", "9,1,2")
    assert result.exit_code == 0
    assert result.stderr == "note: the call ended before these keys: 1,2\n"


def test_bad_keys_and_unknown_languages_are_usage_errors():
    result = call("--keys", "1,x")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for --keys: 'x' is not phone keys (0-9, * and #; - for silence; "
        "say:<words> to speak)")
    result = call("--lang", NO_SUCH_LANGUAGE, "--keys", "1")
    assert result.exit_code == 2
    offered = ", ".join(language.code for language in MENUS.offered())
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for --lang: '{NO_SUCH_LANGUAGE}'; one of: {offered}")


def test_a_broken_menus_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "menus.yaml"
    bad.write_text("languages: {}\n")
    result = call("--menus", str(bad), "--keys", "1")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {bad}: 8 error(s); run `ivr validate {bad}` to see them\n")


def test_interactive_shows_events_asks_the_transfer_outcome_and_hangs_up_on_q():
    result = call(input="3\n\n0\nbusy\nq\n")
    assert result.exit_code == 0
    out = result.output
    prompt = "[main] keys (Enter = silence, q = hang up): "
    language_menu_then(out, ["[language] keys (Enter = silence, q = hang up): 3"])
    assert f"{prompt}\n> silence (6 s)\n  [main] (en) I did not hear a choice." in out
    assert ("transfer to +358295463177: how does it end? (completed, busy, no-answer, failed)"
            " [completed]: busy\n== transfer to +358295463177: busy\n") in out
    assert out.endswith(f"{prompt}q\n== you hung up in main\n")


def test_interactive_ends_by_itself_when_the_call_ends():
    result = call("--lang", "fi", input="9\n")
    assert result.exit_code == 0
    assert result.output.endswith(
        "== call ended: told to dial the emergency number, then hung up (in main)\n")


def test_say_items_speak_where_the_language_listens_for_speech(tmp_path):
    from tests.speechmenus import write_speech_menus

    menus = write_speech_menus(tmp_path)
    result = call("--menus", str(menus), "--keys", "1,say:Turvakoti,say:kriisiapu", "--format",
                  "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    said = [(e["text"], e["menu"]) for e in data["events"] if e["kind"] == "said"]
    assert said == [("Turvakoti", "main"), ("kriisiapu", "needs_safety")]
    assert data["waiting_in"] == "services"  # crisis support's read-out, the whole country's


def test_a_simulated_call_keeps_no_menus_history(tmp_path, monkeypatch):
    # A simulation serves no one: only a served version goes into .menus.yaml.history/.
    import shutil

    shutil.copyfile(ROOT / "menus.yaml", tmp_path / "menus.yaml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["call", "--keys", "1"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".menus.yaml.history").exists()
