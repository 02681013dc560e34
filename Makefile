# ITA Tracker. The two commands of the README:
#   make run    install, migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite), with the
#               background jobs on an embedded worker; make run PORT=8001 HOST=0.0.0.0 serves elsewhere
#   make test   install and run the whole test suite (PostgreSQL when DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Background jobs under make run: a thread in the development server, the database as queue (no Redis needed;
# ita_tracker/jobs.py says why). JOBS_BACKEND=celery make run uses Redis and a separately started worker.
JOBS_BACKEND ?= embedded

# Debian packages: Pango/HarfBuzz for WeasyPrint, the Thai print font (Laksaman, TH Sarabun's
# metric twin) with DejaVu for ✓ ☐, gettext for the English translation, poppler for PDF checks.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-tlwg-laksaman-ttf fonts-dejavu-core gettext
TEST_PACKAGES := $(RUN_PACKAGES) poppler-utils
# Debian's Chromium for the browser journeys (tests/browser, Playwright for Python drives it; Playwright's
# own browser download is not used).
BROWSER_PACKAGES := chromium

.PHONY: run test lint format system-deps-run system-deps-test browser-deps messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# Installs what is missing with apt when it can (root, or sudo without a password); otherwise says
# exactly what to install and stops.
define ensure_packages
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing system packages:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; else \
	      echo "Missing system packages. Install them with:"; \
	      echo "  sudo apt-get install -y$$missing"; exit 1; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing >/dev/null; \
	  fi; \
	else \
	  echo "Not a Debian system: make sure Pango (>= 1.44), HarfBuzz, the Laksaman font (TLWG) and gettext are installed."; \
	fi
endef

system-deps-run:
	$(call ensure_packages,$(RUN_PACKAGES))

system-deps-test:
	$(call ensure_packages,$(TEST_PACKAGES))

browser-deps:
	$(call ensure_packages,$(BROWSER_PACKAGES))

# Compiled translations are build output, never committed.
messages: | $(PY)
	@if command -v msgfmt >/dev/null 2>&1 && [ -d locale ]; then $(PY) manage.py compilemessages --ignore=.venv -v0; fi

run: system-deps-run $(VENV)/.installed-run messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	JOBS_BACKEND=$(JOBS_BACKEND) $(PY) manage.py runserver $(HOST):$(PORT)

# The browser journeys run when Chromium is installed (tried here, not required; CI requires it).
# The suite runs on every core (pytest-xdist), a test file per worker at a time, each worker with its own test
# database (test_ita_tracker_gw0, …); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: system-deps-test $(VENV)/.installed-dev messages
	@$(MAKE) --no-print-directory browser-deps || echo "No Chromium: the browser journeys (tests/browser) are skipped."
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles
