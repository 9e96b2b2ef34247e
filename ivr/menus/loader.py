"""Turn the text of menus.yaml into a validated, immutable Menus, or every problem in it."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ivr.core.model import CallSettings
from ivr.core.model import Contact
from ivr.core.model import Keys
from ivr.core.model import Language
from ivr.core.model import Menu
from ivr.core.model import Menus
from ivr.core.model import Numbers
from ivr.core.model import Option
from ivr.core.model import Region
from ivr.core.model import Service
from ivr.core.model import SpeechInput
from ivr.core.model import Texts
from ivr.core.model import frozen
from ivr.menus.checks import check_menus_data
from ivr.menus.copychecks import check_copies
from ivr.menus.indenthints import explain_misplaced
from ivr.menus.indenthints import point_to_misplaced
from ivr.menus.limits import check_counts
from ivr.menus.limits import check_size
from ivr.menus.missingtexts import summarise_missing
from ivr.menus.problems import Finding
from ivr.menus.problems import Problem
from ivr.menus.problems import place
from ivr.menus.problems import sort_problems
from ivr.menus.schema import MENUS
from ivr.menus.schema import check_shape
from ivr.menus.seeds import read_seeds
from ivr.menus.yamlsource import parse_yaml

SEEDS_FOLDER = "seeds"
"""The folder beside the menus file whose documents sources and the info line must match."""


class InvalidMenus(Exception):
    """The menus file has errors; `problems` holds every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        first = next((p.format() for p in problems if p.severity == "error"), "")
        super().__init__(f"{errors} error(s) in the menus; first: {first}")
        self.problems = problems


def check_menus_text(
    text: str,
    filename: str = "menus.yaml",
    today: datetime.date | None = None,
    seeds: Collection[str] | None = None,
) -> tuple[Menus | None, list[Problem]]:
    """The menus (None if any error) and every problem, warnings included, sorted by line.

    `seeds`: the files in the seeds/ folder next to the file (ivr.menus.seeds.read_seeds:
    name -> text), to check each service's `source` and the info line against; None when
    there is no such folder (nothing is said about sources or where the info line comes from).
    """
    too_big = check_size(text)
    if too_big is not None:  # before PyYAML reads a byte of it (issue 22 item 3)
        return None, [Problem(filename, 1, 1, "error", "", *too_big)]
    data, marks, problems = parse_yaml(text, filename, warn_comments=True)
    if data is None and not problems:
        hint = "start from a copy of the shipped menus.yaml"
        problems = [Problem(filename, 1, 1, "error", "", "the file is empty", hint)]
    if data is None:
        return None, problems
    over = place(check_counts(data), marks, filename)
    if over:  # the other checks would take long on it, and only repeat the point
        return None, sort_problems(problems + over)
    clean, findings = check_shape(MENUS, data)
    findings = explain_misplaced(findings, data, marks, MENUS)
    if clean is not None:
        day = today or datetime.date.today()
        meaning = summarise_missing(clean, check_menus_data(clean, day, seeds))
        meaning += check_copies(clean)
        findings += [f for f in meaning if not _echo(f, findings)]
    findings = point_to_misplaced(findings, marks)
    problems = sort_problems(problems + place(findings, marks, filename))
    if clean is None or any(p.severity == "error" for p in problems):
        return None, problems
    return build_menus(clean, version=hashlib.sha256(text.encode()).hexdigest()[:12]), problems


def check_menus_file(
    path: Path, text: str, today: datetime.date | None = None, with_seeds: bool = True
) -> tuple[Menus | None, list[Problem]]:
    """The menus in the text of the file at `path`, checked against the seeds/ beside it
    (with_seeds=False: sources and the info line's origin not checked)."""
    # The one check `validate` and the live server both run (issue 8 item 7): sources and
    # the info line's number against the seed documents (item 9).
    seeds = read_seeds(path.parent / SEEDS_FOLDER) if with_seeds else None
    return check_menus_text(text, str(path), today, seeds)


def _echo(finding: Finding, shape: list[Finding]) -> bool:
    """'no text in en' where the shape check already said what is wrong with the en text."""
    if not finding.message.startswith("no text in '"):
        return False
    code = finding.message.split("'")[1]
    return any(f.path == finding.path + (code,) for f in shape)


def parse_menus(text: str, filename: str = "menus.yaml") -> Menus:
    """Parse and validate menus text; raise InvalidMenus with every problem found."""
    menus, problems = check_menus_text(text, filename)
    if menus is None:
        raise InvalidMenus(problems)
    return menus


def load_menus(path: str | Path) -> Menus:
    """Read, parse and validate a menus file (OSError if it cannot be read)."""
    path = Path(path)
    return parse_menus(path.read_text(encoding="utf-8"), str(path))


