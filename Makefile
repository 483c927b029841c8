# scicity — the two commands for a fresh machine:
#   make run    set up, create the demo database, show the plan's status
#   make test   set up (venv, pip, Debian packages when root), start PostgreSQL if none runs, run every test

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := SCICITY_DATA_DIR=var/demo
PYTEST_ARGS ?=

.PHONY: setup run test test-fast bench system-deps postgres clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	scripts/system-deps

postgres:
	scripts/ensure-postgres

run: setup
	$(DEMO) $(BIN)/scicity init --demo --reset
	@echo
	@echo "== Mid-term review: as of 2023 =="
	$(DEMO) $(BIN)/scicity status --as-of 2023
	@echo
	@echo "== Final: as of 2025 =="
	$(DEMO) $(BIN)/scicity status

test: setup system-deps postgres
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -n 2 -m "not slow and not postgres" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/bench_assess.py
	$(BIN)/python bench/bench_status.py

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .hypothesis
