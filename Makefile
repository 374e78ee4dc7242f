# The README's two commands: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
VENDOR := src/youke/core/static/vendor

export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: install demo serve test test-fast lint fmt worker messages check-migrations clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.installed scripts/vendor.sh
	sh scripts/vendor.sh $(VENDOR)
	touch $@

PO_FILES := $(wildcard src/youke/locale/*/LC_MESSAGES/django.po src/youke/locale/*/LC_MESSAGES/djangojs.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po | $(VENV)/.synced
	cd src/youke && DJANGO_SETTINGS_MODULE=youke.settings ../../$(BIN)/django-admin compilemessages >/dev/null

install: $(VENV)/.synced $(VENDOR)/.copied $(MO_FILES)

# YOUKE_PORT tells `youke demo` which address to print (it is the default of --port too).
demo: install
	$(BIN)/youke migrate --no-input --verbosity 0
	YOUKE_PORT=$(PORT) $(BIN)/youke demo
	YOUKE_PORT=$(PORT) $(BIN)/youke serve --port $(PORT)

serve: install
	YOUKE_PORT=$(PORT) $(BIN)/youke serve --port $(PORT)

worker: install
	$(BIN)/youke worker

test: install
	$(BIN)/youke makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile

test-fast: install
	$(BIN)/pytest -x -q -m "not browser"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

messages: install
	cd src/youke && DJANGO_SETTINGS_MODULE=youke.settings ../../$(BIN)/django-admin makemessages -l en --no-location
	cd src/youke && DJANGO_SETTINGS_MODULE=youke.settings ../../$(BIN)/django-admin makemessages -d djangojs -l en --no-location --ignore='core/static/vendor/*'

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
