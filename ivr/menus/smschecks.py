"""The read-out by text message (issue 14): where an `action: sms` option may be, the texts
it needs, and a warning that it is on.

Whether a message can really be sent is known only at run time (Twilio credentials and the
sending number come from the environment); without them the option is simply not offered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.core.model import SMS_CONFIRM_KEY
from ivr.core.model import SMS_TEXTS
from ivr.menus.problems import Finding

Data = dict[str, Any]


def check_sms(m: Data) -> Iterator[Finding]:
    """An sms option sits in a read-out, its texts exist, its confirm key is free; a warning."""
    menus = m.get("menus") if isinstance(m.get("menus"), dict) else {}
    keys = ((m.get("call") or {}).get("keys") or {}) if isinstance(m.get("call"), dict) else {}
    found = False
    for menu_id, menu in (menus or {}).items():
        for index, option in enumerate((menu or {}).get("options") or []):
            if (option or {}).get("action") != "sms":
                continue
            found = True
            path = ("menus", menu_id, "options", index, "action")
            if not (menu or {}).get("readout"):
                yield Finding(path, "a text message can only be offered after a read-out",
                              "move this option to a menu with readout: true")
            yield Finding(path, "callers can ask for these contacts by text message",
                          "sent only where TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                          "IVR_SMS_FROM are set; each message costs, and stays readable on the "
                          "caller's phone: see docs/menus.md", severity="warning")
    if not found:
        return
    texts = m.get("texts") if isinstance(m.get("texts"), dict) else {}
    for text_id in SMS_TEXTS:
        if texts is not None and text_id not in texts:
            yield Finding(("texts",), f"missing '{text_id}', which the sms option needs",
                          f"add texts.{text_id} in every language", at_key=True)
    taken = {key: name for name, key in keys.items() if name in ("info_line", "emergency")}
    if SMS_CONFIRM_KEY in taken:
        yield Finding(("call", "keys", taken[SMS_CONFIRM_KEY]), f"key '{SMS_CONFIRM_KEY}' "
                      "confirms a text message", "choose another key for this global key")
