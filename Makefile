# Diptyque: `make build` and `make test` do all set-up on a fresh Debian machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test serve bench status clean

$(BIN)/diptyque: pyproject.toml
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

build: $(BIN)/diptyque
	$(BIN)/diptyque build

test: $(VENV)/.test-deps /usr/bin/chromium
	$(BIN)/python -m pytest -q
	$(BIN)/diptyque status --strict

serve: $(BIN)/diptyque
	$(BIN)/diptyque serve --watch

bench: $(VENV)/.test-deps
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf output .diptyque
