# Everyday verbs. `make run` and `make test` work on a fresh clone: they create .venv first.
#
#   make run        quick start: SQLite, no Redis (tasks run in-process), demo data, :8000
#   make test       the whole suite; DATABASE_URL / REDIS_URL from the shell when set
#                   (a subset: make test PYTEST_ARGS="tests/accounts -k follow")
#   make lint       ruff check + ruff format --check + the import contract (lint-imports)
#   make typecheck  mypy on the modules listed in pyproject.toml ([tool.mypy] files)
#   make api-conformance  schemathesis against /api/schema/ (also part of `make test`)
#   make check      makemigrations --check and check --deploy under production-like settings
#                   (Django's security checks and the Content-Security-Policy's: rednote/checks.py)
#   make messages   refresh the en and zh_Hans catalogues, then compile them
#   make worker     Celery worker on every queue (needs REDIS_URL)
#   make beat       Celery beat with the database scheduler (needs REDIS_URL)
#   make bench      run the benchmarks in bench/

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: "auto" = one per CPU, at most TEST_MAX_WORKERS; 0 runs in this process.
TEST_WORKERS ?= auto
TEST_MAX_WORKERS ?= 4
PYTEST_ARGS ?=

# Dependencies are installed once per version of pyproject.toml: the stamp's name carries
# its checksum, so editing the pins reinstalls and nothing else does.
DEPS_STAMP := $(VENV)/.deps-$(firstword $(shell cksum pyproject.toml))

# The quick start and the tests ignore .env (written for the full stack); variables exported
# in the shell still apply. Without DATABASE_URL/REDIS_URL: SQLite, no Redis.
LOCAL_ENV := ENV_FILE=

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help run test lint typecheck api-conformance format check messages compilemessages \
	migrate seed worker beat bench deps clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# --- Environment ------------------------------------------------------------------------

deps: $(DEPS_STAMP)

$(DEPS_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { \
		echo "Python 3.11 is needed ($(PYTHON) not found). Install it, or run:"; \
		echo "  make $(MAKECMDGOALS) PYTHON=/path/to/python3.11"; exit 1; }
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
		echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	@# The project itself is not a package (packages = []): install just its pinned
	@# dependencies, read from pyproject.toml, rather than building a wheel of it.
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
		> $(VENV)/requirements.txt
	$(PY) -m pip install --disable-pip-version-check --quiet -r $(VENV)/requirements.txt
	@rm -f $(VENV)/.deps-*
	@touch $@

# --- Translations -----------------------------------------------------------------------

compilemessages: $(MO_FILES)

# A catalogue is compiled when its .mo is missing or older than the .po.
locale/%.mo: locale/%.po | $(DEPS_STAMP)
	@command -v msgfmt >/dev/null || { \
		echo "Compiling translations needs GNU gettext (msgfmt). Install it:"; \
		echo "  Debian/Ubuntu: sudo apt-get install gettext"; \
		echo "  Fedora:        sudo dnf install gettext"; \
		echo "  macOS:         brew install gettext && brew link --force gettext"; \
		exit 1; }
	$(LOCAL_ENV) $(MANAGE) compilemessages --ignore '.venv' --locale $(word 1,$(subst /, ,$*))

messages: $(DEPS_STAMP)
	$(LOCAL_ENV) $(MANAGE) makemessages --locale zh_Hans --no-obsolete --no-location --no-wrap \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'media/*' --ignore 'var/*' \
		--ignore 'tests/*' --ignore 'bench/*'
	$(LOCAL_ENV) $(MANAGE) compilemessages --ignore '.venv'

# --- Quick start ------------------------------------------------------------------------

migrate: $(DEPS_STAMP)
	$(LOCAL_ENV) $(MANAGE) migrate --noinput

seed: migrate
	$(LOCAL_ENV) $(MANAGE) seed_demo
	$(LOCAL_ENV) $(MANAGE) reading_build

run: $(DEPS_STAMP) compilemessages seed
	@echo "RedNote at http://$(HOST):$(PORT)/  (demo users: password demo-pass-2025)"
	$(LOCAL_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# --- Quality ----------------------------------------------------------------------------

test: $(DEPS_STAMP) compilemessages
	$(LOCAL_ENV) $(VENV)/bin/pytest \
		$(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses $(TEST_MAX_WORKERS)) \
		$(PYTEST_ARGS)

lint: $(DEPS_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The files checked are one list: `files` under [tool.mypy] in pyproject.toml.
typecheck: $(DEPS_STAMP)
	$(LOCAL_ENV) $(VENV)/bin/mypy

api-conformance: $(DEPS_STAMP) compilemessages
	$(LOCAL_ENV) $(VENV)/bin/pytest -p no:xdist tests/test_api_conformance.py $(PYTEST_ARGS)

format: $(DEPS_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(DEPS_STAMP)
	$(LOCAL_ENV) $(MANAGE) makemigrations --check --dry-run
	$(LOCAL_ENV) DEBUG=false ALLOWED_HOSTS=example.org \
		SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(MANAGE) check --deploy --fail-level WARNING

# --- Full stack, outside Docker ---------------------------------------------------------

worker: $(DEPS_STAMP)
	$(VENV)/bin/celery -A rednote worker -Q default,images,feeds,translations -l info

beat: $(DEPS_STAMP)
	$(VENV)/bin/celery -A rednote beat -l info \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler

# --- Benchmarks -------------------------------------------------------------------------

bench: $(DEPS_STAMP)
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks in bench/ yet."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "== $$script"; $(LOCAL_ENV) $(PY) "$$script" || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache \
		.hypothesis bench/out
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
