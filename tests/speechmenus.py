"""A TEST copy of the shipped menus with speech input on for Finnish and Swedish (issue 14).

Speech stays off in the shipped menus.yaml (Twilio charges for it); these blocks are what an
operator would add. The scenarios in tests/data/speech_flows/ run against this copy.
"""

from __future__ import annotations

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


SMS_OPTION = """\
      # - key: "4"
      #   label:
      #     fi: nämä yhteystiedot tekstiviestinä tähän puhelimeen
      #     sv: kontaktuppgifterna som sms till den här telefonen
      #     en: these contacts by text message to this phone
      #     ar: جهات الاتصال هذه في رسالة نصية إلى هذا الهاتف
      #     ru: эти контакты текстовым сообщением на этот телефон
      #     th: ข้อมูลติดต่อเหล่านี้ทางข้อความไปยังโทรศัพท์เครื่องนี้
      #     vi: các thông tin liên hệ này qua tin nhắn đến điện thoại này
      #     uk: ці контакти текстовим повідомленням на цей телефон
      #     fr: ces contacts par SMS sur ce téléphone
      #   action: sms
"""


def sms_menus_text(text: str = SHIPPED) -> str:
    """The menus with the shipped, commented-out `action: sms` option of the read-out on."""
    assert text.count(SMS_OPTION) == 1
    return text.replace(SMS_OPTION, SMS_OPTION.replace("# ", ""))
