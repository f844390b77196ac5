# natije — the two commands are `make run` and `make test`; the rest are helpers.
#
#   make run        venv + install, migrate, seed demo data if the store is empty, serve
#   make test       venv + test extras, Debian packages (root), suite on SQLite, data layer on PostgreSQL
#   make test-fast  venv + test extras, the suite without browser tests, SQLite only
#   make venv       create/update .venv (only when pyproject.toml changed)
#   make bench      timings of demo build, info and page loads (bench/run.py)
#   make soak       the situation room left running 12 minutes: browser memory (bench/soak_room.py)
#   make clean      caches, test artifacts, build output (keeps .venv and your data)
#   make distclean  clean + remove .venv
#
# Settings come from NATIJE_* environment variables (see docs/settings.md), e.g.
#   NATIJE_PORT=8060 make run

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# Stamps live inside the venv, so removing .venv removes them too.
APP_STAMP := $(VENV)/.natije-app.stamp
TEST_STAMP := $(VENV)/.natije-test.stamp
PYTEST_ARGS ?=

.PHONY: help run test test-fast venv venv-test system-deps bench soak clean distclean

help:
	@sed -n '1,11p' Makefile | sed 's/^# \{0,1\}//'

# ---- environment -------------------------------------------------------------------

# The virtualenv with the app installed (editable). Rebuilt only when pyproject.toml changes.
# xstatic-bootstrap is sdist-only and needs pkg_resources at build time, hence setuptools<81
# and --no-build-isolation for it alone.
$(APP_STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "natije needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	$(BIN)/pip install --quiet --upgrade pip "setuptools<81" wheel
	$(BIN)/pip install --quiet --no-build-isolation xstatic-bootstrap
	$(BIN)/pip install --quiet -e .
	@touch $@

# The same venv plus the [test] extras.
$(TEST_STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

venv: $(APP_STAMP)
venv-test: $(TEST_STAMP)

system-deps:
	@.ci/system-deps

# ---- the two commands ------------------------------------------------------------------

run: $(APP_STAMP)
	$(BIN)/natije migrate
	$(BIN)/natije demo --if-empty
	$(BIN)/natije run

test: $(TEST_STAMP) system-deps
	@VENV=$(VENV) PYTEST_ARGS="$(PYTEST_ARGS)" .ci/test

# ---- helpers ---------------------------------------------------------------------------

test-fast: $(TEST_STAMP)
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

bench: $(APP_STAMP)
	$(BIN)/python bench/run.py

soak: $(TEST_STAMP) system-deps
	$(BIN)/python bench/soak_room.py

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .hypothesis tests/artifacts test-results build dist *.egg-info bench/results

distclean: clean
	rm -rf $(VENV)
