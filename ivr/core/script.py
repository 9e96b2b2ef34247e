"""Every sentence a caller can hear, in order, for each moment of a call.

The call engine speaks these lines and the prompts catalogue renders exactly the same
lines, so a recording is found for a sentence by its exact text and language. A line holds
what the voice is given (issue 21): the language's pronunciations applied and short numbers
spaced out where they are said digit by digit; texts, displays and the text message keep
the written form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import cast

from ivr.core.model import SMS_CONFIRM_KEY
from ivr.core.model import Menu
from ivr.core.model import Menus
from ivr.core.model import Option
from ivr.core.model import Service
from ivr.core.speech import capitalise
from ivr.core.speech import read_web
from ivr.core.speech import sentences
from ivr.core.speech import spoken
from ivr.core.speech import spoken_email
from ivr.core.speech import spoken_key
from ivr.core.speech import spoken_phone
from ivr.core.speech import spoken_web


@dataclass(frozen=True)
class Line:
    """One sentence, in one language."""

    text: str
    """What the voice is given: what callers hear, and what a recording is found by."""
    lang: str
    written: str = field(default="", compare=False)
    """The sentence as menus.yaml writes it, for displays such as the diagram (issue 21)."""


def text(menus: Menus, text_id: str, lang: str, **fields: str) -> list[Line]:
    """A text of the `texts` section with its {placeholders} filled, as sentences."""
    return _kept(menus, ("text", text_id, lang, *sorted(fields.items())),
                 lambda: _say(menus, menus.texts[text_id][lang].format(**fields), lang))


def _say(menus: Menus, written: str, lang: str) -> list[Line]:
    lexicon = menus.pronunciations.get(lang, {})
    return [_line(sentence, lang, lexicon) for sentence in sentences(written, lang)]


def _line(sentence: str, lang: str, lexicon: Mapping[str, str]) -> Line:
    return Line(capitalise(spoken(sentence, lang, lexicon)), lang, capitalise(sentence))


def option_label(menus: Menus, option: Option, lang: str) -> str:
    if option.label is not None:
        return option.label[lang]
    if option.need is not None:
        return menus.needs[option.need][lang]
    if option.region is not None:
        return menus.regions[option.region].name[lang]
    return option.goto or option.action or option.key


def key_name(menus: Menus, key: str, lang: str) -> str:
    return spoken_key(key, menus.languages[lang].words)


def language_option(menus: Menus, lang: str, key: str) -> list[Line]:
    return text(menus, "language_option", lang, key=key_name(menus, key, lang))


def language_menu(menus: Menus) -> list[Line]:
    """The first thing heard: each offered language's option in that language, with the 112
    notice first in the greeting languages, each by the first key of its path; then, in the
    languages that have it, what a caller whose language is not offered should do."""
    return _kept(menus, ("language_menu",), lambda: _language_menu(menus))


def _language_menu(menus: Menus) -> list[Line]:
    lines: list[Line] = []
    for language in menus.offered():
        if language.greets:
            lines += text(menus, "emergency_notice", language.code)
        lines += language_option(menus, language.code, language.keys[0])
    return lines + language_other(menus)


def language_other(menus: Menus) -> list[Line]:
    other = menus.texts.get("language_other", {})
    return [line for lang in menus.greeting() if lang in other for line in text(menus,
            "language_other", lang)]


def language_page(menus: Menus, first: str) -> list[Line]:
    """The second language menu: the languages whose key path starts with `first`."""
    lines: list[Line] = []
    for language in menus.offered():
        if len(language.keys) == 2 and language.keys[0] == first:
            lines += language_option(menus, language.code, language.keys[1])
    return lines


def language_pages(menus: Menus) -> list[str]:
    """The first keys that open a second language menu, in key order."""
    return list(dict.fromkeys(lang.keys[0] for lang in menus.offered() if len(lang.keys) == 2))


def global_keys(menus: Menus, lang: str) -> list[Line]:
    keys = {name: key_name(menus, key, lang) for name, key in menus.call.keys.as_dict().items()}
    return text(menus, "global_keys", lang, **keys)


def first_keys(menus: Menus, lang: str) -> list[Line]:
    """The main menu's first words: the info line's key and 112, before any need (issue 14).

    A frightened caller who wants a person should not have to sit through the needs to
    learn the key; 112 is said as the number itself, not as a key that leads to it.
    """
    if "info_line_first" not in menus.texts:
        return []  # an older menus file: the global keys after the options still say it
    key = key_name(menus, menus.call.keys.info_line, lang)
    return text(menus, "info_line_first", lang, info_line=key) + text(
        menus, "emergency_notice", lang
    )


def option_lines(menus: Menus, option: Option, lang: str) -> list[Line]:
    """An option as said: its label and its key."""
    label = option_label(menus, option, lang)
    return text(menus, "option", lang, label=label, key=key_name(menus, option.key, lang))


def menu_options(menus: Menus, menu: Menu, lang: str) -> list[Line]:
    lines: list[Line] = []
    for option in menu.options:
        lines += option_lines(menus, option, lang)
    if menu.id == menus.call.main_menu:
        lines += global_keys(menus, lang)
    return lines


def intro(menus: Menus, menu: Menu, lang: str) -> list[Line]:
    """The menu's own `say` sentences (none without one)."""
    return _say(menus, menu.say[lang], lang) if menu.say else []


