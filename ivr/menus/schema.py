"""The shape of menus.yaml as data: the keys of each mapping, their kinds, their docs.

`check_shape(kind, data)` reports every wrong type, missing key and unknown key at once and
returns the data with the bad values left out, so the meaning checks (ivr/checks.py) can
still run on the rest. `MENUS` at the end is the whole file; docs/menus.md explains each key.
The kinds of values themselves live in ivr/kinds.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.core.model import OPTION_ACTIONS
from ivr.menus.kinds import BAD
from ivr.menus.kinds import Choice
from ivr.menus.kinds import Day
from ivr.menus.kinds import Fields
from ivr.menus.kinds import Flag
from ivr.menus.kinds import Items
from ivr.menus.kinds import Key
from ivr.menus.kinds import Kind
from ivr.menus.kinds import Number
from ivr.menus.kinds import Phone
from ivr.menus.kinds import PhoneKey
from ivr.menus.kinds import Table
from ivr.menus.kinds import Text
from ivr.menus.langkinds import KeyPath
from ivr.menus.langkinds import ReviewedTexts as Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath


def check_shape(kind: Kind, data: Any) -> tuple[Any, list[Finding]]:
    """Every shape problem at once, and the data with the bad values left out (or None)."""
    clean, findings = kind.check(data, ())
    return (None if clean is BAD else clean), findings


def iter_keys(kind: Kind, prefix: str = "") -> Iterator[tuple[str, Key]]:
    """Every key the schema knows, as ('services[].contact.phone', Key), for docs."""
    if isinstance(kind, Fields):
        for key in kind.keys:
            dotted = f"{prefix}.{key.name}" if prefix else key.name
            yield dotted, key
            yield from iter_keys(key.kind, dotted)
    elif isinstance(kind, Table):
        yield from iter_keys(kind.value, f"{prefix}.<id>")
    elif isinstance(kind, Items):
        yield from iter_keys(kind.item, f"{prefix}[]")


def walk(kind: Kind, data: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, Kind, Any]]:
    """Every value of clean data with its path and kind (the checks find Texts this way)."""
    if data is None:
        return
    yield path, kind, data
    if isinstance(kind, Fields):
        for key in kind.keys:
            if key.name in data:
                yield from walk(key.kind, data[key.name], path + (key.name,))
    elif isinstance(kind, Table):
        for name, item in data.items():
            yield from walk(kind.value, item, path + (name,))
    elif isinstance(kind, Items):
        for index, item in enumerate(data):
            yield from walk(kind.item, item, path + (index,))


def _keys(*keys: Key) -> Fields:
    return Fields(keys=keys)


# Voices and languages: see docs/reference (Twilio <Say> voices, gTTS languages and tlds).
LANGUAGE = _keys(
    Key("key", KeyPath(), "the keys that choose this language in the language menu: one "
        'key ("4"), or two ("8 1": 8 opens a second language menu, 1 chooses there); printed '
        "on leaflets, so never change it"),
    Key("name", Text(), "the language's name as said in that language"),
    Key("agent_name", Text(), "the language's name in call.agent_language, told to the info "
        "line agent before a transfer (default: name)", required=False),
    Key("translated_from", Text(), "the language its texts were translated from; a plain "
        "text in it counts as unreviewed (none: written from the seeds)", required=False),
    Key("greets", Flag(), "says the 112 notice before its option, and what is said before "
        "a language is chosen (default: every language, when none sets it)", required=False),
    Key("gtts", _keys(
        Key("lang", Text(), "gTTS language code for recorded prompts, e.g. fi"),
        Key("tld", Text(), "Google host gTTS uses, pinned so the accent does not drift"),
    ), "how gTTS records this language's prompts (none: human recordings only)",
        required=False),
    Key("twilio", _keys(
        Key("language", Text(), "Twilio <Say> language, e.g. fi-FI"),
        Key("voice", Text(), "Twilio <Say> voice, used where no recording exists"),
    ), "Twilio's own speech, used where a prompt has no recording (none: human recordings "
        "only)", required=False),
    Key("espeak", Text(), "espeak-ng voice for offline prompts, e.g. en-gb", required=False),
    Key("speech", _keys(
        Key("language", Text(), "Twilio's speech recognition code, e.g. fi-FI"),
        Key("words", _keys(
            Key("info_line", Items(item=Text(), what="words"),
                "words or phrases that put the caller through, like the info line key"),
            Key("emergency", Items(item=Text(), what="words"),
                "words or phrases that give the emergency instructions, like its key"),
            Key("repeat", Items(item=Text(), what="words"),
                "words or phrases that say the menu or read-out page again, like its key",
                required=False),
        ), "spoken words that work like the global keys"),
        Key("numbers", Items(item=Text(), what="words"), "the words for the keys 0 to 9, in "
            "order, so 'one' works like key 1", required=False),
    ), "menus in this language also listen for speech (Twilio charges for it; off when "
        "absent)", required=False),
    Key("words", _keys(
        Key("dot", Text(), "'.' as said in web and e-mail addresses"),
        Key("at", Text(), "'@' as said in e-mail addresses"),
        Key("dash", Text(), "'-' as said in addresses"),
        Key("star", Text(), "the * key as said"),
        Key("hash", Text(), "the # key as said"),
    ), "words for symbols, used to speak keys and addresses", required=False),
)

CALL_KEYS = _keys(
    Key("repeat", PhoneKey(), "repeats the current menu, everywhere"),
    Key("back", PhoneKey(), "goes to the previous menu, everywhere"),
    Key("info_line", PhoneKey(), "puts the caller through to the info line, everywhere"),
    Key("emergency", PhoneKey(), "gives the emergency instructions, everywhere"),
)

CALL = _keys(
    Key("main_menu", Text(), "id of the menu a caller hears after choosing a language"),
    Key("default_language", Text(), "language used before the caller has chosen one"),
    Key("agent_language", Text(), "language the info line agent hears the call announced in"),
    Key("timeout", Number(low=1, high=60), "seconds to wait for a key before reprompting"),
    Key("max_silences", Number(low=1, high=10), "silences in one menu before the transfer"),
    Key("max_wrong_keys", Number(low=1, high=10), "wrong keys in one menu before the transfer"),
    Key("max_silent_rounds", Number(low=2, high=3), "rounds of max_silences with no key "
        "pressed before texts.goodbye and the hangup; each round before the last puts the "
        "caller through to the info line (default 2)", required=False),
    Key("dial_timeout", Number(low=5, high=600), "seconds the info line may ring (Twilio <Dial>)"),
    Key("emergency_forwarding", Flag(), "put callers through to the emergency number "
        "(only for a carrier that routes it)", required=False),
    Key("keys", CALL_KEYS, "the global keys, which work in every menu"),
)

OPTIONAL_TEXTS = ("goodbye", "menu_changed", "info_line_first", "sms_warning", "sms_confirm",
                  "sms_sent", "sms_failed", "sms_cancelled", "readout_keys", "readout_last")
"""Texts a call does without: older menus files (and the test ones) lack them."""
TEXTS = _keys(*(Key(text_id, Texts(), doc, required=text_id not in OPTIONAL_TEXTS)
                for text_id, doc in (
    ("emergency_notice", "first sentence of each language in the language menu"),
    ("language_option", "how each language offers itself; {key}"),
    ("option", "how a menu option is said; {label} and {key}"),
    ("global_keys", "the global keys, said in the main menu; {repeat} {back} {info_line} "
     "{emergency}"),
    ("info_line_first", "the main menu's first sentence: the info line's key, before the "
     "needs (then emergency_notice); {info_line}"),
    ("no_input", "said after a silence"),
    ("wrong_key", "said after a key that is not a choice"),
    ("too_many_tries", "said before the transfer after too many silences or wrong keys"),
    ("transferring", "said before the caller is put through to the info line"),
    ("dial_busy", "the info line was busy"),
    ("dial_no_answer", "the info line did not answer"),
    ("dial_failed", "the call to the info line failed"),
    ("dial_retry", "offered after a failed transfer; {info_line}"),
    ("emergency", "the emergency instructions"),
    ("apology", "said when something went wrong inside, before the transfer"),
    ("services_intro", "the first words of a read-out: what was chosen; {need} and {region}"),
    ("readout_keys", "on each read-out page, after the service's contacts and its options: "
     "how to hear it again and reach the info line; {repeat} {info_line}"),
    ("readout_last", "on a read-out's last page, instead of its `next` option: that it was "
     "the last, and the key that starts again; {next}"),
    ("contact_phone", "a service's phone; {phone}"),
    ("contact_email", "a service's e-mail address; {email}"),
    ("contact_web", "a service's website; {web}"),
    ("whisper", "heard by the info line agent before the call is bridged; {language}"),
    ("sms_warning", "before a text message: it stays on the phone (heard whole, no key cuts it)"),
    ("sms_confirm", "after sms_warning: the key that sends the message; {confirm}"),
    ("sms_sent", "the text message was sent"),
    ("sms_failed", "the text message could not be sent"),
    ("sms_cancelled", "no text message was sent (another key, or silence)"),
    ("goodbye", "said before a silent call is hung up; {info_line}"),
    ("menu_changed", "said when the menus changed during the call, before the main menu"),
)), Key("language_other", Texts(), "after the language options: a caller whose language is "
        "not offered stays on the line for the info line; only in some languages",
        required=False),
    Key("whisper_no_language", Texts(), "the agent hears this when the caller chose no "
        "language; only in call.agent_language is needed", required=False))

REGION = _keys(
    Key("name", Texts(), "the region's name in each language"),
    Key("nationwide", Flag(), "services in this region serve the whole country "
        "and are read out for every region", required=False),
)

SERVICE = _keys(
    Key("id", Text(), "a short unique id for the service"),
    Key("name", Texts(), "the organisation's name in each language"),
    Key("offers", Texts(), "who it helps and how, in each language"),
    Key("needs", Items(item=Text(), what="need ids"), "ids of the needs it helps with"),
    Key("regions", Items(item=Text(), what="region ids"), "ids of the regions it serves"),
    Key("contact", _keys(
        Key("phone", Phone(), "phone number in international form", required=False),
        Key("email", Text(), "e-mail address", required=False),
        Key("web", Text(), "web address", required=False),
        Key("web_by_language", Table(value=Text(), what="languages"), "the web address in a "
            "language whose own seed gives another one (sv: www.manniskohandel.fi); the other "
            "languages hear web", required=False),
    ), "how to reach it", required=False),
    Key("source", Text(), "the seed document the entry was written from"),
    Key("checked", Day(), "the date the entry was last checked against its source"),
)

OPTION = _keys(
    Key("key", PhoneKey(), "the key the caller presses"),
    Key("label", Texts(), "what the option is called (else the need's or region's name)",
        required=False),
    Key("goto", Text(), "id of the menu the key leads to", required=False),
    Key("need", Text(), "the need this key chooses", required=False),
    Key("region", Text(), "the region this key chooses", required=False),
    Key("action", Choice(values=OPTION_ACTIONS),
        "what the key does instead of goto", required=False),
)

MENU = _keys(
    Key("say", Texts(), "what the menu says before its options", required=False),
    Key("readout", Flag(), "read out the services for the chosen need and region",
        required=False),
    Key("options", Items(item=OPTION, what="options"), "the keys of this menu", required=False),
)

MENUS = _keys(
    Key("languages", Table(value=LANGUAGE, what="languages"), "the languages callers can choose"),
    Key("numbers", _keys(
        Key("info_line", Phone(), "the 24/7 info line callers are put through to"),
        Key("emergency", Phone(), "the emergency number (checked as one for Finland)"),
        Key("lines", Table(value=Text(), what="numbers"), "a Twilio number of the helpline "
            "(as dialled, E.164) -> the language its callers hear first, without the "
            "language menu", required=False),
    ), "the numbers the call may lead to"),
    Key("call", CALL, "call settings"),
    Key("texts", TEXTS, "every fixed sentence of a call, in each language"),
    Key("needs", Table(value=Texts(), what="needs"), "what callers can ask help for"),
    Key("regions", Table(value=REGION, what="regions"), "where callers can ask help"),
    Key("services", Items(item=SERVICE, what="services"), "the directory of services"),
    Key("menus", Table(value=MENU, what="menus"), "the menus, by id"),
    Key("pronunciations", Table(value=Table(value=Text(), what="pronunciations"),
                                what="languages"),
        "per language: a written form -> how that language's voice says it; changes what "
        "is spoken only, never the text message", required=False),
)
