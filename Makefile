# BothSides: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bothsides

.DEFAULT_GOAL := help
NPM ?= npm
NODE_STAMP := frontend/node_modules/.installed

.PHONY: help install run test test-postgres frontend frontend-test lint fmt bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install dependencies

run: install ## Set up a demo board and serve on http://127.0.0.1:$(PORT)
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo --base-url http://127.0.0.1:$(PORT)
	$(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) $$($(PY) -m whiteboard.vocabulary daphne-flags) bothsides.asgi:application

test: install lint frontend-test ## Lint, then run every test (front end, SQLite, then storage on PostgreSQL)
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-postgres

test-postgres: install ## Run the storage contract tests against PostgreSQL
	@$(PY) -m tests.services postgres; status=$$?; \
	if [ $$status -eq 0 ]; then DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -m storage; \
	elif [ $$status -ne 1 ]; then exit $$status; fi

$(NODE_STAMP): frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

frontend: $(NODE_STAMP) ## Rebuild the committed front-end bundle (needs Node 20+; running the app does not)
	cd frontend && $(NPM) run build

frontend-test: ## Type-check and unit-test the front end, and check the committed bundle is a fresh build
	@if ! command -v $(NPM) >/dev/null 2>&1; then \
		if [ "$$CI" = "true" ]; then echo "FAIL: npm is needed under CI to test the front end"; exit 2; fi; \
		echo "SKIPPED the front-end tests: npm is not installed"; exit 0; \
	fi; \
	$(MAKE) --no-print-directory $(NODE_STAMP) && cd frontend && $(NPM) run lint && $(NPM) test && $(NPM) run build \
	&& cd .. && if [ -n "$$(git status --porcelain -- whiteboard/static/frontend)" ]; then \
		echo "whiteboard/static/frontend differs from a fresh build: run 'make frontend' and commit it"; \
		git status --short -- whiteboard/static/frontend; exit 1; fi

lint: install ## ruff, the type checker (mypy) and the import contracts (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

fmt: install ## Format and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Measure sync latency and throughput against baseline relays (see docs/performance.md)
	$(PY) bench/run.py $(BENCH_ARGS)