def menu_prompt(
    menus: Menus, menu_id: str, lang: str, need: str | None = None, region: str | None = None,
    item: int = 0, whole: bool = True,
) -> list[Line]:
    """What a menu says: its intro, then its options; a read-out menu with its need and
    region chosen says one page of the read-out (readout_page). `whole=False`: only what
    the caller can press, as after a silence or a wrong key."""
    menu = menus.menus[menu_id]
    if menu.readout and need is not None and region is not None:
        return _kept(menus, ("page", menu_id, lang, need, region, item, whole),
                     lambda: readout_page(menus, menu, lang, need, region, item, whole))
    return _kept(menus, ("menu_prompt", menu_id, lang), lambda: _menu_prompt(menus, menu, lang))


def _kept(menus: Menus, key: tuple[object, ...], make: Callable[[], list[Line]]) -> list[Line]:
    """The lines `make` gives, worked out once per Menus (menus.memo)."""
    found = menus.memo.get(key)
    if found is None:
        found = menus.memo[key] = tuple(make())
    return list(cast(tuple[Line, ...], found))


def _menu_prompt(menus: Menus, menu: Menu, lang: str) -> list[Line]:
    lines = first_keys(menus, lang) if menu.id == menus.call.main_menu else []
    lines += intro(menus, menu, lang)
    return lines + menu_options(menus, menu, lang)


def readout_page(menus: Menus, menu: Menu, lang: str, need: str, region: str, item: int,
                 whole: bool = True) -> list[Line]:
    """One service of the read-out (issue 19): on a region's first page what was chosen,
    then the service's name and how to reach it, then the keys, then what it offers. The
    contact comes first and the keys before the description, so no caller waits long for
    either."""
    services = menus.services_for(need, region)
    service = services[min(item, len(services) - 1)]
    lines: list[Line] = []
    if whole and item == 0 and not menus.regions[region].nationwide:
        # A region's own read-out says what was chosen; the whole country's comes straight
        # after the need was pressed, and its first words are the first service's name.
        lines += text(menus, "services_intro", lang, need=menus.needs[need][lang],
                      region=menus.regions[region].name[lang])
    if whole:
        lines += _say(menus, service.name[lang] + ".", lang)
        lines += contact_lines(menus, service, lang)
    lines += page_keys(menus, menu, lang, need, region, item)
    if whole:
        lines += _say(menus, service.offers[lang], lang)
    return lines


