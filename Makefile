# Beredt — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
BEREDT := $(BIN)/beredt
STAMP := $(VENV)/.installed
SETUP := $(VENV)/.setup
LOCK := requirements.lock
HOST ?= 127.0.0.1
PORT ?= 8000
# e.g. PYTEST_ARGS="-n 2" (pytest-xdist) on a machine of your own.
PYTEST_ARGS ?=

.PHONY: install setup lock messages chromium fonts axe demo test test-sqlite test-postgres bench lint typecheck format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Versions pinned by the lock file (every package, dev tools included); `make lock` renews it.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

lock: | $(BIN)/python
	$(BIN)/python -m pip install -q pip-tools
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file $(LOCK) pyproject.toml

install: $(STAMP) messages

# Compile the committed .po files; gettext comes from Debian when missing.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	@cd src/beredt && ../../$(BEREDT) compilemessages -v 0

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# DejaVu fonts for the PDFs (Danish, Polish, Ukrainian and Arabic glyphs).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core)

# axe-core for the accessibility checks in the browser tests (tests/public), kept in var/.
AXE := var/node/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	npm install --no-save --prefix var/node axe-core
axe: $(AXE)

demo: install fonts
	mkdir -p var
	$(BEREDT) migrate --noinput -v 0
	BEREDT_DEBUG=1 $(BEREDT) loaddemo
	$(BEREDT) requeuestale --older-than 0
	@echo "Beredt runs on http://$(HOST):$(PORT)/ (Ctrl-C stops server and workers)"
	@trap 'kill 0' INT TERM EXIT; \
	  BEREDT_DEBUG=1 $(BEREDT) db_worker --queue-name alerts --interval 0.2 --no-reload & \
	  BEREDT_DEBUG=1 $(BEREDT) db_worker --queue-name default,outreach --interval 1 --no-reload & \
	  BEREDT_DEBUG=1 $(BEREDT) runserver --noreload $(HOST):$(PORT)

# What the tests need besides Python (system packages, the browser, axe-core), once per
# machine: `make test` runs it the first time only.
$(SETUP): | $(STAMP)
	$(MAKE) --no-print-directory chromium fonts axe
	touch $(SETUP)
setup: install $(SETUP)

test: setup test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# Runs the same suite on PostgreSQL when BEREDT_TEST_DATABASE_URL is set (CI sets it).
test-postgres: install
	@if [ -n "$$BEREDT_TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL: $$BEREDT_TEST_DATABASE_URL"; \
	  DATABASE_URL="$$BEREDT_TEST_DATABASE_URL" $(BIN)/pytest $(PYTEST_ARGS); \
	else echo "== BEREDT_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

bench: install
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
