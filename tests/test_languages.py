"""Every caller's language (issue 10): key paths and the second language menu, languages
spoken only by recordings, numbers of their own, review status, and a language added to a
copy of the shipped file (German, spoken by machines; Estonian, by recordings) without a
test to change (issue 23 item 6)."""

import dataclasses
import json

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.flow import next_turn
from ivr.core.turns import Press
from ivr.menus.langkinds import source_hash
from ivr.menus.loader import check_menus_text
from ivr.menus.loader import parse_menus
from ivr.prompts.catalogue import recording_name
from ivr.qa.flowcoverage import all_items
from tests import addedlanguage
from tests.addedlanguage import ESTONIAN
from tests.addedlanguage import GERMAN
from tests.conftest import ROOT
from tests.conftest import saved
from tests.promptfakes import wav
from tests.test_walk import engine_walk

SHIPPED = (ROOT / "menus.yaml").read_text(encoding="utf-8")


def with_language(code, entry, texts_from="en"):
    """The shipped menus with `code` added (its texts: copies of English, for the test)."""
    return addedlanguage.with_language(SHIPPED, code, entry, texts_from)


def problems(text):
    return [p.format() for p in check_menus_text(text, "menus.yaml")[1]]


# --- a language added by an operator ------------------------------------------------------------

ADDED = [pytest.param("de", GERMAN, id="German"), pytest.param("et", ESTONIAN, id="Estonian")]
QUICK_ADDED = [ADDED[0], pytest.param(*ADDED[1].values, id="Estonian", marks=pytest.mark.slow)]
"""`make check` adds German; `make test` Estonian too (12 s: every sentence recorded first)."""
GENERATED = ("language_menu.yaml", "readouts_")
"""What `ivr flows generate` writes (the names start so); every other flow is written by hand."""


def added(tmp_path, monkeypatch, code, entry):
    """menus.yaml in tmp_path: the shipped menus with `code` added and offered, and those
    menus as the webhook serves them. A language without engines (Estonian) is offered once
    every sentence is recorded: each is, in prompts/ (IVR_PROMPTS_DIR, for the commands)."""
    text = with_language(code, entry)
    assert [p for p in problems(text) if ": error: " in p] == []
    path = tmp_path / "menus.yaml"
    path.write_text(text, encoding="utf-8")
    menus = parse_menus(text)
    if not menus.languages[code].spoken:
        record_everything(tmp_path / "prompts", menus, code)
        monkeypatch.setenv("IVR_PROMPTS_DIR", str(tmp_path / "prompts"))
        menus = dataclasses.replace(menus, recorded=frozenset({code}))
    others = {language.code for language in parse_menus(SHIPPED).offered()} - {code}
    assert {language.code for language in menus.offered()} == others | {code}
    return path, menus


def generate(menus_path, flows):
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "flows", "generate", "--menus", str(menus_path), "--out", str(flows)])
    assert result.exit_code == 0, result.stderr


def coverage(menus_path, paths):
    """`ivr flows coverage --format json` of these scenario files; any failing scenario
    fails the command (--fail-under)."""
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "flows", "coverage", *map(str, paths), "--menus", str(menus_path), "--format", "json",
        "--fail-under", "0"])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.output)


@pytest.mark.parametrize(("code", "entry"), QUICK_ADDED)
def test_an_added_language_validates_walks_and_its_generated_scenarios_reach_all_of_it(
        tmp_path, monkeypatch, code, entry):
    menus_path, menus = added(tmp_path, monkeypatch, code, entry)
    # Every key, silence and junk in every state of the language menu and the new language.
    states = engine_walk(menus, code)
    assert {state.lang for state in states} == {None, code} and len(states) > 2000
    flows = tmp_path / "flows"
    generate(menus_path, flows)
    report = coverage(menus_path, [flows / "language_menu.yaml", flows / f"readouts_{code}.yaml"])
    # The commands saw the language offered: its items are counted...
    items = all_items(menus)
    assert {kind: report["kinds"][kind]["total"] for kind in items} == {
        kind: len(found) for kind, found in items.items()}
    ours = {kind for kind, found in items.items() if any(i.startswith(f"{code}:") for i in found)}
    assert ours == {"menus", "options", "needs x regions", "services"}
    # ... and its generated scenarios reach every one: its option in the language menu, its
    # menus and options, every need in every region, every service.
    chosen = f"language.{menus.languages[code].key}"
    missing = [item for kind in report["kinds"].values() for item in kind["missing"]
               if item.startswith(f"{code}:") or item == chosen]
    assert missing == []


