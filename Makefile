# Samverkan – the two commands: `make demo` runs the product, `make test` runs every check.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: demo test install system-deps lint typecheck messages check-messages test-sqlite test-postgres test-e2e test-deploy bench vendor

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

## Run the product on the embedded default: SQLite under var/, demo data, logins printed.
demo: install
	$(BIN)/samverkan demo

## Debian packages the tests need: Chromium for the browser tests, gettext for the message catalogues,
## Pango and DejaVu for WeasyPrint (PDF), poppler-utils to read the PDFs back, wrk for `bench --load`,
## LibreOffice Calc to prove an exported action plan survives being saved by another spreadsheet program.
system-deps:
	@need=""; command -v chromium >/dev/null || need="$$need chromium"; \
	command -v msgfmt >/dev/null || need="$$need gettext"; \
	for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || need="$$need $$pkg"; \
	done; \
	command -v pdftotext >/dev/null || need="$$need poppler-utils"; \
	command -v wrk >/dev/null || need="$$need wrk"; \
	command -v soffice >/dev/null || need="$$need libreoffice-calc-nogui"; \
	if [ -n "$$need" ]; then \
	  echo "Installing$$need"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy samverkan

## Recreate the English catalogue from the source (Swedish) strings, then compile it and the Swedish
## overrides (samverkan/locale/sv: hand-maintained, never regenerated; see its header).
messages: install
	cd samverkan && ../$(BIN)/samverkan makemessages -l en --no-location --no-obsolete --ignore=bench/* >/dev/null
	cd samverkan && ../$(BIN)/samverkan compilemessages -l en -l sv >/dev/null

## Fails when a string in the code has no English translation or a compiled catalogue is stale.
check-messages: install system-deps
	cd samverkan && ../$(BIN)/samverkan makemessages -l en --no-location --no-obsolete --ignore=bench/* >/dev/null
	$(BIN)/python tests/check_translations.py samverkan/locale/en/LC_MESSAGES/django.po
	$(BIN)/python tests/check_translations.py samverkan/locale/sv/LC_MESSAGES/django.po

## Two workers, handed at most 16 tests at a time; the slow tests run first (tests/conftest.py), so both
## workers share them and neither waits long for the other at the end.
test-sqlite: install
	$(BIN)/samverkan makemigrations --check --dry-run >/dev/null
	env -u DATABASE_URL $(BIN)/pytest -m "not e2e" -n 2 --maxschedchunk 16 -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=5).close()" \
	  || { echo "PostgreSQL is not reachable at $(PG_TEST_URL) (set PG_TEST_URL)."; exit 1; }
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not e2e" -n 2 --maxschedchunk 16 -p no:cacheprovider $(PYTEST_ARGS)

test-e2e: install system-deps
	env -u DATABASE_URL $(BIN)/pytest -m e2e -p no:cacheprovider $(PYTEST_ARGS)

## Deploy as the README's Deployment section says (wheel, production mode, PostgreSQL, collectstatic,
## gunicorn on a loopback port) and fetch pages from the running server.
test-deploy: install
	PG_TEST_URL=$(PG_TEST_URL) $(BIN)/python tests/deploy/smoke.py

## Everything: lint, types, translations, unit+integration on SQLite and PostgreSQL, browser + axe, deploy.
test: install system-deps lint typecheck check-messages test-sqlite test-postgres test-e2e test-deploy

bench: install
	$(BIN)/samverkan bench

## Refresh the vendored front-end files from npm (versions pinned in package.json).
vendor:
	npm install --no-save --silent
	cp node_modules/htmx.org/dist/htmx.min.js samverkan/core/static/core/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
	# Without its source map line: the map is not shipped, and whitenoise's manifest refuses a missing reference.
	sed '/^\/\/# sourceMappingURL=/d' node_modules/chart.js/dist/chart.umd.min.js > samverkan/indicators/static/indicators/vendor/chart.umd.min.js
	cp node_modules/chart.js/LICENSE.md samverkan/indicators/static/indicators/vendor/chart.js.LICENSE.md