def page_keys(menus: Menus, menu: Menu, lang: str, need: str, region: str, item: int
              ) -> list[Line]:
    """The keys of a read-out page: its options (the next service, or on the last page how
    to start again; the region's own services where a region changes who helps), then how
    to hear it again and reach the info line (texts.readout_keys)."""
    last = item >= len(menus.services_for(need, region)) - 1
    lines: list[Line] = []
    for option in page_options(menus, menu, need, region):
        if option.action == "next" and last:
            if "readout_last" in menus.texts:
                lines += text(menus, "readout_last", lang, next=key_name(menus, option.key, lang))
            continue
        lines += option_lines(menus, option, lang)
    if "readout_keys" in menus.texts:
        keys = menus.call.keys
        lines += text(menus, "readout_keys", lang, repeat=key_name(menus, keys.repeat, lang),
                      info_line=key_name(menus, keys.info_line, lang))
    return lines


def page_options(menus: Menus, menu: Menu, need: str, region: str) -> list[Option]:
    """The options a read-out page says: one that leads to the choice of a region only for
    a need whose services a region changes (for the others every region gives the same
    list). The key works all the same; it is only not said where it changes nothing."""
    offered = []
    for option in menu.options:
        target = menus.menus.get(option.goto or "")
        if target is not None and any(o.region for o in target.options):
            if not region_matters(menus, need, target):
                continue
        offered.append(option)
    return offered


def region_matters(menus: Menus, need: str, region_menu: Menu) -> bool:
    """Whether some region of `region_menu` gives other services for `need` than the
    whole country's read-out does (a region's own services)."""
    wide = [s.id for s in menus.services_for(need, _nationwide(menus) or "")]
    return any([s.id for s in menus.services_for(need, o.region)] != wide
               for o in region_menu.options if o.region)


def _nationwide(menus: Menus) -> str | None:
    return next((r.id for r in menus.regions.values() if r.nationwide), None)


def until_info_line_key(menus: Menus, lang: str) -> list[Line]:
    """The lines from the start of a call in `lang` to the first that says the info line's key.

    The whole main menu when no line says it (a measurement then shows the worst case).
    """
    key = re.compile(rf"(?<!\w){re.escape(key_name(menus, menus.call.keys.info_line, lang))}"
                     r"(?!\w)")
    lines = language_menu(menus)
    for line in menu_prompt(menus, menus.call.main_menu, lang):
        lines.append(line)
        if key.search(line.text):
            break
    return lines


def service_lines(menus: Menus, service: Service, lang: str) -> list[Line]:
    lines = _say(menus, service.name[lang] + ".", lang) + _say(menus, service.offers[lang], lang)
    return lines + contact_lines(menus, service, lang)


def contact_lines(menus: Menus, service: Service, lang: str) -> list[Line]:
    """How to reach the service, as said: its phone number, e-mail and web address."""
    words = menus.languages[lang].words
    lexicon = menus.pronunciations.get(lang, {})
    lines: list[Line] = []
    contact, web = service.contact, service.contact.web_in(lang)
    if contact.phone:
        lines += text(menus, "contact_phone", lang, phone=spoken_phone(contact.phone))
    if contact.email:
        # An address with a pronunciation stays written here, so the list replaces it whole.
        email = contact.email if contact.email in lexicon else spoken_email(contact.email, words)
        lines += text(menus, "contact_email", lang, email=email)
    if web:
        said = read_web(web) if read_web(web) in lexicon else spoken_web(web, words)
        lines += text(menus, "contact_web", lang, web=said)
    return lines


def readout(menus: Menus, lang: str, need: str, region: str) -> list[Line]:
    """Every page of the read-out of a need in a region, one after another (the services
    for the need there, the region's own first, nationwide ones always included)."""
    menu = next(m for m in menus.menus.values() if m.readout)
    lines: list[Line] = []
    for item in range(len(menus.services_for(need, region))):
        lines += menu_prompt(menus, menu.id, lang, need, region, item)
    return lines


def sms_lines(menus: Menus, lang: str) -> list[Line]:
    """The sentences of the text-message offer (issue 14), where a read-out has one."""
    if not menus.offers_sms():
        return []
    key = key_name(menus, SMS_CONFIRM_KEY, lang)
    lines = text(menus, "sms_warning", lang) + text(menus, "sms_confirm", lang, confirm=key)
    done = ("sms_sent", "sms_failed", "sms_cancelled")
    return lines + [line for text_id in done for line in text(menus, text_id, lang)]


