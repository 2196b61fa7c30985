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
.PHONY: site-check site-links site-html site-lint site-zensical site-browser site-bench
# --- site (issue 4): set before `install` reads them -------------------------------------------
# Mermaid comes from the npm package pinned in package-lock.json and is copied where MkDocs and
# Zensical both publish it (docs/adr/0010); the copy is gitignored, never committed.
NODE_STAMP := node_modules/.installed
MERMAID_JS := docs/assets/javascripts/vendor/mermaid.min.js
SITE_ASSETS := $(NODE_STAMP) $(MERMAID_JS)
# Compiled once at install: where PYTHONDONTWRITEBYTECODE is set, every build would otherwise
# recompile MkDocs, Material and mkdocstrings from source (a third of a small build's time).
export UV_COMPILE_BYTECODE := 1
# --- end site ------------------------------------------------------------------------------------

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) $(SITE_ASSETS)  ## Create .venv and node_modules from the pinned locks (quick when nothing changed).

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION); }
	$(BIN)/uv sync --locked --all-extras --quiet
	@# uv compiles site-packages (UV_COMPILE_BYTECODE); our own packages are editable installs, and
	@# where PYTHONDONTWRITEBYTECODE is set they would be compiled again at every start.
	$(BIN)/python -m compileall -q adrtool snippetcheck
	@touch $@

serve: install  ## Serve the site on http://127.0.0.1:8000 with live reload.
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install  ## Build the static site into site/.
	$(BIN)/mkdocs build --strict --site-dir site

test: lint typecheck adr-check pytest snippets site-check  ## Run every check the project has.

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

adr-check: install
	$(BIN)/adrtool check

pytest: install
	PYTHONWARNDEFAULTENCODING=1 $(BIN)/pytest -q --durations=10

# snippetcheck (issue 5): every runnable snippet of docs/ runs in the test Django project.
snippets: install  ## Run the docs' code snippets in the test Django project.
	$(BIN)/snippetcheck --strict-positions docs

bench: install  ## Measure the speed budgets (prints ratios against baselines run alongside).
	$(BIN)/python benchmarks/adrtool_speed.py
	$(BIN)/python benchmarks/site_build.py
	$(BIN)/python benchmarks/snippetcheck_speed.py

# --- site (issue 4): the documentation site's assets and gates ---------------------------------
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MERMAID_JS): $(NODE_STAMP)
	@mkdir -p $(@D)
	cp node_modules/mermaid/dist/mermaid.min.js $@

site-check: site-links site-html site-lint site-zensical site-browser  ## Every gate of the site.

site-links: build  ## Check every link and anchor of the built site, offline.
	$(BIN)/python -m tools.linkcheck site

site-html: build  ## No leaked marker or placeholder, one <h1>, a title and a description a page.
	$(BIN)/python -m tools.html_gate site

site-lint: install  ## Spelling and Markdown style of the docs, zero findings.
	$(BIN)/codespell README.md mkdocs.yml docs overrides tools browser_tests benchmarks/site_build.py
	node_modules/.bin/markdownlint-cli2

# Zensical writes to the site_dir of mkdocs.yml; a copy of the sources keeps it off site/.
site-zensical: install  ## Build with Zensical (the escape route, docs/adr/0008) and check its links.
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  cp -r mkdocs.yml docs overrides adrtool "$$tmp"/ && \
	  (cd "$$tmp" && $(CURDIR)/$(BIN)/zensical build --strict --clean -f mkdocs.yml) && \
	  $(BIN)/python -m tools.linkcheck "$$tmp/site" && \
	  $(BIN)/python -m tools.html_gate "$$tmp/site"

site-browser: build  ## Load the built site in Debian's chromium (skipped loudly without it).
	$(BIN)/pytest -q browser_tests --site-dir site

# Like adrtool_speed.py: make test runs it once (tests/test_site_bench.py); make bench enforces it.
site-bench: install  ## Our full build against plain Material, budget 1.3x (also in `make bench`).
	$(BIN)/python benchmarks/site_build.py
# --- end site ------------------------------------------------------------------------------------

clean:  ## Remove the environment and build output.
	rm -rf $(VENV) site .mypy_cache .pytest_cache .ruff_cache node_modules site-screenshots $(MERMAID_JS)
