# The two commands a newcomer needs:
#   make demo   virtualenv in .venv, install, migrate SQLite, load the demo company, serve :8000
#   make test   set up and run the whole test suite (unit, integration and browser tests)
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: demo test install serve lint messages clean chromium dovecot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/resuelve migrate --no-input
	$(BIN)/resuelve demo --no-migrate
	@echo ""
	@echo "Resuelve runs on http://127.0.0.1:$(PORT)/  (staff: http://127.0.0.1:$(PORT)/staff/)"
	PORT=$(PORT) RESUELVE_DEADLINE_POLICY=$${RESUELVE_DEADLINE_POLICY:-co-ley-1755} RESUELVE_COMPANY_NAME=$${RESUELVE_COMPANY_NAME:-Autoandes} RESUELVE_PUBLIC_URL=$${RESUELVE_PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(BIN)/resuelve serve

serve: $(VENV)/.installed
	PORT=$(PORT) $(BIN)/resuelve serve

# Browser tests need Debian's Chromium; install it when it is missing and we may (root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium is missing: install it (apt-get install chromium) to run the browser tests."; fi; }

# The mail intake tests read a real mailbox from a private Dovecot they start themselves.
dovecot:
	@command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's dovecot-imapd for the mail intake tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	  else echo "dovecot is missing: install it (apt-get install dovecot-imapd) to run the IMAP tests."; fi; }

test: $(VENV)/.installed-dev chromium dovecot
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# Extract and compile translations (needs GNU gettext).
messages: $(VENV)/.installed-dev
	cd resuelve && ../$(BIN)/resuelve makemessages -l es -l zh_Hans -l et --no-obsolete --ignore '*/tests/*' --ignore 'testing/*'
	cd resuelve && ../$(BIN)/resuelve compilemessages

clean:
	rm -rf $(VENV) var build *.egg-info
