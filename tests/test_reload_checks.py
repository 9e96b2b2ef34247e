"""The live store and `validate` refuse exactly the same edits (issue 8 item 7).

Every golden case of tests/data/menus_bad is saved over a running store's menus.yaml (with
the same seeds/ folder beside it): what validate refuses the store refuses with the same
problems (errors first), and what validate accepts goes live with the same warnings logged.
"""

import logging
import shutil

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.web.health import details
from ivr.web.menustore import MenuStore
from tests.test_reload import saved
from tests.test_validate import BAD
from tests.test_validate import CASES
from tests.test_validate import OK


@pytest.fixture
def live(tmp_path):
    """A store serving the valid menus_ok file, with menus_bad's seeds/ beside it."""
    shutil.copytree(BAD / "seeds", tmp_path / "seeds")
    path = tmp_path / "menus.yaml"
    saved(path, (OK / "menus.yaml").read_text(encoding="utf-8"))
    return MenuStore(path, tmp_path / "prompts", interval=0.0)


def validate(path):
    """validate's problem lines (no summary or ok line) and whether it accepts the file."""
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    lines = result.output.splitlines()
    return lines[:-1], result.exit_code == 0


@pytest.mark.parametrize("case", CASES)
def test_the_store_refuses_what_validate_refuses_with_the_same_problems(live, case, caplog):
    version = live.menus().version
    saved(live.menus_path, (BAD / f"{case}.yaml").read_text(encoding="utf-8"))
    with caplog.at_level(logging.WARNING, logger="ivr.web.menustore"):
        health = details(live)
    problems, accepted = validate(live.menus_path)
    if accepted:
        assert (health["status"], health["last_reload_error"]) == ("ok", None)
        assert health["menus_version"] != version
        assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == problems
    else:
        assert (health["status"], health["menus_version"]) == ("stale", version)
        # The same problems; the server lists what stopped the edit first (issue 23 item 10).
        errors_first = sorted(problems, key=lambda line: ": error: " not in line)
        assert health["last_reload_error"].splitlines() == errors_first
        assert problems, case


def test_the_golden_cases_include_refusals_that_need_the_seeds():
    # The server once skipped the check of `source` against seeds/ that validate makes.
    assert {"source_no_seed_file", "source_seed_file_typo"} <= set(CASES)


def test_a_refused_edit_goes_live_once_the_seed_file_it_names_is_copied(live, caplog):
    """An operator publishes menus.yaml before the new seed file it names (rsync sends
    menus.yaml first): refused, rightly; then the seed arrives and the same file goes live."""
    version = live.menus().version
    saved(live.menus_path, (BAD / "source_no_seed_file.yaml").read_text(encoding="utf-8"))
    assert (details(live)["status"], live.menus().version) == ("stale", version)
    assert details(live)["status"] == "stale"  # the same file is not reparsed for nothing
    seed = live.menus_path.parent / "seeds" / "999.txt"
    seed.write_text("A seed document.\n", encoding="utf-8")
    health = details(live)
    assert (health["status"], health["last_reload_error"]) == ("ok", None)
    assert health["menus_version"] != version
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        seed.unlink()
        # The live version names it: not reloaded, still served, and said (issue 22 item 1).
        health = details(live)
    assert (health["status"], health["last_reload_error"]) == ("seeds_missing", None)
    assert "no seed file named '999.txt'" in health["seeds_missing"]
    assert [r.name for r in caplog.records] == ["ivr.web.seedwatch"]


def test_a_refused_edit_goes_live_once_a_seed_it_checks_against_is_corrected(live):
    """The info line's number must match the assistance system's seed: here the seed is
    corrected in place (same file, new text) after the edit was refused for it."""
    seed = live.menus_path.parent / "seeds" / "001_c7b0a8f03332007c.txt"
    good = seed.read_text(encoding="utf-8")
    seed.write_text(good.replace("029 546 3177", "029 546 0000"), encoding="utf-8")
    saved(live.menus_path, live.menus_path.read_text(encoding="utf-8") + "\n# an edit\n")
    health = details(live)
    # The live version no longer matches that seed either (issue 22 item 1).
    assert health["status"] == "seeds_missing"
    assert health["problems"] == {"rejected_edit": 2, "seeds": 2}  # info line, directory
    with open(seed, "w", encoding="utf-8") as in_place:
        in_place.write(good)
    assert details(live)["status"] == "ok"
