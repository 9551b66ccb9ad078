# Two commands do everything on a fresh machine (Python 3.11 and apt assumed):
#   make demo   the whole pipeline on bundled synthetic data
#   make test   the test suite, with a PostgreSQL server started on loopback
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.reckon-installed

.PHONY: demo test lint format system-deps bench docs clean

$(INSTALLED): pyproject.toml constraints.txt scripts/bootstrap.sh
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/reckon demo --out demo-output

system-deps:
	bash scripts/system-deps.sh

test: $(INSTALLED) system-deps
	bash scripts/run-tests.sh $(BIN)

lint: $(INSTALLED)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: $(INSTALLED)
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

docs: $(INSTALLED)
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

bench: $(INSTALLED) system-deps
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/lcmcr_speed.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .ruff_cache
