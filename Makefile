# The newcomer's entry points (see README.md).  Everything runs from a local virtualenv.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup example test test-fast lint conform bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

example: setup
	$(BIN)/beamtalk run examples/tour.bt

lint: setup
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest -q -n 2

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

conform: setup
	$(BIN)/beamtalk conform conformance --backend interp

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) _build
