# scicity — the two commands for a fresh machine:
#   make run    set up, create the demo database, show the plan's status, serve the web app on :8000
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
	@echo
	@echo "== Next plan: the 15th (2026-2030) drafted from the 14th, targets proposed with their odds =="
	$(DEMO) $(BIN)/scicity plan draft --period 2026-2030 -o var/demo/15th-plan-draft.yaml
	$(DEMO) $(BIN)/scicity plan propose --period 2026-2030 --draft var/demo/15th-plan-draft.yaml
	@echo
	@echo "== Final evaluation (PDF, DOCX, XLSX, HTML; Chinese and English) in var/demo/reports/ =="
	$(DEMO) $(BIN)/scicity report final --lang zh --format all -o var/demo/reports
	$(DEMO) $(BIN)/scicity report final --lang en --format all -o var/demo/reports
	@echo
	@$(DEMO) $(BIN)/scicity user demo --write var/demo/demo-accounts.txt
	@echo
	@echo "== Web application: http://127.0.0.1:8000/ (API docs: /api/docs) - Ctrl+C stops it =="
	$(DEMO) SCICITY_DEMO=true $(BIN)/scicity serve --host 127.0.0.1 --port 8000

test: setup system-deps postgres
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow and not postgres" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/bench_assess.py
	$(BIN)/python bench/bench_status.py
	$(BIN)/python bench/bench_registry.py --quick
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_calibration.py
	$(BIN)/python bench/bench_reports.py

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .hypothesis
