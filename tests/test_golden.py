"""The golden answers (tests/golden.py) belong to the shipped scenarios, one file each."""

from ivr.menus.loader import load_menus
from ivr.qa.scenariofile import parse_scenarios
from tests import golden
from tests.conftest import ROOT


def test_every_golden_file_belongs_to_a_shipped_scenario():
    menus = load_menus(ROOT / "menus.yaml")
    expected = set()
    for path in sorted((ROOT / "flows").glob("*.yaml")):
        for scenario in parse_scenarios(path.read_text(encoding="utf-8"), str(path), menus):
            expected.add(golden.path_for(path, scenario.name))
    stale = set(golden.GOLDEN.rglob("*.twiml")) - expected
    if golden.updating():
        for path in stale:  # a scenario renamed or removed: its old answers go with it
            path.unlink()
        stale = set()
    assert not stale, (f"{len(stale)} golden files no scenario makes, e.g. "
                       f"{sorted(stale)[0].relative_to(ROOT)} (rerun with IVR_UPDATE_GOLDEN=1)")
