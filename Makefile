# Two commands do all the set-up on a fresh machine:
#   make run    set up, create the SQLite database in instance/ with demo data, serve the app
#   make test   set up (with the test tools and Chromium) and run the whole test suite
# .ci/run calls `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test setup setup-test db chromium fonts lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed fonts
	$(BIN)/flask compile-translations

setup-test: $(VENV)/.installed-dev setup chromium

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The agreement PDF embeds Debian's WenQuanYi Micro Hei (Apache-2.0 or GPLv3 with the font
# exception); the PDF tests render a page with pdftoppm (poppler-utils).
fonts:
	@{ [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && command -v pdftoppm >/dev/null 2>&1; } || { \
	  echo "Installing Debian's fonts-wqy-microhei and poppler-utils for the agreement PDF..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-wqy-microhei poppler-utils >/dev/null; }

db: setup
	$(BIN)/flask init-db
	$(BIN)/flask seed-demo --if-empty

run: db
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/   (Chinese by default; add ?lang=en for English)"
	@echo "  Demo logins, password demo-pass-2026:"
	@echo "    admin, supervisor (province), supervisor_cc (Changchun),"
	@echo "    mediator_cc, mediator_yb (Yanbian), lawyer_cc, lawyer_yb"
	@echo ""
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# pytest-xdist workers, each on databases of its own (tests/conftest.py); PYTEST_WORKERS=0 runs
# the suite in one process.
PYTEST_WORKERS ?= 2

test: setup-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check mediation workflows tests bench wsgi.py

clean:
	rm -rf $(VENV) instance/*.sqlite3* test-artifacts
