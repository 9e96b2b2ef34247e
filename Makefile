# `make run` starts the webhook with the shipped menus.yaml; `make test` runs every test.
# Both set up what they need first: a virtualenv in .venv, and for the tests the Debian
# packages for offline speech (espeak-ng, lame, sox) and the headless browser (chromium).
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBS := espeak-ng lame sox libsox-fmt-mp3 chromium

.PHONY: run test venv debs

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

debs:
	@if ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null || ! command -v sox >/dev/null || ! command -v chromium >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBS); \
	fi

run: venv
	$(PY) -m ivr serve

test: debs venv
	$(PY) -m pytest -q $(PYTEST_ARGS)
