# The targets are the documentation of how to work on Quartiers 4.0.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# The official QPV layer, read from ../shared (never copied into the repository).
QPV_SOURCE ?= $(abspath ../shared/data/qpv/qpv2024_national_4dp.geojson)
# The official commune list: the npm package installed below, or any directory, file or URL.
COMMUNES_SOURCE ?= node_modules/@etalab/decoupage-administratif/data
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails sent by the worker (and outside any request) point to the server served here.
run serve worker: export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: help install run serve worker migrate demo-data test test-fast lint format bench messages screenshot clean backup restore

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Create .venv and install the pinned dependencies (Python, and the commune list from npm)

migrate: install ## Apply database migrations
	mkdir -p var
	$(MANAGE) migrate --noinput

demo-data: migrate ## Load the QPV and commune reference data and the fictional demo dataset
	$(MANAGE) load_demo --qpv-source "$(QPV_SOURCE)"
	$(MANAGE) import_communes "$(COMMUNES_SOURCE)"
	$(MANAGE) search_reindex
	$(MANAGE) observatory_refresh

run: demo-data ## Set everything up and serve on http://127.0.0.1:8000
	@$(MANAGE) demo_accounts
	@echo "Background worker (e-mails, batch QPV checks, reminders, seat offers) started; it stops with the server."
	$(MANAGE) db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT; $(MANAGE) runserver $(HOST):$(PORT)

serve: install ## Serve without reloading demo data (with the background worker)
	$(MANAGE) db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT; $(MANAGE) runserver $(HOST):$(PORT)

worker: install ## Run the background worker alone (production: one or more of these)
	$(MANAGE) db_worker

# The business layer that mypy checks (with django-stubs): services, selectors, permissions.
MYPY_FILES = $(sort $(wildcard quartiers40/*/services.py quartiers40/*/services/*.py \
	quartiers40/*/*/services.py quartiers40/*/*/selectors.py quartiers40/*/*/permissions.py \
	quartiers40/*/selectors.py quartiers40/*/selectors/*.py quartiers40/*/permissions.py \
	quartiers40/core/*.py))

lint: install ## ruff check, ruff format --check, mypy on the business layer, makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_FILES)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

format: install ## Reformat the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint ## The whole suite (lint, unit, integration and browser tests)
	QPV_SOURCE="$(QPV_SOURCE)" $(BIN)/pytest

test-fast: install ## The suite without the browser journeys
	QPV_SOURCE="$(QPV_SOURCE)" $(BIN)/pytest -m "not browser"

bench: install ## Benchmarks (speed and memory targets); installs geopandas and wrk for them
	$(BIN)/pip install --quiet -c requirements/constraints.txt -r bench/requirements.txt
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	QPV_SOURCE="$(QPV_SOURCE)" $(PY) bench/run_all.py

messages: install ## Extract and compile translations (French source, English and Arabic catalogues)
	cd quartiers40 && ../$(MANAGE) makemessages -l en -l ar --no-obsolete && ../$(MANAGE) compilemessages

screenshot: install ## Refresh the README screenshot from a running demo server
	$(PY) bench/screenshot.py

backup: install ## Back up the database and the uploaded files into var/backups/ (OUTPUT=path to choose)
	$(MANAGE) backup_create $(if $(OUTPUT),--output "$(OUTPUT)")

restore: install ## Restore FILE=var/backups/….tar.gz into an empty database (see docs/operations.md)
	@test -n "$(FILE)" || (echo "Usage: make restore FILE=var/backups/quartiers40-….tar.gz"; exit 2)
	mkdir -p var
	$(MANAGE) backup_restore "$(FILE)"

clean:
	rm -rf $(VENV) var staticfiles
