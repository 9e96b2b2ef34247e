"""A TEST copy of the shipped menus with speech input on for Finnish and Swedish (issue 14).

Speech stays off in the shipped menus.yaml (Twilio charges for it); these blocks are what an
operator would add. The scenarios in tests/data/speech_flows/ run against this copy.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "menus.yaml").read_text(encoding="utf-8")

SPEECH = {
    "fi": """\
    speech:
      language: fi-FI
      words:
        info_line: [apua, ihminen, infopuhelin, päivystäjä]
        emergency: [hätä, hätätilanne, vaara, vaarassa]
      numbers: [nolla, yksi, kaksi, kolme, neljä, viisi, kuusi, seitsemän, kahdeksan, yhdeksän]
""",
    "sv": """\
    speech:
      language: sv-SE
      words:
        info_line: [hjälp, människa, infotelefonen]
        emergency: [nöd, nödsituation, fara]
        repeat: [igen, upprepa]
      numbers: [noll, ett, två, tre, fyra, fem, sex, sju, åtta, nio]
""",
}


def speech_menus_text(langs: tuple[str, ...] = ("fi", "sv")) -> str:
    """The shipped menus with a speech block after each of these languages' espeak voice."""
    text = SHIPPED
    voices = {"fi": "    espeak: fi\n", "sv": "    espeak: sv\n"}
    for lang in langs:
        assert text.count(voices[lang]) == 1
        text = text.replace(voices[lang], voices[lang] + SPEECH[lang])
    return text


def write_speech_menus(folder: Path, langs: tuple[str, ...] = ("fi", "sv")) -> Path:
    path = folder / "menus.yaml"
    path.write_text(speech_menus_text(langs), encoding="utf-8")
    return path


SMS_OPTION = re.compile(r"^(?P<indent> +)# - key: .*\n(?:(?P=indent)#  .*\n)*?"
                        r"(?P=indent)#   action: sms\n", re.MULTILINE)
"""The read-out's commented-out `action: sms` option in menus.yaml, in whatever languages
its label is written (a helpline adds its own languages there: docs/translations.md)."""


def sms_menus_text(text: str = SHIPPED) -> str:
    """The menus with the shipped, commented-out `action: sms` option of the read-out on."""
    [option] = [match[0] for match in SMS_OPTION.finditer(text)]
    return text.replace(option, re.sub(r"^( *)# ", r"\1", option, flags=re.MULTILINE))
