# Two commands matter to a newcomer: `make serve` and `make test`. Both build the environment first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# The stamp is newer than the inputs when nothing changed, so a second `make install` does nothing.
STAMP := $(VENV)/.installed
export UV_PYTHON_DOWNLOADS := never
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install serve build test lint typecheck pytest adr-check bench clean snippets

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP)  ## Create .venv with every pinned dependency (quick when nothing changed).

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION); }
	$(BIN)/uv sync --locked --quiet
	@touch $@

serve: install  ## Serve the site on http://127.0.0.1:8000 with live reload.
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install  ## Build the static site into site/.
	$(BIN)/mkdocs build --strict --site-dir site

test: lint typecheck adr-check pytest snippets  ## Run every check the project has.

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

adr-check: install
	$(BIN)/adrtool check

pytest: install
	PYTHONWARNDEFAULTENCODING=1 $(BIN)/pytest -q

# snippetcheck (issue 5): every runnable snippet of docs/ runs in the test Django project.
snippets: install  ## Run the docs' code snippets in the test Django project.
	$(BIN)/snippetcheck docs

bench: install  ## Measure the speed budgets (prints ratios against baselines run alongside).
	$(BIN)/python benchmarks/adrtool_speed.py
	$(BIN)/python benchmarks/snippetcheck_speed.py

clean:  ## Remove the environment and build output.
	rm -rf $(VENV) site .mypy_cache .pytest_cache .ruff_cache
