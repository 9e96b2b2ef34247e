"""What a phone and Twilio hand the engine: the keypad's keys and how a transfer can end.

The one place these facts live: the engine, the schema, the simulator, scenario files, the
command line and the keypad page all take them from here.
"""

KEYPAD = "0123456789*#"
"""The twelve DTMF keys of a phone keypad, in keypad order."""

TRANSFER_OUTCOMES = ("completed", "busy", "no-answer", "failed")
"""How a <Dial> to the info line ends, as a caller experiences it (Twilio's DialCallStatus;
`answered` and `canceled` also exist: the engine treats them as completed and failed)."""

DIAL_ANSWERED = frozenset({"completed", "answered"})
"""The DialCallStatus values that mean the caller spoke to the info line."""

DIAL_STATUSES = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled"})
"""Every DialCallStatus Twilio documents for a <Dial> action; the webhook passes anything
else on as '' (the engine treats it as a failed transfer), so junk is one cache entry."""

TEST_CALL_NUMBER = "+15005550009"
"""The number our own test calls against a real server (`ivr probe`, `ivr call --url`) say
they dialled: one of Twilio's magic test numbers, which no caller can dial. The webhook
counts nothing for it, so a probe every five minutes never enters the statistics."""
