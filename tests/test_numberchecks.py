"""Phone numbers in menus.yaml (ivr/menus/numberchecks.py): the EU's harmonised short numbers
are valid for a service in Finland, written as dialled (issue 23 item 8)."""

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.loader import check_menus_text
from tests.conftest import ROOT

OK = (ROOT / "tests" / "data" / "menus_ok" / "menus.yaml").read_text(encoding="utf-8")
SERVICE_PHONE = '      phone: "+358295463177"\n      email'


def with_service_phone(number):
    assert SERVICE_PHONE in OK
    return OK.replace(SERVICE_PHONE, f'      phone: "{number}"\n      email')


def problems(text):
    _, found = check_menus_text(text, "menus.yaml")
    return [p.format() for p in found]


@pytest.mark.parametrize("number", ["116006", "116111", "116123"])
def test_an_eu_harmonised_number_is_a_valid_service_phone(number):
    assert problems(with_service_phone(number)) == []


@pytest.mark.parametrize("written", ["116 006", "+358116006", "+358 116 006"])
def test_a_short_number_is_written_as_dialled(written):
    assert problems(with_service_phone(written)) == [
        f"menus.yaml:77:14: error: services[0].contact.phone: '{written}' is a short number "
        "in Finland (write it as dialled, with no country code or spaces: 116006)"]


@pytest.mark.parametrize(("number", "message"), [
    ("116", "'116' is not a valid phone number (check the digits)"),
    ("112", "'112' is not a valid phone number (check the digits)"),
])
def test_a_number_that_is_no_service_is_still_refused(number, message):
    assert problems(with_service_phone(number)) == [
        f"menus.yaml:77:14: error: services[0].contact.phone: {message}"]


def test_the_info_line_stays_a_full_number_twilio_can_dial():
    text = OK.replace('  info_line: "+358295463177"', '  info_line: "116006"')
    assert problems(text) == [
        "menus.yaml:19:14: error: numbers.info_line: '116006' is not a valid phone number "
        "(check the digits)"]


def test_a_caller_hears_the_short_number_digit_by_digit(tmp_path):
    menus = tmp_path / "menus.yaml"
    menus.write_text(with_service_phone("116006"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["call", "--menus", str(menus), "--lang", "en",
                                      "--keys", "1,1"])
    assert result.exit_code == 0, result.output
    assert "Phone: 1 1 6, 0 0 6." in result.output
