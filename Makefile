# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# One pytest worker per core (pytest-xdist); each worker has its own SQLite file or PostgreSQL database.
PYTEST_WORKERS ?= auto
PORT ?= 5000

.PHONY: help run serve install install-test translations extract update-translations compile-translations \
        migrate demo test test-sqlite test-postgresql test-cluster lint browser nginx bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-22s %s\n", $$1, $$2}'

$(VENV)/installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/installed-test: $(VENV)/installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/installed ## Create the virtual environment and install the app

install-test: $(VENV)/installed-test

compile-translations: install ## Compile the catalogues (.po -> .mo)
	$(VENV)/bin/pybabel compile -d translations

extract: install ## Extract messages into translations/messages.pot
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --add-comments=i18n: --sort-by-file \
	  --no-wrap --omit-header -o translations/messages.pot .

update-translations: extract ## Merge new messages into the es, pt_BR and en catalogues
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete --no-fuzzy-matching

migrate: install ## Apply database migrations
	$(FLASK) db upgrade

demo: migrate ## Load the demo data (idempotent)
	$(FLASK) demo load
	$(FLASK) safeguards load-framework

run: compile-translations demo ## Install, migrate, load demo data; serve on http://127.0.0.1:$(PORT) with the workers
	@echo "Serving on http://127.0.0.1:$(PORT) (SQLite under instance/). Demo log-in: camila@derechosandinos.example / Salvaguardas-2026-demo"
	@# The mail and counters workers run beside the server and stop with it (Ctrl-C stops all); the roadmap's
	@# daily runs (delays, reminders) run once at start, as the morning timer would.
	export CONSORTIUM_ENV=development CONSORTIUM_PUBLIC_URL=$${CONSORTIUM_PUBLIC_URL:-http://127.0.0.1:$(PORT)}; \
	$(FLASK) safeguards roadmap-delays && $(FLASK) safeguards roadmap-reminders; \
	$(FLASK) mail worker & worker=$$!; $(FLASK) counters flush --every 10 >/dev/null & counter=$$!; \
	trap 'kill $$worker $$counter 2>/dev/null; wait $$worker $$counter' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: install-test ## ruff and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

browser: install-test ## Install Debian's Chromium for the browser tests, where possible
	@if [ -x /usr/bin/chromium ]; then echo "Chromium: /usr/bin/chromium"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install chromium with apt; browser tests will be skipped (or fail under CI=true)."; \
	else echo "No /usr/bin/chromium and no root apt; browser tests will be skipped (or fail under CI=true)."; fi

test: lint compile-translations browser test-sqlite test-postgresql ## The whole suite, on SQLite then PostgreSQL

test-sqlite: install-test compile-translations
	@echo "=== Test leg 1/2: SQLite (a temporary file database) ==="
	TEST_DATABASE=sqlite $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgresql: install-test compile-translations
	@echo "=== Test leg 2/2: PostgreSQL ($(PG_TEST_URL)) ==="
	@if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1].replace('+psycopg', ''), connect_timeout=5).close()" "$(PG_TEST_URL)" 2>/dev/null; then \
	  TEST_DATABASE=postgresql TEST_DATABASE_URL="$(PG_TEST_URL)" $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "FAIL: CI=true requires PostgreSQL at $(PG_TEST_URL), which did not answer." >&2; exit 1; \
	else echo "SKIPPED the PostgreSQL leg: nothing answers at $(PG_TEST_URL) (set PG_TEST_URL, or start PostgreSQL)."; fi

nginx: ## Install Debian's nginx for the cluster test, where possible
	@if command -v nginx >/dev/null; then echo "nginx: $$(command -v nginx)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else echo "No nginx and no root apt: install Debian's nginx package first." >&2; exit 1; fi

test-cluster: install-test compile-translations nginx ## Two app hosts behind nginx in network namespaces (root)
	@[ "$$(id -u)" = 0 ] || { echo "make test-cluster builds network namespaces: run it as root." >&2; exit 1; }
	timeout 600 $(PY) -m tests.cluster

bench: install-test compile-translations ## Benchmark pages against a bare Flask app under gunicorn (wrk)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) tests/bench/run.py

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) instance .pytest_cache
