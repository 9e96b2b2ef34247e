"""`ivr validate` on a read-out that pages one service at a time (issue 19): every service must
stay reachable, so the read-out needs its `action: next` option (ivr/menus/readoutchecks.py
has `next` outside a read-out and a read-out with no choice of region; golden cases in
tests/data/menus_bad/).

The check for a missing `next` is not there yet; its message is the lead's to choose, so the
test pins only the exit status and the menu the error names.
"""

import re

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


def test_a_read_out_without_a_next_option_is_an_error(tmp_path):
    result = validate(tmp_path, NEXT_OPTION.sub("", SHIPPED))
    assert result.exit_code == 1
    assert [line for line in errors(result) if ": menus.services" in line]
