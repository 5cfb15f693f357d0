# make demo / make test work on a fresh machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install lint clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/marshallian solve standard
	$(BIN)/marshallian solve alternative
	$(BIN)/marshallian report --out report
	$(BIN)/marshallian empirics probit --at-extremes

# Debian's chromium and chromium-driver for the explorer's browser tests (once, when missing)
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { S=$$([ "$$(id -u)" = 0 ] || echo sudo); $$S apt-get update && $$S apt-get install -y chromium chromium-driver; }

# The linters (ruff: lint and format; mypy), then the tests: all must pass.
test: $(STAMP) browser
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q

# ruff (lint and format check) and mypy, as configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) report build *.egg-info
