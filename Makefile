# Kinerja — the two commands: `make run` (serve the Plaju demo) and `make test` (all checks).
PYTHON ?= python3
PORT ?= 8000
DEMO ?= 1
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench install install-dev messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed

# The front-end libraries (Chart.js) from npm, exactly as package-lock.json pins them; again
# only when the lock changes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

## make run [PORT=8000]: set up, migrate the SQLite database under var/, load the Plaju demo
## when the database is empty, and serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed node_modules/.installed
	KINERJA_DEMO=$(DEMO) $(BIN)/kinerja migrate --noinput
	KINERJA_DEMO=$(DEMO) $(BIN)/kinerja demo load --if-empty
	@echo "Kinerja is serving on http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	KINERJA_DEMO=$(DEMO) $(BIN)/gunicorn kinerja.wsgi --bind 127.0.0.1:$(PORT) \
		--workers 1 --threads 8 --timeout 120 --access-logfile -

## make test: formatting, lint, the layers of the apps, the type check, and the whole test suite
## on DATABASE_URL (SQLite when unset)
test: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

## make bench: the benchmarks in bench/ (never part of make test)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

## make messages: refresh the Indonesian translation catalogue (needs GNU gettext)
messages: $(VENV)/.installed-dev
	cd kinerja && ../$(BIN)/kinerja makemessages --locale id --no-obsolete --add-location file
	$(BIN)/python -m kinerja.core.i18n compile

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache
