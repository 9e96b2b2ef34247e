# `make run` starts the webhook with the shipped menus.yaml; `make test` runs every test.
# Both set up what they need first: a virtualenv in .venv with the `ivr` package installed
# (editable), and for the tests the Debian packages for offline speech (espeak-ng, lame,
# sox), the headless browser (chromium), Graphviz (the diagram) and fonts for every script
# the menus are written in (fonts-noto-core: Thai, Arabic, ...), PostgreSQL (the statistics
# store's tests), GNU gettext (msgfmt -c checks the exported PO files), and for the
# several-hosts test nginx, iproute2 (ip netns), openssl and curl (wrk for bench/).
# `make run PORT=8080` listens elsewhere.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBS := espeak-ng lame sox libsox-fmt-mp3 chromium graphviz fonts-noto-core postgresql nginx iproute2 wrk openssl curl systemd gettext
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# Every core (pytest-xdist); a module's tests stay in one worker (tests/conftest.py).
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup
# The tests start many Python processes (ivr commands, gunicorn, workers): let them keep
# compiled modules (__pycache__, gitignored) even where the environment says not to.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check python debs

# One line, not a pip traceback, when the Python is too old; a venv made by another
# Python (or an old one) is made again rather than reused.
python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "make: Python 3.11 or newer is needed; found: $$($(PYTHON) --version 2>&1)." \
		"Install it, or run make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@want="$$($(PYTHON) -c 'import sys; print(sys.version.split()[0], sys.executable)')"; \
	if [ -d $(VENV) ] && [ "$$(cat $(VENV)/.python 2>/dev/null)" != "$$want" ]; then \
		echo "make: $(VENV) was made by another Python; making it again" >&2; rm -rf $(VENV); fi; \
	[ -x $(PY) ] || { $(PYTHON) -m venv $(VENV) && echo "$$want" > $(VENV)/.python; }

$(VENV)/.runtime: requirements.txt pyproject.toml | python
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PIP) -r requirements-dev.txt
	touch $@

debs:
	@missing=; for tool in espeak-ng lame sox chromium dot nginx ip wrk openssl curl msgfmt systemd-analyze; do \
		command -v $$tool >/dev/null || PATH="$$PATH:/usr/sbin:/sbin" command -v $$tool >/dev/null || missing=1; done; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing=1; \
	for lang in th ar; do fc-list :lang=$$lang family 2>/dev/null | grep -q . || missing=1; done; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBS); \
	fi

run: python $(VENV)/.runtime
	$(VENV)/bin/ivr serve --host $(HOST) --port $(PORT)

test: python debs $(VENV)/.dev
	$(PYTEST) $(PYTEST_ARGS)

# Everyday work: everything but the real servers (gunicorn, PostgreSQL, nginx), the
# browsers, the whole espeak-ng catalogue and the walk of every language but the default.
check: python debs $(VENV)/.dev
	$(PYTEST) -m "not slow and not browser" $(PYTEST_ARGS)
