# redchain: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test e2e lint bench messages check-messages install clean

$(BIN)/redchain: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/redchain

install: $(BIN)/redchain

## Set up the embedded SQLite database under var/, load the demo zone, and serve it on 127.0.0.1:$(PORT).
demo: install
	DEBUG=1 $(BIN)/redchain demo --port $(PORT)

## The whole suite (SQLite unless DATABASE_URL says otherwise). Exit code 5 (no tests) counts as failure.
test: install
	$(BIN)/pytest -n 2 -q

## Real-browser journeys in Debian's Chromium (apt-get install chromium fonts-noto-cjk); axe-core comes from npm.
AXE := tests_e2e/node_modules/axe-core/axe.min.js
$(AXE): tests_e2e/package.json tests_e2e/package-lock.json
	cd tests_e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

e2e: install $(AXE)
	$(BIN)/pytest -q -p no:xdist tests_e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/redchain

bench: install
	$(BIN)/python bench/run.py

## Regenerate and compile the zh-hans catalogue after changing strings.
messages: install
	cd src/redchain && DEBUG=1 REDCHAIN_VAR_DIR=$(CURDIR)/var ../../$(BIN)/redchain makemessages -l zh_Hans --no-location --no-obsolete \
		&& DEBUG=1 REDCHAIN_VAR_DIR=$(CURDIR)/var ../../$(BIN)/redchain compilemessages -l zh_Hans

check-messages: install
	$(BIN)/python scripts/check_messages.py

clean:
	rm -rf $(VENV) var
