"""`ivr validate` on a read-out that pages one service at a time (issue 19): every service must
stay reachable, so the page's `action: next` option belongs in the read-out and nowhere else.

Both checks are missing from ivr/menus/ today (the lead's to add); the exact messages are the
lead's to choose, so these tests pin only the exit status and the option the error names.
"""

import re

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from tests.conftest import ROOT

SHIPPED = (ROOT / "menus.yaml").read_text(encoding="utf-8")
NEXT_OPTION = re.compile(r'      - key: "1"\n        label:\n          fi: seuraava palvelu\n'
                         r"(?:          .*\n)*?        action: next\n")
"""The read-out's option for the next service, as the shipped file has it."""


def validate(tmp_path, text):
    path = tmp_path / "menus.yaml"
    path.write_text(text, encoding="utf-8")
    return CliRunner(mix_stderr=False).invoke(cli, ["validate", str(path)])


def errors(result):
    return [line for line in result.output.splitlines() if ": error: " in line]


def test_the_shipped_read_out_has_its_next_option(tmp_path):
    assert len(NEXT_OPTION.findall(SHIPPED)) == 1
    assert errors(validate(tmp_path, SHIPPED)) == []


@pytest.mark.xfail(strict=True, reason=(
    "no check in ivr/menus/ that a read-out has an `action: next` option: without one only "
    "each read-out's first service can be heard, and validate passes the file"))
def test_a_read_out_without_a_next_option_is_an_error(tmp_path):
    result = validate(tmp_path, NEXT_OPTION.sub("", SHIPPED))
    assert result.exit_code == 1
    assert [line for line in errors(result) if ": menus.services" in line]


@pytest.mark.xfail(strict=True, reason=(
    "no check in ivr/menus/ that `action: next` is only in a read-out (as smschecks has for "
    "`action: sms`): elsewhere the key says the same menu again, and validate passes it"))
def test_a_next_option_outside_a_read_out_is_an_error(tmp_path):
    region_last = '      - {key: "7", region: elsewhere, goto: services}\n'
    assert SHIPPED.count(region_last) == 1
    label = ", ".join(f"{lang}: {text}" for lang, text in (
        ("fi", "seuraava"), ("sv", "nästa"), ("en", "the next one"), ("ar", "التالي"),
        ("ru", "следующий"), ("th", "ถัดไป"), ("vi", "tiếp theo"), ("uk", "наступний"),
        ("fr", "le suivant")))
    text = SHIPPED.replace(region_last, region_last + f'      - key: "8"\n        label: '
                           f"{{{label}}}\n        action: next\n")
    result = validate(tmp_path, text)
    assert result.exit_code == 1
    assert [line for line in errors(result) if ": menus.region.options[7].action: " in line]
