# BothSides: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bothsides

.DEFAULT_GOAL := help
.PHONY: help install run test test-postgres lint fmt bench

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
	$(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) --websocket-max-message-size 262144 whiteboard.asgi:application

test: install lint ## Lint, then run every test (SQLite, then the storage tests on PostgreSQL)
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-postgres

test-postgres: install ## Run the storage contract tests against PostgreSQL
	@$(PY) -m tests.services postgres; status=$$?; \
	if [ $$status -eq 0 ]; then DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -m storage; \
	elif [ $$status -ne 1 ]; then exit $$status; fi

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install ## Format and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Measure sync latency and throughput against baseline relays (see docs/performance.md)
	$(PY) bench/run.py $(BENCH_ARGS)
