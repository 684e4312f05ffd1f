# Everything a fresh machine needs, from Python 3.11+ and make alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser office up test bench lint typecheck unit schema clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

BASE_PORT ?= 8700

## Load the seed documents and run their nodes (SQLite under ./var) until Ctrl-C.
up: install
	$(BIN)/jixiao up --base-port $(BASE_PORT)

## Debian's Chromium and a CJK font for the workbench's browser tests (Playwright drives it).
browser:
	.ci/install-browser

## Debian's LibreOffice Calc for the tests of documents saved and printed by other office software.
office:
	.ci/install-office

## The whole suite: lint, types, and every test (PostgreSQL, browser and office tests included).
test: install browser office lint typecheck
	$(BIN)/pytest

## Benchmarks on PostgreSQL (QUICK=1 for a small run); writes bench/results/latest.json.
bench: install
	$(BIN)/python -m bench.run $(if $(QUICK),--quick,)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy domain service_layer projections api consumers infra tests bench

schema: install
	$(BIN)/jixiao schema --output infra/data/table-document.schema.json

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
