# relmap — two commands set everything up:
#   make demo   install (venv + Graphviz) and analyse the bundled example into out/
#   make test   install (venv + Graphviz + dev tools) and run lint + the test suite
# Every package comes from a lock with exact versions and hashes (requirements/*.lock, see README "Dependencies").
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LATEST ?= .venv-latest
EXAMPLE ?= examples/hotel-group/company.yaml
OUT ?= out
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
# --no-build-isolation: relmap is built by the setuptools of the lock, not by one downloaded unpinned
PIP_LOCKED = $(BIN)/python -m pip install --quiet --require-hashes -r
PIP_RELMAP = $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
# The suite on every core (at most 4). --dist worksteal: each worker runs a block of tests in file order and, when
# it is done, takes half of the other's remaining tests (a module fixture is then made on both workers), so no
# worker waits while the other runs the last big file (make test, idle 2 cores: 79 s instead of 84 s per file);
# make test JOBS=0 runs it in this process. PYTHONDONTWRITEBYTECODE is emptied for pytest: its rewritten test
# modules (and hypothesis', which it rewrites too) are then cached in __pycache__ (git-ignored) instead of being
# rewritten by every worker on every run (~3 s of CPU each).
JOBS ?= auto
PYTEST = PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(JOBS) --maxprocesses 4 --dist worksteal

.PHONY: demo test test-slow test-latest install install-dev graphviz lint pytest lock lock-upgrade lock-check \
	golden schema docs bench i18n clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "relmap needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); bash scripts/install-venv-support.sh $(PYTHON) && $(PYTHON) -m venv $(VENV); }

# Installed again only when a lock or pyproject.toml changes (the stamp files are in the venv).
$(VENV)/.runtime-installed: $(RUNTIME_LOCK) pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) $(RUNTIME_LOCK)
	$(PIP_RELMAP)
	@touch $@

$(VENV)/.dev-installed: $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) $(DEV_LOCK)
	$(PIP_RELMAP)
	@touch $@ $(VENV)/.runtime-installed

# compileall: an editable install has no bytecode yet, and with PYTHONDONTWRITEBYTECODE set every run
# would compile relmap again (~0.1 s per command)
install: graphviz $(VENV)/.runtime-installed
	@$(BIN)/python -m compileall -q relmap

install-dev: graphviz $(VENV)/.dev-installed
	@$(BIN)/python -m compileall -q relmap

graphviz:
	@bash scripts/install-graphviz.sh

demo: install
	$(BIN)/relmap validate $(EXAMPLE)
	$(BIN)/relmap analyze $(EXAMPLE) -o $(OUT)
	@echo "Open $(OUT)/report.html; paste $(OUT)/*.svg into your deck."

# The README's test command (CI runs it first, .ci/run): the lock matches pyproject.toml, lint, then every test
# but the few marked slow, each property test with a quarter of its examples (tests/strategies.examples).
test: install-dev
	$(BIN)/python scripts/lock.py check
	$(MAKE) --no-print-directory lint
	$(PYTEST) -m "not slow"

# What make test leaves out, run by CI after it: the slow end-to-end tests, and every property test with all its
# examples (RELMAP_TESTS=full).
test-slow: install-dev
	RELMAP_TESTS=full $(PYTEST) -m "slow or property"

pytest:
	$(PYTEST)

lint:
	$(BIN)/ruff check relmap tests bench scripts
	$(BIN)/mypy relmap
	$(BIN)/lint-imports --no-cache

# The newest releases within pyproject.toml's ranges, without the lock, in their own venv: finds the next
# incompatibility before a user does. Not run by CI (its result changes with every release).
test-latest: graphviz
	@test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip setuptools
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	$(LATEST)/bin/python scripts/lock.py newer
	MYPY_CACHE_DIR=$(LATEST)/.mypy_cache $(MAKE) --no-print-directory lint pytest VENV=$(LATEST)

# make lock: the locks again after a change of pyproject.toml (pins that still fit are kept);
# make lock-upgrade: the newest versions of everything (PACKAGE=name: that one only). Then make test.
lock: install-dev
	$(BIN)/python scripts/lock.py compile

lock-upgrade: install-dev
	$(BIN)/python scripts/lock.py compile $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)

lock-check:
	$(PYTHON) scripts/lock.py check

golden:
	$(BIN)/python -m pytest tests --update-golden -q

schema docs:
	$(BIN)/relmap schema > schemas/relmap.schema.json
	$(BIN)/python scripts/formatdoc.py > docs/format.md

i18n:
	$(BIN)/python scripts/i18n_build.py

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache $(LATEST)
