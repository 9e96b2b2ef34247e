"""TwiML documents as the simulator reads them."""

import pytest

from ivr.qa.twimlverbs import parse_document


def test_a_response_gives_its_verbs_in_order():
    verbs = parse_document("<Response><Say>Hei</Say><Pause/><Hangup/></Response>")
    assert [verb.tag for verb in verbs] == ["Say", "Pause", "Hangup"]


@pytest.mark.parametrize(("body", "why"), [
    ("<html><body>Oops</body></html>", "root <html>"),
    ("Internal Server Error", "syntax error: line 1, column 0"),
    ("", "no element found: line 1, column 0"),
])
def test_anything_else_says_why_it_is_not_twiml(body, why):
    with pytest.raises(ValueError) as error:
        parse_document(body)
    assert str(error.value) == why