def dial_retry(menus: Menus, lang: str) -> list[Line]:
    return text(menus, "dial_retry", lang, info_line=spoken_phone(menus.numbers.info_line))


def goodbye(menus: Menus, lang: str) -> list[Line]:
    """Said before a silent call is hung up; without texts.goodbye, dial_retry says the number."""
    text_id = "goodbye" if "goodbye" in menus.texts else "dial_retry"
    return text(menus, text_id, lang, info_line=spoken_phone(menus.numbers.info_line))


def menu_changed(menus: Menus, lang: str) -> list[Line]:
    """Said when the menus changed under a live call (nothing if texts.menu_changed is unset)."""
    return text(menus, "menu_changed", lang) if "menu_changed" in menus.texts else []


def whisper(menus: Menus, caller_lang: str | None) -> list[Line]:
    """What the info line agent hears before the call is bridged, in the agent's language."""
    agent = menus.call.agent_language
    if caller_lang is None:
        return text(menus, "whisper_no_language", agent)
    return text(menus, "whisper", agent, language=menus.languages[caller_lang].agent_name)


def offered_pairs(menus: Menus) -> list[tuple[str, str]]:
    """Every (need, region) a caller can choose through the menus."""
    options = [o for m in menus.menus.values() for o in m.options]
    needs = dict.fromkeys(o.need for o in options if o.need)
    regions = dict.fromkeys(o.region for o in options if o.region)
    return [(n, r) for n in needs for r in regions]


def told_pairs(menus: Menus) -> list[tuple[str, str]]:
    """The (need, region) choices the menus tell a caller about: a need in a region only
    where the region changes its services (page_options does not say the key otherwise);
    each need's read-out of the whole country, or of the region its option names."""
    readout = next((m for m in menus.menus.values() if m.readout), None)
    told = []
    for need, region in offered_pairs(menus):
        regional = readout is not None and any(
            region_matters(menus, need, menu) for menu in menus.menus.values()
            if any(o.region for o in menu.options) and not any(o.need for o in menu.options))
        if regional or _chosen_with(menus, need, region):
            told.append((need, region))
    return told


def _chosen_with(menus: Menus, need: str, region: str) -> bool:
    """Whether an option chooses this need and this region together."""
    return any(o.need == need and o.region == region
               for m in menus.menus.values() for o in m.options)


def every_line(menus: Menus) -> list[Line]:
    """Every distinct sentence any call can hear, in a stable order (the prompts catalogue).

    A language not yet offered (a recorded-only one) is in it as soon as its texts are all
    written, so its sentences can be recorded; before that it has none.
    """
    return _kept(menus, ("every_line",), lambda: _every_line(menus))


def _every_line(menus: Menus) -> list[Line]:
    lines = language_menu(menus)
    for page in language_pages(menus):
        lines += language_page(menus, page)
    if "whisper_no_language" in menus.texts:
        lines += whisper(menus, None)
    fixed = ("no_input", "wrong_key", "too_many_tries", "transferring", "dial_busy",
             "dial_no_answer", "dial_failed", "emergency", "apology")
    for lang in [code for code in menus.languages if menus.complete(code)]:
        lines += text(menus, "emergency_notice", lang)
        keys = menus.languages[lang].keys
        for key in dict.fromkeys((keys[0], keys[-1])):  # the first page's, the second's
            lines += language_option(menus, lang, key)
        for text_id in fixed:
            lines += text(menus, text_id, lang)
        lines += sms_lines(menus, lang)
        lines += dial_retry(menus, lang)
        lines += goodbye(menus, lang)
        lines += menu_changed(menus, lang)
        lines += whisper(menus, lang)
        for menu in menus.menus.values():
            if not menu.readout:
                lines += menu_prompt(menus, menu.id, lang)
        for need, region in offered_pairs(menus):
            lines += readout(menus, lang, need, region)
            for menu in [m for m in menus.menus.values() if m.readout]:
                for item in range(len(menus.services_for(need, region))):
                    lines += menu_prompt(menus, menu.id, lang, need, region, item, whole=False)
    return list(dict.fromkeys(lines))
