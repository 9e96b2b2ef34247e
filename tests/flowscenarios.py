"""A pytest plugin (pyproject.toml: -p tests.flowscenarios): every scenario in flows/*.yaml,
the shipped call-flow scenarios beside menus.yaml, becomes one test run through the webhook.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ivr.qa.scenariofile import InvalidScenarios
from ivr.qa.scenariofile import parse_scenarios
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import render_failure
from ivr.qa.scenarios import run_scenario
from ivr.qa.scenarios import simulation_app
from tests import golden

SHIPPED = Path(__file__).resolve().parent.parent / "flows"


@functools.cache
def _app():
    # One app for the whole session: building it loads and validates menus.yaml. Its voice
    # requests are recorded for the golden answers (tests/golden.py).
    app = simulation_app()
    recorder = golden.Recorder(app.wsgi_app)
    app.wsgi_app = recorder
    return app, app_menus(app), recorder


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "flows":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        _, menus, _ = _app()
        try:
            text = self.path.read_text(encoding="utf-8")
            scenarios = parse_scenarios(text, str(self.path), menus)
        except InvalidScenarios as error:
            yield BrokenFile.from_parent(self, name="(invalid scenario file)", error=error)
            return
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self):
        app, menus, recorder = _app()
        recorder.exchanges = []
        try:
            result = run_scenario(app, menus, self.scenario)
        finally:
            exchanges, recorder.exchanges = recorder.exchanges, None
        if not result.passed:
            raise ScenarioFailed(render_failure(result))
        if self.path.parent == SHIPPED:
            # The shipped scenarios also pin every answer they got, readably.
            text = golden.render(self.scenario.name, exchanges)
            golden.check(golden.path_for(self.path, self.scenario.name), text)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"


class BrokenFile(pytest.Item):
    def __init__(self, *, error, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self):
        raise self.error

    def repr_failure(self, excinfo):
        return str(self.error)

    def reportinfo(self):
        return self.path, 0, "invalid scenario file"