@pytest.mark.slow
@pytest.mark.parametrize(("code", "entry"), ADDED)
def test_with_an_added_language_every_scenario_passes_with_full_coverage(
        tmp_path, monkeypatch, code, entry):
    menus_path, _ = added(tmp_path, monkeypatch, code, entry)
    flows = tmp_path / "flows"
    generate(menus_path, flows)
    # The scenarios written by hand hold for any set of languages (docs/qa.md); a helpline's
    # own ones that choose this language are about its own texts, which the copy replaced.
    for path in sorted((ROOT / "flows").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if not path.name.startswith(GENERATED) and f"lang: {code}\n" not in text:
            (flows / path.name).write_text(text, encoding="utf-8")
    assert coverage(menus_path, [flows])["percent"] == 100.0


def test_a_language_on_two_keys_is_offered_on_the_second_language_menu():
    menus = parse_menus(with_language("de", GERMAN))
    page, key = menus.languages["de"].keys
    first = next_turn(menus, CallState.start(), Press(page))
    assert first.then.state == CallState(menu=f"language-{page}")
    # The second menu says the languages under its key, de last (its texts: a copy of en).
    assert [(line.lang, line.text) for line in first.lines][-1] == (
        "de", f"For English, press {key}.")
    chosen = next_turn(menus, first.then.state, Press(key))
    assert chosen.then.state == CallState(menu="main", lang="de")
    # On the first menu the option names the first key of the path.
    heard = [line for line in script.language_menu(menus) if line.lang == "de"]
    assert [line.text for line in heard] == [f"For English, press {page}."]
    assert next_turn(menus, first.then.state, Press("#")).then.state == CallState.start()


def test_key_paths_are_checked_against_global_keys_and_each_other():
    text = with_language("de", {**GERMAN, "key": "3 1"})
    assert ": error: languages.de.key: key '3' opens the second language menu" not in str(
        problems(text))
    found = [p for p in problems(text) if "second language menu" in p]
    assert len(found) == 1 and found[0].endswith(
        "error: languages.en.key: key '3' opens the second language menu (for 'de') "
        "(choose a key that starts no other path)")
    bad = [p for p in problems(with_language("de", {**GERMAN, "key": "8 #"})) if "#" in p]
    assert bad[0].endswith("error: languages.de.key: key '#' is the global back key "
                           "(choose a key that is not in call.keys)")


# --- recorded-only languages ------------------------------------------------------------------

SOMALI_FIXTURE = {"key": "8 3", "name": "Soomaali", "agent_name": "somali",
                  "translated_from": "fi", "words": GERMAN["words"]}


def test_the_shipped_recorded_only_languages_are_declared_and_not_offered():
    menus = parse_menus(SHIPPED)
    for code in ("so", "prs", "ckb"):
        assert not menus.languages[code].spoken and not menus.complete(code)
        assert code not in [language.code for language in menus.offered()]
    result = CliRunner().invoke(cli, ["validate", str(ROOT / "menus.yaml")])
    assert ("note: languages.so: spoken only by recordings: 0 of "
            in result.output) and "not offered to callers until all are" in result.output


def record_everything(folder, menus, lang):
    folder.mkdir(exist_ok=True)
    files = {}
    for line in script.every_line(menus):
        if line.lang != lang:
            continue
        data = wav(0.5) + line.text.encode()
        name = recording_name(lang, data, ".wav")
        (folder / name).write_bytes(data)
        files[name] = {"lang": lang, "text": line.text, "engine": "human", "voice": {},
                       "seconds": 0.5}
    saved(folder / "manifest.json", json.dumps({"version": 1, "files": files}))
    return files


def test_a_recorded_only_language_is_offered_once_every_sentence_is_recorded(
        settings, menus_file, signed_post):
    text = with_language("so", SOMALI_FIXTURE)  # texts: copies of English, for the test
    saved(menus_file, text)
    menus = parse_menus(text)
    assert menus.complete("so") and "so" not in [x.code for x in menus.offered()]
    files = record_everything(settings.prompts_dir, menus, "so")
    first = next(iter(files))
    (settings.prompts_dir / first).unlink()  # one missing: still not offered
    from ivr.app import create_app
    from tests.conftest import AUTH_TOKEN  # noqa: F401 - the signed_post app is built below

    app = create_app(settings)
    store = app.extensions["ivr"].store
    assert store.current().recorded == frozenset()
    record_everything(settings.prompts_dir, menus, "so")
    store.interval = 0
    live, _ = store.snapshot()
    assert live.recorded == frozenset({"so"})
    assert "so" in [x.code for x in live.offered()]
    page = next_turn(live, CallState.start(), Press("8"))
    assert page.then.state.menu == "language-8"
    assert next_turn(live, page.then.state, Press("3")).then.state.lang == "so"
    result = CliRunner().invoke(cli, ["validate", str(menus_file), "--prompts",
                                      str(settings.prompts_dir)])
    needed = len(files)
    assert f"spoken only by recordings: {needed} of {needed} sentences recorded; offered" \
        in result.output


def test_a_spoken_language_needs_every_engine():
    entry = {k: v for k, v in GERMAN.items() if k != "espeak"}
    found = [p for p in problems(with_language("de", entry)) if "missing 'espeak'" in p]
    assert len(found) == 1 and ": error: languages.de: missing 'espeak' (a language with gtts" \
        in found[0]


# --- numbers of their own -----------------------------------------------------------------------


def test_a_number_of_its_own_starts_in_its_language_with_the_language_menu_one_key_away(
        menus_file, signed_post):
    own = "+358401234567"  # a test number, not in any seed
    saved(menus_file, SHIPPED.replace('  emergency: "112"\n',
                                      f'  emergency: "112"\n  lines:\n    "{own}": sv\n', 1))
    answer = signed_post("/voice", {"To": own}).get_data(as_text=True)
    assert "I nödfall, ring 1 1 2. Tryggt boende, krisstöd, kvinnor och barn: tryck 1." in answer
    assert "m=main&amp;l=sv" in answer
    back = signed_post("/voice/step?m=main&l=sv", {"Digits": "#"}).get_data(as_text=True)
    assert "Suomeksi, paina 1." in back
    other = signed_post("/voice", {"To": "+358931585000"}).get_data(as_text=True)
    assert "Suomeksi, paina 1." in other


def test_numbers_lines_are_checked():
    text = SHIPPED.replace('  emergency: "112"\n',
                           '  emergency: "112"\n  lines:\n    "0401234567": sv\n'
                           '    "+358401234567": xx\n', 1)
    found = [p.split(": ", 1)[1] for p in problems(text) if "numbers.lines" in p]
    assert found == [
        "error: numbers.lines.0401234567: '0401234567' is not a phone number (write the Twilio "
        "number callers dial, in international form: \"+358...\")",
        "error: numbers.lines.'+358401234567': no language named 'xx'",
    ]


# --- review status ------------------------------------------------------------------------------


def test_a_reviewed_text_counts_until_its_source_changes():
    reviewed = source_hash("En kuullut valintaa.")
    mapping = f'{{text: "I did not hear a choice.", reviewed: "{reviewed}"}}'
    text = SHIPPED.replace("    en: I did not hear a choice.\n", f"    en: {mapping}\n")
    line = next(i for i, t in enumerate(SHIPPED.splitlines(), 1) if t == "  en:")
    total = sum(1 for texts in parse_menus(SHIPPED).texts.values() if "en" in texts) + len(
        parse_menus(SHIPPED).needs) + 8 + 24 + 6  # + regions, service names+offers, and the
    # menus' own: the main menu's three labels, the region menu's sentence, the read-out's two
    assert [p for p in problems(text) if "warning: languages.en:" in p] == [
        f"menus.yaml:{line}:3: warning: languages.en: {total - 1} of {total} texts translated "
        "from fi not "
        "reviewed by a fluent speaker (ivr translations export --lang en, then import the "
        "reviewed file)"]
    changed = text.replace("    fi: En kuullut valintaa.", "    fi: En kuullut valintaasi.")
    assert f"{total} of {total} texts translated from fi not reviewed by a fluent speaker, " \
        "1 of them " \
        "because the fi text changed" in " ".join(problems(changed))


def test_a_broken_review_mark_is_an_error_with_its_place():
    text = SHIPPED.replace("    en: I did not hear a choice.\n",
                           '    en: {text: "I did not hear a choice.", reviewed: yes}\n')
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "reviewed: yes" in t)
    assert f"menus.yaml:{line}:54: error: texts.no_input.en.reviewed: is not a review hash " \
        "(the first 8 hex digits of the sha256 of the source text; `ivr translations " \
        "import` writes it)" in problems(text)


def test_the_generated_scenarios_in_tests_flows_are_up_to_date(tmp_path):
    # After a change of the menus or the languages: python -m ivr flows generate.
    result = CliRunner(mix_stderr=False).invoke(cli, ["flows", "generate", "--out",
                                                      str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    for path in sorted(tmp_path.glob("*.yaml")):
        committed = ROOT / "flows" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed.name} is stale: run python -m ivr flows generate")
    assert {p.name for p in (ROOT / "flows").glob("readouts_*.yaml")} == {
        p.name for p in tmp_path.glob("readouts_*.yaml")}