def _texts(data: Mapping[str, str]) -> Texts:
    # A ReviewedText (a str that knows its review mark) stays one: the console shows it.
    texts = {lang: text if isinstance(text, str) else str(text) for lang, text in data.items()}
    return frozen(texts)  # type: ignore[return-value]


def _language(code: str, d: Mapping[str, Any], greeters: Collection[str]) -> Language:
    gtts, twilio = d.get("gtts") or {}, d.get("twilio") or {}
    return Language(
        code=code,
        key=str(d["key"]),
        name=d["name"],
        gtts_lang=gtts.get("lang"),
        gtts_tld=gtts.get("tld"),
        twilio_language=twilio.get("language"),
        twilio_voice=twilio.get("voice"),
        espeak_voice=d.get("espeak"),
        words=_texts(d.get("words") or {}),
        agent_name=str(d.get("agent_name") or d["name"]),
        translated_from=d.get("translated_from"),
        # A file that names no greeting language greets in all (three languages did).
        greets=not greeters or code in greeters,
        speech=_speech(d["speech"]) if d.get("speech") else None,
    )


def _speech(d: Mapping[str, Any]) -> SpeechInput:
    return SpeechInput(
        language=str(d["language"]),
        info_line=tuple(str(w) for w in d["words"]["info_line"]),
        emergency=tuple(str(w) for w in d["words"]["emergency"]),
        numbers=tuple(str(w) for w in d.get("numbers") or ()),
        repeat=tuple(str(w) for w in d["words"].get("repeat") or ()),
    )


def _languages(data: Mapping[str, Any]) -> Mapping[str, Language]:
    greeters = [c for c, d in data.items() if d.get("greets")]
    return frozen({c: _language(c, d, greeters) for c, d in data.items()})  # type: ignore[return-value]


def _call(d: Mapping[str, Any]) -> CallSettings:
    return CallSettings(
        main_menu=d["main_menu"],
        default_language=d["default_language"],
        agent_language=d["agent_language"],
        timeout=int(d["timeout"]),
        max_silences=int(d["max_silences"]),
        max_wrong_keys=int(d["max_wrong_keys"]),
        dial_timeout=int(d["dial_timeout"]),
        emergency_forwarding=bool(d.get("emergency_forwarding", False)),
        max_silent_rounds=int(d.get("max_silent_rounds", CallSettings.max_silent_rounds)),
        keys=Keys(**{k: str(v) for k, v in d["keys"].items()}),
    )


def _service(d: Mapping[str, Any]) -> Service:
    contact = d.get("contact") or {}
    checked = d["checked"]
    if not isinstance(checked, datetime.date):
        checked = datetime.date.fromisoformat(str(checked))
    return Service(
        id=d["id"],
        name=_texts(d["name"]),
        offers=_texts(d["offers"]),
        needs=tuple(d["needs"]),
        regions=tuple(d["regions"]),
        contact=_contact(contact),
        source=d["source"],
        checked=checked,
    )


def _contact(d: Mapping[str, Any]) -> Contact:
    by_language = _texts(d.get("web_by_language") or {})
    plain = {k: str(v) for k, v in d.items() if k != "web_by_language"}
    return Contact(**plain, web_by_language=by_language)


def _option(d: Mapping[str, Any]) -> Option:
    return Option(
        key=str(d["key"]),
        label=_texts(d["label"]) if d.get("label") else None,
        goto=d.get("goto"),
        need=d.get("need"),
        region=d.get("region"),
        action=d.get("action"),
    )


def _menu(menu_id: str, d: Mapping[str, Any]) -> Menu:
    return Menu(
        id=menu_id,
        say=_texts(d["say"]) if d.get("say") else None,
        options=tuple(_option(o) for o in d.get("options") or ()),
        readout=bool(d.get("readout", False)),
    )


def build_menus(data: Mapping[str, Any], version: str) -> Menus:
    """Build the model from data that has already passed validation."""
    return Menus(
        languages=_languages(data["languages"]),
        numbers=Numbers(
            info_line=str(data["numbers"]["info_line"]),
            emergency=str(data["numbers"]["emergency"]),
        ),
        call=_call(data["call"]),
        texts=frozen({t: _texts(d) for t, d in data["texts"].items()}),  # type: ignore[arg-type]
        needs=frozen({n: _texts(d) for n, d in data["needs"].items()}),  # type: ignore[arg-type]
        regions=frozen(  # type: ignore[arg-type]
            {
                r: Region(id=r, name=_texts(d["name"]), nationwide=bool(d.get("nationwide")))
                for r, d in data["regions"].items()
            }
        ),
        services=tuple(_service(s) for s in data["services"]),
        menus=frozen({m: _menu(m, d) for m, d in data["menus"].items()}),  # type: ignore[arg-type]
        version=version,
        lines=_texts(data["numbers"].get("lines") or {}),
        pronunciations=frozen({lang: _texts(entries) for lang, entries  # type: ignore[arg-type]
                               in (data.get("pronunciations") or {}).items()}),
    )
